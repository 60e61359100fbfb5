package load

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"
)

func TestHistogramPercentiles(t *testing.T) {
	t.Parallel()
	var h Histogram
	if h.Percentile(99) != 0 || h.Max() != 0 || h.Mean() != 0 {
		t.Fatal("an empty histogram is not zero")
	}
	// 1 µs to 100 ms, one value per 10 µs: percentile p is p % of 100 ms.
	for v := 1; v <= 100_000; v += 10 {
		h.Record(time.Duration(v) * time.Microsecond)
	}
	for _, p := range []float64{1, 50, 90, 95, 99, 99.9} {
		want := p / 100 * 100_000
		got := float64(h.Percentile(p).Microseconds())
		if rel := math.Abs(got-want) / want; rel > 1.0/subCount+0.001 || got < want-10 {
			t.Errorf("p%v = %vµs, want about %vµs (within 1/%d, never below)", p, got, want, subCount)
		}
	}
	if h.Max() != 99_991*time.Microsecond || h.Percentile(100) != h.Max() {
		t.Errorf("max %v, p100 %v", h.Max(), h.Percentile(100))
	}
	if h.Count() != 10_000 {
		t.Errorf("count %d", h.Count())
	}
	// Small values are exact.
	var small Histogram
	for _, v := range []int{3, 1, 2, 5, 4} {
		small.Record(time.Duration(v) * time.Microsecond)
	}
	if small.Percentile(50) != 3*time.Microsecond || small.Percentile(80) != 4*time.Microsecond {
		t.Errorf("p50 %v, p80 %v of 1..5µs", small.Percentile(50), small.Percentile(80))
	}
	// Merging is recording both.
	var a, b Histogram
	a.Record(time.Millisecond)
	b.Record(3 * time.Millisecond)
	b.Record(2 * time.Millisecond)
	a.Merge(&b)
	if a.Count() != 3 || a.Max() != 3*time.Millisecond || a.Mean() != 2*time.Millisecond {
		t.Errorf("merged: count %d max %v mean %v", a.Count(), a.Max(), a.Mean())
	}
	if p := a.Percentile(50); p < 2*time.Millisecond || p > 2*time.Millisecond+2*time.Millisecond/subCount {
		t.Errorf("merged p50 %v", p)
	}
}

func TestBuckets(t *testing.T) {
	t.Parallel()
	last := -1
	for v := int64(0); v < 1<<22; v += 1 + v/200 {
		i := bucket(v)
		if i < last {
			t.Fatalf("bucket(%d) = %d after %d", v, i, last)
		}
		if bv := bucketValue(i); bv < v || float64(bv-v) > float64(v)/subCount+1 {
			t.Fatalf("bucket %d of %d stands for %d", i, v, bv)
		}
		last = i
	}
	if i := bucket(math.MaxInt64); i >= len(Histogram{}.counts) {
		t.Fatalf("bucket of the largest value %d is out of range", i)
	}
}

func TestWriteTable(t *testing.T) {
	t.Parallel()
	fast, slow := NewStats(), NewStats()
	for range 100 {
		fast.Record(2*time.Millisecond, "")
		slow.Record(150*time.Millisecond, "")
	}
	slow.Record(time.Second, "HTTP 500 (want 200)")
	results := []Result{
		ResultOf("fast page", fast, time.Second),
		ResultOf("slow page", slow, time.Second),
		{Name: "repository", Target: &Target{MinRPS: 10}, Skipped: "/repository answers 404"},
	}
	results[0].Target = &Target{MinRPS: 50, MaxP99: 100 * time.Millisecond, MaxRSS: 200 << 20}
	results[0].Memory = Memory{PeakRSS: 120 << 20, HWM: 130 << 20}
	results[1].Target = &Target{MinRPS: 50, MaxP99: 100 * time.Millisecond, NoErrors: true}
	results[1].Lost = 2
	if v := results[0].Verdict(); v != "met" {
		t.Errorf("fast page: %s", v)
	}
	if v := results[1].Verdict(); v != "MISSED (p99 >= 100ms, errors)" {
		t.Errorf("slow page: %s", v)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, results); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"SCENARIO", "REQ/S", "P99", "SERVER RSS PEAK",
		"fast page", "100 ", "2.00ms", "120 MB", ">= 50 req/s, p99 < 100ms, RSS < 200 MB", "met",
		"slow page", "1 (+2 lost)", "MISSED",
		"repository", "skipped: /repository answers 404",
		`slow page: error "HTTP 500 (want 200)": 1`,
		"fast page: server memory: peak RSS 120 MB, high-water mark since start 130 MB",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for i := range StaffCodes {
		c := RecoveryCode(i)
		if seen[c] || strings.ContainsAny(c, "0123456789") {
			t.Fatalf("code %d %q repeats or has digits", i, c)
		}
		seen[c] = true
	}
	cb, err := OpenCodeBook(t.TempDir() + "/codes")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := cb.Take("x")
	b, _ := cb.Take("x")
	c, _ := cb.Take("y")
	if a == b || a != c {
		t.Fatalf("codes %q %q %q: each login's codes in turn", a, b, c)
	}
	again, err := OpenCodeBook(cb.path)
	if err != nil {
		t.Fatal(err)
	}
	if next, _ := again.Take("x"); next != RecoveryCode(2) {
		t.Fatalf("a reopened book gives %q, want the third code", next)
	}
}

package load

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Target is what a scenario must reach (README "Performance: make bench", the targets on a 2-core machine); a zero
// field is no requirement.
type Target struct {
	// MinRPS is the throughput to reach, in requests per second.
	MinRPS float64
	// MaxP99 bounds the 99th percentile of latency.
	MaxP99 time.Duration
	// MaxRSS bounds the server's resident memory (bytes).
	MaxRSS uint64
	// NoErrors requires zero failed requests (and, for the surge, zero lost submissions).
	NoErrors bool
}

// Result is the outcome of one scenario.
type Result struct {
	Name     string
	Elapsed  time.Duration
	Requests uint64
	Latency  *Histogram
	Errors   map[string]uint64
	// Memory is the server's memory during the scenario (zero when no pid was given).
	Memory Memory
	Target *Target
	// Notes are facts worth printing under the table (completed users, lost submissions...).
	Notes []string
	// Lost counts acknowledged submissions missing from the database (surge only).
	Lost int
	// Skipped explains why a scenario did not run (a route the portal does not have).
	Skipped string
}

// ResultOf builds a result from stats gathered over elapsed.
func ResultOf(name string, st *Stats, elapsed time.Duration) Result {
	h := st.Latency()
	return Result{Name: name, Elapsed: elapsed, Requests: h.Count(), Latency: h, Errors: st.Errors()}
}

// RPS is the throughput.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// ErrorCount is the number of failures.
func (r Result) ErrorCount() uint64 {
	var n uint64
	for _, v := range r.Errors {
		n += v
	}
	return n
}

// Verdict says whether the result meets its target, and if not, why: "met", "missed: ..." or
// "" without a target.
func (r Result) Verdict() string {
	if r.Skipped != "" {
		return "skipped"
	}
	if r.Target == nil {
		return ""
	}
	t := r.Target
	var miss []string
	if t.MinRPS > 0 && r.RPS() < t.MinRPS {
		miss = append(miss, fmt.Sprintf("req/s < %.0f", t.MinRPS))
	}
	if t.MaxP99 > 0 && r.Latency != nil && r.Latency.Percentile(99) >= t.MaxP99 {
		miss = append(miss, "p99 >= "+fmtDur(t.MaxP99))
	}
	if t.MaxRSS > 0 && r.Memory.PeakRSS > t.MaxRSS {
		miss = append(miss, "RSS > "+fmtMB(t.MaxRSS))
	}
	if t.NoErrors && (r.ErrorCount() > 0 || r.Lost > 0) {
		miss = append(miss, "errors")
	}
	if len(miss) == 0 {
		return "met"
	}
	return "MISSED (" + strings.Join(miss, ", ") + ")"
}

func (t *Target) String() string {
	if t == nil {
		return ""
	}
	var parts []string
	if t.MinRPS > 0 {
		parts = append(parts, fmt.Sprintf(">= %.0f req/s", t.MinRPS))
	}
	if t.MaxP99 > 0 {
		parts = append(parts, "p99 < "+fmtDur(t.MaxP99))
	}
	if t.MaxRSS > 0 {
		parts = append(parts, "RSS < "+fmtMB(t.MaxRSS))
	}
	if t.NoErrors {
		parts = append(parts, "0 errors")
	}
	return strings.Join(parts, ", ")
}

func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

func fmtMB(b uint64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
}

// WriteTable prints one line per result: scenario, req/s, p50, p95, p99, max, errors, the
// server's peak RSS, the target and the verdict; then each result's notes and error kinds.
func WriteTable(w io.Writer, results []Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tREQUESTS\tREQ/S\tP50\tP95\tP99\tMAX\tERRORS\tSERVER RSS PEAK\tTARGET\tRESULT")
	for _, r := range results {
		if r.Skipped != "" {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t-\t-\t%s\tskipped\n", r.Name, r.Target)
			continue
		}
		h := r.Latency
		if h == nil {
			h = &Histogram{}
		}
		errs := fmt.Sprint(r.ErrorCount())
		if r.Lost > 0 {
			errs += fmt.Sprintf(" (+%d lost)", r.Lost)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Requests, r.RPS(),
			fmtDur(h.Percentile(50)), fmtDur(h.Percentile(95)), fmtDur(h.Percentile(99)), fmtDur(h.Max()),
			errs, fmtMB(r.Memory.PeakRSS), r.Target, r.Verdict())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range results {
		var lines []string
		if r.Skipped != "" {
			lines = append(lines, "skipped: "+r.Skipped)
		}
		lines = append(lines, r.Notes...)
		for _, k := range slices.Sorted(maps.Keys(r.Errors)) {
			lines = append(lines, fmt.Sprintf("error %q: %d", k, r.Errors[k]))
		}
		if r.Memory.HWM > 0 || r.Memory.GoHeap > 0 {
			lines = append(lines, r.Memory.String())
		}
		for _, l := range lines {
			if _, err := fmt.Fprintf(w, "  %s: %s\n", r.Name, l); err != nil {
				return err
			}
		}
	}
	return nil
}

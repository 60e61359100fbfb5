package chart

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 10, 5, []float64{0, 2, 4, 6, 8, 10}},
		{0, 7, 4, []float64{0, 2, 4, 6, 8}},
		{0, 1500000, 4, []float64{0, 500000, 1000000, 1500000}},
		{-3, 5, 4, []float64{-4, -2, 0, 2, 4, 6}},
		{3, 3, 4, []float64{3}},
		{0, 0.3, 3, []float64{0, 0.1, 0.2, 0.3}},
	} {
		got := Ticks(c.lo, c.hi, c.n)
		if len(got) != len(c.want) {
			t.Errorf("Ticks(%v, %v, %d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
			continue
		}
		for i := range got {
			if !near(got[i], c.want[i]) {
				t.Errorf("Ticks(%v, %v, %d) = %v, want %v", c.lo, c.hi, c.n, got, c.want)
				break
			}
		}
	}
}

func TestFormat(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 1.25: "1.25", 2: "2", 15000: "15k", 1500000: "1.5M", 2e9: "2B", -0.001: "0", 0.5: "0.5"} {
		if got := Compact(v); got != want {
			t.Errorf("Compact(%v) = %q, want %q", v, got, want)
		}
	}
	for v, want := range map[float64]string{210: "210", 12.345: "12.3", -0.04: "0", math.NaN(): "0"} {
		if got := N(v); got != want {
			t.Errorf("N(%v) = %q, want %q", v, got, want)
		}
	}
	if got := Short("Promotion of Multidisciplinary Teamwork and more", 12); got != "Promotion o…" || len([]rune(got)) > 12 {
		t.Errorf("Short = %q", got)
	}
	if got := Short("  Seoul  ", 12); got != "Seoul" {
		t.Errorf("Short = %q", got)
	}
}

// TestBarsScaling: the longest bar spans the plot to the last tick, the others in proportion,
// each row below the previous one, and the axis below the rows.
func TestBarsScaling(t *testing.T) {
	c := Bars([]Bar{{"Tech-InnovaCity", 8, "8"}, {"Human-CentriCity", 4, "4"}, {"Leadership", 0, "0"}})
	if c.Empty() || len(c.Bars) != 3 {
		t.Fatalf("bars: %+v", c.Bars)
	}
	// ticks 0, 2, 4, 6, 8: 8 reaches the plot's right edge
	if len(c.Ticks) != 5 || c.Ticks[0].Label != "0" || c.Ticks[4].Label != "8" || !near(c.Ticks[4].X, plotRight) {
		t.Fatalf("ticks %+v", c.Ticks)
	}
	w := plotRight - plotLeft
	if !near(c.ZeroX, plotLeft) || !near(c.Bars[0].X, plotLeft) || !near(c.Bars[0].W, w) || !near(c.Bars[1].W, w/2) || c.Bars[2].W != 0 {
		t.Fatalf("widths %v %v %v", c.Bars[0].W, c.Bars[1].W, c.Bars[2].W)
	}
	if !(c.Bars[0].Y < c.Bars[1].Y && c.Bars[1].Y < c.Bars[2].Y) || c.AxisY <= c.Bars[2].Y+c.Bars[2].H || c.Height <= c.AxisY {
		t.Fatalf("rows overlap: %+v, axis %v, height %v", c.Bars, c.AxisY, c.Height)
	}
	if c.Bars[0].Text != "8" || c.Bars[1].Label != "Human-CentriCity" || c.Bars[0].ValueX <= plotRight {
		t.Fatalf("texts: %+v", c.Bars[0])
	}
}

// TestBarsNegative: a negative value draws left of the zero line.
func TestBarsNegative(t *testing.T) {
	c := Bars([]Bar{{"a", -2, "-2"}, {"b", 2, "2"}})
	if !(c.ZeroX > plotLeft && c.ZeroX < plotRight) {
		t.Fatalf("zero at %v", c.ZeroX)
	}
	if !near(c.Bars[0].X+c.Bars[0].W, c.ZeroX) || !near(c.Bars[1].X, c.ZeroX) || !near(c.Bars[0].W, c.Bars[1].W) {
		t.Fatalf("bars %+v, zero %v", c.Bars, c.ZeroX)
	}
}

// TestBarsEmptyAndSingle: no data is an empty chart with a height; a single value, even zero,
// draws one row with an axis.
func TestBarsEmptyAndSingle(t *testing.T) {
	c := Bars(nil)
	if !c.Empty() || c.Height <= 0 || len(c.Ticks) != 0 {
		t.Fatalf("empty chart %+v", c)
	}
	one := Bars([]Bar{{"Only", 5, "5"}})
	if one.Empty() || len(one.Bars) != 1 || !near(one.Bars[0].W, (plotRight-plotLeft)*5/6) { // ticks 0, 2, 4, 6
		t.Fatalf("single bar %+v", one.Bars)
	}
	// counts get whole ticks: 0, 1 (not 0, 0.2, ...)
	if c := Bars([]Bar{{"a", 1, "1"}, {"b", 0, "0"}}); len(c.Ticks) != 2 || c.Ticks[1].Label != "1" {
		t.Fatalf("count ticks %+v", c.Ticks)
	}
	if c := Bars([]Bar{{"a", 0.5, "0.5"}}); len(c.Ticks) < 3 || c.Ticks[1].Label != "0.2" {
		t.Fatalf("fraction ticks %+v", c.Ticks)
	}
	zero := Bars([]Bar{{"Zero", 0, "0"}})
	if zero.Bars[0].W != 0 || len(zero.Ticks) < 2 || math.IsNaN(zero.Bars[0].X) {
		t.Fatalf("zero bar %+v ticks %+v", zero.Bars, zero.Ticks)
	}
	long := Bars([]Bar{{strings.Repeat("x", 80), 1, "1"}})
	if len([]rune(long.Bars[0].Label)) > maxLabel || long.Bars[0].Full != strings.Repeat("x", 80) {
		t.Fatalf("long label %q", long.Bars[0].Label)
	}
}

// TestBoxes: the marks sit on the fixed scale 1..5 at their values; out-of-scale values clamp.
func TestBoxes(t *testing.T) {
	c := Boxes([]Summary{
		{Label: "Governance", N: 4, Min: 1, Q1: 2, Median: 3, Q3: 4, Max: 5, Mean: 3},
		{Label: "Impact", N: 1, Min: 4, Q1: 4, Median: 4, Q3: 4, Max: 4, Mean: 4},
		{Label: "Odd", N: 1, Min: 0, Q1: 0, Median: 0, Q3: 9, Max: 9, Mean: 9},
	}, 1, 5)
	if c.Empty() || len(c.Rows) != 3 {
		t.Fatal("no rows")
	}
	w := plotRight - plotLeft
	r := c.Rows[0]
	if !near(r.MinX, plotLeft) || !near(r.Q1X, plotLeft+w/4) || !near(r.MedianX, plotLeft+w/2) || !near(r.Q3X, plotLeft+3*w/4) || !near(r.MaxX, plotRight) || !near(r.MeanX, plotLeft+w/2) {
		t.Fatalf("row 0: %+v", r)
	}
	if single := c.Rows[1]; !near(single.MinX, single.MaxX) || !near(single.MinX, plotLeft+3*w/4) {
		t.Fatalf("single value row: %+v", single)
	}
	if odd := c.Rows[2]; !near(odd.MinX, plotLeft) || !near(odd.MaxX, plotRight) {
		t.Fatalf("clamped row: %+v", odd)
	}
	if len(c.Ticks) != 5 || c.Ticks[0].Label != "1" || c.Ticks[4].Label != "5" {
		t.Fatalf("ticks %+v", c.Ticks)
	}
	if !strings.Contains(r.Mean, ",") || len(strings.Fields(r.Mean)) != 4 {
		t.Fatalf("diamond %q", r.Mean)
	}
	if e := Boxes(nil, 1, 5); !e.Empty() || e.Height <= 0 {
		t.Fatalf("empty %+v", e)
	}
	// a wide scale gets round ticks inside the scale
	wide := Boxes([]Summary{{Label: "x", N: 1, Min: 50, Q1: 50, Median: 50, Q3: 50, Max: 50, Mean: 50}}, 0, 100)
	if wide.Ticks[0].Label != "0" || wide.Ticks[len(wide.Ticks)-1].Label != "100" || len(wide.Ticks) > 11 {
		t.Fatalf("wide ticks %+v", wide.Ticks)
	}
}

// TestRadarPoints: four axes clockwise from the top; the outer ring is the scale's maximum, the
// centre its minimum, and values in between at their share of the radius.
func TestRadarPoints(t *testing.T) {
	c := Radar([]string{"North", "East", "South", "West"}, 1, 5, []Series{
		{Name: "Entry", Values: []float64{5, 3, 1, 4}},
		{Name: "Mean", Values: []float64{3, 3, 3, 3}, Dashed: true},
	})
	if len(c.Axes) != 4 || len(c.Series) != 2 {
		t.Fatalf("%d axes, %d series", len(c.Axes), len(c.Series))
	}
	cx, cy, r := c.CX, c.CY, c.R
	want := []Point{{cx, cy - r}, {cx + r/2, cy}, {cx, cy}, {cx - 3*r/4, cy}}
	for i, p := range c.Series[0].Points {
		if !near(p.X, want[i].X) || !near(p.Y, want[i].Y) {
			t.Errorf("point %d = %+v, want %+v", i, p, want[i])
		}
	}
	if c.Axes[0].Anchor != "middle" || c.Axes[1].Anchor != "start" || c.Axes[3].Anchor != "end" {
		t.Errorf("anchors %s %s %s", c.Axes[0].Anchor, c.Axes[1].Anchor, c.Axes[3].Anchor)
	}
	if !near(c.Axes[1].X, cx+r) || !near(c.Axes[1].Y, cy) {
		t.Errorf("east spoke ends at %v,%v", c.Axes[1].X, c.Axes[1].Y)
	}
	// rings at 2, 3, 4, 5 (none at the centre)
	labels := []string{}
	for _, ring := range c.Rings {
		labels = append(labels, ring.Label)
	}
	if !slices.Equal(labels, []string{"2", "3", "4", "5"}) {
		t.Errorf("rings %v", labels)
	}
	if got := c.Series[0].Path; got != "240,55 287.5,150 240,150 168.8,150" {
		t.Errorf("path %q", got)
	}
	if !c.Series[1].Dashed || c.Series[0].Dashed {
		t.Error("dash flags")
	}
	// every label stays inside the viewBox
	for _, a := range c.Axes {
		if a.LabelX < 0 || a.LabelX > c.Width || a.LabelY < 0 || a.LabelY > c.Height {
			t.Errorf("label %v outside at %v,%v", a.Lines, a.LabelX, a.LabelY)
		}
	}
}

// TestRadarEdgeCases: no axes is empty; one axis and missing or out-of-scale values still give
// finite points.
func TestRadarEdgeCases(t *testing.T) {
	if c := Radar(nil, 1, 5, nil); !c.Empty() {
		t.Fatal("no axes should be empty")
	}
	c := Radar([]string{"Only"}, 1, 5, []Series{{Name: "x", Values: []float64{4}}})
	if len(c.Series[0].Points) != 1 || !near(c.Series[0].Points[0].Y, c.CY-0.75*c.R) || !near(c.Series[0].Points[0].X, c.CX) {
		t.Fatalf("single axis: %+v", c.Series[0].Points)
	}
	c = Radar([]string{"a", "b", "c"}, 1, 5, []Series{{Name: "short", Values: []float64{math.NaN(), 9}}})
	p := c.Series[0].Points
	if len(p) != 3 || !near(p[0].X, c.CX) || !near(p[0].Y, c.CY) || !near(p[2].X, c.CX) || !near(p[2].Y, c.CY) {
		t.Fatalf("missing values not at the centre: %+v", p)
	}
	if d := math.Hypot(p[1].X-c.CX, p[1].Y-c.CY); !near(d, c.R) {
		t.Fatalf("out of scale value at distance %v, want %v", d, c.R)
	}
}

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Governance", []string{"Governance"}},
		{"Promotion of Multidisciplinary Teamwork", []string{"Promotion of", "Multidisciplinary T…"}},
		{"Data Security and Ethics", []string{"Data Security and", "Ethics"}},
		{"", []string{""}},
	} {
		if got := wrap(c.in, 20, 2); !slices.Equal(got, c.want) {
			t.Errorf("wrap(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Package chart computes the geometry of the portal's charts, drawn on the server as inline SVG
// without JavaScript (DOMAIN.md "Round 2": the "analysis and visualization of data"): horizontal bar charts, distributions (box plots on a fixed
// scale) and radar charts. It returns typed models in SVG user units that a templ page draws;
// it knows nothing of HTML, and every text it returns is plain text for the page to escape.
//
// Every chart is drawn in a viewBox of Width × Height units. Values are never told by colour
// alone: each mark carries its text label and value.
package chart

import (
	"math"
	"strconv"
	"strings"
)

// Width is the width of every chart's viewBox, in user units.
const Width = 640.0

// Layout of the bar and box charts: a label column, the plot, a value column.
const (
	labelWidth = 200.0 // the left column holding the row labels
	plotLeft   = 210.0 // where the plot starts
	plotRight  = 520.0 // where the plot ends; the value texts follow
	rowHeight  = 26.0
	barHeight  = 16.0
	topMargin  = 8.0
	axisHeight = 28.0 // below the rows: the axis with its tick labels
	maxLabel   = 28   // runes of a row label; longer labels are shortened with an ellipsis
)

// MaxLabel is the most runes of a row label as drawn: a page that shows a label in the reader's
// language shortens the translated Full label to it (Short).
const MaxLabel = maxLabel

// N formats a coordinate for an SVG attribute: one decimal, no trailing ".0".
func N(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s
}

// Short shortens a label to at most max runes, ending it with an ellipsis when cut.
func Short(s string, max int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= max {
		return string(r)
	}
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// Tick is a labelled mark of a value axis.
type Tick struct {
	X     float64
	Label string
}

// Ticks returns between 2 and about n+1 round values (steps of 1, 2 or 5 times a power of ten)
// covering [lo, hi]; lo == hi gives that value alone.
func Ticks(lo, hi float64, n int) []float64 {
	if n < 1 {
		n = 1
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	if hi == lo {
		return []float64{lo}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	start := math.Floor(lo/step) * step
	var out []float64
	for v := start; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	if out[len(out)-1] < hi {
		out = append(out, out[len(out)-1]+step)
	}
	return out
}

// Compact formats a value for an axis: 1.5k, 2M, 0.25.
func Compact(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return trim(v/1e9) + "B"
	case a >= 1e6:
		return trim(v/1e6) + "M"
	case a >= 1e4:
		return trim(v/1e3) + "k"
	}
	return trim(v)
}

func trim(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// scale maps [lo, hi] onto [x0, x1].
type scale struct{ lo, hi, x0, x1 float64 }

func (s scale) at(v float64) float64 {
	if s.hi == s.lo {
		return s.x0
	}
	return s.x0 + (v-s.lo)/(s.hi-s.lo)*(s.x1-s.x0)
}

// Bar is one value of a bar chart: its label and the value's text as shown.
type Bar struct {
	Label string
	Value float64
	Text  string // the value as shown next to the bar, e.g. "12" or "1,500,000 USD"
}

// BarMark is one drawn bar: the rectangle from the zero line to the value, the label left of the
// plot and the value's text right of it.
type BarMark struct {
	Label  string // shortened to fit the label column
	Full   string // the full label, for the data table
	Text   string
	X, Y   float64 // the rectangle's top left
	W, H   float64
	TextY  float64 // the baseline of the label and the value text
	ValueX float64 // where the value text starts
}

// BarChart is a horizontal bar chart, one row per bar, in input order.
type BarChart struct {
	Width, Height float64
	LabelX        float64 // where the row labels end (they are right-aligned)
	PlotLeft      float64
	PlotRight     float64
	ZeroX         float64 // the zero line
	AxisY         float64 // the top of the axis below the rows
	Bars          []BarMark
	Ticks         []Tick
}

// Empty reports whether the chart has nothing to draw.
func (c BarChart) Empty() bool { return len(c.Bars) == 0 }

// Bars lays out a horizontal bar chart of bars. The value axis runs from min(0, smallest value)
// to max(0, largest value), rounded out to round ticks (whole ones when every value is whole,
// such as counts); with no bars the chart is empty.
func Bars(bars []Bar) BarChart {
	c := BarChart{Width: Width, LabelX: labelWidth, PlotLeft: plotLeft, PlotRight: plotRight}
	if len(bars) == 0 {
		c.Height = topMargin + axisHeight
		c.AxisY = topMargin
		return c
	}
	lo, hi := 0.0, 0.0
	for _, b := range bars {
		lo, hi = math.Min(lo, b.Value), math.Max(hi, b.Value)
	}
	if lo == hi { // every value is zero
		hi = 1
	}
	ticks := Ticks(lo, hi, 4)
	if whole(bars) && ticks[1]-ticks[0] < 1 {
		ticks = ticks[:0]
		for v := math.Floor(lo); v <= math.Ceil(hi); v++ {
			ticks = append(ticks, v)
		}
	}
	s := scale{lo: ticks[0], hi: ticks[len(ticks)-1], x0: plotLeft, x1: plotRight}
	c.ZeroX = s.at(0)
	for i, b := range bars {
		y := topMargin + float64(i)*rowHeight + (rowHeight-barHeight)/2
		x0, x1 := c.ZeroX, s.at(b.Value)
		if x1 < x0 {
			x0, x1 = x1, x0
		}
		c.Bars = append(c.Bars, BarMark{
			Label: Short(b.Label, maxLabel), Full: b.Label, Text: b.Text,
			X: x0, Y: y, W: x1 - x0, H: barHeight,
			TextY:  y + barHeight - 3,
			ValueX: plotRight + 6,
		})
	}
	c.AxisY = topMargin + float64(len(bars))*rowHeight + 4
	c.Height = c.AxisY + axisHeight
	for _, t := range ticks {
		c.Ticks = append(c.Ticks, Tick{X: s.at(t), Label: Compact(t)})
	}
	return c
}

func whole(bars []Bar) bool {
	for _, b := range bars {
		if b.Value != math.Trunc(b.Value) {
			return false
		}
	}
	return true
}

// Summary summarises a distribution of N values on a row of a box chart.
type Summary struct {
	Label                          string
	N                              int
	Min, Q1, Median, Q3, Max, Mean float64
	Text                           string // shown right of the plot, e.g. "mean 3.40, n = 12"
}

// BoxMark is one drawn distribution: a whisker from the lowest to the highest value, a box from
// the first to the third quartile, a thick line at the median and a diamond at the mean.
type BoxMark struct {
	Label, Full, Text                    string
	Y                                    float64 // the row's centre line
	Top, H                               float64 // the box's top and height
	MinX, Q1X, MedianX, Q3X, MaxX, MeanX float64
	Mean                                 string // the diamond's points
	TextY, ValueX                        float64
}

// BoxChart is a box chart, one row per distribution, on a fixed value scale.
type BoxChart struct {
	Width, Height       float64
	LabelX              float64 // where the row labels end (they are right-aligned)
	PlotLeft, PlotRight float64
	AxisY               float64
	Rows                []BoxMark
	Ticks               []Tick
}

// Empty reports whether the chart has nothing to draw.
func (c BoxChart) Empty() bool { return len(c.Rows) == 0 }

// scaleTicks are the ticks of a fixed scale: every whole value when there are at most 10 steps,
// else round values.
func scaleTicks(lo, hi float64) []float64 {
	if hi-lo <= 10 && lo == math.Trunc(lo) && hi == math.Trunc(hi) {
		var out []float64
		for v := lo; v <= hi; v++ {
			out = append(out, v)
		}
		return out
	}
	var out []float64
	for _, v := range Ticks(lo, hi, 5) {
		if v >= lo-1e-9 && v <= hi+1e-9 {
			out = append(out, v)
		}
	}
	return out
}

func clamp(v, lo, hi float64) float64 {
	if math.IsNaN(v) {
		return lo
	}
	return math.Max(lo, math.Min(hi, v))
}

// Boxes lays out a box chart of rows on the scale [lo, hi] (the scoring scale); values outside
// the scale are drawn at its ends.
func Boxes(rows []Summary, lo, hi float64) BoxChart {
	c := BoxChart{Width: Width, LabelX: labelWidth, PlotLeft: plotLeft, PlotRight: plotRight}
	if hi <= lo {
		hi = lo + 1
	}
	s := scale{lo: lo, hi: hi, x0: plotLeft, x1: plotRight}
	x := func(v float64) float64 { return s.at(clamp(v, lo, hi)) }
	for i, r := range rows {
		mid := topMargin + float64(i)*rowHeight + rowHeight/2
		m := BoxMark{Label: Short(r.Label, maxLabel), Full: r.Label, Text: r.Text,
			Y: mid, Top: mid - barHeight/2, H: barHeight,
			MinX: x(r.Min), Q1X: x(r.Q1), MedianX: x(r.Median), Q3X: x(r.Q3), MaxX: x(r.Max), MeanX: x(r.Mean),
			TextY: mid + 4, ValueX: plotRight + 6}
		d := 5.0
		m.Mean = N(m.MeanX) + "," + N(mid-d) + " " + N(m.MeanX+d) + "," + N(mid) + " " + N(m.MeanX) + "," + N(mid+d) + " " + N(m.MeanX-d) + "," + N(mid)
		c.Rows = append(c.Rows, m)
	}
	c.AxisY = topMargin + float64(len(rows))*rowHeight + 4
	c.Height = c.AxisY + axisHeight
	for _, t := range scaleTicks(lo, hi) {
		c.Ticks = append(c.Ticks, Tick{X: s.at(t), Label: Compact(t)})
	}
	return c
}

// Radar geometry: the viewBox, the centre and the radius of the outer ring.
const (
	RadarWidth  = 480.0
	RadarHeight = 310.0
	radarCX     = 240.0
	radarCY     = 150.0
	radarR      = 95.0
	radarLabel  = 20 // runes per line of an axis label (three lines at most)
)

// Point is a point in user units.
type Point struct{ X, Y float64 }

// Series is one polygon of a radar chart: a value per axis, in the axes' order (a missing value,
// NaN, is drawn at the centre). Dashed draws it as a dashed outline without markers (a reference,
// such as a mean), so that it is told apart by its line, not its colour.
type Series struct {
	Name   string
	Values []float64
	Dashed bool
}

// RadarAxis is one spoke: from the centre to (X, Y) on the outer ring, with its label outside.
type RadarAxis struct {
	X, Y           float64
	Lines          []string // the label, wrapped
	LabelX, LabelY float64  // the first line's anchor point
	Anchor         string   // text-anchor: start, middle or end
}

// RadarRing is one ring of the grid, at a scale value.
type RadarRing struct {
	Points         string // the polygon's points attribute
	Label          string // the value
	LabelX, LabelY float64
}

// RadarSeries is a drawn polygon with its points.
type RadarSeries struct {
	Name   string
	Points []Point
	Path   string // the polygon's points attribute
	Dashed bool
}

// RadarChart is a radar (spider) chart: one spoke per axis, clockwise from the top.
type RadarChart struct {
	Width, Height float64
	CX, CY, R     float64
	Axes          []RadarAxis
	Rings         []RadarRing
	Series        []RadarSeries
}

// Empty reports whether the chart has no axis.
func (c RadarChart) Empty() bool { return len(c.Axes) == 0 }

// angle is the direction of spoke i of n: clockwise from the top.
func angle(i, n int) float64 { return -math.Pi/2 + 2*math.Pi*float64(i)/float64(n) }

// Radar lays out a radar chart of axes on the scale [lo, hi]: the centre is lo and the outer
// ring hi; values outside the scale are drawn at its ends.
func Radar(axes []string, lo, hi float64, series []Series) RadarChart {
	c := RadarChart{Width: RadarWidth, Height: RadarHeight, CX: radarCX, CY: radarCY, R: radarR}
	n := len(axes)
	if n == 0 {
		return c
	}
	if hi <= lo {
		hi = lo + 1
	}
	at := func(i int, v float64) Point {
		r := radarR * (clamp(v, lo, hi) - lo) / (hi - lo)
		a := angle(i, n)
		return Point{radarCX + r*math.Cos(a), radarCY + r*math.Sin(a)}
	}
	for i, name := range axes {
		a := angle(i, n)
		end := at(i, hi)
		ax := RadarAxis{X: end.X, Y: end.Y, Lines: wrap(name, radarLabel, 3),
			LabelX: radarCX + (radarR+10)*math.Cos(a), LabelY: radarCY + (radarR+10)*math.Sin(a)}
		cos, sin := math.Cos(a), math.Sin(a)
		switch {
		case cos > 0.2:
			ax.Anchor = "start"
		case cos < -0.2:
			ax.Anchor = "end"
		default:
			ax.Anchor = "middle"
		}
		// text grows downwards from its baseline: lift labels above the centre, and drop those
		// below it by one line
		switch {
		case sin < -0.2:
			ax.LabelY -= 14 * float64(len(ax.Lines)-1)
		case sin > 0.2:
			ax.LabelY += 10
		default:
			ax.LabelY += 4 - 7*float64(len(ax.Lines)-1)
		}
		c.Axes = append(c.Axes, ax)
	}
	for _, v := range scaleTicks(lo, hi) {
		if v == lo {
			continue
		}
		pts := make([]Point, n)
		for i := range axes {
			pts[i] = at(i, v)
		}
		top := at(0, v)
		c.Rings = append(c.Rings, RadarRing{Points: points(pts), Label: Compact(v), LabelX: top.X + 4, LabelY: top.Y + 12})
	}
	for _, s := range series {
		pts := make([]Point, n)
		for i := range axes {
			v := math.NaN()
			if i < len(s.Values) {
				v = s.Values[i]
			}
			pts[i] = at(i, v)
		}
		c.Series = append(c.Series, RadarSeries{Name: s.Name, Points: pts, Path: points(pts), Dashed: s.Dashed})
	}
	return c
}

func points(pts []Point) string {
	parts := make([]string, len(pts))
	for i, p := range pts {
		parts[i] = N(p.X) + "," + N(p.Y)
	}
	return strings.Join(parts, " ")
}

// wrap breaks s into at most lines lines of at most width runes at spaces, shortening the last
// line with an ellipsis when the text does not fit.
func wrap(s string, width, lines int) []string {
	words := strings.Fields(s)
	var out []string
	cur := ""
	for i, w := range words {
		switch {
		case cur == "":
			cur = w
		case len([]rune(cur))+1+len([]rune(w)) <= width:
			cur += " " + w
		default:
			if len(out) == lines-1 {
				cur = Short(cur+" "+strings.Join(words[i:], " "), width)
				return append(out, cur)
			}
			out = append(out, Short(cur, width))
			cur = w
		}
	}
	if cur != "" || len(out) == 0 {
		out = append(out, Short(cur, width))
	}
	return out
}

// The kinds of Figure: which of its Bars, Boxes or Radars is drawn.
const (
	KindBars   = "bars"
	KindBoxes  = "boxes"
	KindRadars = "radars"
)

// Section is a titled group of figures; Note says why it holds none (scores sealed).
type Section struct {
	ID     string
	Title  string
	Intro  string
	Note   string
	Charts []Figure
}

// Figure is one chart with its data. Kind says which of Bars, Boxes or Radars is drawn; Note
// replaces the drawing when there is no data. Table holds exactly the chart's data, which the
// CSV download serves.
type Figure struct {
	ID    string // unique on the page: the SVG ids and the CSV's name derive from it
	Title string
	Desc  string // the text alternative: what the chart shows, with its figures
	// Items are the rows of the chart as the description lists them, each a text of its own
	// (carried, so shown in the reader's language), joined with "; " into Desc's {{.Bars}}.
	Items  []string
	Note   string
	Kind   string
	Bars   BarChart
	Boxes  BoxChart
	Radars []RadarFigure
	Legend string // how to read the marks, for every reader
	Table  Table
	CSV    string // the address of the CSV download
}

// RadarFigure is one radar chart of a small-multiples figure (one semi-finalist).
type RadarFigure struct {
	ID    string
	Title string
	Desc  string
	Chart RadarChart
}

// Table is the data table of a figure.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]string
}

package edition

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/i18n"

	"go.yaml.in/yaml/v3"
)

// scheduleLayouts are the accepted forms of a schedule value, read in the edition's time zone.
// The first is the one the shipped files use for a date with a time.
var scheduleLayouts = []string{
	"2006-01-02 15:04",
	"2006-01-02",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
}

// localValue is a schedule value as read: the local time and the layout it was written in.
type localValue struct {
	t      time.Time
	layout string
}

func (v localValue) dateOnly() bool { return v.layout == "2006-01-02" }

func parseLocal(s string, loc *time.Location) (localValue, error) {
	for _, layout := range scheduleLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return localValue{t: t, layout: layout}, nil
		}
	}
	return localValue{}, errors.New(i18n.English(localProblem(s)))
}

// localProblem says that s is not a schedule value, carried for the reader's language.
func localProblem(s string) string {
	return i18n.Msg(`must be a local date-time "2006-01-02 15:04" or a date "2006-01-02", got {{.Value}}`, "Value", strconv.Quote(s))
}

// instant is the moment the value stands for. A date alone is the start of that day, or, for a
// value that ends something (endOfDay), the end of that day: the next midnight.
func (v localValue) instant(endOfDay bool) time.Time {
	if endOfDay && v.dateOnly() {
		return v.t.AddDate(0, 0, 1)
	}
	return v.t
}

// scheduleField is one value of the schedule, in the order the schedule must follow.
type scheduleField struct {
	path     string
	value    *string
	endOfDay bool // a date alone means the end of that day
	after    bool // must be strictly after the previous value; otherwise not before it
	dst      func(*Schedule) *time.Time
}

// fields lists the schedule values in time order (DOMAIN.md "Schedule"; guidelines section 5):
// applications open < deadline <= screening (round 1) <= scoring (round 2) <= semi-finalists
// announced <= voting (round 3) <= winners announced <= ceremony, each window ending after it starts.
func (s *ScheduleDef) fields() []scheduleField {
	return []scheduleField{
		{"schedule.applications_open", &s.ApplicationsOpen, false, false, func(o *Schedule) *time.Time { return &o.ApplicationsOpen }},
		{"schedule.application_deadline", &s.ApplicationDeadline, true, true, func(o *Schedule) *time.Time { return &o.ApplicationDeadline }},
		{"schedule.screening.start", &s.Screening.Start, false, false, func(o *Schedule) *time.Time { return &o.Screening.Start }},
		{"schedule.screening.end", &s.Screening.End, true, true, func(o *Schedule) *time.Time { return &o.Screening.End }},
		{"schedule.scoring.start", &s.Scoring.Start, false, false, func(o *Schedule) *time.Time { return &o.Scoring.Start }},
		{"schedule.scoring.end", &s.Scoring.End, true, true, func(o *Schedule) *time.Time { return &o.Scoring.End }},
		{"schedule.semi_finalists_announced", &s.SemiFinalistsAnnounced, false, false, func(o *Schedule) *time.Time { return &o.SemiFinalistsAnnounced }},
		{"schedule.voting.start", &s.Voting.Start, false, false, func(o *Schedule) *time.Time { return &o.Voting.Start }},
		{"schedule.voting.end", &s.Voting.End, true, true, func(o *Schedule) *time.Time { return &o.Voting.End }},
		{"schedule.winners_announced", &s.WinnersAnnounced, false, false, func(o *Schedule) *time.Time { return &o.WinnersAnnounced }},
		{"schedule.ceremony.start", &s.Ceremony.Start, false, false, func(o *Schedule) *time.Time { return &o.Ceremony.Start }},
		{"schedule.ceremony.end", &s.Ceremony.End, true, true, func(o *Schedule) *time.Time { return &o.Ceremony.End }},
	}
}

// resolve turns the written schedule into instants and checks that it is complete and in order.
// Each value is compared with the nearest earlier value that could be read.
func (s *ScheduleDef) resolve(c *form.Checker, loc *time.Location) Schedule {
	var out Schedule
	prevPath, prev := "", time.Time{}
	for _, f := range s.fields() {
		if !c.Required(f.path, *f.value) {
			continue
		}
		v, err := parseLocal(*f.value, loc)
		if err != nil {
			c.Add(f.path, localProblem(*f.value))
			continue
		}
		t := v.instant(f.endOfDay)
		*f.dst(&out) = t
		if prevPath != "" {
			if f.after && !t.After(prev) {
				c.Add(f.path, i18n.Msg("must be after {{.Path}}", "Path", prevPath))
			} else if !f.after && t.Before(prev) {
				c.Add(f.path, i18n.Msg("must not be before {{.Path}}", "Path", prevPath))
			}
		}
		prevPath, prev = f.path, t
	}
	out.GracePeriod = s.gracePeriod(c)
	return out
}

// gracePeriod reads the optional grace period: a Go duration such as "15m", not negative, in
// whole seconds (the deadline is enforced at the second).
func (s *ScheduleDef) gracePeriod(c *form.Checker) time.Duration {
	const path = "schedule.grace_period"
	if s.GracePeriod == "" {
		return 0
	}
	d, err := time.ParseDuration(s.GracePeriod)
	switch {
	case err != nil:
		c.Add(path, i18n.Msg(`must be a duration such as "15m" or "1h30m", got {{.Value}}`, "Value", strconv.Quote(s.GracePeriod)))
	case d < 0:
		c.Add(path, i18n.Msg("must not be negative, got {{.Value}}", "Value", strconv.Quote(s.GracePeriod)))
	case d%time.Second != 0:
		c.Add(path, i18n.Msg("must be a whole number of seconds, got {{.Value}}", "Value", strconv.Quote(s.GracePeriod)))

	default:
		return d
	}
	return 0
}

func (d *Definition) location() (*time.Location, error) {
	if d.TimeZone == "" || d.TimeZone == "Local" {
		return nil, fmt.Errorf("edition: unknown time zone %q", d.TimeZone)
	}
	loc, err := time.LoadLocation(d.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("edition: unknown time zone %q", d.TimeZone)
	}
	return loc, nil
}

// shiftable is one date-time value of the definition that ShiftDays moves.
type shiftable struct {
	path  string
	value *string
}

// shiftables lists the schedule values, the letter deadlines of the nominations and the
// ceremony's attendance deadline.
func (d *Definition) shiftables() []shiftable {
	var out []shiftable
	for _, f := range d.Schedule.fields() {
		out = append(out, shiftable{f.path, f.value})
	}
	for i := range d.Categories {
		if n := d.Categories[i].Nominations; n != nil {
			out = append(out, shiftable{fmt.Sprintf("categories[%d].nominations.letter_deadline", i), &n.LetterDeadline})
		}
	}
	if d.Voting != nil {
		out = append(out, shiftable{"voting.attendance_deadline", &d.Voting.AttendanceDeadline})
	}
	return out
}

// ShiftDays moves every schedule value, and the letter deadlines of the nominations, by n
// calendar days in the edition's time zone, keeping the time of day and the form each value was
// written in. The source text is edited in place, so the stored YAML keeps its comments and
// matches the shifted schedule.
func (d *Definition) ShiftDays(n int) error { return d.Shift(0, n) }

// Shift moves every schedule value, and the letter deadlines of the nominations, by years and
// days in the edition's time zone (time.Time.AddDate), like ShiftDays: copying an edition into
// next year's moves its dates by one year.
func (d *Definition) Shift(years, days int) error {
	loc, err := d.location()
	if err != nil {
		return err
	}
	fields := d.shiftables()
	shifted := make([]string, len(fields))
	for i, f := range fields {
		if *f.value == "" {
			continue
		}
		v, err := parseLocal(*f.value, loc)
		if err != nil {
			return fmt.Errorf("edition: shift %s: %w", f.path, err)
		}
		shifted[i] = v.t.AddDate(years, 0, days).Format(v.layout)
	}
	var edits []sourceEdit
	edited := map[*yaml.Node]bool{} // a value shared through an alias is edited once
	for i, f := range fields {
		if *f.value == "" {
			continue
		}
		if node := d.nodes[f.path]; node != nil && !edited[node] {
			edited[node] = true
			edits = append(edits, sourceEdit{node: node, old: *f.value, new: shifted[i]})
		}
		*f.value = shifted[i]
	}
	d.editSource(edits)
	return nil
}

// OpenOn shifts the schedule by a whole number of days (see ShiftDays) so that applications are
// open at now, with the deadline on the 30th day after now; when the application period is
// shorter than that, it opens on the day of now instead. Every interval keeps its length.
func (d *Definition) OpenOn(now time.Time) error {
	loc, err := d.location()
	if err != nil {
		return err
	}
	open, err := parseLocal(d.Schedule.ApplicationsOpen, loc)
	if err != nil {
		return fmt.Errorf("edition: open on: schedule.applications_open: %w", err)
	}
	deadline, err := parseLocal(d.Schedule.ApplicationDeadline, loc)
	if err != nil {
		return fmt.Errorf("edition: open on: schedule.application_deadline: %w", err)
	}
	now = now.In(loc)
	today := civilDate(now)
	n := daysBetween(civilDate(deadline.t), today.AddDate(0, 0, 30))
	if open.t.AddDate(0, 0, n).After(now) {
		n = daysBetween(civilDate(open.t), today)
		if open.t.AddDate(0, 0, n).After(now) {
			n--
		}
	}
	if !deadline.instant(true).AddDate(0, 0, n).After(now) {
		return errors.New("edition: open on: the application period is too short to contain now")
	}
	return d.ShiftDays(n)
}

// ScoreOn moves the schedule by whole days (ShiftDays) so that round 2's scoring window opened
// two days before now and contains it: an edition in the middle of its scoring, for load tests
// and demonstrations.
func (d *Definition) ScoreOn(now time.Time) error {
	loc, err := d.location()
	if err != nil {
		return err
	}
	start, err := parseLocal(d.Schedule.Scoring.Start, loc)
	if err != nil {
		return fmt.Errorf("edition: score on: schedule.scoring.start: %w", err)
	}
	end, err := parseLocal(d.Schedule.Scoring.End, loc)
	if err != nil {
		return fmt.Errorf("edition: score on: schedule.scoring.end: %w", err)
	}
	n := daysBetween(civilDate(start.t), civilDate(now.In(loc)).AddDate(0, 0, -2))
	if !end.instant(true).AddDate(0, 0, n).After(now) {
		return errors.New("edition: score on: the scoring window is too short to contain now")
	}
	return d.ShiftDays(n)
}

// civilDate is the calendar date of t (in t's location) as midnight UTC, for day arithmetic.
func civilDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func daysBetween(from, to time.Time) int {
	return int(to.Sub(from) / (24 * time.Hour))
}

// sourceEdit replaces the text of one scalar in the source.
type sourceEdit struct {
	node     *yaml.Node
	old, new string
}

// editSource applies edits to the source text at their nodes' positions, last first so that
// earlier positions stay valid. When a value cannot be found where its node says (an alias, a
// multi-line scalar), the source is dropped and Source renders the fields instead.
func (d *Definition) editSource(edits []sourceEdit) {
	slices.SortFunc(edits, func(a, b sourceEdit) int {
		return cmp.Or(cmp.Compare(b.node.Line, a.node.Line), cmp.Compare(b.node.Column, a.node.Column))
	})
	src := d.source
	for _, e := range edits {
		pos, ok := offsetOf(src, e.node.Line, e.node.Column)
		if ok {
			end := bytes.IndexByte(src[pos:], '\n')
			if end < 0 {
				end = len(src) - pos
			}
			i := bytes.Index(src[pos:pos+end], []byte(e.old))
			if i < 0 {
				ok = false
			} else {
				pos += i
				src = slices.Concat(src[:pos:pos], []byte(e.new), src[pos+len(e.old):])
			}
		}
		if !ok {
			src = nil
			break
		}
		e.node.Value = e.new
	}
	if src == nil {
		d.source = nil
		for _, e := range edits {
			e.node.Value = e.new
		}
		return
	}
	d.source = src
}

// offsetOf converts a 1-based line and column (in characters) to a byte offset in src.
func offsetOf(src []byte, line, column int) (int, bool) {
	if src == nil || line < 1 || column < 1 {
		return 0, false
	}
	pos := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(src[pos:], '\n')
		if i < 0 {
			return 0, false
		}
		pos += i + 1
	}
	for c := 1; c < column && pos < len(src); c++ {
		if src[pos] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(src[pos:])
		pos += size
	}
	return pos, true
}

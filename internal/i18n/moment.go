package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/blocks/timefmt"
)

// A time is carried as a string (like Msg) until it is shown, so a view can hold it without
// knowing the language: momentMark, the style, the zone and the Unix seconds (two for a window).
const momentMark = "\x1d"

// The styles, as in package timefmt.
const (
	styleInstant  = "i"
	styleDeadline = "d"
	styleEnd      = "e"
	styleStart    = "s"
	styleDate     = "D"
	styleWindow   = "w"
	styleZone     = "z"
	styleSeconds  = "S"
)

func moment(style string, loc *time.Location, ts ...time.Time) string {
	var b strings.Builder
	b.WriteString(momentMark + style + separator + loc.String())
	for _, t := range ts {
		b.WriteString(separator + strconv.FormatInt(t.Unix(), 10))
	}
	return b.String()
}

// Instant is t in loc, a date when it is midnight: "31 May 2023, 23:59 KST" /
// "2023년 5월 31일 23:59 KST" (timefmt.Instant).
func Instant(t time.Time, loc *time.Location) string { return moment(styleInstant, loc, t) }

// Deadline is t in loc with its time and zone (timefmt.Deadline).
func Deadline(t time.Time, loc *time.Location) string { return moment(styleDeadline, loc, t) }

// End is an exclusive end as the last minute it allows, naming the zone (timefmt.End).
func End(t time.Time, loc *time.Location) string { return moment(styleEnd, loc, t) }

// Start is an instant something opens at, naming the zone in full (timefmt.Start).
func Start(t time.Time, loc *time.Location) string { return moment(styleStart, loc, t) }

// Date is t's day in loc: "31 May 2023" / "2023년 5월 31일".
func Date(t time.Time, loc *time.Location) string { return moment(styleDate, loc, t) }

// Window is the window [start, end) in loc (timefmt.Window).
func Window(start, end time.Time, loc *time.Location) string {
	return moment(styleWindow, loc, start, end)
}

// Seconds is t in loc to the second with the zone's abbreviation, for logs and the outbox:
// "31 May 2023, 23:59:07 KST" / "2023년 5월 31일 23:59:07 KST" (timefmt.Seconds).
func Seconds(t time.Time, loc *time.Location) string { return moment(styleSeconds, loc, t) }

// Zone names loc for people as it is at instant at (timefmt.ZoneLabel).
func Zone(loc *time.Location, at time.Time) string { return moment(styleZone, loc, at) }

// moment shows a carried time in the localizer's language.
func (l *Localizer) moment(s string) string {
	parts := strings.Split(strings.TrimPrefix(s, momentMark), separator)
	if len(parts) < 3 {
		return ""
	}
	loc, err := time.LoadLocation(parts[1])
	if err != nil {
		loc = time.UTC
	}
	var ts []time.Time
	for _, p := range parts[2:] {
		n, _ := strconv.ParseInt(p, 10, 64)
		ts = append(ts, time.Unix(n, 0).In(loc))
	}
	if !l.Korean() {
		switch parts[0] {
		case styleInstant:
			return timefmt.Instant(ts[0], loc)
		case styleDeadline:
			return timefmt.Deadline(ts[0], loc)
		case styleEnd:
			return timefmt.End(ts[0], loc)
		case styleStart:
			return timefmt.Start(ts[0], loc)
		case styleDate:
			return ts[0].Format("2 January 2006")
		case styleWindow:
			if len(ts) > 1 {
				return timefmt.Window(ts[0], ts[1], loc)
			}
		case styleZone:
			return timefmt.ZoneLabel(loc, ts[0])
		case styleSeconds:
			return timefmt.Seconds(ts[0], loc)
		}
		return ""
	}
	return koreanMoment(parts[0], loc, ts)
}

// Korean dates read year, month, day ("2023년 5월 31일"), the time after them with the zone's
// abbreviation; a zone named in full reads "(Asia/Seoul 기준)".
func koreanMoment(style string, loc *time.Location, ts []time.Time) string {
	t := ts[0]
	date := func(t time.Time) string { return fmt.Sprintf("%d년 %d월 %d일", t.Year(), t.Month(), t.Day()) }
	clock := func(t time.Time) string { return date(t) + " " + t.Format("15:04 MST") }
	switch style {
	case styleInstant:
		if timefmt.Midnight(t) {
			return date(t)
		}
		return clock(t)
	case styleDeadline:
		return clock(t)
	case styleEnd:
		if timefmt.Midnight(t) {
			t = t.Add(-time.Minute)
		}
		return clock(t) + " (" + loc.String() + " 기준)"
	case styleStart:
		return clock(t) + " (" + loc.String() + " 기준)"
	case styleDate:
		return date(t)
	case styleWindow:
		if len(ts) < 2 {
			return date(t)
		}
		start, end := ts[0], ts[1]
		if timefmt.Midnight(start) && timefmt.Midnight(end) {
			last := end.AddDate(0, 0, -1)
			switch {
			case last.Equal(start):
				return date(start)
			case start.Year() != last.Year():
				return date(start) + " ~ " + date(last)
			case start.Month() != last.Month():
				return date(start) + " ~ " + fmt.Sprintf("%d월 %d일", last.Month(), last.Day())
			default:
				return date(start) + " ~ " + fmt.Sprintf("%d일", last.Day())
			}
		}
		return koreanMoment(styleInstant, loc, ts[:1]) + " ~ " + koreanMoment(styleInstant, loc, ts[1:])
	case styleZone:
		return timefmt.ZoneLabel(loc, t)
	case styleSeconds:
		return date(t) + " " + t.Format("15:04:05 MST")
	}
	return ""
}

// Package timefmt writes times for people, the same way on every page, in every email and in
// every document: always in the edition's time zone and naming it (DOMAIN.md and the
// developers' guide: "times shown with their time zone"); whole days as dates.
package timefmt

import (
	"fmt"
	"time"
)

// Instant shows an instant in loc: "31 May 2023", or "31 May 2023, 23:59 KST" when it has a time.
func Instant(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if Midnight(t) {
		return t.Format("2 January 2006")
	}
	return t.Format("2 January 2006, 15:04 MST")
}

// Deadline shows a deadline in loc, always with the time and the zone's abbreviation:
// "31 May 2023, 23:59 KST".
func Deadline(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2 January 2006, 15:04 MST")
}

// End shows an exclusive end (a deadline refused from that instant on) as the last minute it
// allows, naming the zone: a date-only deadline stored as the next midnight reads
// "7 June 2023, 23:59 KST (Asia/Seoul time)", not "8 June 2023, 00:00".
func End(t time.Time, loc *time.Location) string {
	if Midnight(t.In(loc)) {
		t = t.Add(-time.Minute)
	}
	return Start(t, loc)
}

// Start shows an instant something opens or happened at in loc with the time and the zone named
// in full: "1 July 2023, 00:00 KST (Asia/Seoul time)".
func Start(t time.Time, loc *time.Location) string {
	return Deadline(t, loc) + " (" + loc.String() + " time)"
}

// Window shows the window [start, end) in loc. Whole days read "1–30 June 2023" (end is
// exclusive); other windows show both instants.
func Window(start, end time.Time, loc *time.Location) string {
	start, end = start.In(loc), end.In(loc)
	if Midnight(start) && Midnight(end) {
		last := end.AddDate(0, 0, -1)
		switch {
		case last.Equal(start):
			return start.Format("2 January 2006")
		case start.Year() != last.Year():
			return start.Format("2 January 2006") + " – " + last.Format("2 January 2006")
		case start.Month() != last.Month():
			return start.Format("2 January") + " – " + last.Format("2 January 2006")
		default:
			return fmt.Sprintf("%d–%s", start.Day(), last.Format("2 January 2006"))
		}
	}
	return Instant(start, loc) + " – " + Instant(end, loc)
}

// ZoneLabel names a time zone for people: "Asia/Seoul (KST, UTC+09:00)", as it is at instant at.
func ZoneLabel(loc *time.Location, at time.Time) string {
	abbr, offset := at.In(loc).Zone()
	sign := "+"
	if offset < 0 {
		sign, offset = "-", -offset
	}
	utc := fmt.Sprintf("UTC%s%02d:%02d", sign, offset/3600, offset%3600/60)
	if abbr == "" || abbr[0] == '+' || abbr[0] == '-' {
		return fmt.Sprintf("%s (%s)", loc.String(), utc)
	}
	return fmt.Sprintf("%s (%s, %s)", loc.String(), abbr, utc)
}

// Midnight reports whether t is at midnight in its location: a date without a time.
func Midnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// UTC shows an instant in UTC with the time and the zone: "10 May 2023, 03:00 UTC", for pages
// of no one edition (the administration, the personal data page).
func UTC(t time.Time) string { return Deadline(t, time.UTC) }

// UTCOr shows *t like UTC, or none when t is nil.
func UTCOr(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return UTC(*t)
}

// Seconds shows an instant in loc to the second, with the zone's abbreviation:
// "31 May 2023, 23:59:07 KST", for logs such as the email outbox.
func Seconds(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2 Jan 2006, 15:04:05 MST")
}

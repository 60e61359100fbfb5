package server

import (
	"fmt"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/notify/emails"
)

// Times are always shown with their time zone (guide: "times shown with their time zone").

// zoneLabel names a time zone for people: "Asia/Seoul (KST, UTC+09:00)".
func zoneLabel(loc *time.Location, at time.Time) string {
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

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// formatInstant shows an instant in loc: "31 May 2023", or "31 May 2023, 23:59 KST" when it has a time.
func formatInstant(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if isMidnight(t) {
		return t.Format("2 January 2006")
	}
	return t.Format("2 January 2006, 15:04 MST")
}

// formatWindow shows a window in loc. Whole days read "1–30 June 2023" (End is exclusive); the
// emails write it the same way (emails.Window).
func formatWindow(w edition.Window, loc *time.Location) string { return emails.Window(w, loc) }

// endStamp shows an exclusive end (a deadline refused from that instant on) as the last minute
// it allows, with the zone: a date-only deadline stored as the next midnight reads
// "7 June 2023, 23:59 KST (Asia/Seoul time)", not "8 June 2023, 00:00".
func endStamp(t time.Time, loc *time.Location) string {
	if isMidnight(t.In(loc)) {
		t = t.Add(-time.Minute)
	}
	return deadlineStamp(t, loc) + " (" + loc.String() + " time)"
}

package server

import (
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/timefmt"
)

// Times are always shown with their time zone (guide: "times shown with their time zone"), the
// same way as in emails and documents (package timefmt).

// zoneLabel names a time zone for people: "Asia/Seoul (KST, UTC+09:00)".
func zoneLabel(loc *time.Location, at time.Time) string { return timefmt.ZoneLabel(loc, at) }

// formatInstant shows an instant in loc: "31 May 2023", or "31 May 2023, 23:59 KST" when it has a time.
func formatInstant(t time.Time, loc *time.Location) string { return timefmt.Instant(t, loc) }

// formatWindow shows a window in loc. Whole days read "1–30 June 2023" (End is exclusive).
func formatWindow(w edition.Window, loc *time.Location) string {
	return timefmt.Window(w.Start, w.End, loc)
}

// endStamp shows an exclusive end as the last minute it allows, with the zone.
func endStamp(t time.Time, loc *time.Location) string { return timefmt.End(t, loc) }

// deadlineStamp shows a deadline in loc, always with the time and the zone's abbreviation.
func deadlineStamp(t time.Time, loc *time.Location) string { return timefmt.Deadline(t, loc) }

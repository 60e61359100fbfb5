package server

import (
	"time"

	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify/emails"
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

// thousandsText writes n with comma thousands separators: 51628117 as "51,628,117".
func thousandsText(n int) string { return emails.Thousands(n) }

// decimalText groups the integer digits of a stored decimal: "51628117.50" as "51,628,117.50".
func decimalText(v string) string { return emails.Decimal(v) }

// countText is n with its noun: "1 city", "2,048 cities".
func countText(n int, one, many string) string { return emails.Count(n, one, many) }

package emails

import "time"

// Times in emails are always shown with their time zone, as on the pages (the server's
// format.go writes them the same way).

// Instant shows an instant in loc: "31 May 2023", or "31 May 2023, 23:59 KST" when it has a time.
func Instant(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if midnight(t) {
		return t.Format("2 January 2006")
	}
	return t.Format("2 January 2006, 15:04 MST")
}

// Deadline shows a deadline in loc, always with the time and the zone's abbreviation.
func Deadline(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2 January 2006, 15:04 MST")
}

// End shows an exclusive end (a deadline refused from that instant on) as the last minute it
// allows, naming the zone: a date-only deadline stored as the next midnight reads
// "7 June 2023, 23:59 KST (Asia/Seoul time)", not "8 June 2023, 00:00".
func End(t time.Time, loc *time.Location) string {
	if midnight(t.In(loc)) {
		t = t.Add(-time.Minute)
	}
	return Deadline(t, loc) + " (" + loc.String() + " time)"
}

func midnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

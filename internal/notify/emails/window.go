package emails

import (
	"fmt"
	"time"

	"prizeportal/internal/edition"
)

// Window shows a window of the schedule in loc, as the pages do: whole days read
// "1–30 June 2023" (End is exclusive), other windows "start – end" with their times and zone.
func Window(w edition.Window, loc *time.Location) string {
	start, end := w.Start.In(loc), w.End.In(loc)
	if midnight(start) && midnight(end) {
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

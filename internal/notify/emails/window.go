package emails

import (
	"fmt"
	"strconv"
	"time"

	"prizeportal/internal/edition"
)

// Window shows a window of the schedule in its edition's time zone loc, as the pages do: whole
// days read "1–30 June 2023" (End is exclusive), other windows from instant to instant.
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

// Count is n with its noun, thousands grouped as on the pages: "1 score sheet", "2,048 entries".
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s + " " + many
}

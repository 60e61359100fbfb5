package notify

import (
	"fmt"
	"time"

	"prizeportal/internal/blocks/timefmt"
)

// Recipient shows the message's recipient as "Name <address>", or the address alone.
func (e Email) Recipient() string {
	if e.ToName == "" {
		return e.To
	}
	return e.ToName + " <" + e.To + ">"
}

// Status says what happened to the message, for the outbox pages: its state ("sent", "failed",
// "pending"), a label and the detail, times in loc. errLen > 0 shortens the last error to that
// many characters.
func (e Email) Status(loc *time.Location, errLen int) (state, label, detail string) {
	lastErr := e.LastError
	if errLen > 0 && len([]rune(lastErr)) > errLen {
		lastErr = string([]rune(lastErr)[:errLen]) + "…"
	}
	switch {
	case e.Sent():
		detail = timefmt.Seconds(*e.SentAt, loc)
		if e.Attempts > 1 {
			detail += fmt.Sprintf(" (attempt %d)", e.Attempts)
		}
		return "sent", "Sent", detail
	case e.GaveUp():
		return "failed", "Failed", fmt.Sprintf("Gave up after %d attempts. Last error: %s", e.Attempts, lastErr)
	case e.Attempts == 0:
		return "pending", "Pending", "Not tried yet"
	case e.Attempts == 1:
		return "pending", "Pending", "1 attempt failed, will retry. Last error: " + lastErr
	}
	return "pending", "Pending", fmt.Sprintf("%d attempts failed, will retry. Last error: %s", e.Attempts, lastErr)
}

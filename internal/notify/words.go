package notify

import (
	"fmt"
	"time"

	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
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

// milestoneWords says which step of its edition's schedule a message waits for.
var milestoneWords = map[edition.Announcement]string{
	edition.ScreeningEnd:           "at the end of the screening",
	edition.SemiFinalistsAnnounced: "when the semi-finalists are announced",
	edition.WinnersAnnounced:       "when the winners are announced",
}

// Planned says when the message is planned to go out, for the outbox pages, in loc with the
// zone: "At once", an instant, or an instant and the step of the edition's schedule it waits
// for (its date as the edition says it now; moving the date moves the message).
func (e Email) Planned(loc *time.Location) string {
	at := timefmt.Seconds(e.PlannedAt, loc)
	switch {
	case e.Milestone != "":
		return at + ", " + milestoneWords[e.Milestone]
	case e.PlannedAt.Equal(e.CreatedAt):
		return "At once"
	}
	return at
}

package notify

import (
	"strconv"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
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
// many characters. The label and the detail are texts for i18n.T.
func (e Email) Status(loc *time.Location, errLen int) (state, label, detail string) {
	lastErr := e.LastError
	if errLen > 0 && len([]rune(lastErr)) > errLen {
		lastErr = string([]rune(lastErr)[:errLen]) + "…"
	}
	switch {
	case e.Sent():
		at := i18n.Seconds(*e.SentAt, loc)
		if e.Attempts > 1 {
			return "sent", i18n.M("Sent"), i18n.Msg("{{.When}} (attempt {{.Attempt}})", "When", at, "Attempt", strconv.Itoa(e.Attempts))
		}
		return "sent", i18n.M("Sent"), at
	case e.GaveUp():
		return "failed", i18n.M("Failed"), i18n.Msg("Gave up after {{.Attempts}} attempts. Last error: {{.Error}}", "Attempts", strconv.Itoa(e.Attempts), "Error", lastErr)
	case e.Attempts == 0:
		return "pending", i18n.M("Pending"), i18n.M("Not tried yet")
	case e.Attempts == 1:
		return "pending", i18n.M("Pending"), i18n.Msg("1 attempt failed, will retry. Last error: {{.Error}}", "Error", lastErr)
	}
	return "pending", i18n.M("Pending"), i18n.Msg("{{.Attempts}} attempts failed, will retry. Last error: {{.Error}}", "Attempts", strconv.Itoa(e.Attempts), "Error", lastErr)
}

// milestoneWords says which step of its edition's schedule a message waits for.
var milestoneWords = map[edition.Announcement]string{
	edition.ScreeningEnd:           i18n.M("{{.When}}, at the end of the screening"),
	edition.SemiFinalistsAnnounced: i18n.M("{{.When}}, when the semi-finalists are announced"),
	edition.WinnersAnnounced:       i18n.M("{{.When}}, when the winners are announced"),
}

// Planned says when the message is planned to go out, for the outbox pages, in loc with the
// zone: "At once", an instant, or an instant and the step of the edition's schedule it waits
// for (its date as the edition says it now; moving the date moves the message). A text for
// i18n.T.
func (e Email) Planned(loc *time.Location) string {
	at := i18n.Seconds(e.PlannedAt, loc)
	switch {
	case e.Milestone != "":
		return i18n.Msg(milestoneWords[e.Milestone], "When", at)
	case e.PlannedAt.Equal(e.CreatedAt):
		return i18n.M("At once")
	}
	return at
}

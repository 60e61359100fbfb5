package nomination

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/wording"
)

// LetterReminderTask is the periodic task that sends the letter reminders
// (SendLetterReminders), for the worker.
func (s *Service) LetterReminderTask() notify.Task {
	return notify.Task{Name: "letter-reminders", Every: 30 * time.Minute, Run: s.SendLetterReminders}
}

// SendLetterReminders queues a reminder, with a fresh link, to every recommender who has not
// sent their letter a week and again a day before the letter deadline (DueReminders), each stage
// once. Each reminder is marked, linked, audited and queued in its own transaction
// (usecase.EachInTx), so one failure does not hold up the others. Safe to repeat: a stage already
// sent is skipped.
func (s *Service) SendLetterReminders(ctx context.Context) error {
	now := s.Now()
	due, err := DueReminders(ctx, s.Pool, now)
	if err != nil {
		return err
	}
	return usecase.EachInTx(ctx, s.Pool, due, func(tx pgx.Tx, d DueReminder) error {
		ed, err := edition.ByID(ctx, s.Pool, d.EditionID)
		if err != nil {
			return err
		}
		cat := Leadership(ed, d.CategoryID)
		if cat == nil {
			return nil
		}
		return s.remind(ctx, tx, ed, cat, d, now)
	})
}

// remind sends the reminder d in tx.
func (s *Service) remind(ctx context.Context, tx pgx.Tx, ed *edition.Edition, cat *edition.Category, d DueReminder, now time.Time) error {
	ok, err := MarkReminded(ctx, tx, d.LetterID, d.Stage, now)
	if err != nil || !ok {
		return err
	}
	token, err := link.New(ctx, tx, LinkLetter, d.LetterID, cat.Nominations.LetterDeadline, now)
	if err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "system", Action: "nomination.letter_reminder",
		ObjectType: "application", ObjectID: strconv.FormatInt(d.NominationID, 10),
		Details: map[string]any{"letter": d.LetterID, "stage": d.Stage, "recommender": d.InvitedEmail}}); err != nil {
		return err
	}
	_, err = s.Outbox.Queue(ctx, tx, s.reminderEmail(ed, cat, d, token))
	return err
}

// reminderEmail reminds the recommender of d that the letter is due, with the private link token.
func (s *Service) reminderEmail(ed *edition.Edition, cat *edition.Category, d DueReminder, token string) notify.Message {
	when := "in a week"
	if d.Stage == 2 {
		when = "tomorrow"
	}
	msg := s.letterInviteEmail(ed, cat, letterParty{name: d.InvitedName, email: d.InvitedEmail, candidate: d.CandidateName,
		nominator: d.NominatorName}, token, "A reminder: letters of recommendation are due "+when+", by "+
		timefmt.End(cat.Nominations.LetterDeadline, ed.TimeZone)+", and we have not received yours yet. Any earlier link still works too.")
	msg.Kind = "recommendation-letter-reminder"
	msg.Subject = "Reminder: " + msg.Subject
	if msg.Wording != nil { // the reminder's own wording, its first paragraph in the registry's default
		delete(msg.Wording.Values, wording.Resent)
		msg.Wording.Key = msg.Kind
		// the wait as the reader's language shows it (English: the text above)
		msg.Wording.Values[wording.Due] = i18n.M("in a week")
		if d.Stage == 2 {
			msg.Wording.Values[wording.Due] = i18n.M("tomorrow")
		}
	}
	return msg
}

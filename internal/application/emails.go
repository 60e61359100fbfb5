package application

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// DeadlineText shows the deadline the applicant of a is told (their extension, if any; never the
// grace period) in the prize's time zone, always with the time, naming the zone.
func DeadlineText(ed *edition.Edition, a Application) string {
	return timefmt.Deadline(PublishedDeadline(ed.Schedule, a), ed.TimeZone) + " (" + ed.TimeZone.String() + " time)"
}

// DeadlineMsg is DeadlineText carried for the reader's language (i18n.Msg): the same English.
func DeadlineMsg(ed *edition.Edition, a Application) string {
	return i18n.Msg("{{.Deadline}} ({{.Zone}} time)", "Deadline", i18n.Deadline(PublishedDeadline(ed.Schedule, a), ed.TimeZone), "Zone", ed.TimeZone.String())
}

// receiptEmail is the receipt of submission number of entry e, with a PDF copy of the submitted
// answers attached.
func (s *Service) receiptEmail(ctx context.Context, e Entry, answers form.Answers, number int, now time.Time) (notify.Message, error) {
	ed, cat := e.Edition, e.Category
	// the email's times are shown in the recipient's language when it is queued
	v := emails.ReceiptEmail{
		Meta: s.Site.Meta(ed), Greeting: i18n.Msg("Dear {{.Name}},", "Name", e.Owner.Name), Prize: ed.Name, Category: cat.Name,
		Project: Title(answers), SubmittedAt: i18n.Instant(now, ed.TimeZone), Version: number,
		Deadline: DeadlineMsg(ed, e.App), URL: s.Site.URL(e.Home),
	}
	// the copy is in the language the applicant submits in (the request's: their choice, else
	// the language they use)
	l := i18n.From(ctx)
	doc := Copy(cat.Form, answers, CopyInfo{
		Prize: ed.Name, Category: cat.Name, Created: now.In(ed.TimeZone), Lang: l,
		Meta: []pdfdoc.Field{{Label: l.T("Applicant"), Value: e.Owner.Name}, {Label: l.T("Submitted"), Value: l.T(i18n.Instant(now, ed.TimeZone))},
			{Label: l.T("Submission"), Value: strconv.Itoa(number)}},
	})
	var pdf bytes.Buffer
	if err := pdfdoc.Render(&pdf, doc); err != nil {
		return notify.Message{}, fmt.Errorf("application: receipt copy: %w", err)
	}
	return notify.Message{To: e.Owner.Email, ToName: e.Owner.Name, Kind: "application-receipt", UserID: e.Owner.ID,
		Subject: i18n.Msg("Your application to the {{.Edition}} was received", "Edition", ed.Name),
		HTML:    emails.Receipt(v), Text: emails.ReceiptText(v), Wording: s.Site.Wording(ed, "application-receipt", v.Values(e.Owner.Name)),
		Attachments: []notify.Attachment{{Name: "application-" + strconv.Itoa(number) + ".pdf",
			ContentType: "application/pdf", Data: pdf.Bytes()}},
	}, nil
}

package application

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/form"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/pdfdoc"
)

// instant shows an instant in loc as the pages do: "31 May 2023", or "31 May 2023, 23:59 KST"
// when it has a time.
func instant(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2 January 2006")
	}
	return t.Format("2 January 2006, 15:04 MST")
}

// DeadlineText shows the deadline the applicant of a is told (their extension, if any; never the
// grace period) in the prize's time zone, always with the time, naming the zone.
func DeadlineText(ed *edition.Edition, a Application) string {
	return PublishedDeadline(ed.Schedule, a).In(ed.TimeZone).Format("2 January 2006, 15:04 MST") + " (" + ed.TimeZone.String() + " time)"
}

// receiptEmail is the receipt of submission number of entry e, with a PDF copy of the submitted
// answers attached.
func (s *Service) receiptEmail(e Entry, answers form.Answers, number int, now time.Time) (notify.Message, error) {
	ed, cat := e.Edition, e.Category
	submitted := instant(now, ed.TimeZone)
	v := emails.ReceiptEmail{
		Meta: s.site.Meta(ed), Greeting: "Dear " + e.Owner.Name + ",", Prize: ed.Name, Category: cat.Name,
		Project: Title(answers), SubmittedAt: submitted, Version: number,
		Deadline: DeadlineText(ed, e.App), URL: s.site.URL(e.Home),
	}
	doc := Copy(cat.Form, answers, CopyInfo{
		Prize: ed.Name, Category: cat.Name, Created: now.In(ed.TimeZone),
		Meta: []pdfdoc.Field{{Label: "Applicant", Value: e.Owner.Name}, {Label: "Submitted", Value: submitted},
			{Label: "Submission", Value: strconv.Itoa(number)}},
	})
	var pdf bytes.Buffer
	if err := pdfdoc.Render(&pdf, doc); err != nil {
		return notify.Message{}, fmt.Errorf("application: receipt copy: %w", err)
	}
	return notify.Message{To: e.Owner.Email, ToName: e.Owner.Name, Kind: "application-receipt", UserID: e.Owner.ID,
		Subject: "Your application to the " + ed.Name + " was received",
		HTML:    emails.Receipt(v), Text: emails.ReceiptText(v),
		Attachments: []notify.Attachment{{Name: "application-" + strconv.Itoa(number) + ".pdf",
			ContentType: "application/pdf", Data: pdf.Bytes()}},
	}, nil
}

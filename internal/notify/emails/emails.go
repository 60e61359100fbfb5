// Package emails holds the portal's email bodies: templ components rendered into the HTML part
// of a message, each paired with a plain-text alternative written by the caller.
//
// To write a message, add a component here that wraps its content in Layout, with the Meta of
// the edition the message is about (prize and edition names, and the portal's public URL from
// PORTAL_BASE_URL). Build the content with Paragraph and Button; write every link in full
// (absolute URL) in the text as well as on the button:
//
//	templ VerifyEmail(m Meta, name, link string) {
//		@Layout(m, "Confirm your email address") {
//			@Paragraph() { Dear { name }, }
//			@Paragraph() { Please confirm your email address to finish registering. }
//			@Button(link, "Confirm my email address")
//			@Paragraph() { If the button does not work, open { link } }
//		}
//	}
//
// Then write the plain-text alternative with the same words and links, ending with
// m.TextFooter(), and queue both with notify.Outbox.Queue in the transaction of the change that
// causes the message:
//
//	outbox.Queue(ctx, tx, notify.Message{To: addr, ToName: name, Kind: "verify-email",
//		Subject: "Confirm your email address", HTML: emails.VerifyEmail(m, name, link),
//		Text: "Dear " + name + ",\n\n...\n\n" + link + m.TextFooter()})
//
// Emails are not under the site's content security policy, but mail clients drop <style> blocks,
// scripts and often images: the components use a single-column table layout with a few inline
// styles, real text with sufficient contrast, and set the language and a title for screen readers.
package emails

import (
	"context"
	"strings"

	"prizeportal/internal/i18n"
	"prizeportal/internal/notify/wording"
)

// Meta names the prize and the edition a message is about, and the portal's public URL.
type Meta struct {
	PrizeName   string
	EditionName string
	// BaseURL is the portal's public URL (PORTAL_BASE_URL), without a trailing slash.
	BaseURL string
}

// TextFooter is the closing of a plain-text message in English, matching the HTML layout's footer.
func (m Meta) TextFooter() string { return m.TextFooterIn(i18n.For("en")) }

// TextFooterIn is the closing of a plain-text message in l's language.
func (m Meta) TextFooterIn(l *i18n.Localizer) string {
	var b strings.Builder
	b.WriteString("\n\n-- \n")
	b.WriteString(m.sender())
	if m.BaseURL != "" {
		b.WriteString("\n" + m.BaseURL)
	}
	b.WriteString("\n" + l.T(automatic) + "\n")
	return b.String()
}

// automatic closes every email's footer.
const automatic = "This message was sent automatically; replies are not read."

// linkMark stands for the portal's link in the footer's sentence, which the layout cuts there.
const linkMark = "\x00link\x00"

// footerBefore and footerAfter are the layout's footer around the link to the portal: "Sent by
// the Seoul Smart City Prize portal at " and " . This message was sent automatically; ...".
func footerBefore(ctx context.Context, m Meta) string {
	before, _, _ := strings.Cut(i18n.T(ctx, "Sent by the {{.Prize}} portal at {{.Link}}", "Prize", m.prizeName(), "Link", linkMark), linkMark)
	return before
}

func footerAfter(ctx context.Context, m Meta) string {
	_, after, _ := strings.Cut(i18n.T(ctx, "Sent by the {{.Prize}} portal at {{.Link}}", "Prize", m.prizeName(), "Link", linkMark), linkMark)
	return after + footerGap(ctx) + i18n.T(ctx, automatic)
}

// footerSent is the layout's footer without a link to the portal.
func footerSent(ctx context.Context, m Meta) string {
	return i18n.T(ctx, "Sent by the {{.Prize}} portal", "Prize", m.prizeName()) + footerGap(ctx) + i18n.T(ctx, automatic)
}

// footerGap is what separates the footer's two sentences: Korean sentences end with their own
// full stop; the English footer has always read "... portal . This message ...".
func footerGap(ctx context.Context) string {
	if i18n.From(ctx).Korean() {
		return " "
	}
	return " . "
}

// prizeName is the prize's name, or the portal's when it is unknown.
func (m Meta) prizeName() string {
	if m.PrizeName == "" {
		return "Prize Portal"
	}
	return m.PrizeName
}

// sender names who sends the message: the edition when its name includes the prize's, else
// both, or the prize alone.
func (m Meta) sender() string {
	switch {
	case m.EditionName == "":
		return m.prizeName()
	case strings.Contains(m.EditionName, m.prizeName()):
		return m.EditionName
	}
	return m.prizeName() + " · " + m.EditionName
}

// Values are the receipt's placeholders (wording "application-receipt") for applicant, from the
// same view as its default wording.
func (v ReceiptEmail) Values(applicant string) wording.Values {
	return wording.Values{wording.ApplicantName: applicant,
		wording.EditionName: v.Prize, wording.Category: v.Category, wording.Project: v.Project,
		wording.SubmittedAt: v.submitted(), wording.Deadline: v.Deadline, wording.Link: v.URL}
}

// Values are the placeholders of an invitation (wording "invite", or "roles-added" without a
// link), from the same view as its default wording.
func (v InviteEmail) Values() wording.Values {
	values := wording.Values{wording.Name: v.Name, wording.EditionName: v.Meta.prizeName(), wording.Inviter: v.Inviter,
		wording.Roles: v.roleLines(), wording.Link: v.SignInURL}
	if v.Link != "" {
		values[wording.Link], values[wording.Expires] = v.Link, v.Expires
	}
	return values
}

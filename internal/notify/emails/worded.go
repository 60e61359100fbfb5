package emails

import (
	"strings"

	"github.com/a-h/templ"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/wording"
)

// Wording lets the managers of edition e reword a message, the email key of the registry, with
// the values of its placeholders (notify.Message.Wording), and sends it in the recipient's
// language. Messages about no edition (e nil) keep their default wording, in English.
func (s Site) Wording(e *edition.Edition, key string, values wording.Values) *notify.Wording {
	if e == nil {
		return nil
	}
	m := s.Meta(e)
	return &notify.Wording{Key: key, EditionID: e.ID, Values: values, Render: func(lang, subject, body string) (templ.Component, string) {
		return WordedHTML(m, subject, body), WordedTextIn(i18n.For(lang), m, subject, body)
	}}
}

// WordedHTML is the HTML part of a message in an edition's own wording (Worded).
func WordedHTML(m Meta, subject, body string) templ.Component {
	var paragraphs [][]string
	for _, p := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paragraphs = append(paragraphs, strings.Split(p, "\n"))
		}
	}
	return Worded(m, subject, paragraphs)
}

// WordedText is the plain-text part of a message in an edition's own wording: framed as the
// default emails' text parts are (the prize, the heading, the body, the footer).
func WordedText(m Meta, subject, body string) string {
	return WordedTextIn(i18n.For("en"), m, subject, body)
}

// WordedTextIn is WordedText with the footer in l's language.
func WordedTextIn(l *i18n.Localizer, m Meta, subject, body string) string {
	return m.prizeName() + "\n\n" + subject + "\n\n" + strings.TrimSpace(body) + m.TextFooterIn(l)
}

// isLink reports whether a line of a body is a web address alone.
func isLink(line string) bool {
	line = strings.TrimSpace(line)
	return (strings.HasPrefix(line, "https://") || strings.HasPrefix(line, "http://")) && !strings.ContainsAny(line, " \t")
}

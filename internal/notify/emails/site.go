package emails

import (
	"strings"

	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
)

// Site is what every email needs of the portal itself: its public address (PORTAL_BASE_URL).
// Services that queue emails hold one, so the domains write their messages without the web
// layer.
type Site struct {
	BaseURL string
}

// URL is the absolute address of path on the portal, for links in emails.
func (s Site) URL(path string) string {
	return strings.TrimSuffix(s.BaseURL, "/") + path
}

// Meta is the frame data of an email about edition e (nil: the portal in general).
func (s Site) Meta(e *edition.Edition) Meta {
	return Meta{PrizeName: PrizeName(e), EditionName: PrizeName(e), BaseURL: s.BaseURL}
}

// PrizeName names the prize and edition in emails.
func PrizeName(e *edition.Edition) string {
	if e == nil {
		return "Prize Portal"
	}
	return e.Name
}

// ActionMessage is a message built from the Action email (a title, paragraphs and one button),
// its HTML and plain-text parts from the same view.
func ActionMessage(kind, to, toName, subject string, userID int64, v ActionEmail) notify.Message {
	return notify.Message{To: to, ToName: toName, Kind: kind, Subject: subject, UserID: userID,
		HTML: Action(v), Text: ActionText(v)}
}

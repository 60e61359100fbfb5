package server

import (
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// prizeName names the prize and edition in emails.
func prizeName(e *edition.Edition) string { return emails.PrizeName(e) }

// emailMeta is the frame data of an email about edition e.
func (s *Server) emailMeta(e *edition.Edition) emails.Meta { return s.site.Meta(e) }

func actionMessage(kind, to, toName, subject string, userID int64, v emails.ActionEmail) notify.Message {
	return emails.ActionMessage(kind, to, toName, subject, userID, v)
}

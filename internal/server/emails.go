package server

import (
	"prizeportal/internal/account"
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

func (s *Server) verifyEmail(e *edition.Edition, name, email, link string, userID int64) notify.Message {
	return actionMessage("verify-email", email, name, "Confirm your email address for the "+prizeName(e), userID, emails.ActionEmail{
		Meta:        s.emailMeta(e),
		Title:       "Confirm your email address",
		Greeting:    "Dear " + name + ",",
		Paragraphs:  []string{"Thank you for registering. Please confirm that this email address is yours: you can prepare your entry now, and submit it once your address is confirmed."},
		ActionLabel: "Confirm my email address",
		ActionURL:   link,
		Note:        "The link works once, for 48 hours. If you did not register, ignore this email.",
	})
}

func (s *Server) resetEmail(e *edition.Edition, u account.User, link string) notify.Message {
	return actionMessage("reset-password", u.Email, u.Name, "Reset your password for the "+prizeName(e), u.ID, emails.ActionEmail{
		Meta:        s.emailMeta(e),
		Title:       "Choose a new password",
		Greeting:    "Dear " + u.Name + ",",
		Paragraphs:  []string{"Someone, probably you, asked to reset the password of your account (login ID " + u.LoginID + "). Choose a new password with the button below."},
		ActionLabel: "Choose a new password",
		ActionURL:   link,
		Note:        "The link works once, for one hour. If you did not ask for it, ignore this email: your password stays as it is.",
	})
}

// registeredAgainEmail tells the owner of an account that someone tried to register with its
// email address, with the ways back into the account.
func (s *Server) registeredAgainEmail(e *edition.Edition, u account.User, signIn, reset string) notify.Message {
	return actionMessage("register-existing", u.Email, u.Name, "Someone tried to register with your email address for the "+prizeName(e), u.ID, emails.ActionEmail{
		Meta:     s.emailMeta(e),
		Title:    "You already have an account",
		Greeting: "Dear " + u.Name + ",",
		Paragraphs: []string{
			"Someone, probably you, tried to register for the " + prizeName(e) + " with this email address. It already belongs to your account (login ID " + u.LoginID + "), so no new account was made.",
			"If it was you, sign in with your login ID or this email address. Forgot your password? Choose a new one at " + reset + ".",
		},
		ActionLabel: "Sign in",
		ActionURL:   signIn,
		Note:        "If it was not you, ignore this email: nothing changed in your account.",
	})
}

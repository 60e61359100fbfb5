package account

import (
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// verifyEmail asks a registrant to confirm their address with link.
func verifyEmail(site emails.Site, e *edition.Edition, name, email, link string, userID int64) notify.Message {
	m := emails.ActionMessage("verify-email", email, name, "Confirm your email address for the "+emails.PrizeName(e), userID, emails.ActionEmail{
		Meta:        site.Meta(e),
		Title:       "Confirm your email address",
		Greeting:    "Dear " + name + ",",
		Paragraphs:  []string{"Thank you for registering. Please confirm that this email address is yours: you can prepare your entry now, and submit it once your address is confirmed."},
		ActionLabel: "Confirm my email address",
		ActionURL:   link,
		Note:        "The link works once, for 48 hours. If you did not register, ignore this email.",
	})
	m.Wording = site.Wording(e, "verify-email", wording.Values{wording.Name: name, wording.EditionName: emails.PrizeName(e), wording.Link: link})
	return m
}

// resetEmail sends the link that chooses a new password.
func resetEmail(site emails.Site, e *edition.Edition, u User, link string) notify.Message {
	m := emails.ActionMessage("reset-password", u.Email, u.Name, "Reset your password for the "+emails.PrizeName(e), u.ID, emails.ActionEmail{
		Meta:        site.Meta(e),
		Title:       "Choose a new password",
		Greeting:    "Dear " + u.Name + ",",
		Paragraphs:  []string{"Someone, probably you, asked to reset the password of your account (login ID " + u.LoginID + "). Choose a new password with the button below."},
		ActionLabel: "Choose a new password",
		ActionURL:   link,
		Note:        "The link works once, for one hour. If you did not ask for it, ignore this email: your password stays as it is.",
	})
	m.Wording = site.Wording(e, "reset-password", wording.Values{wording.Name: u.Name, wording.EditionName: emails.PrizeName(e),
		wording.LoginID: u.LoginID, wording.Link: link})
	return m
}

// registeredAgainEmail tells the owner of an account that someone tried to register with its
// email address, with the ways back into the account.
func registeredAgainEmail(site emails.Site, e *edition.Edition, u User) notify.Message {
	signIn, reset := site.URL("/signin"), site.URL("/password/forgot")
	m := emails.ActionMessage("register-existing", u.Email, u.Name, "Someone tried to register with your email address for the "+emails.PrizeName(e), u.ID, emails.ActionEmail{
		Meta:     site.Meta(e),
		Title:    "You already have an account",
		Greeting: "Dear " + u.Name + ",",
		Paragraphs: []string{
			"Someone, probably you, tried to register for the " + emails.PrizeName(e) + " with this email address. It already belongs to your account (login ID " + u.LoginID + "), so no new account was made.",
			"If it was you, sign in with your login ID or this email address. Forgot your password? Choose a new one at " + reset + ".",
		},
		ActionLabel: "Sign in",
		ActionURL:   signIn,
		Note:        "If it was not you, ignore this email: nothing changed in your account.",
	})
	m.Wording = site.Wording(e, "register-existing", wording.Values{wording.Name: u.Name, wording.EditionName: emails.PrizeName(e),
		wording.LoginID: u.LoginID, wording.Link: signIn, wording.ResetLink: reset})
	return m
}

// inviteMessage is the email of an invitation (kind "invite", with a link) or of roles added to
// an account that needs none (kind "roles-added"), in the wording of edition e (nil: the roles
// are of no edition, and the message keeps its default wording).
func inviteMessage(site emails.Site, e *edition.Edition, kind string, res InviteResult, v emails.InviteEmail) notify.Message {
	m := notify.Message{To: res.Email, ToName: res.Name, Kind: kind, Subject: emails.InviteSubject(v),
		HTML: emails.Invite(v), Text: emails.InviteText(v), UserID: res.UserID}
	m.Wording = site.Wording(e, kind, v.Values())
	return m
}

package nomination

import (
	"errors"
	"time"

	"prizeportal/internal/blocks/link"
	"prizeportal/internal/i18n"
)

// ConsentText is where the candidate's consent to n stands, as the nominator reads it (DOMAIN.md
// "Leadership nominations": a nomination needs the candidate's permission; after a refusal only
// the secretariat may ask again), with the times in loc.
func (n *Nomination) ConsentText(loc *time.Location) string {
	if n.Self {
		return i18n.M("Not needed: you nominate yourself.")
	}
	switch n.Consent {
	case ConsentRequested:
		return i18n.Msg("Asked on {{.When}}; no answer yet.", "When", i18n.Instant(*n.ConsentRequestedAt, loc))
	case ConsentGiven:
		return i18n.Msg("Given on {{.When}}.", "When", i18n.Instant(*n.ConsentDecidedAt, loc))
	case ConsentDeclined:
		return i18n.Msg("Declined on {{.When}}. Only the secretariat can ask the candidate again.", "When", i18n.Instant(*n.ConsentDecidedAt, loc))
	}
	if n.ConsentDeclinedAt != nil {
		return i18n.Msg("Declined on {{.When}} (before the candidate's address was changed). Only the secretariat can ask the candidate again.", "When", i18n.Instant(*n.ConsentDeclinedAt, loc))
	}
	return i18n.M("Not asked yet.")
}

// LetterText is where the letter of recommendation of n stands, as the nominator reads it: who
// was invited and where the letter stands, never what it says (DOMAIN.md "Leadership
// nominations").
func (n *Nomination) LetterText(loc *time.Location) string {
	l := n.Letter
	if l == nil {
		return i18n.M("No recommender invited yet.")
	}
	switch l.Status {
	case LetterOpened:
		return i18n.Msg("{{.Name}} ({{.Email}}): opened the invitation on {{.When}}; no letter yet.",
			"Name", l.InvitedName, "Email", l.InvitedEmail, "When", i18n.Instant(*l.OpenedAt, loc))
	case LetterReceived:
		return i18n.Msg("{{.Name}} ({{.Email}}): letter received on {{.When}}.",
			"Name", l.InvitedName, "Email", l.InvitedEmail, "When", i18n.Instant(*l.ReceivedAt, loc))
	}
	return i18n.Msg("{{.Name}} ({{.Email}}): invited on {{.When}}; not opened yet.",
		"Name", l.InvitedName, "Email", l.InvitedEmail, "When", i18n.Instant(l.InvitedAt, loc))
}

// KindText names the kind of nomination n: a self-nomination or a third party's (DOMAIN.md
// "Leadership nominations").
func (n *Nomination) KindText() string {
	if n.Self {
		return i18n.M("Self-nomination")
	}
	return i18n.M("Third party")
}

// LetterStatus is the status of n's letter of recommendation in a list: "None" before a
// recommender is invited.
func (n *Nomination) LetterStatus() string {
	if n.Letter == nil {
		return i18n.M("None")
	}
	return n.Letter.Status.Label()
}

// CanAskConsent reports whether the nominator of n may ask the candidate's consent at all: a
// third party's candidate who has neither consented nor declined (DOMAIN.md "Leadership
// nominations": after a refusal only the secretariat may ask again).
func (n *Nomination) CanAskConsent() bool {
	return !n.Self && n.Consent != ConsentGiven && n.Consent != ConsentDeclined && n.ConsentDeclinedAt == nil
}

// HeadWarning is the warning of a letter that cannot count because the candidate heads an
// organisation and the recommender is from the same one (guidelines §6); "" otherwise.
func (n *Nomination) HeadWarning() string {
	if !n.LetterConflict() {
		return ""
	}
	return i18n.M("The candidate heads an organisation, so their recommender must be from a different organisation (guidelines §6). This letter cannot count: invite a recommender from another organisation.")
}

// Explain says to the recommender why their letter link cannot be used, as a heading and a
// message, when its letter is known: the letter was received (and when), the recommender was
// replaced, or the letter deadline passed (at now; DOMAIN.md "Leadership nominations"). ok is
// false for an unknown or used link, which needs no more words.
func (e *LetterLinkError) Explain(now time.Time) (heading, message string, ok bool) {
	t := e.Target
	if t == nil || errors.Is(e.Err, link.ErrUnknown) {
		return "", "", false
	}
	switch {
	case t.Letter.Status == LetterReceived:
		return i18n.M("This link has already been used"), i18n.Msg("Your letter of recommendation for {{.Candidate}} was received on {{.When}}. Thank you: there is nothing more to do.",
			"Candidate", t.Nomination.CandidateName, "When", i18n.Instant(*t.Letter.ReceivedAt, t.Edition.TimeZone)), true
	case t.Letter.Status == LetterReplaced:
		return i18n.M("This request was replaced"), i18n.Msg("The nominator of {{.Candidate}} has replaced you as recommender, so this link no longer works and no letter is needed from you. If you think this is a mistake, contact the nominator.",
			"Candidate", t.Nomination.CandidateName), true
	case errors.Is(e.Err, link.ErrExpired) || !LetterOpen(t.Rules(), now):
		return i18n.M("The deadline for letters has passed"), i18n.Msg("Letters of recommendation for the {{.Edition}} were due by {{.When}}. This link has expired, and no letter can be sent any more.",
			"Edition", t.Edition.Name, "When", i18n.End(t.Rules().LetterDeadline, t.Edition.TimeZone)), true
	}
	return "", "", false
}

// Describe writes burst b for the secretariat, with the times in loc: what it is ("Many from one
// domain", "Repeated address"), its source (the domain or the address), a detail and when.
func (b Burst) Describe(loc *time.Location) (what, source, detail, when string) {
	when = i18n.Instant(b.From, loc)
	if !b.To.Equal(b.From) {
		when = i18n.Msg("{{.From}} to {{.To}}", "From", when, "To", i18n.Instant(b.To, loc))
	}
	if b.Address == "" {
		return i18n.M("Many from one domain"), b.Domain, i18n.M("within an hour"), when
	}
	if b.Spellings == 1 {
		detail = i18n.Msg("{{.Count}} spelling", "Count", i18n.Number(b.Spellings))
	} else {
		detail = i18n.Msg("{{.Count}} spellings", "Count", i18n.Number(b.Spellings))
	}
	return i18n.M("Repeated address"), b.Address, detail, when
}

package nomination

import (
	"errors"
	"strconv"
	"time"

	"prizeportal/internal/blocks/link"

	"prizeportal/internal/blocks/timefmt"
)

// ConsentText is where the candidate's consent to n stands, as the nominator reads it (DOMAIN.md
// "Leadership nominations": a nomination needs the candidate's permission; after a refusal only
// the secretariat may ask again), with the times in loc.
func (n *Nomination) ConsentText(loc *time.Location) string {
	if n.Self {
		return "Not needed: you nominate yourself."
	}
	switch n.Consent {
	case ConsentRequested:
		return "Asked on " + timefmt.Instant(*n.ConsentRequestedAt, loc) + "; no answer yet."
	case ConsentGiven:
		return "Given on " + timefmt.Instant(*n.ConsentDecidedAt, loc) + "."
	case ConsentDeclined:
		return "Declined on " + timefmt.Instant(*n.ConsentDecidedAt, loc) + ". Only the secretariat can ask the candidate again."
	}
	if n.ConsentDeclinedAt != nil {
		return "Declined on " + timefmt.Instant(*n.ConsentDeclinedAt, loc) + " (before the candidate's address was changed). Only the secretariat can ask the candidate again."
	}
	return "Not asked yet."
}

// LetterText is where the letter of recommendation of n stands, as the nominator reads it: who
// was invited and where the letter stands, never what it says (DOMAIN.md "Leadership
// nominations").
func (n *Nomination) LetterText(loc *time.Location) string {
	l := n.Letter
	if l == nil {
		return "No recommender invited yet."
	}
	who := l.InvitedName + " (" + l.InvitedEmail + ")"
	switch l.Status {
	case LetterOpened:
		return who + ": opened the invitation on " + timefmt.Instant(*l.OpenedAt, loc) + "; no letter yet."
	case LetterReceived:
		return who + ": letter received on " + timefmt.Instant(*l.ReceivedAt, loc) + "."
	}
	return who + ": invited on " + timefmt.Instant(l.InvitedAt, loc) + "; not opened yet."
}

// KindText names the kind of nomination n: a self-nomination or a third party's (DOMAIN.md
// "Leadership nominations").
func (n *Nomination) KindText() string {
	if n.Self {
		return "Self-nomination"
	}
	return "Third party"
}

// LetterStatus is the status of n's letter of recommendation in a list: "None" before a
// recommender is invited.
func (n *Nomination) LetterStatus() string {
	if n.Letter == nil {
		return "None"
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
	return "The candidate heads an organisation, so their recommender must be from a different organisation (guidelines §6). This letter cannot count: invite a recommender from another organisation."
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
		return "This link has already been used", "Your letter of recommendation for " + t.Nomination.CandidateName + " was received on " +
			timefmt.Instant(*t.Letter.ReceivedAt, t.Edition.TimeZone) + ". Thank you: there is nothing more to do.", true
	case t.Letter.Status == LetterReplaced:
		return "This request was replaced", "The nominator of " + t.Nomination.CandidateName + " has replaced you as recommender, so this link no longer works and no letter is needed from you. If you think this is a mistake, contact the nominator.", true
	case errors.Is(e.Err, link.ErrExpired) || !LetterOpen(t.Rules(), now):
		return "The deadline for letters has passed", "Letters of recommendation for the " + t.Edition.Name + " were due by " +
			timefmt.End(t.Rules().LetterDeadline, t.Edition.TimeZone) + ". This link has expired, and no letter can be sent any more.", true
	}
	return "", "", false
}

// Describe writes burst b for the secretariat, with the times in loc: what it is ("Many from one
// domain", "Repeated address"), its source (the domain or the address), a detail and when.
func (b Burst) Describe(loc *time.Location) (what, source, detail, when string) {
	when = timefmt.Instant(b.From, loc)
	if !b.To.Equal(b.From) {
		when += " to " + timefmt.Instant(b.To, loc)
	}
	if b.Address == "" {
		return "Many from one domain", b.Domain, "within an hour", when
	}
	detail = strconv.Itoa(b.Spellings) + " spelling"
	if b.Spellings != 1 {
		detail += "s"
	}
	return "Repeated address", b.Address, detail, when
}

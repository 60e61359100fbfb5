// Package nomination holds Leadership nominations (DOMAIN.md "Leadership nominations";
// guidelines §6): who nominates whom, the candidate's consent, letters of recommendation and
// citizen endorsements, and the rules that decide when a nomination is complete. A nomination is
// an application of kind "nomination" (internal/application keeps its answers, versions and
// files); this package keeps the facts its rules need. Every owner-facing query filters by the
// nominator, every staff-facing query by the secretariat role in the edition.
package nomination

import (
	"cmp"
	"errors"
	"regexp"
	"strings"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// Consent is where the candidate's consent stands.
type Consent string

// The states of consent. A self-nomination needs none: the candidate is the nominator.
const (
	ConsentNone      Consent = "none"
	ConsentRequested Consent = "requested"
	ConsentGiven     Consent = "given"
	ConsentDeclined  Consent = "declined"
)

// LetterStatus is where a letter of recommendation stands. The nominator sees only this, never
// the letter.
type LetterStatus string

// The states of a letter.
const (
	LetterInvited  LetterStatus = "invited"
	LetterOpened   LetterStatus = "opened"
	LetterReceived LetterStatus = "received"
	LetterReplaced LetterStatus = "replaced"
)

// Label is the status as the nominator reads it.
func (s LetterStatus) Label() string { return cmp.Or(letterStatusLabels[s], string(s)) }

var letterStatusLabels = map[LetterStatus]string{
	LetterInvited:  i18n.M("Invited"),
	LetterOpened:   i18n.M("Opened by the recommender"),
	LetterReceived: i18n.M("Received"),
	LetterReplaced: i18n.M("Replaced"),
}

var (
	// ErrSelfNominated means the person already has a self-nomination in the edition (DOMAIN.md:
	// at most one self-nomination per person).
	ErrSelfNominated = fault.New(fault.Conflict, "You have already nominated yourself for this edition: the rules allow one self-nomination per person (guidelines §6). You can nominate other people as often as you like.")
	// ErrNoConsent means a third-party nomination was submitted without the candidate's consent.
	ErrNoConsent = errors.New("nomination: the candidate has not consented")
	// ErrConsentDeclined means the candidate declined: only the secretariat may ask them again.
	ErrConsentDeclined = fault.New(fault.Conflict, "The candidate declined the nomination, so you cannot ask them again. If you believe they should be asked again, contact the secretariat: only the secretariat can.")
)

// Details are the facts of a nomination the nominator declares.
type Details struct {
	// Self says the nominator nominates themselves; the candidate is then the nominator.
	Self bool
	// NominatorCategory is the key of the edition's nominator category the nominator belongs to
	// (required for a third-party nomination); NominatorOrganisation is their organisation.
	NominatorCategory     string
	NominatorOrganisation string
	CandidateName         string
	CandidateEmail        string
	CandidateOrganisation string
	CandidatePosition     string
	// CandidateCity and CandidateCountry (ISO 3166-1 alpha-2) are where the candidate works: the
	// candidate is the participant, so the entry's place is theirs, never the nominator's.
	CandidateCity    string
	CandidateCountry string
	// CandidateIsHead says the candidate heads an organisation: their recommender must then come
	// from a different organisation (guidelines §6).
	CandidateIsHead bool
}

// Normalize trims the text fields.
func (d *Details) Normalize() {
	for _, p := range []*string{&d.NominatorCategory, &d.NominatorOrganisation, &d.CandidateName, &d.CandidateEmail,
		&d.CandidateOrganisation, &d.CandidatePosition, &d.CandidateCity, &d.CandidateCountry} {
		*p = strings.TrimSpace(*p)
	}
	d.CandidateCountry = strings.ToUpper(d.CandidateCountry)
}

// By is d as nominator u declared it, normalized: a self-nomination names u as the candidate
// (their account's name and email address, and its city and country unless given), and u's
// organisation is the candidate's (DOMAIN.md "Leadership nominations": self or third party).
func (d Details) By(u account.User) Details {
	if d.Self {
		d.CandidateName, d.CandidateEmail = u.Name, u.Email
		d.CandidateCity = cmp.Or(strings.TrimSpace(d.CandidateCity), u.City)
		d.CandidateCountry = cmp.Or(strings.TrimSpace(d.CandidateCountry), u.Country)
		if d.CandidateOrganisation == "" {
			d.CandidateOrganisation = d.NominatorOrganisation
		}
		d.NominatorOrganisation = d.CandidateOrganisation
	}
	d.Normalize()
	return d
}

// Validate checks d against the edition's nomination rules. Field names are the form's.
func (d Details) Validate(rules *edition.Nominations) field.Errors {
	var errs field.Errors
	if !d.Self {
		if _, ok := rules.Category(d.NominatorCategory); !ok {
			errs.Add("nominator_category", "Choose the category of nominators you belong to: only people in these categories may nominate someone else.")
		}
	} else if d.NominatorCategory != "" {
		if _, ok := rules.Category(d.NominatorCategory); !ok {
			errs.Add("nominator_category", "Choose one of the listed categories, or none.")
		}
	}
	if d.NominatorOrganisation == "" && !d.Self {
		errs.Add("nominator_organisation", "Enter the organisation you work for.")
	}
	errs.Name("candidate_name", d.CandidateName, "Enter the candidate's full name.")
	switch {
	case d.CandidateEmail == "":
		errs.Add("candidate_email", "Enter the candidate's email address: we ask them for their consent there.")
	case !account.ValidEmail(d.CandidateEmail):
		errs.Add("candidate_email", "Enter an email address like name@example.org.")
	}
	if d.CandidatePosition == "" {
		errs.Add("candidate_position", "Enter the candidate's position, such as Mayor or Chief Digital Officer.")
	}
	if d.CandidateOrganisation == "" {
		errs.Add("candidate_organisation", "Enter the candidate's organisation, or \"Independent\".")
	}
	if d.CandidateCity == "" {
		errs.Add("candidate_city", "Enter the city where the candidate works: the prize compares entries with their city's data.")
	} else if len([]rune(d.CandidateCity)) > 200 {
		errs.Add("candidate_city", "Use at most 200 characters.")
	}
	if !country.Valid(d.CandidateCountry) {
		errs.Add("candidate_country", "Choose the country where the candidate works.")
	}
	if len([]rune(d.CandidateEmail)) > 300 {
		errs.Add("candidate_email", "Use at most 300 characters.")
	}
	// These go into the emails to the candidate and the recommender.
	for _, f := range []struct{ name, v string }{{"nominator_organisation", d.NominatorOrganisation},
		{"candidate_name", d.CandidateName}, {"candidate_organisation", d.CandidateOrganisation}, {"candidate_position", d.CandidatePosition},
		{"candidate_city", d.CandidateCity}} {
		checkSenderText(&errs, f.name, f.v)
	}
	return errs
}

// Nomination is one nomination with the state of its consent, letter and endorsements.
type Nomination struct {
	ApplicationID int64
	UserID        int64 // the nominator
	EditionID     int64
	CategoryID    int64
	Details
	Status             application.Status
	SubmittedAt        *time.Time
	Consent            Consent
	ConsentRequestedAt *time.Time
	ConsentDecidedAt   *time.Time
	ConsentNote        string
	// ConsentDeclinedAt is when the candidate declined; it stays when the nominator changes the
	// candidate's address, and only the secretariat clears it (ReaskConsent).
	ConsentDeclinedAt *time.Time
	// EndorsementCode names the public endorsement page; "" until the nominator opens it.
	EndorsementCode string
	// Endorsements counts the confirmed, distinct email addresses that endorsed the candidate.
	Endorsements int
	// Letter is the current letter of recommendation; nil when none was asked for.
	Letter *Letter
	// Override is the secretariat's reason to accept a letter from the candidate's own
	// organisation; "" for none.
	Override   string
	OverrideBy *int64
	OverrideAt *time.Time
	// NominatorName and NominatorEmail are the nominator's account's.
	NominatorName  string
	NominatorEmail string
	CreatedAt      time.Time
}

// Letter is a letter of recommendation. Text and FileID are the letter itself: never shown to
// the nominator.
type Letter struct {
	ID                  int64
	ApplicationID       int64
	Status              LetterStatus
	InvitedName         string
	InvitedEmail        string
	InvitedOrganisation string
	InvitedAt           time.Time
	OpenedAt            *time.Time
	ReceivedAt          *time.Time
	// What the recommender declared.
	RecommenderName         string
	RecommenderTitle        string
	RecommenderOrganisation string
	RecommenderCategory     string
	Text                    string
	FileID                  *int64
	RemindersSent           int
}

// ConsentOK reports whether the candidate agreed to be nominated: a self-nomination always has.
func (n *Nomination) ConsentOK() bool { return n.Self || n.Consent == ConsentGiven }

// orgWords drops everything but letters and digits, so "Seoul Metropolitan Government" and
// "seoul metropolitan government." compare equal.
var orgWords = regexp.MustCompile(`[^\p{L}\p{N}]+`)

// SameOrganisation reports whether two declared organisation names name the same organisation,
// ignoring case, punctuation and spacing, and a leading "the".
func SameOrganisation(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		s = strings.TrimPrefix(s, "the ")
		return orgWords.ReplaceAllString(s, "")
	}
	na, nb := norm(a), norm(b)
	return na != "" && na == nb
}

// LetterConflict reports whether the current letter (received or only invited) comes from the
// candidate's own organisation while the candidate heads an organisation, and the secretariat
// has not accepted it (guidelines §6: "a letter of recommendation from ... a different
// organization than one's own").
func (n *Nomination) LetterConflict() bool {
	if n.Letter == nil || !n.CandidateIsHead || n.Override != "" {
		return false
	}
	org := n.Letter.InvitedOrganisation
	if n.Letter.Status == LetterReceived {
		org = n.Letter.RecommenderOrganisation
	}
	return SameOrganisation(org, n.CandidateOrganisation)
}

// LetterOK reports whether a letter that counts was received.
func (n *Nomination) LetterOK() bool {
	return n.Letter != nil && n.Letter.Status == LetterReceived && !n.LetterConflict()
}

// EndorsementsOK reports whether enough citizens endorsed the candidate to replace the letter.
func (n *Nomination) EndorsementsOK(rules *edition.Nominations) bool {
	return rules.Qualifies(n.Endorsements)
}

// Problems explains, one sentence each, what keeps the nomination from being complete: the
// candidate's consent, and a letter or enough endorsements (DOMAIN.md "Leadership nominations").
// Submission is a separate step (application status).
func (n *Nomination) Problems(rules *edition.Nominations) []string {
	var out []string
	switch {
	case n.ConsentOK():
	case n.Consent == ConsentDeclined || (n.ConsentDeclinedAt != nil && n.Consent != ConsentRequested):
		out = append(out, i18n.M("The candidate declined the nomination: it cannot go ahead unless they consent. Only the secretariat can ask them again."))
	case n.Consent == ConsentRequested:
		out = append(out, i18n.M("The candidate has not answered the request for consent yet."))
	default:
		out = append(out, i18n.M("Ask the candidate for their consent: a nomination needs it before it can be submitted."))
	}
	if !n.LetterOK() && !n.EndorsementsOK(rules) {
		switch {
		case n.LetterConflict():
			out = append(out, i18n.M("The candidate heads an organisation, so the letter of recommendation must come from someone at a different organisation: invite another recommender, or collect citizen endorsements."))
		case n.Letter != nil:
			out = append(out, i18n.Msg("The letter of recommendation has not arrived yet (or collect more than {{.Count}} confirmed citizen endorsements instead).", "Count", i18n.Number(rules.EndorsementsMoreThan)))
		default:
			out = append(out, i18n.Msg("Invite a recommender to write a letter of recommendation, or collect more than {{.Count}} confirmed citizen endorsements.", "Count", i18n.Number(rules.EndorsementsMoreThan)))
		}
	}
	return out
}

// Missing says what the nomination still lacks and by when, for its nominator at submission
// (DOMAIN.md "Leadership nominations": a letter or more than 30 endorsements; round 1 finds a
// nomination still incomplete after the letters' deadline ineligible); "" when it is complete.
func (n *Nomination) Missing(rules *edition.Nominations, loc *time.Location) string {
	p := n.Problems(rules)
	if len(p) == 0 {
		return ""
	}
	return i18n.Msg("It is not complete yet: {{.Problems}} {{.Due}}", "Problems", joinProblems(p), "Due", Due(rules, loc))
}

// ProblemsText is Problems as one text, the sentences one after the other; "" when complete.
func (n *Nomination) ProblemsText(rules *edition.Nominations) string {
	return joinProblems(n.Problems(rules))
}

// joinProblems is problems (at most two: the consent and the letter) as one carried text.
func joinProblems(p []string) string {
	switch len(p) {
	case 0:
		return ""
	case 1:
		return p[0]
	}
	return i18n.Msg("{{.First}} {{.Second}}", "First", p[0], "Second", p[1])
}

// Due says until when letters and endorsements are accepted, and what happens to a nomination
// still incomplete then.
func Due(rules *edition.Nominations, loc *time.Location) string {
	return i18n.Msg("Letters of recommendation and endorsements are accepted until {{.When}}; a nomination still incomplete then is found ineligible in round 1.",
		"When", i18n.End(rules.LetterDeadline, loc))
}

// Complete reports whether the nomination has consent and a letter or enough endorsements.
func (n *Nomination) Complete(rules *edition.Nominations) bool { return len(n.Problems(rules)) == 0 }

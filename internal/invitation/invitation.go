// Package invitation keeps the secretariat's invitations to apply (DOMAIN.md
// "Registration": the secretariat may itself nominate or recommend an eligible entity and invite
// it to apply). An invitation names an entity (contact, email, organisation), the entity type it
// registers as and the category it is invited to; it is emailed with a private link (package
// link, purpose LinkPurpose) to the registration form with both chosen. Registering through the
// link records the account it led to; whether that account then started or submitted an
// application is derived from the applications in SQL, so the secretariat sees which invitations
// led to entries.
package invitation

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// LinkPurpose is the purpose of the invitation links (link.New, subject the invitation's id).
const LinkPurpose = "invitation"

// PerPage is how many invitations a page of the list shows.
const PerPage = 50

// Limits of the invitation's text fields, in characters.
const (
	maxText    = 300
	MaxMessage = 2000
)

var (
	// ErrAlreadyInvited means the address has an invitation in the edition that is not used yet:
	// resend it instead.
	ErrAlreadyInvited = fault.New(fault.Conflict, "This address was already invited and has not registered yet: send that invitation again from the list.")
	// ErrHasAccount means an account already uses the address and cannot enter the edition: a
	// staff account, or one registered in it already.
	ErrHasAccount = fault.New(fault.Conflict, "An account already uses this address and cannot accept an invitation to this edition.")
	// ErrAccepted means the invitation was used to register already (nothing to resend).
	ErrAccepted = fault.New(fault.Conflict, "The invitation has already been used to register: there is nothing to send again.")
)

// Stage is how far an invitation got.
type Stage string

// The stages, in order: the email went out; someone registered through it; the account started
// an application (or nomination); the account submitted one.
const (
	Sent       Stage = "sent"
	Registered Stage = "registered"
	Started    Stage = "started"
	Submitted  Stage = "submitted"
)

// Label is the stage as the secretariat reads it.
func (s Stage) Label() string { return cmp.Or(stageLabels[s], i18n.M("Sent")) }

var stageLabels = map[Stage]string{
	Registered: i18n.M("Registered"),
	Started:    i18n.M("Application started"),
	Submitted:  i18n.M("Submitted"),
}

// Input is what the secretariat's form sends. Category and EntityType are keys of the edition.
type Input struct {
	Email        string
	Name         string
	Organisation string
	EntityType   string
	Category     string
	Message      string
}

// Normalize trims the fields.
func (in *Input) Normalize() {
	for _, p := range []*string{&in.Email, &in.Name, &in.Organisation, &in.EntityType, &in.Category, &in.Message} {
		*p = strings.TrimSpace(*p)
	}
}

// Validate checks in against edition ed and returns the category invited to. Field names are the
// form's: email, name, organisation, entity_type, category, message. The category must be open
// to the entity type (DOMAIN.md "Registration": City, Company and Institution enter the project
// categories, Individuals Leadership).
func (in Input) Validate(ed *edition.Edition) (*edition.Category, field.Errors) {
	var errs field.Errors
	switch {
	case in.Email == "":
		errs.Add("email", "Enter the email address to send the invitation to.")
	case !account.ValidEmail(in.Email):
		errs.Add("email", "Enter an email address like name@example.org.")
	}
	if in.Name == "" {
		errs.Add("name", "Enter the name of the person to write to.")
	} else if msg := field.NameProblem(in.Name); msg != "" {
		errs.Add("name", msg)
	}
	et, etOK := ed.EntityType(in.EntityType)
	if !etOK {
		errs.Add("entity_type", "Choose what kind of entity you invite.")
	}
	if in.Organisation == "" && etOK && in.needsOrganisation(ed) {
		errs.Add("organisation", "Enter the city government, company or institution you invite.")
	}
	c, ok := ed.Category(in.Category)
	switch {
	case !ok:
		errs.Add("category", "Choose the category the entity is invited to.")
		c = nil
	case etOK && !c.Eligible(in.EntityType):
		errs.Add("category", fmt.Sprintf("%s cannot be entered by a %s. Choose a category open to that entity type, or another entity type.",
			c.Name, et.Name))
		c = nil
	}
	for name, v := range map[string]string{"email": in.Email, "name": in.Name, "organisation": in.Organisation} {
		if len([]rune(v)) > maxText {
			errs.Add(name, fmt.Sprintf("Use at most %d characters.", maxText))
		}
	}
	if len([]rune(in.Message)) > MaxMessage {
		errs.Add("message", fmt.Sprintf("Use at most %d characters.", MaxMessage))
	}
	return c, errs
}

// needsOrganisation reports whether the entity type registers for an organisation (the
// project entity types do; an Individual may give none).
func (in Input) needsOrganisation(ed *edition.Edition) bool {
	for _, c := range ed.Categories {
		if c.Kind == edition.KindProject && c.Eligible(in.EntityType) {
			return true
		}
	}
	return false
}

// Invitation is one stored invitation with how far it got.
type Invitation struct {
	ID           int64
	EditionID    int64
	CategoryID   int64
	CategoryKey  string
	Category     string // the category's name
	EntityType   string // key
	Email        string
	Name         string
	Organisation string
	Message      string
	InvitedBy    int64
	InviterName  string
	InvitedAt    time.Time
	SentCount    int
	LastSentAt   time.Time
	AcceptedBy   *int64
	AcceptedAt   *time.Time
	// StartedAt is when the account's first application of the edition was created; SubmittedAt
	// when the first one still submitted was (last) submitted.
	StartedAt   *time.Time
	SubmittedAt *time.Time
	Stage       Stage
}

// List is one page of an edition's invitations, newest first.
type List = db.Page[Invitation]

// Summary counts an edition's invitations by how far they got; each count includes the later
// stages (a submitted entry was also registered and started).
type Summary struct {
	Sent       int
	Registered int
	Started    int
	Submitted  int
}

// Steps tell how far invitation i got, with the times in loc: sent (and sent again), the account
// created (or, once the application deadline passed, closed, the link unused), the application
// started and submitted.
func (i Invitation) Steps(loc *time.Location, closed bool) []string {
	steps := []string{i18n.Msg("Sent {{.When}} by {{.Name}}", "When", i18n.Instant(i.InvitedAt, loc), "Name", i.InviterName)}
	if i.SentCount > 1 {
		steps = append(steps, i18n.Msg("Sent again {{.When}} ({{.Count}} emails in all)", "When", i18n.Instant(i.LastSentAt, loc), "Count", strconv.Itoa(i.SentCount)))
	}
	if i.AcceptedAt != nil {
		steps = append(steps, i18n.Msg("Account created {{.When}}", "When", i18n.Instant(*i.AcceptedAt, loc)))
	} else if closed {
		steps = append(steps, i18n.M("Not used: the link expired at the application deadline"))
	}
	if i.StartedAt != nil {
		steps = append(steps, i18n.Msg("Application started {{.When}}", "When", i18n.Instant(*i.StartedAt, loc)))
	}
	if i.SubmittedAt != nil {
		steps = append(steps, i18n.Msg("Submitted {{.When}}", "When", i18n.Instant(*i.SubmittedAt, loc)))
	}
	return steps
}

// OrList joins names as "A, B or C" (a text for i18n.T).
func OrList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return i18n.Msg("{{.List}} or {{.Last}}", "List", strings.Join(names[:len(names)-1], ", "), "Last", names[len(names)-1])
}

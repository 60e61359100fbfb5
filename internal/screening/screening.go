// Package screening is round 1 (DOMAIN.md "Round 1: screening by the secretariat"):
// the queue of entries (submitted project applications and complete nominations), the checklist
// the portal pre-fills, the secretariat's decisions (eligible, ineligible with a reason, or a
// request for clarification first), second opinions, and closing the round. Every query filters
// by the secretariat role in the entry's edition, so a member of another edition's secretariat
// sees nothing.
package screening

import (
	"cmp"
	"slices"

	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// Decision is the secretariat's decision on an entry.
type Decision string

// The decisions. Undecided is the state of an entry without a decision (no row).
const (
	Undecided     Decision = ""
	Eligible      Decision = "eligible"
	Ineligible    Decision = "ineligible"
	Clarification Decision = "clarification"
)

// Label is the decision as the secretariat reads it.
func (d Decision) Label() string { return cmp.Or(decisionLabels[d], i18n.M("Not decided")) }

var decisionLabels = map[Decision]string{
	Eligible:      i18n.M("Eligible"),
	Ineligible:    i18n.M("Ineligible"),
	Clarification: i18n.M("Clarification requested"),
}

// Final reports whether the decision ends the screening of the entry.
func (d Decision) Final() bool { return d == Eligible || d == Ineligible }

var (
	// ErrRoundClosed means the round is closed: decisions can no longer change.
	ErrRoundClosed = fault.New(fault.Conflict, "The round is closed: decisions can no longer change.")
	// ErrUndecided means the round cannot close yet: the refusal wrapping it (Pending.Text)
	// says what is still open.
	ErrUndecided = fault.New(fault.Conflict, "The round cannot close yet.")
)

// Check is one item of the screening checklist. The portal decides what it can itself (Auto);
// the secretariat confirms the rest.
type Check struct {
	Key   string
	Label string
	// Reason is the reason for ineligibility when the check fails.
	Reason string
	// Auto says the portal checks it itself (the result is pre-filled).
	Auto bool
}

// The checklist keys.
const (
	CheckEntityType = "entity_type"
	CheckComplete   = "complete"
	CheckEnglish    = "english"
	CheckDocuments  = "documents"
	CheckNotBarred  = "not_barred"
	CheckDuplicate  = "not_duplicate"
	CheckLeadership = "leadership_rules"
	// ReasonOther is the reason for ineligibility outside the checklist (explained in free text).
	ReasonOther = "other"
	// ReasonIncomplete is "ineligible: incomplete", the outcome of a nomination still without a
	// letter that counts or enough endorsements once the letters' deadline has passed
	// (DOMAIN.md "Leadership nominations": every nomination carries a letter or more than 30
	// endorsements).
	ReasonIncomplete = "incomplete"
)

// Checklist is the screening checklist of a category, generated from the edition: the entity
// types the category accepts, its form, and for a leadership category the nomination rules
// (DOMAIN.md "Registration", "The project application", "Leadership nominations").
func Checklist(cat *edition.Category) []Check {
	out := []Check{
		{Key: CheckEntityType, Label: i18n.Msg("The entity type fits the category ({{.Types}})", "Types", joinTypes(cat)),
			Reason: i18n.M("The entity type is not eligible for the category"), Auto: true},
		{Key: CheckComplete, Label: i18n.M("Complete: every required answer of the form is given"),
			Reason: i18n.M("The application is incomplete"), Auto: true},
		{Key: CheckEnglish, Label: i18n.M("Written in English"), Reason: i18n.M("The application is not in English")},
		{Key: CheckDocuments, Label: i18n.M("The documents are readable"), Reason: i18n.M("The documents cannot be read")},
		{Key: CheckNotBarred, Label: i18n.M("Not from an entity represented among the organisers or evaluators (conflict-of-interest registry)"),
			Reason: i18n.M("The entity is represented among the organisers or evaluators"), Auto: true},
	}
	if cat.Kind == edition.KindProject {
		out = append(out, Check{Key: CheckDuplicate, Label: i18n.M("Not the same project as an entry in another category"),
			Reason: i18n.M("The same project is entered in another category")})
	}
	if cat.Nominations != nil {
		out = append(out, Check{Key: CheckLeadership, Label: i18n.M("Leadership rules met: the candidate's consent, and a letter of recommendation or enough citizen endorsements"),
			Reason: i18n.M("The nomination does not meet the Leadership rules"), Auto: true})
	}
	return out
}

// Reasons are the reasons for ineligibility the secretariat chooses from: one per check, and
// "other".
func Reasons(cat *edition.Category) []Check {
	out := Checklist(cat)
	if cat.Nominations != nil {
		out = append(out, Check{Key: ReasonIncomplete,
			Reason: i18n.M("The nomination was not complete by the deadline for letters (no letter of recommendation that counts, nor enough citizen endorsements)")})
	}
	return append(out, Check{Key: ReasonOther, Reason: i18n.M("Another reason (explained below)")})
}

// ReasonLabel returns the text of reason key for cat ("" when unknown).
func ReasonLabel(cat *edition.Category, key string) string {
	i := slices.IndexFunc(Reasons(cat), func(c Check) bool { return c.Key == key })
	if i < 0 {
		return ""
	}
	return Reasons(cat)[i].Reason
}

func joinTypes(cat *edition.Category) string {
	s := ""
	for i, t := range cat.EligibleTypes {
		if i > 0 {
			s += ", "
		}
		s += t
	}
	return s
}

// Package committee is the Evaluation Committee of an edition and the assignment of round 2
// entries to its evaluators (DOMAIN.md "Round 2").
//
// The committee is the role grants evaluator and committee_head of an edition; each member has
// categories of expertise (evaluator_categories) and declared conflicts (internal/conflict). The
// automatic assignment gives every round 2 entry (view round2_entries) the edition's number of
// evaluators (edition.Scoring.EvaluatorsPerEntry) among the members whose expertise includes the
// entry's category, never one with a conflict of interest (view assignment_conflicts, migration
// 00022: their declared organisations, cities and persons; their countries when the edition's
// scoring.country_conflicts is on), never one who recused from or was removed from the entry,
// the least loaded first. The head and the secretariat add and remove assignments by hand with a
// reason; an evaluator's recusal frees the assignment and refills the entry at once. Every change
// is recorded in the audit log in the same transaction.
package committee

import (
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/conflict"
	"prizeportal/internal/i18n"
)

// MaxReason is the longest reason accepted for a manual change or a recusal, in characters.
const MaxReason = 2000

// Member is one member of an edition's committee.
type Member struct {
	ID           int64
	Name         string
	Email        string
	Organisation string
	Country      string // ISO code of their account, "" when none
	Head         bool   // the committee head
	Evaluator    bool   // holds the evaluator role
	Active       bool   // the account is not deactivated
	CategoryIDs  []int64
	Declarations []conflict.Declaration
}

// Has reports whether m's expertise includes categoryID.
func (m Member) Has(categoryID int64) bool {
	for _, c := range m.CategoryIDs {
		if c == categoryID {
			return true
		}
	}
	return false
}

// Label is the member's name, or their email when they have none.
func (m Member) Label() string {
	if strings.TrimSpace(m.Name) != "" {
		return m.Name
	}
	return m.Email
}

// Assignment is one assignment of an entry to an evaluator.
type Assignment struct {
	ID            int64
	ApplicationID int64
	EvaluatorID   int64
	EditionID     int64
	AssignedAt    time.Time
	AssignedBy    int64 // 0 for the automatic assignment
	Reason        string
	EndedAt       *time.Time
	EndKind       string // "removed" or "recused" once ended
	EndReason     string
}

// Unfilled is an entry the assignment could not give its number of evaluators: not enough
// members with the expertise and without a conflict.
type Unfilled struct {
	ApplicationID int64
	Have          int
	Need          int
}

// Result is what an automatic assignment did.
type Result struct {
	PerEntry int          // the edition's evaluators per entry
	Entries  int          // round 2 entries considered
	Created  []Assignment // the new assignments, by entry then evaluator
	Unfilled []Unfilled   // entries left with fewer than PerEntry evaluators, by id
}

// AssignedEvaluator is one active assignment of an entry, for the coverage view.
type AssignedEvaluator struct {
	AssignmentID int64
	EvaluatorID  int64
	Name         string
	Manual       bool   // added by hand
	Sheet        string // "", "draft" or "submitted"
}

// EntryCoverage is one round 2 entry with its active assignments.
type EntryCoverage struct {
	ApplicationID int64
	CategoryID    int64
	Category      string
	Title         string
	Applicant     string
	Need          int
	Evaluators    []AssignedEvaluator
	Submitted     int // submitted sheets of its active evaluators
}

// Assigned is how many evaluators the entry has.
func (c EntryCoverage) Assigned() int { return len(c.Evaluators) }

// Full reports whether the entry has its number of evaluators.
func (c EntryCoverage) Full() bool { return len(c.Evaluators) >= c.Need }

// Label is the entry's title, or "Entry <id>" when it has none yet.
func (c EntryCoverage) Label() string {
	if strings.TrimSpace(c.Title) == "" {
		return "Entry " + strconv.FormatInt(c.ApplicationID, 10)
	}
	return c.Title
}

// Short counts the entries of the board that have fewer evaluators than the edition asks
// (DOMAIN.md "Round 2": each entry is scored by the edition's number of evaluators).
func (b Board) Short() int {
	n := 0
	for _, c := range b.Coverage {
		if !c.Full() {
			n++
		}
	}
	return n
}

// RoleLabel names a member's role in the committee.
func RoleLabel(head bool) string {
	if head {
		return i18n.M("Committee head")
	}
	return i18n.M("Evaluator")
}

// Label is the member's name, or their email when they gave no name.
func (l EvaluatorLoad) Label() string { return Member{Name: l.Name, Email: l.Email}.Label() }

// EvaluatorLoad is one member's work in an edition.
type EvaluatorLoad struct {
	EvaluatorID int64
	Name        string
	Email       string
	Head        bool
	Categories  []string // names of the categories of expertise
	Active      int      // active assignments
	Submitted   int      // submitted score sheets of the edition
	Recused     int      // assignments they recused from
}

// MyEntry is one entry assigned to an evaluator, for their list and the score sheet.
type MyEntry struct {
	AssignmentID  int64
	ApplicationID int64
	CategoryID    int64
	Category      string
	Title         string
	AssignedAt    time.Time
	Sheet         string // "", "draft" or "submitted"
}

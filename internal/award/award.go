// Package award is what happens to the council's winners after the vote (DOMAIN.md "Round 3"):
// invalidation, the first-place winners' attendance at the ceremony, and succession.
//
// The winners are the rows of awards with status 'confirmed' (migration 00023; internal/ballot
// confirms them from the vote). DOMAIN.md "Round 3": "The committee or council may invalidate a
// prize (qualification not met, or disgrace). First-place winners must attend the ceremony with
// their highest-level representative; if one cannot, the prize goes to the candidate with the
// next highest score who can attend." The guidelines (§8, 3rd evaluation) say:
//
//	The first place winners of each category must be present at the ceremony with the highest
//	level of representative available. In case the first place winners of each category cannot
//	attend the ceremony, the Prize will be awarded to the candidates with the next highest score
//	that can be present at the ceremony.
//
// So the account of a first-place winner (the application's user; for a nomination, the
// nominator) answers by the edition's attendance deadline (edition.Edition.AttendanceDeadline):
// it attends, with the representative's name and title, or it cannot (Answer). When it cannot,
// or when the chair or the committee head invalidates any award with a reason (Invalidate), the
// portal records a Proposal and recomputes the category's result (Pending): the places are given
// again, in the final order (vote_results), to the entries that did not decline and were not
// invalidated. The second-place winner of a declined first place becomes first (and answers
// for the ceremony in turn), the third becomes second, and the next candidate takes the third
// place. The chair confirms the recomputed result as a whole (ConfirmChange): the proposed
// awards become 'declined' or 'invalidated', the awards of the entries that move become 'moved'
// and those entries receive new 'confirmed' awards at their new places.
package award

import (
	"errors"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/fault"
)

// The statuses of an award.
const (
	StatusConfirmed   = ballot.AwardConfirmed   // the award stands: a current winner
	StatusDeclined    = ballot.AwardDeclined    // its first-place winner could not attend; passed on
	StatusInvalidated = ballot.AwardInvalidated // invalidated by the council or the committee; passed on
	StatusMoved       = ballot.AwardMoved       // its entry moved up to a better place (a new award)
)

// The reasons of a proposal: the status the award takes when the chair confirms it.
const (
	ReasonDeclined    = StatusDeclined
	ReasonInvalidated = StatusInvalidated
)

// Limits of the free texts, in characters.
const (
	MaxName   = 200
	MaxReason = 2000
)

// Errors of the store; the server shows each as a clear message.
var (
	ErrNotLive  = errors.New("award: the award no longer stands")
	ErrPending  = errors.New("award: a change of the award waits for the chair")
	ErrAnswered = errors.New("award: the winner already said they cannot attend")
	ErrDeadline = fault.New(fault.Conflict, "The deadline to confirm attendance has passed: nothing was saved.")
	// Refusing an actor is authz.ErrForbidden (the same page as any refused access).
	ErrNotAllowed = fault.Wrap(fault.Forbidden, "Only the chair of the Prize Council or the committee head may invalidate an award.", authz.ErrForbidden)
	ErrNotChair   = fault.Wrap(fault.Forbidden, "Only the chair of the Prize Council confirms a change of the awards.", authz.ErrForbidden)
	ErrDone       = errors.New("award: the change is already confirmed")
	ErrReason     = errors.New("award: an invalidation needs a reason")
)

// Award is one award of an edition with its entry and, for a first place, the attendance answer.
type Award struct {
	ID              int64
	ApplicationID   int64
	EditionID       int64
	CategoryID      int64
	Place           int
	PrizeName       string
	Status          string
	StatusReason    string
	StatusChangedAt *time.Time
	ConfirmedAt     time.Time
	Title           string
	Organisation    string
	City            string
	Country         string
	Attendance      *Attendance // nil until answered
	Pending         bool        // an open proposal moves this award
}

// Live reports whether the award stands.
func (a *Award) Live() bool { return a.Status == StatusConfirmed }

// First reports whether the award is a first place: its winner must attend the ceremony.
func (a *Award) First() bool { return a.Place == 1 }

// Attendance is the answer of a first-place winner: given by the entry's account (AnsweredBy), or
// by a nomination's candidate through their private link (ByCandidate, AnsweredBy 0). By is the
// name of whoever gave it.
type Attendance struct {
	CanAttend           bool
	RepresentativeName  string
	RepresentativeTitle string
	AnsweredAt          time.Time
	AnsweredBy          int64
	By                  string
	ByCandidate         bool
}

// Answer is what a winner's account submits: CanAttend with the representative's name and title,
// or not.
type Answer struct {
	CanAttend           bool
	RepresentativeName  string
	RepresentativeTitle string
}

// Proposal is a move of an award's place to the next-ranked candidate, for the chair to confirm.
type Proposal struct {
	ID          int64
	AwardID     int64
	EditionID   int64
	CategoryID  int64
	Place       int
	PrizeName   string
	From        int64
	FromTitle   string
	To          int64 // 0: no candidate is left to succeed
	ToTitle     string
	Reason      string // ReasonDeclined or ReasonInvalidated
	Detail      string // the invalidation's reason
	ProposedBy  string
	ProposedAt  time.Time
	ConfirmedBy string
	ConfirmedAt *time.Time
	NewAwardID  int64
}

// Open reports whether the proposal waits for the chair.
func (p *Proposal) Open() bool { return p.ConfirmedAt == nil }

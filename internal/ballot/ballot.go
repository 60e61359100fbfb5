// Package ballot is round 3: the vote of the Prize Council (DOMAIN.md "Round 3": the council "selects the winners based on a voting system").
//
// The council of an edition is its council role grants; the secretariat records one member as
// its chair. In each category the members rank the confirmed semi-finalists (semi_finalists of
// a list in semi_finalist_lists) on a ballot: a rank per entry (1 = best, equal ranks are ties)
// or an abstention stating the member's conflict. Ballots are secret until the category's vote
// closes: before, no query of this package returns a ballot's ranks to anyone but its member
// (Mine filters by member in SQL; Counted refuses an open vote in SQL). A ballot may change
// until the close.
//
// The chair closes a category's vote once its quorum of members has cast a ballot (the edition's
// voting.quorum, a majority of the council by default). Closing counts the ballots with
// internal/voting under the edition's method (Schulze or Borda) and the declared tie-break chain:
// the committee's aggregate score of round 2 (CommitteeScores), then the chair's recorded
// decision (Decide) for ties the scores leave. The result (the full order, the tie-breaks
// applied, the scores used) is stored in vote_results; the protocol recounts the frozen ballots
// for its matrix. The chair then confirms the winners (Confirm) from the final order and the
// category's prizes, into awards.
package ballot

import (
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
)

// Errors of the vote, with their kind (internal/blocks/fault): the server's one error mapper answers
// them, and the ballot pages show the conflicts again with a notice. Refusing a non-member or a
// member who is not the chair is authz.ErrForbidden (the same page as any refused access); a
// vote that is not closed has no protocol yet (db.ErrNotFound).
var (
	ErrNotMember  = fault.Wrap(fault.Forbidden, "Only a member of the edition's Prize Council may do this.", authz.ErrForbidden)
	ErrNotChair   = fault.Wrap(fault.Forbidden, "Only the chair of the edition's Prize Council may do this.", authz.ErrForbidden)
	ErrClosed     = fault.New(fault.Conflict, "The vote is closed: ballots can no longer change.")
	ErrNotClosed  = fault.Wrap(fault.NotFound, "The vote is not closed: its result is not known yet.", db.ErrNotFound)
	ErrNoQuorum   = fault.New(fault.Conflict, "The quorum is not reached: the vote cannot close yet.")
	ErrUnresolved = fault.New(fault.Conflict, "Ties remain for the chair to decide before the winners are confirmed.")
	ErrNoTie      = fault.New(fault.Conflict, "No tie is waiting for a decision.")
	ErrConfirmed  = fault.New(fault.Conflict, "The winners are already confirmed.")
	ErrCandidates = fault.New(fault.Conflict, "The semi-finalists changed meanwhile: check the ballot and save it again.")
)

// MaxConflict is the longest conflict statement accepted, in characters.
const MaxConflict = 1000

// Member is one member of an edition's council.
type Member struct {
	ID    int64
	Name  string
	Email string
	Chair bool
}

// Label is the member's name, or their email when they have none.
func (m Member) Label() string {
	if m.Name != "" {
		return m.Name
	}
	return m.Email
}

// Candidate is one confirmed semi-finalist of a category, as a ballot lists it.
type Candidate struct {
	ApplicationID int64
	Title         string
	Organisation  string
	City          string
	Country       string
}

// Line is a ballot's line for one candidate: Rank (1 = best) or, when Rank is 0, an abstention
// with the member's stated Conflict.
type Line struct {
	ApplicationID int64
	Rank          int
	Conflict      string
}

// Abstained reports whether the line is an abstention.
func (l Line) Abstained() bool { return l.Rank == 0 }

// Ballot is one member's ballot in a category.
type Ballot struct {
	ID        int64
	CastAt    time.Time
	UpdatedAt time.Time
	Lines     []Line
}

// Line returns the ballot's line for application id, and whether it has one.
func (b *Ballot) Line(id int64) (Line, bool) {
	if b == nil {
		return Line{}, false
	}
	for _, l := range b.Lines {
		if l.ApplicationID == id {
			return l, true
		}
	}
	return Line{}, false
}

// Status is the state of a category's vote: the council's size, the quorum, the ballots cast.
type Status struct {
	Council int
	Quorum  int
	Cast    int
	Closed  bool
}

// Quorate reports whether enough members have cast a ballot for the vote to close.
func (s Status) Quorate() bool { return s.Cast >= s.Quorum && s.Cast > 0 }

// Result is a category's closed vote as stored.
type Result struct {
	CategoryID     int64
	Method         string
	Council        int
	Quorum         int
	Ballots        int
	Scores         map[int64]float64 // the committee aggregate of round 2, by application id
	Decision       []int64           // the chair's recorded order for ties the scores left
	DecisionReason string
	DecidedBy      string
	DecidedAt      *time.Time
	Order          []int64 // the final order, best first
	TieBreaks      []string
	Unresolved     [][]int64 // ties still waiting for the chair's decision
	ClosedBy       string
	ClosedAt       time.Time
}

// Resolved reports whether the order is final (no tie waits for the chair).
func (r *Result) Resolved() bool { return len(r.Unresolved) == 0 }

// Award is one confirmed winner of a category.
type Award struct {
	ID            int64
	ApplicationID int64
	CategoryID    int64
	Place         int
	PrizeName     string
	Status        string
	ConfirmedBy   string
	ConfirmedAt   time.Time
}

// The statuses of an award (awards.status): confirmed by the chair, then possibly changed after
// the vote (internal/award: DOMAIN.md "Round 3", invalidation and the attendance rule).
const (
	AwardConfirmed   = "confirmed"   // the award stands: a current winner
	AwardDeclined    = "declined"    // its first-place winner could not attend; passed on
	AwardInvalidated = "invalidated" // invalidated by the council or the committee; passed on
	AwardMoved       = "moved"       // its entry moved up to a better place (a new award)
)

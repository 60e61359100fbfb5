package screening

import (
	"context"
	"errors"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/conflict"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/nomination"
)

// Staffed is an entry of the round with its edition and category, for a secretariat member of
// that edition.
type Staffed struct {
	Entry    Entry
	Edition  *edition.Edition
	Category *edition.Category
}

// LoadStaffed loads entry id for actor with its edition and category: db.ErrNotFound unless the
// actor is of the secretariat of its edition (authz.CanManageApplications; Get repeats it in SQL).
func LoadStaffed(ctx context.Context, q db.DBTX, actor authz.Actor, id int64) (Staffed, error) {
	e, err := Get(ctx, q, actor.UserID, id)
	if err != nil {
		return Staffed{}, err
	}
	if !authz.CanManageApplications(actor, e.EditionID) {
		return Staffed{}, db.ErrNotFound
	}
	ed, err := edition.ByID(ctx, q, e.EditionID)
	if err != nil {
		return Staffed{}, err
	}
	if cat, ok := ed.CategoryByID(e.CategoryID); ok {
		return Staffed{Entry: e, Edition: ed, Category: cat}, nil
	}
	return Staffed{}, db.ErrNotFound
}

// EntryPage is everything the screening view of an entry shows (DOMAIN.md "Round 1": the entry
// as submitted beside the checklist, the decision and its second opinion, the conflicts of
// interest and the public context data), loaded at once.
type EntryPage struct {
	Staffed
	// Version is the submitted version the secretariat screens.
	Version application.Version
	// Decision is the decision in force; nil while there is none.
	Decision *Record
	// ClosedAt is when the round was closed; nil while it is open.
	ClosedAt *time.Time
	// Round is where round 1 stands (edition.Round: its phase and dates).
	Round edition.Round
	// Nomination is the nomination of an entry of a Leadership category, for the checklist.
	Nomination *nomination.Nomination
	// Conflicts are the entry's matches with the registry and the evaluators' declarations.
	Conflicts []conflict.Match
	// Duplicates are the entries in other categories that look like the same project
	// (application.DuplicatesOf; project entries only).
	Duplicates []application.Duplicate
	// Context is the entry's context data.
	Context []contextdata.Indicator
	// Repeats are the other nominations of a nomination's candidate, to merge into it (Repeats).
	Repeats []Repeat
}

// checked loads what the portal checks itself on st for actor (AutoChecks): the submitted
// version and a Leadership entry's nomination.
func checked(ctx context.Context, q db.DBTX, actor authz.Actor, st Staffed) (EntryPage, error) {
	p := EntryPage{Staffed: st}
	var err error
	if p.Version, err = application.SubmittedVersion(ctx, q, st.Entry.ID); err != nil {
		return EntryPage{}, err
	}
	if st.Category.Nominations != nil {
		n, err := nomination.ForSecretariat(ctx, q, actor.UserID, st.Entry.ID)
		if err != nil {
			return EntryPage{}, err
		}
		p.Nomination = &n
	}
	return p, nil
}

// PortalAnswers are the answers the portal gives itself to the checklist of st, "yes" or "no"
// by check key (AutoCheck.Answer), loaded in q for actor.
func PortalAnswers(ctx context.Context, q db.DBTX, actor authz.Actor, st Staffed) (map[string]string, error) {
	p, err := checked(ctx, q, actor, st)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, a := range p.AutoChecks("") {
		if a.Answer != "" {
			out[k] = a.Answer
		}
	}
	return out, nil
}

// LoadEntryPage loads the screening view of st for actor at now (st from LoadStaffed).
func LoadEntryPage(ctx context.Context, q db.DBTX, actor authz.Actor, st Staffed, now time.Time) (EntryPage, error) {
	p, err := checked(ctx, q, actor, st)
	if err != nil {
		return EntryPage{}, err
	}
	id := st.Entry.ID
	if rec, err := DecisionOf(ctx, q, id); err == nil {
		p.Decision = &rec
	} else if !errors.Is(err, db.ErrNotFound) {
		return EntryPage{}, err
	}
	if p.Round, err = screeningRound(ctx, q, st.Edition, now); err != nil {
		return EntryPage{}, err
	}
	p.ClosedAt = p.Round.ClosedAt
	if p.Conflicts, err = conflict.Matches(ctx, q, id); err != nil {
		return EntryPage{}, err
	}
	if st.Category.Kind == edition.KindProject {
		dups, err := application.DuplicatesOf(ctx, q, actor.UserID, st.Edition.ID, id)
		if err != nil {
			return EntryPage{}, err
		}
		p.Duplicates = dups.Pairs
	}
	if p.Context, err = contextdata.ForEntry(ctx, q, id); err != nil {
		return EntryPage{}, err
	}
	if st.Entry.Kind == "nomination" {
		if p.Repeats, err = Repeats(ctx, q, actor.UserID, id); err != nil {
			return EntryPage{}, err
		}
	}
	return p, nil
}

// QueuePage is what the queue of one category shows: a page of entries and where the round
// stands.
type QueuePage struct {
	Queue
	// ClosedAt is when the round was closed; nil while it is open.
	ClosedAt *time.Time
	// Round is where round 1 stands (edition.Round: its phase and dates).
	Round edition.Round
}

// screeningRound is where round 1 of ed stands at now (the phase model, edition.Round).
func screeningRound(ctx context.Context, q db.DBTX, ed *edition.Edition, now time.Time) (edition.Round, error) {
	r, err := ed.LoadRounds(ctx, q, now)
	return r.Screening, err
}

// LoadQueue loads a page of the queue of ed for actor, at f.Now (the SQL filter is the
// secretariat of f's edition).
func LoadQueue(ctx context.Context, q db.DBTX, actor authz.Actor, ed *edition.Edition, f Filter) (QueuePage, error) {
	list, err := ListQueue(ctx, q, actor.UserID, f)
	if err != nil {
		return QueuePage{}, err
	}
	round, err := screeningRound(ctx, q, ed, f.Now)
	return QueuePage{Queue: list, ClosedAt: round.ClosedAt, Round: round}, err
}

// RoundPage is what the round summary of an edition shows.
type RoundPage struct {
	// Counts are the entries per category and decision.
	Counts []Count
	// ClosedAt is when the round was closed; nil while it is open.
	ClosedAt *time.Time
	// Round is where round 1 stands (edition.Round: its phase and dates); Pending what keeps it
	// from closing (PendingAt), while it is open.
	Round   edition.Round
	Pending Pending
	// OpenClarifications counts the clarifications waiting for an answer (clarify.Service.RoundPage
	// fills it: that package builds on this one).
	OpenClarifications int
}

// LoadRound loads the round summary of ed for actor at now. (The clarifications waiting for an
// answer are counted by clarify.Service.RoundPage, which builds on this one.)
func LoadRound(ctx context.Context, q db.DBTX, actor authz.Actor, ed *edition.Edition, now time.Time) (RoundPage, error) {
	var p RoundPage
	var err error
	if p.Counts, err = Summary(ctx, q, actor.UserID, ed.ID); err != nil {
		return RoundPage{}, err
	}
	if p.Round, err = screeningRound(ctx, q, ed, now); err != nil || p.Round.Closed() {
		p.ClosedAt = p.Round.ClosedAt
		return p, err
	}
	p.Pending, err = PendingAt(ctx, q, actor.UserID, ed, p.Round, now)
	return p, err
}

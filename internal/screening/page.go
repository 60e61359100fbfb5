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
	// Nomination is the nomination of an entry of a Leadership category, for the checklist.
	Nomination *nomination.Nomination
	// Conflicts are the entry's matches with the registry and the evaluators' declarations.
	Conflicts []conflict.Match
	// Duplicates are the entries in other categories that look like the same project
	// (application.DuplicatesOf; project entries only).
	Duplicates []application.Duplicate
	// Context is the entry's context data.
	Context []contextdata.Indicator
}

// LoadEntryPage loads the screening view of st for actor (st from LoadStaffed).
func LoadEntryPage(ctx context.Context, q db.DBTX, actor authz.Actor, st Staffed) (EntryPage, error) {
	p := EntryPage{Staffed: st}
	id := st.Entry.ID
	var err error
	if p.Version, err = application.SubmittedVersion(ctx, q, id); err != nil {
		return EntryPage{}, err
	}
	if rec, err := DecisionOf(ctx, q, id); err == nil {
		p.Decision = &rec
	} else if !errors.Is(err, db.ErrNotFound) {
		return EntryPage{}, err
	}
	if p.ClosedAt, err = ClosedAt(ctx, q, st.Edition.ID); err != nil {
		return EntryPage{}, err
	}
	if st.Category.Nominations != nil {
		n, err := nomination.ForSecretariat(ctx, q, actor.UserID, id)
		if err != nil {
			return EntryPage{}, err
		}
		p.Nomination = &n
	}
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
	return p, nil
}

// QueuePage is what the queue of one category shows: a page of entries and whether the round
// is closed.
type QueuePage struct {
	Queue
	// ClosedAt is when the round was closed; nil while it is open.
	ClosedAt *time.Time
}

// LoadQueue loads a page of the queue for actor (the SQL filter is the secretariat of f's
// edition).
func LoadQueue(ctx context.Context, q db.DBTX, actor authz.Actor, f Filter) (QueuePage, error) {
	list, err := ListQueue(ctx, q, actor.UserID, f)
	if err != nil {
		return QueuePage{}, err
	}
	at, err := ClosedAt(ctx, q, f.EditionID)
	return QueuePage{Queue: list, ClosedAt: at}, err
}

// RoundPage is what the round summary of an edition shows.
type RoundPage struct {
	// Counts are the entries per category and decision.
	Counts []Count
	// ClosedAt is when the round was closed; nil while it is open.
	ClosedAt *time.Time
	// OpenClarifications counts the clarifications waiting for an answer (clarify.Service.RoundPage
	// fills it: that package builds on this one).
	OpenClarifications int
}

// LoadRound loads the round summary of editionID for actor. (The clarifications waiting for an
// answer are counted by clarify.Service.RoundPage, which builds on this one.)
func LoadRound(ctx context.Context, q db.DBTX, actor authz.Actor, editionID int64) (RoundPage, error) {
	var p RoundPage
	var err error
	if p.Counts, err = Summary(ctx, q, actor.UserID, editionID); err != nil {
		return RoundPage{}, err
	}
	p.ClosedAt, err = ClosedAt(ctx, q, editionID)
	return p, err
}

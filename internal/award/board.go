package award

import (
	"context"

	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
)

// Board is an edition's awards as the awards page shows them to a reader of the council, the
// committee head or the secretariat: the awards, the proposals, each category's recomputed
// result waiting for the chair, and what the reader may do.
type Board struct {
	Chair         bool // the reader chairs the council: confirms the changes
	MayInvalidate bool // the reader may invalidate an award (the chair, a committee head)
	// Chairs and Invalidates are the categories where the reader does so: not where they are
	// conflicted with an entry, and a deputy where the chair or the head is (internal/deputy).
	Chairs      map[int64]bool
	Invalidates map[int64]bool
	Awards      []Award
	Proposals   []Proposal
	Changes     map[int64]*Change // category id -> the recomputed result (absent when none waits)
}

// LoadBoard reads the Board of ed for reader.
func LoadBoard(ctx context.Context, q db.DBTX, ed *edition.Edition, reader int64) (*Board, error) {
	b := &Board{Changes: map[int64]*Change{}, Chairs: map[int64]bool{}, Invalidates: map[int64]bool{}}
	for _, post := range []string{authz.PostChair, authz.PostHead} {
		ids, err := deputy.Decided(ctx, q, ed.ID, post, reader)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if post == authz.PostChair {
				b.Chairs[id] = true
			}
			b.Invalidates[id] = true
		}
	}
	b.Chair, b.MayInvalidate = len(b.Chairs) > 0, len(b.Invalidates) > 0
	var err error
	if b.Awards, err = List(ctx, q, ed.ID); err != nil {
		return nil, err
	}
	if b.Proposals, err = Proposals(ctx, q, ed.ID); err != nil {
		return nil, err
	}
	for i := range ed.Categories {
		ch, err := Pending(ctx, q, &ed.Categories[i])
		if err != nil {
			return nil, err
		}
		if ch != nil {
			b.Changes[ed.Categories[i].ID] = ch
		}
	}
	return b, nil
}

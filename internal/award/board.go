package award

import (
	"context"

	"prizeportal/internal/ballot"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// Board is an edition's awards as the awards page shows them to a reader of the council, the
// committee head or the secretariat: the awards, the proposals, each category's recomputed
// result waiting for the chair, and what the reader may do.
type Board struct {
	Chair         bool // the reader chairs the council: confirms the changes
	MayInvalidate bool // the reader may invalidate an award (the chair, a committee head)
	Awards        []Award
	Proposals     []Proposal
	Changes       map[int64]*Change // category id -> the recomputed result (absent when none waits)
}

// LoadBoard reads the Board of ed for reader.
func LoadBoard(ctx context.Context, q db.DBTX, ed *edition.Edition, reader int64) (*Board, error) {
	b := &Board{Changes: map[int64]*Change{}}
	var err error
	if b.Chair, err = ballot.IsChair(ctx, q, ed.ID, reader); err != nil {
		return nil, err
	}
	if b.MayInvalidate, err = MayInvalidate(ctx, q, ed.ID, reader); err != nil {
		return nil, err
	}
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

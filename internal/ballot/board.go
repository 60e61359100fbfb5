package ballot

import (
	"context"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// Board is the state of an edition's council as the secretariat's council page shows it: the
// members with the chair, who has voted in each category (never how), and each category's vote.
type Board struct {
	Members []Member
	Voted   map[int64][]int64 // category id -> members who cast a ballot
	Status  map[int64]Status  // category id -> the state of its vote
}

// LoadBoard reads the Board of ed.
func LoadBoard(ctx context.Context, q db.DBTX, ed *edition.Edition) (*Board, error) {
	b := &Board{Status: map[int64]Status{}}
	var err error
	if b.Members, err = Council(ctx, q, ed.ID); err != nil {
		return nil, err
	}
	if b.Voted, err = Voted(ctx, q, ed.ID); err != nil {
		return nil, err
	}
	for _, c := range ed.Categories {
		if b.Status[c.ID], err = StatusOf(ctx, q, ed.ID, c.ID, ed.Voting); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Sheet is what a council member's ballot page shows of a category's vote: the candidates with
// the member's conflicts, the state of the vote, the member's ballot (nil before the first) and
// who of the council has voted.
type Sheet struct {
	Candidates []Candidate
	Conflicts  map[int64][]string // candidate -> the committee's conflict reasons for the member
	Status     Status
	Mine       *Ballot
	Members    []Member
	Voted      []int64 // members who cast a ballot in the category
}

// LoadSheet reads the Sheet of member in cat of ed.
func LoadSheet(ctx context.Context, q db.DBTX, ed *edition.Edition, cat *edition.Category, member int64) (*Sheet, error) {
	sh := &Sheet{}
	var err error
	if sh.Candidates, err = Candidates(ctx, q, ed.ID, cat.ID); err != nil {
		return nil, err
	}
	if sh.Status, err = StatusOf(ctx, q, ed.ID, cat.ID, ed.Voting); err != nil {
		return nil, err
	}
	if sh.Mine, err = Mine(ctx, q, cat.ID, member); err != nil {
		return nil, err
	}
	if sh.Members, err = Council(ctx, q, ed.ID); err != nil {
		return nil, err
	}
	voted, err := Voted(ctx, q, ed.ID)
	if err != nil {
		return nil, err
	}
	sh.Voted = voted[cat.ID]
	if sh.Conflicts, err = Conflicts(ctx, q, member, sh.Candidates); err != nil {
		return nil, err
	}
	return sh, nil
}

package nomination

import (
	"context"
	"prizeportal/internal/blocks/usecase"
	"strconv"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// Service holds the use cases of the Leadership nominations' people: the candidate's consent,
// the letter of recommendation, the citizens' endorsements and the secretariat's decisions on
// them (DOMAIN.md "Leadership nominations"). Each method that writes opens its transaction,
// checks the rule it documents, records the audit entry and queues the email.
type Service struct {
	usecase.Deps
}

// Place is a nomination with its edition and its Leadership category (whose Nominations hold
// the rules).
type Place struct {
	Nomination Nomination
	Edition    *edition.Edition
	Category   *edition.Category
}

// Rules are the nomination rules of the place's category.
func (p *Place) Rules() *edition.Nominations { return p.Category.Nominations }

// place loads the edition and category of n; db.ErrNotFound when its category takes no
// nominations.
func (s *Service) place(ctx context.Context, n Nomination) (*Place, error) {
	ed, err := edition.ByID(ctx, s.Pool, n.EditionID)
	if err != nil {
		return nil, err
	}
	c := Leadership(ed, n.CategoryID)
	if c == nil {
		return nil, db.ErrNotFound
	}
	return &Place{Nomination: n, Edition: ed, Category: c}, nil
}

// Leadership is category id of ed if it takes nominations, else nil.
func Leadership(ed *edition.Edition, id int64) *edition.Category {
	for i := range ed.Categories {
		if c := &ed.Categories[i]; c.ID == id && c.Nominations != nil {
			return c
		}
	}
	return nil
}

// NominatorLabel names the nominator of n with their organisation, for the people asked to
// support the nomination.
func NominatorLabel(n *Nomination) string {
	if n.NominatorOrganisation != "" {
		return n.NominatorName + " (" + n.NominatorOrganisation + ")"
	}
	return n.NominatorName
}

// Home is the nominator's page of nomination id.
func Home(id int64) string { return "/nominations/" + strconv.FormatInt(id, 10) }

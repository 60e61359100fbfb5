package ranking

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"prizeportal/internal/edition"
)

// Standing is one category of the ranking page once the round is closed: its ranking beside its
// semi-finalist list, with what the head and the organisers may still do (DOMAIN.md "Round 2").
type Standing struct {
	*Category
	List *List // never nil: empty until the head proposes
}

// Standings pairs every ranked category of the board with its list.
func (b Board) Standings() []Standing {
	out := make([]Standing, len(b.Result.Categories))
	for i := range b.Result.Categories {
		c := &b.Result.Categories[i]
		l := b.Lists[c.ID]
		if l == nil {
			l = &List{CategoryID: c.ID}
		}
		out[i] = Standing{Category: c, List: l}
	}
	return out
}

// Title is the title of the category's entry id, or "Entry id".
func (c *Category) Title(id int64) string {
	if e := c.Entry(id); e != nil {
		return e.Title
	}
	return "Entry " + strconv.FormatInt(id, 10)
}

// Source is how entry id came on the list (SourceRanking, SourceTie, SourceAddition), "" when
// it is not on it.
func (l *List) Source(id int64) string {
	if i := slices.IndexFunc(l.Entries, func(e SemiFinalist) bool { return e.ApplicationID == id }); i >= 0 {
		return l.Entries[i].Source
	}
	return ""
}

// Proposed reports whether the head proposed the list.
func (s Standing) Proposed() bool { return len(s.List.Entries) > 0 }

// TiePending reports whether a tie at the cut awaits the head's decision: fewer entries were
// chosen among the tied ones than there are seats.
func (s Standing) TiePending() bool { return s.Tie != nil && s.List.TieDecisions() < s.Tie.Seats }

// Addable are the ranked entries not on the list: those the organisers may add by exception.
func (s Standing) Addable() []Entry {
	var out []Entry
	for _, e := range s.Entries {
		if !s.List.Has(e.ApplicationID) {
			out = append(out, e)
		}
	}
	return out
}

// CanDecide reports whether the head (head) may decide the tie at the cut now: the list is
// proposed, not confirmed, and the tie is pending.
func (s Standing) CanDecide(head bool) bool {
	return head && !s.List.Confirmed() && s.TiePending() && s.Proposed()
}

// CanAdd reports whether an organiser may add an entry now: the list is not confirmed and some
// entry is not on it.
func (s Standing) CanAdd() bool { return !s.List.Confirmed() && len(s.Addable()) > 0 }

// CanConfirm reports whether the head (head) may confirm the list now: proposed, not confirmed,
// no tie pending.
func (s Standing) CanConfirm(head bool) bool {
	return head && !s.List.Confirmed() && s.Proposed() && !s.TiePending()
}

// Announced is the public page of the semi-finalists of an edition: the confirmed lists once
// the announcement instant has passed, each in alphabetical order (the list carries no rank);
// none when the edition does not publish them (Unpublished).
type Announced struct {
	Edition     *edition.Edition
	Announced   bool
	Unpublished bool
	Lists       map[int64]*List
	// Submitted counts the submitted entries per category id, once announced: a category
	// without any says so instead of promising a list.
	Submitted map[int64]int
}

// Announced loads the public page of the semi-finalists of the edition with slug.
func (s *Service) Announced(ctx context.Context, slug string) (Announced, error) {
	ed, err := edition.BySlug(ctx, s.Pool, slug)
	if err != nil {
		return Announced{}, err
	}
	a := Announced{Edition: ed, Unpublished: !ed.Publication.SemiFinalistsList}
	if a.Unpublished || s.Now().Before(Announcement(ed)) {
		return a, nil
	}
	a.Announced = true
	if a.Lists, err = PublicLists(ctx, s.Pool, ed.ID); err != nil {
		return Announced{}, err
	}
	if a.Submitted, err = edition.SubmittedPerCategory(ctx, s.Pool, ed.ID); err != nil {
		return Announced{}, err
	}
	for _, l := range a.Lists {
		slices.SortStableFunc(l.Entries, func(a, b SemiFinalist) int { return strings.Compare(a.Title, b.Title) })
	}
	return a, nil
}

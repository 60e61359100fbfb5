package award

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
)

// Move is one line of a recomputed result: entry ApplicationID takes ToPlace (ToPrize), leaving
// its standing award FromAward at FromPlace (all zero when it was not a winner).
type Move struct {
	ApplicationID int64
	Title         string
	FromAward     int64
	FromPlace     int
	FromPrize     string
	ToPlace       int
	ToPrize       string
	NewAward      int64 // the award it received, once the chair confirmed
}

// Change is a category's recomputed result while proposals are open: the proposals (the awards
// that go, by place) and the moves that give the places again. The chair confirms the whole of
// it (ConfirmChange) by its Version, so a change that moved meanwhile is never applied unseen.
type Change struct {
	EditionID  int64
	CategoryID int64
	Proposals  []Proposal
	Moves      []Move
	Version    string
}

// standing is an award of the category as the recomputation reads it.
type standing struct {
	id, app int64
	place   int
	prize   string
	status  string
	pending bool
}

// Pending returns the recomputed result of cat while proposals of it are open, nil otherwise.
//
// The guidelines (§8) give the first prize of a winner who cannot attend "to the candidates with
// the next highest score that can be present at the ceremony"; the issue asks that "each change
// recomputes the result". So the places are given again by ballot.Winners to the category's
// final order (vote_results) without the entries whose award was declined or invalidated, or is
// proposed to be: the others keep their order, each moves up as far as the places emptied
// before it allow, and the next candidates of the order fill the places left at the end. An
// entry that keeps its place keeps its award (and its attendance answer); one that moves up to
// the first place answers for the ceremony in turn.
func Pending(ctx context.Context, q db.DBTX, cat *edition.Category) (*Change, error) {
	props, err := db.List(ctx, q, "award: pending", func(r pgx.CollectableRow) (Proposal, error) { return scanProposal(r) }, proposalSQL+` WHERE p.category_id = $1 AND p.confirmed_at IS NULL`, cat.ID)
	if err != nil {
		return nil, err
	}
	if len(props) == 0 {
		return nil, nil
	}
	var order []int64
	err = q.QueryRow(ctx, `SELECT final_order FROM vote_results WHERE category_id = $1`, cat.ID).Scan(&order)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("award: pending: %w", err)
	}
	awards, err := db.List(ctx, q, "award: pending", func(r pgx.CollectableRow) (standing, error) {
		var s standing
		err := r.Scan(&s.id, &s.app, &s.place, &s.prize, &s.status, &s.pending)
		return s, err
	}, `SELECT w.id, w.application_id, w.place, w.prize_name, w.status,
		EXISTS (SELECT 1 FROM award_proposals p WHERE p.award_id = w.id AND p.confirmed_at IS NULL)
		FROM awards w WHERE w.category_id = $1`, cat.ID)
	if err != nil {
		return nil, err
	}
	out := []int64{}
	holds := map[int64]standing{}
	for _, a := range awards {
		switch {
		case a.status == StatusDeclined || a.status == StatusInvalidated || (a.status == StatusConfirmed && a.pending):
			out = append(out, a.app)
		case a.status == StatusConfirmed:
			holds[a.app] = a
		}
	}
	var rest []int64
	for _, app := range order {
		if !slices.Contains(out, app) {
			rest = append(rest, app)
		}
	}
	ch := &Change{EditionID: props[0].EditionID, CategoryID: cat.ID, Proposals: props}
	var version strings.Builder
	slices.SortStableFunc(ch.Proposals, func(a, b Proposal) int {
		return cmp.Or(cmp.Compare(a.Place, b.Place), cmp.Compare(slices.Index(order, a.From), slices.Index(order, b.From)))
	})
	for _, p := range ch.Proposals {
		fmt.Fprintf(&version, "p%d;", p.ID)
	}
	for _, w := range ballot.Winners(cat, rest) {
		h, ok := holds[w.ApplicationID]
		if ok && h.place == w.Place {
			continue
		}
		m := Move{ApplicationID: w.ApplicationID, ToPlace: w.Place, ToPrize: w.PrizeName}
		if ok {
			m.FromAward, m.FromPlace, m.FromPrize = h.id, h.place, h.prize
		}
		if err := q.QueryRow(ctx, `SELECT `+titleSQL+` FROM applications a LEFT JOIN nominations n ON n.application_id = a.id
			WHERE a.id = $1`, m.ApplicationID).Scan(&m.Title); err != nil {
			return nil, fmt.Errorf("award: pending: %w", err)
		}
		ch.Moves = append(ch.Moves, m)
		fmt.Fprintf(&version, "m%d:%d:%d;", m.ApplicationID, m.FromAward, m.ToPlace)
	}
	sum := sha256.Sum256([]byte(version.String()))
	ch.Version = hex.EncodeToString(sum[:12])
	return ch, nil
}

// ConfirmChange applies the recomputed result of cat for chair when it is still the one of
// version (Pending): each proposed award takes the proposal's reason as its status, each moving
// entry's award becomes 'moved' and the entry receives a new confirmed award at its new place,
// and each proposal records the entry that received its place. When the result changed since
// the chair saw it, nothing is applied and changed is true: the caller shows the new one.
// Refused with ErrNotChair unless chair decides for cat (deputy.Check: the chair of the
// edition's council, or the deputy chair where the chair is conflicted with an entry of cat),
// ErrDone when no proposal is open. Returns the change as applied (or as it now is).
func ConfirmChange(ctx context.Context, tx pgx.Tx, cat *edition.Category, chair int64, version string, now time.Time) (ch *Change, changed bool, err error) {
	if err := ballot.LockCategory(ctx, tx, cat.ID); err != nil {
		return nil, false, fmt.Errorf("award: confirm: %w", err)
	}
	ch, err = Pending(ctx, tx, cat)
	if err != nil {
		return nil, false, err
	}
	if ch == nil {
		return nil, false, ErrDone
	}
	if err := deputy.Check(ctx, tx, authz.Actor{UserID: chair}, ch.EditionID, cat.ID, authz.PostChair, ErrNotChair); err != nil {
		return nil, false, err
	}
	if ch.Version != version {
		return ch, true, nil
	}
	for _, p := range ch.Proposals {
		reason := p.Detail
		if p.Reason == ReasonDeclined {
			reason = "The first-place winner cannot attend the ceremony."
		}
		tag, err := tx.Exec(ctx, `UPDATE awards SET status = $2, status_changed_by = $3, status_changed_at = $4, status_reason = $5
			WHERE id = $1 AND status = 'confirmed'`, p.AwardID, p.Reason, chair, now, reason)
		if err != nil {
			return nil, false, fmt.Errorf("award: confirm: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return nil, false, ErrNotLive
		}
	}
	for i, m := range ch.Moves {
		if m.FromAward != 0 {
			_, err := tx.Exec(ctx, `UPDATE awards SET status = 'moved', status_changed_by = $2, status_changed_at = $3, status_reason = $4
				WHERE id = $1 AND status = 'confirmed'`, m.FromAward, chair, now, "Moved up to the "+m.ToPrize+".")
			if err != nil {
				return nil, false, fmt.Errorf("award: confirm: %w", err)
			}
		}
		err := tx.QueryRow(ctx, `INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, status, confirmed_by, confirmed_at)
			VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, $7) RETURNING id`,
			m.ApplicationID, ch.EditionID, cat.ID, m.ToPlace, m.ToPrize, chair, now).Scan(&ch.Moves[i].NewAward)
		if err != nil {
			return nil, false, fmt.Errorf("award: confirm: %w", err)
		}
	}
	// Each vacated place goes to an entry moving into it, in the final order: a proposal's
	// successor is the first not yet given to another proposal at the same place.
	given := map[int]bool{}
	for i, p := range ch.Proposals {
		var to, newAward *int64
		for j, m := range ch.Moves {
			if m.ToPlace == p.Place && !given[j] {
				given[j] = true
				to, newAward = &ch.Moves[j].ApplicationID, &ch.Moves[j].NewAward
				ch.Proposals[i].To, ch.Proposals[i].ToTitle, ch.Proposals[i].NewAwardID = m.ApplicationID, m.Title, ch.Moves[j].NewAward
				break
			}
		}
		_, err := tx.Exec(ctx, `UPDATE award_proposals SET confirmed_by = $2, confirmed_at = $3, to_application_id = $4, new_award_id = $5
			WHERE id = $1`, p.ID, chair, now, to, newAward)
		if err != nil {
			return nil, false, fmt.Errorf("award: confirm: %w", err)
		}
		t := now
		ch.Proposals[i].ConfirmedAt = &t
	}
	return ch, false, nil
}

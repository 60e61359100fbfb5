// Package deputy is who decides for a category where the committee head or the council chair is
// conflicted with one of its entries (DOMAIN.md "People and roles": no one judges an entry they
// are tied to). The edition names a deputy committee head (one of its evaluators) and a deputy
// chair (one of its council members) on the jury page (internal/jury); view category_deciders
// (migration 00049) says, per category and post, who holds it, who is conflicted and who
// decides; authz.Seat is the rule as people read it. The use cases of the ranking, the vote and
// the awards call Check in their transaction before they write.
package deputy

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
)

// Role is the role a deputy of post must hold in the edition: evaluator for the committee head,
// council for the chair.
func Role(post string) authz.Role {
	if post == authz.PostChair {
		return authz.RoleCouncil
	}
	return authz.RoleEvaluator
}

// ErrNotEligible refuses a deputy who does not hold the role the post needs (Role).
var ErrNotEligible = fault.New(fault.Invalid, "The deputy head must be an evaluator of the edition, the deputy chair a member of its Prize Council.")

// ErrHolder refuses the head or the chair as their own deputy.
var ErrHolder = fault.New(fault.Invalid, "The deputy cannot be the head or the chair themselves: choose another member of the jury.")

// seatSQL reads category_deciders with the names of the holder, the deputy and the category.
const seatSQL = `
	SELECT d.category_id, d.post, c.name, d.holder_id, h.name, d.holder_conflicted,
	       coalesce(d.deputy_id, 0), coalesce(u.name, ''), d.deputy_conflicted, coalesce(d.decider_id, 0)
	FROM category_deciders d
	JOIN categories c ON c.id = d.category_id
	JOIN users h ON h.id = d.holder_id
	LEFT JOIN users u ON u.id = d.deputy_id
	WHERE d.edition_id = @edition AND d.post = @post AND (@category::bigint = 0 OR d.category_id = @category)
	ORDER BY c.position, c.id`

type seatRow struct {
	CategoryID int64
	Seat       authz.Seat
	DeciderID  int64 // decided in SQL
}

func seats(ctx context.Context, q db.DBTX, editionID, categoryID int64, post string) ([]seatRow, error) {
	return db.List(ctx, q, "deputy: seats", func(row pgx.CollectableRow) (seatRow, error) {
		var r seatRow
		s := &r.Seat
		err := row.Scan(&r.CategoryID, &s.Post, &s.Category, &s.HolderID, &s.HolderName, &s.HolderConflicted,
			&s.DeputyID, &s.DeputyName, &s.DeputyConflicted, &r.DeciderID)
		return r, err
	}, seatSQL, pgx.NamedArgs{"edition": editionID, "category": categoryID, "post": post})
}

// Seats returns, per category of editionID, who decides for it in post (no entry for a
// category when the post has no holder).
func Seats(ctx context.Context, q db.DBTX, editionID int64, post string) (map[int64]authz.Seat, error) {
	rows, err := seats(ctx, q, editionID, 0, post)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]authz.Seat, len(rows))
	for _, r := range rows {
		out[r.CategoryID] = r.Seat
	}
	return out, nil
}

// SeatOf returns who decides for categoryID of editionID in post: a Seat without holder when
// the post has none.
func SeatOf(ctx context.Context, q db.DBTX, editionID, categoryID int64, post string) (authz.Seat, error) {
	s, _, err := seatOf(ctx, q, editionID, categoryID, post)
	return s, err
}

func seatOf(ctx context.Context, q db.DBTX, editionID, categoryID int64, post string) (authz.Seat, int64, error) {
	rows, err := seats(ctx, q, editionID, categoryID, post)
	if err != nil || len(rows) == 0 {
		return authz.Seat{Post: post}, 0, err
	}
	return rows[0].Seat, rows[0].DeciderID, nil
}

// Check refuses actor, in q (the transaction of the write), unless they decide for categoryID
// of editionID in post (authz.Seat.MayDecide, whose message names the deputy or says one must be
// named); the decider computed in SQL must be actor too. notHolder is returned instead when
// the post has no holder or actor holds no seat of it (the use case's own refusal).
func Check(ctx context.Context, q db.DBTX, actor authz.Actor, editionID, categoryID int64, post string, notHolder error) error {
	s, decider, err := seatOf(ctx, q, editionID, categoryID, post)
	if err != nil {
		return err
	}
	if actor.UserID != s.HolderID && actor.UserID != s.DeputyID || s.HolderID == 0 {
		return notHolder
	}
	if err := s.MayDecide(actor); err != nil {
		return err
	}
	if decider != actor.UserID {
		return notHolder
	}
	return nil
}

// Decided lists the categories of editionID that userID decides for in post (view
// category_deciders): the SQL filter of a write that spans categories.
func Decided(ctx context.Context, q db.DBTX, editionID int64, post string, userID int64) ([]int64, error) {
	return db.List(ctx, q, "deputy: decided", pgx.RowTo[int64], `SELECT category_id FROM category_deciders
		WHERE edition_id = $1 AND post = $2 AND decider_id = $3 ORDER BY category_id`, editionID, post, userID)
}

// ActingAs is the audit detail of a decision by actor for a category: "deputy" when they
// decide in the holder's place, "" otherwise.
func ActingAs(s authz.Seat, actor authz.Actor) string {
	if s.Deputised() && s.DeputyID == actor.UserID {
		return "deputy"
	}
	return ""
}

// Record adds acting_as "deputy" to details, the audit entry of actor's decision for
// categoryID of editionID in post, when they decide in the holder's place (read in q, the
// transaction of the decision).
func Record(ctx context.Context, q db.DBTX, editionID, categoryID int64, post string, actor authz.Actor, details map[string]any) error {
	s, err := SeatOf(ctx, q, editionID, categoryID, post)
	if err != nil {
		return err
	}
	if as := ActingAs(s, actor); as != "" {
		details["acting_as"] = as
	}
	return nil
}

// Note is what the record of categoryID's decisions in post says of the deputy (authz.Seat.Note)
// when one of deciders, who made them, is the deputy deciding in the holder's place ("" when
// none is).
func Note(ctx context.Context, q db.DBTX, editionID, categoryID int64, post string, deciders []int64) (string, error) {
	s, err := SeatOf(ctx, q, editionID, categoryID, post)
	if err != nil {
		return "", err
	}
	for _, id := range deciders {
		if n := s.Note(id); n != "" {
			return n, nil
		}
	}
	return "", nil
}

// Set names userID the deputy of post in editionID, in tx, and returns the deputy it replaces
// (0 for none): ErrNotEligible unless they hold Role(post) there, ErrHolder when they hold the
// post itself.
func Set(ctx context.Context, tx pgx.Tx, editionID int64, post string, userID, by int64, now time.Time) (int64, error) {
	var eligible, holder bool
	err := tx.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @user AND g.edition_id = @edition AND g.role = @role),
		       EXISTS (SELECT 1 FROM role_grants g WHERE @post = 'committee_head' AND g.user_id = @user AND g.edition_id = @edition AND g.role = 'committee_head')
		       OR EXISTS (SELECT 1 FROM council_chairs ch WHERE @post = 'chair' AND ch.edition_id = @edition AND ch.user_id = @user)`,
		pgx.NamedArgs{"user": userID, "edition": editionID, "role": string(Role(post)), "post": post}).Scan(&eligible, &holder)
	switch {
	case err != nil:
		return 0, fmt.Errorf("deputy: set: %w", err)
	case !eligible:
		return 0, ErrNotEligible
	case holder:
		return 0, ErrHolder
	}
	var before int64
	err = tx.QueryRow(ctx, `SELECT coalesce((SELECT user_id FROM edition_deputies WHERE edition_id = $1 AND post = $2 FOR UPDATE), 0)`,
		editionID, post).Scan(&before)
	if err != nil {
		return 0, fmt.Errorf("deputy: set: %w", err)
	}
	_, err = tx.Exec(ctx, `INSERT INTO edition_deputies (edition_id, post, user_id, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (edition_id, post) DO UPDATE SET user_id = EXCLUDED.user_id, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
		editionID, post, userID, by, now)
	if err != nil {
		return 0, fmt.Errorf("deputy: set: %w", err)
	}
	return before, nil
}

// Clear ends userID's post as deputy of post in editionID, in tx, and reports whether they held it.
func Clear(ctx context.Context, tx pgx.Tx, editionID int64, post string, userID int64) (bool, error) {
	tag, err := tx.Exec(ctx, `DELETE FROM edition_deputies WHERE edition_id = $1 AND post = $2 AND user_id = $3`, editionID, post, userID)
	if err != nil {
		return false, fmt.Errorf("deputy: clear: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

package award

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/ballot"
	"prizeportal/internal/db"
	"prizeportal/internal/results"
)

// titleSQL is an entry's title (a = applications, n = nominations).
const titleSQL = `CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
	ELSE coalesce(a.answers -> 'project_title' ->> 'text', '') END`

// awardSQL selects an Award (w = awards, a = applications, e = the application's participant,
// n = nominations, t = award_attendance).
const awardSQL = `SELECT w.id, w.application_id, w.edition_id, w.category_id, w.place, w.prize_name, w.status,
	w.status_reason, w.status_changed_at, w.confirmed_at, ` + titleSQL + `,
	e.organisation, e.city, e.country,
	t.can_attend, coalesce(t.representative_name, ''), coalesce(t.representative_title, ''), t.answered_at, coalesce(t.answered_by, 0),
	coalesce(au.name, t.answered_by_candidate, ''), coalesce(t.answered_by_candidate IS NOT NULL, false),
	EXISTS (SELECT 1 FROM award_proposals p WHERE p.award_id = w.id AND p.confirmed_at IS NULL)
	FROM awards w JOIN applications a ON a.id = w.application_id JOIN entry_participants e ON e.application_id = a.id
	LEFT JOIN nominations n ON n.application_id = a.id LEFT JOIN award_attendance t ON t.award_id = w.id
	LEFT JOIN users au ON au.id = t.answered_by`

func scanAward(row pgx.Row) (*Award, error) {
	var (
		w           Award
		can         *bool
		at          *time.Time
		by          int64
		rn, rt, who string
		byCandidate bool
	)
	err := row.Scan(&w.ID, &w.ApplicationID, &w.EditionID, &w.CategoryID, &w.Place, &w.PrizeName, &w.Status,
		&w.StatusReason, &w.StatusChangedAt, &w.ConfirmedAt, &w.Title, &w.Organisation, &w.City, &w.Country,
		&can, &rn, &rt, &at, &by, &who, &byCandidate, &w.Pending)
	if err != nil {
		return nil, err
	}
	if can != nil && at != nil {
		w.Attendance = &Attendance{CanAttend: *can, RepresentativeName: rn, RepresentativeTitle: rt, AnsweredAt: *at, AnsweredBy: by,
			By: who, ByCandidate: byCandidate}
	}
	return &w, nil
}

func one(ctx context.Context, q db.DBTX, op, sql string, args ...any) (*Award, error) {
	w, err := scanAward(q.QueryRow(ctx, sql, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("award: %s: %w", op, err)
	}
	return w, nil
}

// Get returns award id (db.ErrNotFound when there is none); the caller checks the actor's role
// in the award's edition.
func Get(ctx context.Context, q db.DBTX, id int64) (*Award, error) {
	return one(ctx, q, "get", awardSQL+` WHERE w.id = $1`, id)
}

// Mine returns award id when user's account holds its entry (the applicant of a project, the
// nominator of a nomination): db.ErrNotFound otherwise, filtered in SQL.
func Mine(ctx context.Context, q db.DBTX, user, id int64) (*Award, error) {
	return one(ctx, q, "mine", awardSQL+` WHERE w.id = $1 AND a.user_id = $2`, id, user)
}

// List returns the awards of editionID by category, place, the standing award first, then by
// the time of confirmation.
func List(ctx context.Context, q db.DBTX, editionID int64) ([]Award, error) {
	rows, err := q.Query(ctx, awardSQL+` WHERE w.edition_id = $1
		ORDER BY w.category_id, w.place, w.status <> 'confirmed', w.confirmed_at, w.id`, editionID)
	return collect(rows, err, "list")
}

// AwaitingAnswer lists user's standing first-place awards whose attendance is not answered and
// that no proposal moves: the winner still has to confirm attendance.
func AwaitingAnswer(ctx context.Context, q db.DBTX, user int64) ([]Award, error) {
	rows, err := q.Query(ctx, awardSQL+` WHERE a.user_id = $1 AND w.place = 1 AND w.status = 'confirmed' AND t.award_id IS NULL
		AND NOT EXISTS (SELECT 1 FROM award_proposals p WHERE p.award_id = w.id AND p.confirmed_at IS NULL)
		ORDER BY w.id`, user)
	return collect(rows, err, "awaiting")
}

// collect reads the awards of a query of awardSQL (op names it in errors).
func collect(rows pgx.Rows, err error, op string) ([]Award, error) {
	if err != nil {
		return nil, fmt.Errorf("award: %s: %w", op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Award, error) {
		w, err := scanAward(r)
		if err != nil {
			return Award{}, err
		}
		return *w, nil
	})
	if err != nil {
		return nil, fmt.Errorf("award: %s: %w", op, err)
	}
	return out, nil
}

// lockAward locks the category of award id and returns the award, read after the lock.
func lockAward(ctx context.Context, tx pgx.Tx, id int64, get func() (*Award, error)) (*Award, error) {
	var cat int64
	err := tx.QueryRow(ctx, `SELECT category_id FROM awards WHERE id = $1`, id).Scan(&cat)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := ballot.LockCategory(ctx, tx, cat); err != nil {
		return nil, err
	}
	return get()
}

// propose records the move of award w for reason by actor: the award stays a winner until the
// chair confirms the recomputed result (Pending, ConfirmChange).
func propose(ctx context.Context, tx pgx.Tx, w *Award, reason, detail string, by results.By, now time.Time) (int64, error) {
	var id int64
	user, candidate := by.Columns()
	err := tx.QueryRow(ctx, `INSERT INTO award_proposals (award_id, edition_id, category_id, from_application_id,
		place, reason, detail, proposed_by, proposed_by_candidate, proposed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		w.ID, w.EditionID, w.CategoryID, w.ApplicationID, w.Place, reason, detail, user, candidate, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, ErrPending
	}
	if err != nil {
		return 0, fmt.Errorf("award: propose: %w", err)
	}
	return id, nil
}

// Respond records the attendance answer given by by for first-place award id before deadline:
// by is the account holding the award's entry, or the candidate of its nomination through their
// private link (results.OpenCandidateLink opened it to award id). Whoever answers, the answer is
// the entry's: a "can attend" answer may be corrected by either until the deadline, a "cannot
// attend" answer is final and proposes the succession (its id is returned; 0 otherwise). Refused
// with db.ErrNotFound unless by.UserID holds the award's entry (a candidate: unless the award is
// their nomination's) and it is a first place, ErrDeadline from the deadline on, ErrNotLive when
// the award no longer stands, ErrPending when a change of it waits for the chair, ErrAnswered
// after a "cannot attend".
func Respond(ctx context.Context, tx pgx.Tx, by results.By, id int64, in Answer, deadline, now time.Time) (int64, error) {
	w, err := lockAward(ctx, tx, id, func() (*Award, error) {
		if by.Candidate != nil {
			if by.Candidate.AwardID != id {
				return nil, db.ErrNotFound
			}
			return Get(ctx, tx, id)
		}
		return Mine(ctx, tx, by.UserID, id)
	})
	if err != nil {
		return 0, err
	}
	switch {
	case !w.First():
		return 0, db.ErrNotFound
	case !now.Before(deadline):
		return 0, ErrDeadline
	case !w.Live():
		return 0, ErrNotLive
	case w.Pending:
		return 0, ErrPending
	case w.Attendance != nil && !w.Attendance.CanAttend:
		return 0, ErrAnswered
	}
	name, title := strings.TrimSpace(in.RepresentativeName), strings.TrimSpace(in.RepresentativeTitle)
	if !in.CanAttend {
		name, title = "", ""
	}
	user, candidate := by.Columns()
	_, err = tx.Exec(ctx, `INSERT INTO award_attendance (award_id, can_attend, representative_name, representative_title, answered_at,
		answered_by, answered_by_candidate) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (award_id) DO UPDATE SET can_attend = EXCLUDED.can_attend,
		representative_name = EXCLUDED.representative_name, representative_title = EXCLUDED.representative_title,
		answered_at = EXCLUDED.answered_at, answered_by = EXCLUDED.answered_by, answered_by_candidate = EXCLUDED.answered_by_candidate`,
		w.ID, in.CanAttend, name, title, now, user, candidate)
	if err != nil {
		return 0, fmt.Errorf("award: respond: %w", err)
	}
	if in.CanAttend {
		return 0, nil
	}
	return propose(ctx, tx, w, ReasonDeclined, "", by, now)
}

// mayInvalidateSQL is true when $2 decides in edition $1 for category $3 (any category when 0)
// as its council chair or its committee head (view category_deciders: the deputy where the
// chair or the head is conflicted with an entry of the category).
const mayInvalidateSQL = `SELECT EXISTS (SELECT 1 FROM category_deciders d WHERE d.edition_id = $1 AND d.decider_id = $2
	AND ($3::bigint = 0 OR d.category_id = $3))`

// MayInvalidate reports whether user may invalidate awards of editionID: the chair of its
// council (internal/ballot IsChair) or a committee head, or their deputy, in a category where
// they decide (mayInvalidateSQL).
func MayInvalidate(ctx context.Context, q db.DBTX, editionID, user int64) (bool, error) {
	return mayInvalidate(ctx, q, editionID, 0, user)
}

func mayInvalidate(ctx context.Context, q db.DBTX, editionID, categoryID, user int64) (bool, error) {
	var ok bool
	if err := q.QueryRow(ctx, mayInvalidateSQL, editionID, user, categoryID).Scan(&ok); err != nil {
		return false, fmt.Errorf("award: may invalidate: %w", err)
	}
	return ok, nil
}

// Invalidate records actor's invalidation of award id with reason and proposes the
// succession (returns the proposal's id): the award stays a winner until the chair confirms.
// Refused with ErrNotAllowed unless actor is the chair or a committee head of the award's
// edition, deciding for its category (checked in SQL: mayInvalidateSQL), ErrNotLive when it no longer stands, ErrPending when a change of it
// waits for the chair, ErrReason without a reason.
func Invalidate(ctx context.Context, tx pgx.Tx, actor, id int64, reason string, now time.Time) (int64, error) {
	w, err := lockAward(ctx, tx, id, func() (*Award, error) { return Get(ctx, tx, id) })
	if err != nil {
		return 0, err
	}
	ok, err := mayInvalidate(ctx, tx, w.EditionID, w.CategoryID, actor)
	if err != nil {
		return 0, err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case !ok:
		return 0, ErrNotAllowed
	case !w.Live():
		return 0, ErrNotLive
	case w.Pending:
		return 0, ErrPending
	case reason == "":
		return 0, ErrReason
	}
	return propose(ctx, tx, w, ReasonInvalidated, reason, results.By{UserID: actor}, now)
}

// proposalSQL selects a Proposal (p = award_proposals).
const proposalSQL = `SELECT p.id, p.award_id, p.edition_id, p.category_id, p.place, w.prize_name,
	p.from_application_id, (SELECT ` + titleSQL + ` FROM applications a LEFT JOIN nominations n ON n.application_id = a.id WHERE a.id = p.from_application_id),
	coalesce(p.to_application_id, 0), coalesce((SELECT ` + titleSQL + ` FROM applications a LEFT JOIN nominations n ON n.application_id = a.id WHERE a.id = p.to_application_id), ''),
	p.reason, p.detail, coalesce(pb.name, p.proposed_by_candidate || ' (the candidate)', ''), p.proposed_at, coalesce(cb.name, ''), p.confirmed_at, coalesce(p.new_award_id, 0)
	FROM award_proposals p JOIN awards w ON w.id = p.award_id LEFT JOIN users pb ON pb.id = p.proposed_by
	LEFT JOIN users cb ON cb.id = p.confirmed_by`

func scanProposal(row pgx.Row) (Proposal, error) {
	var p Proposal
	err := row.Scan(&p.ID, &p.AwardID, &p.EditionID, &p.CategoryID, &p.Place, &p.PrizeName, &p.From, &p.FromTitle,
		&p.To, &p.ToTitle, &p.Reason, &p.Detail, &p.ProposedBy, &p.ProposedAt, &p.ConfirmedBy, &p.ConfirmedAt, &p.NewAwardID)
	return p, err
}

// GetProposal returns proposal id (db.ErrNotFound when there is none).
func GetProposal(ctx context.Context, q db.DBTX, id int64) (*Proposal, error) {
	p, err := scanProposal(q.QueryRow(ctx, proposalSQL+` WHERE p.id = $1`, id))
	return db.One(&p, err, "award: proposal")
}

// Proposals lists the proposals of editionID: the open ones first, oldest first, then the
// confirmed ones, newest first.
func Proposals(ctx context.Context, q db.DBTX, editionID int64) ([]Proposal, error) {
	return db.List(ctx, q, "award: proposals", func(r pgx.CollectableRow) (Proposal, error) { return scanProposal(r) }, proposalSQL+` WHERE p.edition_id = $1
		ORDER BY p.confirmed_at IS NOT NULL, CASE WHEN p.confirmed_at IS NULL THEN p.proposed_at END, p.confirmed_at DESC, p.id`, editionID)
}

// Addressee is who is told of an entry's award (entry_addressees): the account holding the entry
// (the applicant of a project, the nominator of a nomination), then a nomination's candidate
// (Candidate, no account: User.ID 0), who answers for the award through a private link.
type Addressee struct {
	User      account.User
	Candidate bool
}

// Addressees lists the addressees of application applicationID, the account first; not the
// co-nominators of a merged nomination, who are not asked to act for the award.
func Addressees(ctx context.Context, q db.DBTX, applicationID int64) ([]Addressee, error) {
	return db.List(ctx, q, "award: addressees", func(r pgx.CollectableRow) (Addressee, error) {
		var a Addressee
		err := r.Scan(&a.User.ID, &a.User.Name, &a.User.Email, &a.Candidate)
		return a, err
	}, `SELECT coalesce(user_id, 0), name, email, candidate FROM entry_addressees WHERE application_id = $1 AND NOT co_nominator ORDER BY candidate`, applicationID)
}

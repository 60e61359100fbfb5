package committee

import (
	"context"
	"errors"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify/emails"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// ErrEnded: the assignment had already ended (removed, or the evaluator recused).
var ErrEnded = fault.New(fault.Conflict, "That assignment had already ended.")

// Service holds the use cases of an edition's committee for its secretariat and committee head
// (CanManage): the members' expertise and the assignment of round 2 entries (DOMAIN.md
// "Round 2"). Each method opens its transaction, checks the rule it documents and records the
// audit entry with the change.
type Service struct {
	usecase.Deps
}

// NewService is the committee service on pool, at the time now tells.
func NewService(pool *pgxpool.Pool, now func() time.Time) *Service {
	return &Service{Deps: usecase.New(pool, nil, emails.Site{}, now)}
}

// Board is what the assignments page of an edition shows: each member's load and each round 2
// entry's coverage.
type Board struct {
	Loads    []EvaluatorLoad
	Coverage []EntryCoverage
}

// Board loads the assignments page of edition ed for actor (CanManage, repeated in SQL).
func (s *Service) Board(ctx context.Context, actor authz.Actor, ed *edition.Edition) (Board, error) {
	loads, err := Load(ctx, s.Pool, actor.UserID, ed.ID)
	if err != nil {
		return Board{}, err
	}
	coverage, err := Coverage(ctx, s.Pool, actor.UserID, ed.ID)
	if err != nil {
		return Board{}, err
	}
	return Board{Loads: loads, Coverage: coverage}, nil
}

// Members loads the committee page of edition ed for actor: its members with their expertise
// and declarations (CanManage, in SQL: an empty list for anyone else).
func (s *Service) Members(ctx context.Context, actor authz.Actor, ed *edition.Edition) ([]Member, error) {
	return Members(ctx, s.Pool, actor.UserID, ed.ID)
}

// SetExpertise replaces the categories of expertise of member in edition ed by categoryIDs, for
// actor, who manages the committee (SetExpertise checks it in SQL: db.ErrNotFound otherwise, or
// when member is not on the committee; a category of another edition is field.Errors on
// "categories"), audited with the categories before and after. It returns the member's name
// (their email when they have none).
func (s *Service) SetExpertise(ctx context.Context, actor authz.Actor, ed *edition.Edition, member int64, categoryIDs []int64) (string, error) {
	var name string
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		before, after, err := SetExpertise(ctx, tx, actor.UserID, ed.ID, member, categoryIDs)
		if err != nil {
			return err
		}
		if name, err = userLabel(ctx, tx, member); err != nil {
			return err
		}
		return RecordExpertise(ctx, tx, actor.UserID, ed.ID, member, before, after)
	})
	return name, err
}

// RecordExpertise writes the audit entry of a change of member's expertise in editionID by
// actorID, with the categories before and after, in tx.
func RecordExpertise(ctx context.Context, tx pgx.Tx, actorID, editionID, member int64, before, after []int64) error {
	return audit.Record(ctx, tx, audit.Entry{ActorID: actorID, Action: "committee.expertise", ObjectType: "user",
		ObjectID: strconv.FormatInt(member, 10), Details: map[string]any{"edition": editionID, "before": before, "after": after}})
}

// AutoAssign runs the automatic assignment of edition ed (AutoAssign) for actor, its
// secretariat or committee head (authz.ErrForbidden otherwise), audited.
func (s *Service) AutoAssign(ctx context.Context, actor authz.Actor, ed *edition.Edition) (Result, error) {
	if !authz.CanManageCommittee(actor, ed.ID) {
		return Result{}, authz.ErrForbidden
	}
	var res Result
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		res, err = AutoAssign(ctx, tx, ed.ID, actor.UserID, s.Now())
		return err
	})
	return res, err
}

// Assign assigns entry app of edition ed to evaluator by hand with a reason, for actor, who
// manages the committee, audited. It is the override of Assign, and refused like it with
// field.Errors; an entry of another edition is refused on "entry" too, and a form without an
// entry, an evaluator or a reason on each of them at once.
func (s *Service) Assign(ctx context.Context, actor authz.Actor, ed *edition.Edition, app, evaluator int64, reason string) (Assignment, error) {
	var errs field.Errors
	if app <= 0 {
		errs.Add("entry", "Choose an entry of round 2.")
	}
	if evaluator <= 0 {
		errs.Add("evaluator", "Choose a member of the committee.")
	}
	if strings.TrimSpace(reason) == "" {
		errs.Add("reason", "Say why you assign this evaluator by hand.")
	}
	if errs.Any() {
		return Assignment{}, errs
	}
	var a Assignment
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		a, err = Assign(ctx, tx, actor.UserID, app, evaluator, reason, s.Now())
		if err == nil && a.EditionID != ed.ID {
			return field.Errors{{Field: "entry", Message: i18n.M("Choose an entry of this edition.")}}
		}
		return err
	})
	return a, err
}

// Remove ends assignment id with a reason (field.Errors on "reason" without one), for actor, the
// secretariat or committee head of its edition (db.ErrNotFound for anyone else and for an
// unknown assignment), audited. The entry is refilled by the next automatic assignment. It
// returns the assignment, also with ErrEnded when it had already ended and with field.Errors.
func (s *Service) Remove(ctx context.Context, actor authz.Actor, id int64, reason string) (Assignment, error) {
	a, err := Get(ctx, s.Pool, id)
	if err != nil {
		return Assignment{}, err
	}
	if !authz.CanManageCommittee(actor, a.EditionID) {
		return Assignment{}, db.ErrNotFound
	}
	if a.EndedAt != nil {
		return a, ErrEnded
	}
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		_, err := Remove(ctx, tx, actor.UserID, id, reason, s.Now())
		return err
	})
	if errors.Is(err, db.ErrNotFound) {
		// It ended between the lookup and the change.
		return a, ErrEnded
	}
	return a, err
}

package repository

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
)

// MaxHideReason is the longest reason for hiding a case that is kept.
const MaxHideReason = 2000

// The reasons a hide is refused: the secretariat must say why a case leaves the repository.
var (
	ErrNoReason      = fault.New(fault.Invalid, "Give the reason for hiding this case.")
	ErrReasonTooLong = fault.New(fault.Invalid, "The reason must be at most 2,000 characters.")
)

// Service holds the secretariat's decisions on the best-practice repository.
type Service struct {
	usecase.Deps
}

// CheckReason trims a reason for hiding a case and checks it: not empty (ErrNoReason), at most
// MaxHideReason characters (ErrReasonTooLong).
func CheckReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", ErrNoReason
	case len([]rune(reason)) > MaxHideReason:
		return "", ErrReasonTooLong
	}
	return reason, nil
}

// Hide keeps case id out of the public repository with a reason, by actor: the secretariat of
// the case's edition only (checked in SQL: db.ErrNotFound otherwise), with a reason
// (CheckReason), recorded in the audit log (HideAction) in the same transaction (DOMAIN.md
// "Data and publication": the organisers decide what is published).
func (s *Service) Hide(ctx context.Context, actor authz.Actor, id int64, reason string) error {
	reason, err := CheckReason(reason)
	if err != nil {
		return err
	}
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := Hide(ctx, tx, actor.UserID, id, reason, s.Now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: HideAction, ObjectType: "application",
			ObjectID: strconv.FormatInt(id, 10), Details: map[string]any{"reason": reason}})
	})
	if err != nil {
		return fmt.Errorf("repository: hide %d: %w", id, err)
	}
	return nil
}

// Unhide puts hidden case id back in the public repository, by actor: the secretariat of the
// case's edition only (checked in SQL), recorded in the audit log (UnhideAction) in the same
// transaction. A case that was not hidden (or is not actor's to unhide) changes nothing and
// records nothing.
func (s *Service) Unhide(ctx context.Context, actor authz.Actor, id int64) error {
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		ok, err := Unhide(ctx, tx, actor.UserID, id)
		if err != nil || !ok {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: UnhideAction, ObjectType: "application",
			ObjectID: strconv.FormatInt(id, 10)})
	})
	if err != nil {
		return fmt.Errorf("repository: unhide %d: %w", id, err)
	}
	return nil
}

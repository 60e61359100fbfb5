package mention

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// Service holds the secretariat's use cases of the Special Mentions (DOMAIN.md "Categories" and
// "Round 3": Special Mentions are prizes not applied for): recording, changing and removing one,
// each in its transaction with its audit entry.
type Service struct {
	usecase.Deps
}

// auditDetails is a mention as the audit log keeps it.
func auditDetails(m Mention) map[string]any {
	return map[string]any{"edition": m.EditionID, "award": m.Award, "application": m.ApplicationID, "recipient": m.Recipient,
		"city": m.City, "country": m.Country, "partner": m.Partner, "citation": m.Citation}
}

func mentionID(id int64) string { return strconv.FormatInt(id, 10) }

// Record records a special mention of ed by actor, its secretariat (db.ErrNotFound otherwise,
// checked in SQL). Invalid input, or an award already given as many times as the edition
// defines (DOMAIN.md "Categories"), is field.Errors.
func (s *Service) Record(ctx context.Context, actor authz.Actor, ed *edition.Edition, in Input) (Mention, error) {
	var m Mention
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		if m, err = Create(ctx, tx, actor.UserID, ed, in, s.Now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "mention.create", ObjectType: "special_mention",
			ObjectID: mentionID(m.ID), Details: auditDetails(m)})
	})
	return m, err
}

// Change changes mention id of ed for actor, its edition's secretariat (db.ErrNotFound
// otherwise), within the award's count like Record; the audit entry keeps it before and after.
func (s *Service) Change(ctx context.Context, actor authz.Actor, ed *edition.Edition, id int64, in Input) (Mention, error) {
	var after Mention
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		before, a, err := Update(ctx, tx, actor.UserID, ed, id, in, s.Now())
		if err != nil {
			return err
		}
		after = a
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "mention.update", ObjectType: "special_mention",
			ObjectID: mentionID(id), Details: map[string]any{"before": auditDetails(before), "after": auditDetails(after)}})
	})
	return after, err
}

// Remove removes mention id for actor, its edition's secretariat (db.ErrNotFound otherwise);
// the audit entry keeps it as it was.
func (s *Service) Remove(ctx context.Context, actor authz.Actor, id int64) error {
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		gone, err := Delete(ctx, tx, actor.UserID, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "mention.delete", ObjectType: "special_mention",
			ObjectID: mentionID(id), Details: auditDetails(gone)})
	})
}

// Register is what the secretariat's Special Mentions page shows of an edition: its mentions
// and the applications a mention may go to.
type Register struct {
	Mentions     []Mention
	Applications []Option
}

// LoadRegister reads the Register of edition editionID for staff (empty unless its
// secretariat: filtered in SQL).
func LoadRegister(ctx context.Context, q db.DBTX, staff, editionID int64) (*Register, error) {
	reg := &Register{}
	var err error
	if reg.Mentions, err = List(ctx, q, staff, editionID); err != nil {
		return nil, err
	}
	if reg.Applications, err = Applications(ctx, q, staff, editionID); err != nil {
		return nil, err
	}
	return reg, nil
}

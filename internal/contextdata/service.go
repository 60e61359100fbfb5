package contextdata

import (
	"bytes"
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
)

// Service holds the secretariat's use cases of context data (DOMAIN.md "Round 1": the
// secretariat may attach public city- and country-level data to an application for the
// analysis): importing a CSV file and clearing an edition's data, each one transaction with its
// audit entry. Only the secretariat of the edition does either (authz.CanManageApplications,
// repeated in SQL); anyone else gets authz.ErrForbidden.
type Service struct {
	usecase.Deps // sends no email: the outbox and site stay unused
}

// Imported is what an import of a file did.
type Imported struct {
	Result
	// Rows is the number of values in the file.
	Rows int
}

// ImportFile imports the CSV file name (content data) into the context data of editionID: all
// of it, or, when the file has any problem, nothing, the problems returned as Problems (in line
// order). Rule: a file is imported whole or not at all, within DefaultLimits; a value replaces
// the one of the same country, city, indicator and year.
func (s *Service) ImportFile(ctx context.Context, actor authz.Actor, editionID int64, name string, data []byte) (Imported, error) {
	if !authz.CanManageApplications(actor, editionID) {
		return Imported{}, authz.ErrForbidden
	}
	rows, err := Parse(bytes.NewReader(data), DefaultLimits)
	if err != nil {
		return Imported{}, err
	}
	indicators := map[string]bool{}
	for _, row := range rows {
		indicators[row.Indicator] = true
	}
	out := Imported{Rows: len(rows)}
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		if out.Result, err = Import(ctx, tx, actor.UserID, editionID, rows, s.Now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "contextdata.import", ObjectType: "edition",
			ObjectID: strconv.FormatInt(editionID, 10), Details: map[string]any{
				"file": name, "rows": len(rows), "inserted": out.Inserted, "replaced": out.Replaced, "indicators": len(indicators)}})
	})
	if errors.Is(err, db.ErrNotFound) {
		return Imported{}, authz.ErrForbidden
	}
	return out, err
}

// ClearEdition deletes the context data of editionID and returns how many values it held.
func (s *Service) ClearEdition(ctx context.Context, actor authz.Actor, editionID int64) (int64, error) {
	if !authz.CanManageApplications(actor, editionID) {
		return 0, authz.ErrForbidden
	}
	var n int64
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		if n, err = Clear(ctx, tx, actor.UserID, editionID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "contextdata.clear", ObjectType: "edition",
			ObjectID: strconv.FormatInt(editionID, 10), Details: map[string]any{"rows": n}})
	})
	if errors.Is(err, db.ErrNotFound) {
		return 0, authz.ErrForbidden
	}
	return n, err
}

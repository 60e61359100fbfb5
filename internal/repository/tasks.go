package repository

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
)

// RebuildTask is the periodic task "repository-rebuild", every six hours (and at start): it
// rebuilds the cases of every edition (RebuildAll).
func RebuildTask(pool *pgxpool.Pool) notify.Task {
	return notify.Task{Name: "repository-rebuild", Every: 6 * time.Hour, Run: func(ctx context.Context) error { return RebuildAll(ctx, pool) }}
}

// RebuildAll rebuilds the cases of every edition from the submitted entries (Rebuild), each
// edition in its own transaction, so that what is not a submission (an edition file imported
// again with other published questions, a nomination's details) reaches the repository too.
func RebuildAll(ctx context.Context, pool *pgxpool.Pool) error {
	list, err := edition.Published(ctx, pool)
	if err != nil {
		return err
	}
	var errs []error
	for _, sum := range list {
		errs = append(errs, db.InTx(ctx, pool, func(tx pgx.Tx) error {
			_, err := Rebuild(ctx, tx, sum.ID)
			return err
		}))
	}
	return errors.Join(errs...)
}

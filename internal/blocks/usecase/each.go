package usecase

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
)

// EachInTx runs step for every item, each in a transaction of its own, so that one failure does
// not hold up the others; the errors are joined. It is the shape of the periodic tasks that send
// what is due (claim the item, write the audit entry, queue the email): a claimed item is never
// claimed again, so a run is safe to repeat.
func EachInTx[T any](ctx context.Context, pool *pgxpool.Pool, items []T, step func(tx pgx.Tx, item T) error) error {
	var errs []error
	for _, it := range items {
		errs = append(errs, db.InTx(ctx, pool, func(tx pgx.Tx) error { return step(tx, it) }))
	}
	return errors.Join(errs...)
}

// Package db opens the Postgres pool, runs the embedded migrations under an advisory lock and
// offers a transaction helper. Domain stores take a DBTX so they work on a pool or inside a tx.
package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"prizeportal/migrations"
)

// DBTX is what stores need: satisfied by *pgxpool.Pool and pgx.Tx.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Common store errors; stores wrap them so callers can test with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// Open connects a pool to url and checks that the database answers.
func Open(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("db: parse DATABASE_URL: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("db: open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("db: ping: %w", err)
	}
	return pool, nil
}

// InTx runs fn in a transaction, committing when fn returns nil and rolling back otherwise.
func InTx(ctx context.Context, pool *pgxpool.Pool, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, pool, fn)
}

// IsUniqueViolation reports whether err is a Postgres unique-constraint violation.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// migrationLockID is the advisory lock that serialises migrations across instances.
const migrationLockID = 7_310_2023

// provider returns the goose provider of the embedded migrations. It takes no lock of its own:
// Migrate holds migrationLockID around goose and River together.
func provider(pool *pgxpool.Pool, logger *slog.Logger) (*goose.Provider, func() error, error) {
	sqlDB := stdlib.OpenDBFromPool(pool)
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS, opts...)
	if err != nil {
		sqlDB.Close()
		return nil, nil, fmt.Errorf("db: migrations: %w", err)
	}
	return p, sqlDB.Close, nil
}

// riverMigrator returns the migrator of River's job tables (the email outbox and background jobs
// run on River). Its own log is kept to warnings; Migrate logs what it applied.
func riverMigrator(pool *pgxpool.Pool, logger *slog.Logger) (*rivermigrate.Migrator[pgx.Tx], error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.New(warnOnly{logger.Handler()})})
	if err != nil {
		return nil, fmt.Errorf("db: river migrations: %w", err)
	}
	return m, nil
}

// warnOnly passes on warnings and errors only.
type warnOnly struct{ slog.Handler }

func (w warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}

// Migrate applies every pending migration: the portal's own (goose, from migrations/) and then
// River's job tables. A session-level advisory lock, held on a connection of its own for the
// whole run, makes concurrent calls from several instances wait for each other, so each
// migration is applied exactly once. applied lists the portal's migration files applied; River's
// versions are logged.
func Migrate(ctx context.Context, pool *pgxpool.Pool, logger *slog.Logger) (applied []string, err error) {
	lockConn, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig.Copy())
	if err != nil {
		return nil, fmt.Errorf("db: migration lock: %w", err)
	}
	// Closing the connection ends the session and so releases the lock, whatever happened.
	defer lockConn.Close(context.WithoutCancel(ctx))
	if _, err := lockConn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrationLockID)); err != nil {
		return nil, fmt.Errorf("db: migration lock: %w", err)
	}

	p, closeDB, err := provider(pool, logger)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	results, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: migrate: %w", err)
	}
	for _, r := range results {
		applied = append(applied, r.Source.Path)
	}

	rm, err := riverMigrator(pool, logger)
	if err != nil {
		return applied, err
	}
	res, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return applied, fmt.Errorf("db: migrate river: %w", err)
	}
	if len(res.Versions) > 0 && logger != nil {
		versions := make([]int, len(res.Versions))
		for i, v := range res.Versions {
			versions[i] = v.Version
		}
		logger.Info("river job queue schema migrated", "versions", versions)
	}
	return applied, nil
}

// MigrationsCurrent reports whether every embedded migration and every River migration has been
// applied. It takes no lock.
func MigrationsCurrent(ctx context.Context, pool *pgxpool.Pool) (bool, error) {
	p, closeDB, err := provider(pool, nil)
	if err != nil {
		return false, err
	}
	defer closeDB()
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("db: migration status: %w", err)
	}
	if pending {
		return false, nil
	}
	rm, err := riverMigrator(pool, nil)
	if err != nil {
		return false, err
	}
	res, err := rm.Validate(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("db: river migration status: %w", err)
	}
	return res.OK, nil
}

// PageCount is how many pages of per rows total rows fill: at least one, so that an empty list
// still has its first page.
func PageCount(total, per int) int {
	return max((total+per-1)/per, 1)
}

// Page is one page of a list: its rows, the page number (from 1), the number of pages (at least
// one) and the number of rows of the whole list.
type Page[T any] struct {
	Rows  []T
	Total int
	Page  int
	Pages int
}

// ListPage reads page (from 1; a lower number reads the first) of a list shown per rows a page:
// countSQL counts the rows of the whole list, and listSQL reads the page's rows with scan, using
// @limit and @offset, which ListPage adds to args. Both count and page are read in SQL. Errors
// start with what.
func ListPage[T any](ctx context.Context, q DBTX, what string, scan pgx.RowToFunc[T], page, per int, args pgx.NamedArgs, countSQL, listSQL string) (Page[T], error) {
	out := Page[T]{Page: max(page, 1)}
	if err := q.QueryRow(ctx, countSQL, args).Scan(&out.Total); err != nil {
		return Page[T]{}, fmt.Errorf("%s: %w", what, err)
	}
	out.Pages = PageCount(out.Total, per)
	args["limit"], args["offset"] = per, (out.Page-1)*per
	rows, err := List(ctx, q, what, scan, listSQL, args)
	if err != nil {
		return Page[T]{}, err
	}
	out.Rows = rows
	return out, nil
}

// List runs a query and collects its rows with scan (pgx.RowToStructByName, or a store's own
// scanner). Its errors start with what was listed (for example "ballot: awards"), as the stores'
// other errors do; an empty what returns them as they are.
func List[T any](ctx context.Context, q DBTX, what string, scan pgx.RowToFunc[T], sql string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err == nil {
		var out []T
		if out, err = pgx.CollectRows(rows, scan); err == nil {
			return out, nil
		}
	}
	if what == "" {
		return nil, err
	}
	return nil, fmt.Errorf("%s: %w", what, err)
}

// Found maps the error of a single-row query: nil stays nil, no row becomes ErrNotFound, and
// any other error is named with what (for example "ballot: get").
func Found(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pgx.ErrNoRows):
		return ErrNotFound
	}
	return fmt.Errorf("%s: %w", what, err)
}

// One finishes a single-row query: v when err is nil, otherwise T's zero value with the error as
// Found maps it.
func One[T any](v T, err error, what string) (T, error) {
	if err = Found(err, what); err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}

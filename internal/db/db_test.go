package db_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/migrations"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestMigrationsCurrentOnTemplateClone(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ok, err := db.MigrationsCurrent(context.Background(), pool)
	if err != nil || !ok {
		t.Fatalf("MigrationsCurrent = %v, %v; want true", ok, err)
	}
}

func TestMigrateEmptyDatabaseThenNothingPending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewEmpty(t)
	if ok, _ := db.MigrationsCurrent(ctx, pool); ok {
		t.Fatal("empty database reported as current")
	}
	applied, err := db.Migrate(ctx, pool, nil)
	if err != nil || len(applied) == 0 {
		t.Fatalf("Migrate = %v, %v", applied, err)
	}
	again, err := db.Migrate(ctx, pool, nil)
	if err != nil || len(again) != 0 {
		t.Fatalf("second Migrate applied %v, %v; want nothing", again, err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatalf("sessions table missing: %v", err)
	}
}

func TestRiverMigrationsAreAppliedAndChecked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.NewEmpty(t)
	if _, err := db.Migrate(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job`).Scan(&n); err != nil {
		t.Fatalf("River's tables missing after Migrate: %v", err)
	}
	// Undo River's last migration: the database is then not current until Migrate runs again.
	rm, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := rm.Migrate(ctx, rivermigrate.DirectionDown, nil); err != nil || len(res.Versions) != 1 {
		t.Fatalf("river down: %v, %v", res, err)
	}
	if ok, err := db.MigrationsCurrent(ctx, pool); err != nil || ok {
		t.Fatalf("MigrationsCurrent with a River migration pending = %v, %v; want false", ok, err)
	}
	applied, err := db.Migrate(ctx, pool, nil)
	if err != nil || len(applied) != 0 {
		t.Fatalf("Migrate = %v, %v; want River's migration applied and no goose file", applied, err)
	}
	if ok, err := db.MigrationsCurrent(ctx, pool); err != nil || !ok {
		t.Fatalf("MigrationsCurrent after Migrate = %v, %v; want true", ok, err)
	}
}

func TestConcurrentMigrateAppliesEachMigrationOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.Empty(t)
	var wg sync.WaitGroup
	applied := make([][]string, 3)
	errs := make([]error, 3)
	for i := range 3 {
		wg.Go(func() {
			pool, err := db.Open(ctx, url, 4)
			if err != nil {
				errs[i] = err
				return
			}
			defer pool.Close()
			applied[i], errs[i] = db.Migrate(ctx, pool, nil)
		})
	}
	wg.Wait()
	entries, _ := migrations.FS.ReadDir(".")
	want := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			want++
		}
	}
	total := 0
	for i := range 3 {
		if errs[i] != nil {
			t.Fatalf("Migrate %d: %v", i, errs[i])
		}
		total += len(applied[i])
	}
	if total != want {
		t.Fatalf("applied %d migrations in all, want each of the %d once: %v", total, want, applied)
	}
	pool, err := db.Open(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var rows, distinct int
	if err := pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT version) FROM river_migration`).Scan(&rows, &distinct); err != nil || rows == 0 || rows != distinct {
		t.Fatalf("river_migration: %d rows, %d distinct, %v", rows, distinct, err)
	}
}

func TestListCollectsRowsAndNamesWhatFailed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	got, err := db.List(ctx, pool, "test: numbers", pgx.RowTo[int64], `SELECT n FROM generate_series(1, $1::int) n ORDER BY n DESC`, 3)
	if err != nil || !slices.Equal(got, []int64{3, 2, 1}) {
		t.Fatalf("List = %v, %v; want [3 2 1]", got, err)
	}
	if got, err := db.List(ctx, pool, "test: none", pgx.RowTo[int64], `SELECT 1 WHERE false`); err != nil || len(got) != 0 {
		t.Fatalf("List of no rows = %v, %v; want empty", got, err)
	}
	_, err = db.List(ctx, pool, "test: broken", pgx.RowTo[int64], `SELECT nothing_here FROM users`)
	var pgErr *pgconn.PgError
	if err == nil || !strings.HasPrefix(err.Error(), "test: broken: ") || !errors.As(err, &pgErr) || pgErr.Code != "42703" {
		t.Fatalf("List of a bad query = %v; want it named and wrapping the undefined-column error", err)
	}
	_, err = db.List(ctx, pool, "test: scan", pgx.RowTo[int64], `SELECT 'text'`)
	if err == nil || !strings.HasPrefix(err.Error(), "test: scan: ") {
		t.Fatalf("List with a failing scan = %v; want it named", err)
	}
	if _, err = db.List(ctx, pool, "", pgx.RowTo[int64], `SELECT nothing_here FROM users`); err == nil || strings.HasPrefix(err.Error(), ": ") || !errors.As(err, &pgErr) {
		t.Fatalf("List without a name = %v; want the database's error as it is", err)
	}
}

func TestOneAndFoundMapASingleRowsError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	var n int64
	err := pool.QueryRow(ctx, `SELECT 7`).Scan(&n)
	if got, err := db.One(n, err, "test: seven"); err != nil || got != 7 {
		t.Fatalf("One = %v, %v; want 7", got, err)
	}
	err = pool.QueryRow(ctx, `SELECT 7 WHERE false`).Scan(&n)
	if got, err := db.One(n, err, "test: none"); !errors.Is(err, db.ErrNotFound) || got != 0 {
		t.Fatalf("One of no row = %v, %v; want 0 and ErrNotFound", got, err)
	}
	err = pool.QueryRow(ctx, `SELECT nothing_here FROM users`).Scan(&n)
	var pgErr *pgconn.PgError
	if err := db.Found(err, "test: broken"); err == nil || !strings.HasPrefix(err.Error(), "test: broken: ") || !errors.As(err, &pgErr) || errors.Is(err, db.ErrNotFound) {
		t.Fatalf("Found of a bad query = %v; want it named and wrapping the database's error", err)
	}
	if err := db.Found(nil, "test: fine"); err != nil {
		t.Fatalf("Found(nil) = %v", err)
	}
}

func TestListPageCountsAndReadsOnePage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	read := func(page int) db.Page[int64] {
		t.Helper()
		p, err := db.ListPage(ctx, pool, "test: page", pgx.RowTo[int64], page, 4, pgx.NamedArgs{"n": 10},
			`SELECT count(*) FROM generate_series(1, @n::int)`,
			`SELECT n FROM generate_series(1, @n::int) n ORDER BY n LIMIT @limit OFFSET @offset`)
		if err != nil {
			t.Fatalf("ListPage(%d): %v", page, err)
		}
		return p
	}
	if p := read(0); p.Page != 1 || p.Pages != 3 || p.Total != 10 || !slices.Equal(p.Rows, []int64{1, 2, 3, 4}) {
		t.Errorf("page 0 = %+v; want the first page of 3, rows 1-4 of 10", p)
	}
	if p := read(3); p.Page != 3 || !slices.Equal(p.Rows, []int64{9, 10}) {
		t.Errorf("page 3 = %+v; want rows 9 and 10", p)
	}
	if p := read(5); p.Page != 5 || p.Pages != 3 || len(p.Rows) != 0 {
		t.Errorf("page 5 = %+v; want no rows, 3 pages", p)
	}
	_, err := db.ListPage(ctx, pool, "test: broken", pgx.RowTo[int64], 1, 4, pgx.NamedArgs{}, `SELECT count(nothing_here) FROM users`, `SELECT 1`)
	if err == nil || !strings.HasPrefix(err.Error(), "test: broken: ") {
		t.Errorf("ListPage with a bad count = %v; want it named", err)
	}
}

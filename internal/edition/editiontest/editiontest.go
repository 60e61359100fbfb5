// Package editiontest imports the built-in editions into a test database.
package editiontest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

// Import imports the built-in editions names ("seoul-2023", ...) into pool and returns them as
// stored, in the same order.
func Import(t testing.TB, pool *pgxpool.Pool, names ...string) []*edition.Edition {
	t.Helper()
	ctx := context.Background()
	out := make([]*edition.Edition, 0, len(names))
	for _, name := range names {
		def, err := edition.ParseBuiltin(name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := edition.Import(ctx, pool, def)
		if err != nil {
			t.Fatal(err)
		}
		ed, err := edition.ByID(ctx, pool, res.EditionID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ed)
	}
	return out
}

// BySlug returns the stored edition of this slug; the test fails if there is none.
func BySlug(t testing.TB, pool *pgxpool.Pool, slug string) *edition.Edition {
	t.Helper()
	ed, err := edition.BySlug(context.Background(), pool, slug)
	if err != nil {
		t.Fatal(err)
	}
	return ed
}

// Resolved is the built-in edition name parsed and resolved, without a database (for fuzz and
// pure tests); the test fails if it does not resolve.
func Resolved(t testing.TB, name string) *edition.Edition {
	t.Helper()
	def, err := edition.ParseBuiltin(name)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := def.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return ed
}

// Seoul2023 is a new test database (dbtest.New) with the built-in edition seoul-2023 imported,
// and that edition as stored.
func Seoul2023(t testing.TB) (*pgxpool.Pool, *edition.Edition) {
	t.Helper()
	pool := dbtest.New(t)
	return pool, Import(t, pool, "seoul-2023")[0]
}

// ImportOpen imports the built-in edition name with its schedule moved so that applications are
// open at the time now.
func ImportOpen(t testing.TB, pool *pgxpool.Pool, name string, now time.Time) {
	t.Helper()
	def, err := edition.ParseBuiltin(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := def.OpenOn(now); err != nil {
		t.Fatal(err)
	}
	if _, err := edition.Import(context.Background(), pool, def); err != nil {
		t.Fatal(err)
	}
}

// ImportNextYear imports the built-in edition name as the next year's edition: every date one
// year later (ShiftDays), the year, and the year in its slug and name, one more. It returns the
// edition as stored.
func ImportNextYear(t testing.TB, pool *pgxpool.Pool, name string) *edition.Edition {
	t.Helper()
	def, err := edition.ParseBuiltin(name)
	if err != nil {
		t.Fatal(err)
	}
	this, next := strconv.Itoa(def.Year), strconv.Itoa(def.Year+1)
	days := int(time.Date(def.Year+1, 6, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(def.Year, 6, 1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	if err := def.ShiftDays(days); err != nil {
		t.Fatal(err)
	}
	def.Year++
	def.Slug = strings.ReplaceAll(def.Slug, this, next)
	def.Name = strings.ReplaceAll(def.Name, this, next)
	res, err := edition.Import(context.Background(), pool, def)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := edition.ByID(context.Background(), pool, res.EditionID)
	if err != nil {
		t.Fatal(err)
	}
	return ed
}

package edition_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
)

// TestLoadKeepsUnchangedEditions: an edition read twice without a change is the same value;
// any change to its rows (the edition, a category, a criterion, an indicator, a prize, made
// behind the store's back) is seen at once; a transaction always reads afresh.
func TestLoadKeepsUnchangedEditions(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	ed := editiontest.Import(t, pool, "seoul-2023")[0]
	load := func() *edition.Edition {
		t.Helper()
		e, err := edition.ByID(ctx, pool, ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	first := load()
	if again := load(); again != first {
		t.Fatal("an unchanged edition was read again")
	}
	if cur, err := edition.Current(ctx, pool); err != nil || cur != first {
		t.Fatalf("Current: %v, the kept edition: %v", err, cur == first)
	}
	if bySlug, err := edition.BySlug(ctx, pool, ed.Slug); err != nil || bySlug != first {
		t.Fatalf("BySlug: %v, the kept edition: %v", err, bySlug == first)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	cat := first.Categories[0]
	for _, change := range []struct {
		name  string
		sql   string
		check func(e *edition.Edition) bool
	}{
		{"edition", `UPDATE editions SET name = 'Renamed' WHERE id = $1`, func(e *edition.Edition) bool { return e.Name == "Renamed" }},
		{"category", `UPDATE categories SET name = 'Tech' WHERE id = $1`, func(e *edition.Edition) bool { return e.Categories[0].Name == "Tech" }},
		{"criterion", `UPDATE criteria SET weight = 3 WHERE id = $1`, func(e *edition.Edition) bool { return e.Categories[0].Criteria[0].Weight == 3 }},
		{"indicator", `UPDATE indicators SET name = 'Novelty' WHERE id = $1`, func(e *edition.Edition) bool {
			return e.Categories[0].Criteria[0].Indicators[0].Name == "Novelty"
		}},
		{"prize removed", `DELETE FROM prizes WHERE id = $1`, func(e *edition.Edition) bool { return len(e.Categories[0].Prizes) == len(cat.Prizes)-1 }},
	} {
		arg := map[string]int64{"edition": ed.ID, "category": cat.ID, "criterion": cat.Criteria[0].ID,
			"indicator": cat.Criteria[0].Indicators[0].ID, "prize removed": cat.Prizes[len(cat.Prizes)-1].ID}[change.name]
		before := load()
		exec(change.sql, arg)
		if after := load(); after == before || !change.check(after) {
			t.Fatalf("a change of the %s was not seen", change.name)
		}
	}
	kept := load()
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		e, err := edition.ByID(ctx, tx, ed.ID)
		if err == nil && e == kept {
			t.Error("a transaction got the kept edition")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := edition.BySlug(ctx, pool, "no-such-edition"); err == nil {
		t.Fatal("an unknown slug was found")
	}
}

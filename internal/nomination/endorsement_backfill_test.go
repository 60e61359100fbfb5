package nomination_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/nomination"
	"prizeportal/migrations"
)

// TestEndorsementKeyBackfill: migration 00034 gives stored endorsements the new key; two
// confirmed signatures that were two addresses before and are one citizen now count once, and
// the earliest stays the one the unique index holds.
func TestEndorsementKeyBackfill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := db.Open(ctx, dbtest.Empty(t), 4)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	sqlDB := stdlib.OpenDBFromPool(pool)
	defer sqlDB.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS, goose.WithDisableGlobalRegistry(true),
		goose.WithAllowOutofOrder(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 33); err != nil {
		t.Fatal(err)
	}
	// Today's importer needs the migrations after 00034, which do not touch endorsements: they go
	// first, and 00034 comes last, onto the endorsements stored as before it.
	for _, src := range p.ListSources() {
		if src.Version > 34 {
			if _, err := p.ApplyVersion(ctx, src.Version, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	ed := editiontest.Import(t, pool, "seoul-2023")[0]
	var cat = ed.Categories[0]
	for _, c := range ed.Categories {
		if c.Key == "leadership" {
			cat = c
		}
	}
	ana := nominator(t, pool, ed, &cat, "ana")
	id, err := create(t, pool, ana, ed, &cat, thirdParty("kim"))
	if err != nil {
		t.Fatal(err)
	}
	// As stored before: keyed by the trimmed, lower-case address.
	dbtest.Exec(t, pool, `
		INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
		SELECT $1, v.email, 'Seoul', 'KR', v.email, lower(v.email), $2::timestamptz + v.i * interval '1 minute',
		       CASE WHEN v.confirmed THEN $2::timestamptz + v.i * interval '1 minute' END
		FROM (VALUES (1, 'Lee@example.org', true), (2, 'lee+prize@example.org', true), (3, 'l.ee+x@example.org', false),
		             (4, 'park.ji@gmail.com', true), (5, 'parkji@googlemail.com', true), (6, 'cho@example.org', true))
		     AS v(i, email, confirmed)`, id, now)
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT email, email_norm, duplicate FROM endorsements WHERE application_id = $1 ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		email, key string
		duplicate  bool
	}
	var got []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.email, &r.key, &r.duplicate); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want := []row{{"Lee@example.org", "lee@example.org", false}, {"lee+prize@example.org", "lee@example.org", true},
		{"l.ee+x@example.org", "l.ee@example.org", false}, {"park.ji@gmail.com", "parkji@gmail.com", false},
		{"parkji@googlemail.com", "parkji@gmail.com", true}, {"cho@example.org", "cho@example.org", false}}
	if len(got) != len(want) {
		t.Fatalf("rows = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	c, err := nomination.CountEndorsements(ctx, pool, ana, id, now)
	if err != nil {
		t.Fatal(err)
	}
	if c.Confirmed != 3 {
		t.Fatalf("confirmed = %d, want 3 (lee, parkji, cho)", c.Confirmed)
	}
}

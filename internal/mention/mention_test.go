package mention_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/mention"
	rt "prizeportal/internal/ranking/rankingtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 9, 1, 9, 0, 0, 0, time.UTC)

const (
	partnerAward = "International organization partner" // count 1
	indexAward   = "Smart City Index"                   // count 2
)

// setup is a database with seoul-2023, its Tech-InnovaCity entry Alpha, a secretariat member and a
// council member.
func setup(t *testing.T) (pool *pgxpool.Pool, ed *edition.Edition, app, secr, council int64) {
	t.Helper()
	pool, ed = editiontest.Seoul2023(t)
	app = rt.Entry(t, pool, ed.ID, "tech-innovacity", "a", "Alpha")
	secr = rt.Evaluator(t, pool, ed.ID, "secr", "secretariat")
	council = rt.Evaluator(t, pool, ed.ID, "council", "council")
	return pool, ed, app, secr, council
}

func create(ctx context.Context, pool *pgxpool.Pool, staff int64, ed *edition.Edition, in mention.Input) (mention.Mention, error) {
	var m mention.Mention
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		var err error
		m, err = mention.Create(ctx, tx, staff, ed, in, now)
		return err
	})
	return m, err
}

func TestMentionCountsAndPublicList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, ed, app, secr, council := setup(t)

	m, err := create(ctx, pool, secr, ed, mention.Input{Award: partnerAward, ApplicationID: app, Partner: "UN-Habitat", Citation: "For inclusive design."})
	if err != nil {
		t.Fatal(err)
	}
	if m.Recipient != "Org a" || m.Title != "Alpha" || m.City != "City of a" || m.Country != "KR" {
		t.Errorf("application mention %+v", m)
	}
	// the award is given once: a second is refused
	_, err = create(ctx, pool, secr, ed, mention.Input{Award: partnerAward, Name: "Lisbon", Partner: "UN-Habitat", Citation: "x"})
	var errs field.Errors
	if !errors.As(err, &errs) || errs.Get("award") == "" {
		t.Fatalf("second partner mention: %v, want an award error", err)
	}
	for _, city := range []string{"Tallinn", "Busan"} {
		if _, err := create(ctx, pool, secr, ed, mention.Input{Award: indexAward, Name: city, City: city, Country: "ee",
			Partner: "WeGO Smart City Index 2022", Citation: "Top of the index."}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := create(ctx, pool, secr, ed, mention.Input{Award: indexAward, Name: "Oslo", Partner: "Index", Citation: "x"}); !errors.As(err, &errs) {
		t.Fatalf("third index mention: %v, want refused", err)
	}
	// invalid input: no recipient, no partner, unknown award, unknown country
	_, err = create(ctx, pool, secr, ed, mention.Input{Award: "Nope", Country: "XX"})
	if !errors.As(err, &errs) {
		t.Fatalf("invalid: %v", err)
	}
	for _, f := range []string{"award", "name", "partner", "citation"} {
		if errs.Get(f) == "" {
			t.Errorf("no error on %s: %v", f, errs)
		}
	}
	// only the edition's secretariat records or reads
	if _, err := create(ctx, pool, council, ed, mention.Input{Award: indexAward, Name: "Oslo", Partner: "Index", Citation: "x"}); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("council creating: %v, want ErrNotFound", err)
	}
	if list, err := mention.List(ctx, pool, council, ed.ID); err != nil || len(list) != 0 {
		t.Errorf("council listing: %v, %v", list, err)
	}
	counts, err := mention.Counts(ctx, pool, ed.ID)
	if err != nil || counts[partnerAward] != 1 || counts[indexAward] != 2 {
		t.Errorf("counts %v, %v", counts, err)
	}
	pub, err := mention.ListMentions(ctx, pool, ed.ID)
	if err != nil || len(pub) != 3 {
		t.Fatalf("public %v, %v", pub, err)
	}
	if pub[0].Award != partnerAward || pub[0].Recipient != "Org a" || pub[1].Recipient != "Tallinn" || pub[1].Country != "EE" {
		t.Errorf("public list %+v", pub)
	}
	// an edit keeps within the count; removing frees a place
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, after, err := mention.Update(ctx, tx, secr, ed, m.ID, mention.Input{Award: partnerAward, ApplicationID: app, Partner: "UNDP", Citation: "Changed."}, now)
		if err == nil && (after.Partner != "UNDP" || after.UpdatedAt == nil) {
			t.Errorf("after update %+v", after)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, pool, func(tx pgx.Tx) error { _, err := mention.Delete(ctx, tx, secr, m.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := create(ctx, pool, secr, ed, mention.Input{Award: partnerAward, Name: "Lisbon", Partner: "UN-Habitat", Citation: "x"}); err != nil {
		t.Errorf("after removal: %v", err)
	}
}

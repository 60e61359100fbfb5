package nomination_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/blocks/link"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/nomination"
)

// enSign stores an endorsement of nomination id by email with a confirmation link, and confirms
// it when confirm is set. It returns the endorsement's id and the error of adding or confirming.
func enSign(t *testing.T, pool *pgxpool.Pool, id int64, email string, confirm bool) (int64, error) {
	t.Helper()
	ctx := context.Background()
	var eid int64
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		var err error
		eid, err = nomination.AddEndorsement(ctx, tx, id, nomination.Signature{Name: "Citizen " + email, City: "Seoul",
			Country: "KR", Email: email, Confirm: true}, now)
		if err != nil {
			return err
		}
		_, err = link.New(ctx, tx, nomination.LinkEndorse, eid, now.Add(7*24*time.Hour), now)
		return err
	})
	if err != nil || !confirm {
		return eid, err
	}
	return eid, enConfirm(t, pool, eid)
}

func enConfirm(t *testing.T, pool *pgxpool.Pool, eid int64) error {
	t.Helper()
	ctx := context.Background()
	return db.InTx(ctx, pool, func(tx pgx.Tx) error {
		err := nomination.ConfirmEndorsement(ctx, tx, eid, now.Add(time.Minute))
		if errors.Is(err, nomination.ErrAlreadyEndorsed) {
			// The transaction must stay usable: the caller still uses up the link in it.
			if _, err := tx.Exec(ctx, `SELECT 1`); err != nil {
				t.Fatalf("transaction unusable after ErrAlreadyEndorsed: %v", err)
			}
		}
		return err
	})
}

// TestEndorsementsQualify: only confirmed, distinct email addresses count; with the reference
// edition's threshold (more than 30) 30 do not qualify and 31 do (DOMAIN.md "Leadership nominations").
func TestEndorsementsQualify(t *testing.T) {
	t.Parallel()
	pool, ed, cat := setup(t)
	ctx := context.Background()
	rules := cat.Nominations
	if rules.EndorsementsMoreThan != 30 {
		t.Fatalf("seoul-2023 threshold = %d, want 30", rules.EndorsementsMoreThan)
	}
	ana, ben := nominator(t, pool, ed, cat, "ana"), nominator(t, pool, ed, cat, "ben")
	id, err := create(t, pool, ana, ed, cat, thirdParty("kim"))
	if err != nil {
		t.Fatal(err)
	}

	// The public code: only the owner opens it; it is long and stays the same once opened.
	if _, err := nomination.OpenEndorsements(ctx, pool, ben, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another nominator opens: %v, want db.ErrNotFound", err)
	}
	if n, _ := nomination.Get(ctx, pool, ana, id); n.EndorsementCode != "" {
		t.Fatal("a new nomination has an endorsement code")
	}
	code, err := nomination.OpenEndorsements(ctx, pool, ana, id)
	if err != nil || len(code) < 26 { // 26 base32 characters: 130 bits
		t.Fatalf("code %q, %v", code, err)
	}
	if again, _ := nomination.OpenEndorsements(ctx, pool, ana, id); again != code {
		t.Fatalf("opening again changed the code: %q, %q", again, code)
	}
	if n, err := nomination.ByEndorsementCode(ctx, pool, code); err != nil || n.ApplicationID != id {
		t.Fatalf("by code = %d, %v", n.ApplicationID, err)
	}
	for _, bad := range []string{"", code + "x", "nope"} {
		if _, err := nomination.ByEndorsementCode(ctx, pool, bad); !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("by code %q: %v, want db.ErrNotFound", bad, err)
		}
	}

	// 30 distinct confirmed addresses.
	for i := range 30 {
		if _, err := enSign(t, pool, id, fmt.Sprintf("citizen%02d@example.org", i), true); err != nil {
			t.Fatal(err)
		}
	}
	// A confirmed address again, in other case and with spaces: nothing is stored.
	for _, variant := range []string{"citizen00@example.org", " Citizen00@EXAMPLE.org ", "CITIZEN01@example.org"} {
		if _, err := enSign(t, pool, id, variant, false); !errors.Is(err, nomination.ErrAlreadyEndorsed) {
			t.Fatalf("repeated %q: %v, want ErrAlreadyEndorsed", variant, err)
		}
	}
	// Unconfirmed signatures: three addresses, one of them twice.
	for _, email := range []string{"late1@example.org", "late2@example.org", "late3@example.org", " LATE3@example.org"} {
		if _, err := enSign(t, pool, id, email, false); err != nil {
			t.Fatal(err)
		}
	}
	// One address signed twice before confirming either: the second confirmation does not count.
	first, err := enSign(t, pool, id, "twice@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	second, err := enSign(t, pool, id, "Twice@Example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := enConfirm(t, pool, first); err != nil {
		t.Fatal(err)
	}
	if err := enConfirm(t, pool, second); !errors.Is(err, nomination.ErrAlreadyEndorsed) {
		t.Fatalf("second confirmation of the same address: %v, want ErrAlreadyEndorsed", err)
	}
	if err := enConfirm(t, pool, first); !errors.Is(err, nomination.ErrAlreadyEndorsed) {
		t.Fatalf("confirming twice: %v, want ErrAlreadyEndorsed", err)
	}
	if err := enConfirm(t, pool, 1<<40); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("unknown endorsement: %v, want db.ErrNotFound", err)
	}
	// twice@ was the 31st; take it back to check the threshold at exactly 30.
	dbtest.Exec(t, pool, `DELETE FROM endorsements WHERE email_norm = 'twice@example.org'`)

	check := func(wantConfirmed, wantPending int, wantQualifies bool) {
		t.Helper()
		c, err := nomination.CountEndorsements(ctx, pool, ana, id, now)
		if err != nil {
			t.Fatal(err)
		}
		if c.Confirmed != wantConfirmed || c.Pending != wantPending {
			t.Fatalf("counts = %+v, want %d confirmed, %d pending", c, wantConfirmed, wantPending)
		}
		n, err := nomination.Get(ctx, pool, ana, id)
		if err != nil {
			t.Fatal(err)
		}
		if n.Endorsements != wantConfirmed {
			t.Fatalf("nomination counts %d endorsements, want %d", n.Endorsements, wantConfirmed)
		}
		if n.EndorsementsOK(rules) != wantQualifies || rules.Qualifies(n.Endorsements) != wantQualifies {
			t.Fatalf("%d confirmed: qualifies = %v, want %v", n.Endorsements, n.EndorsementsOK(rules), wantQualifies)
		}
	}
	check(30, 3, false)
	if _, err := nomination.CountEndorsements(ctx, pool, ben, id, now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another nominator's counts: %v, want db.ErrNotFound", err)
	}

	// The 31st distinct confirmed address qualifies the nomination.
	eid, err := enSign(t, pool, id, "late1@example.org", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := enConfirm(t, pool, eid); err != nil {
		t.Fatal(err)
	}
	check(31, 2, true)
	// Pending counts only links still usable: after they expire nothing awaits confirmation.
	if c, _ := nomination.CountEndorsements(ctx, pool, ana, id, now.Add(8*24*time.Hour)); c.Pending != 0 || c.Confirmed != 31 {
		t.Fatalf("counts after the links expired = %+v", c)
	}

	// The secretariat's list: every signature, oldest first, for the edition's secretariat only.
	var staff, outsider int64
	for _, p := range []struct {
		login string
		dst   *int64
		role  bool
	}{{"sec", &staff, true}, {"outsider", &outsider, false}} {
		if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash) VALUES ($1, $1 || '@example.org', $1, 'x') RETURNING id`,
			p.login).Scan(p.dst); err != nil {
			t.Fatal(err)
		}
		if p.role {
			dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, *p.dst, ed.ID)
		} else {
			dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'evaluator', $2)`, *p.dst, ed.ID)
		}
	}
	list, err := nomination.ListEndorsements(ctx, pool, staff, id, 1, now)
	if err != nil {
		t.Fatal(err)
	}
	// 30 + late1..3 + LATE3 + late1 again = 35 signatures.
	if list.Total != 35 || len(list.Rows) != 35 || list.Confirmed != 31 || list.Pending != 2 || list.Pages != 1 {
		t.Fatalf("list: total %d, rows %d, counts %+v, pages %d", list.Total, len(list.Rows), list.EndorsementCounts, list.Pages)
	}
	if r := list.Rows[0]; r.Email != "citizen00@example.org" || r.ConfirmedAt == nil || r.Country != "KR" || r.City != "Seoul" {
		t.Fatalf("first row = %+v", r)
	}
	if _, err := nomination.ListEndorsements(ctx, pool, outsider, id, 1, now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("non-secretariat staff: %v, want db.ErrNotFound", err)
	}
	if page2, err := nomination.ListEndorsements(ctx, pool, staff, id, 2, now); err != nil || len(page2.Rows) != 0 || page2.Page != 2 {
		t.Fatalf("page 2: %d rows, %v", len(page2.Rows), err)
	}
}

// TestEndorsementsPaginate: the secretariat's list pages by EndorsementsPerPage.
func TestEndorsementsPaginate(t *testing.T) {
	t.Parallel()
	pool, ed, cat := setup(t)
	ctx := context.Background()
	_, id := nominated(t, pool, ed, cat, "ana", "kim")
	dbtest.Exec(t, pool, `
		INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
		SELECT $1, 'C' || i, 'Seoul', 'KR', 'c' || i || '@example.org', 'c' || i || '@example.org', $2::timestamptz + i * interval '1 second', $2
		FROM generate_series(1, $3::int) i`, id, now, nomination.EndorsementsPerPage+7)
	var staff int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash) VALUES ('sec', 'sec@example.org', 'sec', 'x') RETURNING id`).Scan(&staff); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, staff, ed.ID)
	p2, err := nomination.ListEndorsements(ctx, pool, staff, id, 2, now)
	if err != nil {
		t.Fatal(err)
	}
	if p2.Pages != 2 || len(p2.Rows) != 7 || p2.Total != nomination.EndorsementsPerPage+7 || p2.Rows[0].Name != fmt.Sprint("C", nomination.EndorsementsPerPage+1) {
		t.Fatalf("page 2: pages %d, rows %d, total %d", p2.Pages, len(p2.Rows), p2.Total)
	}
}

// TestSignatureValidate: every field is required, the country is an ISO code, the box ticked.
func TestSignatureValidate(t *testing.T) {
	t.Parallel()
	s := nomination.Signature{Name: " Ji-woo Park ", City: " Busan", Country: "kr", Email: " jiwoo@example.org ", Confirm: true}
	s.Normalize()
	if errs := s.Validate(); errs.Any() || s.Country != "KR" || s.Name != "Ji-woo Park" || s.Email != "jiwoo@example.org" {
		t.Fatalf("valid signature: %v, %+v", errs, s)
	}
	errs := nomination.Signature{Country: "XX", Email: "not-an-address"}.Validate()
	for _, f := range []string{"name", "city", "country", "email", "confirm"} {
		if errs.Get(f) == "" {
			t.Errorf("no error for %s", f)
		}
	}
	if nomination.NormEmail(" A@B.org ") != "a@b.org" {
		t.Fatal("NormEmail")
	}
}

package invitation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/blocks/link"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/invitation"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 5, 10, 3, 0, 0, 0, time.UTC)

// setup imports seoul-2023 and returns the pool, the edition and a secretariat member of it.
func setup(t *testing.T) (*pgxpool.Pool, *edition.Edition, int64) {
	t.Helper()
	pool, ed := editiontest.Seoul2023(t)
	return pool, ed, user(t, pool, ed, "sec", "secretariat")
}

// user creates an account holding role in ed ("" for none).
func user(t *testing.T, pool *pgxpool.Pool, ed *edition.Edition, login, role string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash, edition_id)
		VALUES ($1, $1 || '@example.org', 'User ' || $1, 'x', $2) RETURNING id`, login, ed.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if role != "" {
		dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, $2, $3)`, id, role, ed.ID)
	}
	return id
}

func input(email, entityType, category string) invitation.Input {
	return invitation.Input{Email: email, Name: "Min-jun Kim", Organisation: "Busan Metropolitan City",
		EntityType: entityType, Category: category, Message: "We read about your bus project."}
}

// invite validates and stores in, issuing its link; it returns the id and the link's token.
func invite(t *testing.T, pool *pgxpool.Pool, ed *edition.Edition, staff int64, in invitation.Input) (int64, string, error) {
	t.Helper()
	in.Normalize()
	cat, errs := in.Validate(ed)
	if errs.Any() {
		t.Fatalf("validate: %v", errs)
	}
	var (
		id    int64
		token string
	)
	err := db.InTx(context.Background(), pool, func(tx pgx.Tx) error {
		var err error
		if id, err = invitation.Create(context.Background(), tx, staff, ed.ID, cat.ID, in, now); err != nil {
			return err
		}
		token, err = link.New(context.Background(), tx, invitation.LinkPurpose, id, ed.Schedule.ApplicationDeadline, now)
		return err
	})
	return id, token, err
}

func TestValidate(t *testing.T) {
	t.Parallel()
	pool, ed, _ := setup(t)
	_ = pool
	for _, c := range []struct {
		name  string
		in    invitation.Input
		field string
	}{
		{"city to leadership", input("a@busan.example", "city", "leadership"), "category"},
		{"individual to a project category", input("a@busan.example", "individual", "tech-innovacity"), "category"},
		{"no category", input("a@busan.example", "city", ""), "category"},
		{"unknown entity type", input("a@busan.example", "planet", "tech-innovacity"), "entity_type"},
		{"bad email", input("not an address", "city", "tech-innovacity"), "email"},
		{"no name", invitation.Input{Email: "a@busan.example", Organisation: "Busan", EntityType: "city", Category: "tech-innovacity"}, "name"},
		{"a name on two lines", invitation.Input{Email: "a@busan.example", Name: "Kim\nMin", Organisation: "Busan", EntityType: "city", Category: "tech-innovacity"}, "name"},
		{"a city needs its organisation", invitation.Input{Email: "a@busan.example", Name: "Kim", EntityType: "city", Category: "human-centricity"}, "organisation"},
	} {
		c.in.Normalize()
		if _, errs := c.in.Validate(ed); errs.Get(c.field) == "" {
			t.Errorf("%s: no error on %s (%v)", c.name, c.field, errs)
		}
	}
	ok := invitation.Input{Email: " kim@example.org ", Name: "Kim", EntityType: "individual", Category: "leadership"}
	ok.Normalize()
	cat, errs := ok.Validate(ed)
	if errs.Any() || cat == nil || cat.Key != "leadership" || ok.Email != "kim@example.org" {
		t.Fatalf("an individual invited to make nominations, without organisation: %v %v", cat, errs)
	}
}

func TestInvitationLifecycle(t *testing.T) {
	t.Parallel()
	pool, ed, sec := setup(t)
	ctx := context.Background()
	other := user(t, pool, ed, "evaluator", "evaluator")

	id, token, err := invite(t, pool, ed, sec, input("kim@busan.example", "city", "tech-innovacity"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := invitation.ForSecretariat(ctx, pool, sec, id)
	if err != nil || v.Stage != invitation.Sent || v.CategoryKey != "tech-innovacity" || v.InviterName != "User sec" || v.SentCount != 1 {
		t.Fatalf("stored: %+v %v", v, err)
	}
	if _, err := invitation.ForSecretariat(ctx, pool, other, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an evaluator sees the invitation: %v", err)
	}
	if l, _ := invitation.ListForSecretariat(ctx, pool, other, ed.ID, 1); l.Total != 0 {
		t.Fatalf("an evaluator lists %d invitations", l.Total)
	}
	if _, _, err := invite(t, pool, ed, other, input("lee@busan.example", "city", "tech-innovacity")); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an evaluator invited: %v", err)
	}
	if _, _, err := invite(t, pool, ed, sec, input("KIM@busan.example", "company", "human-centricity")); !errors.Is(err, invitation.ErrAlreadyInvited) {
		t.Fatalf("a second open invitation to the address: %v", err)
	}
	if _, _, err := invite(t, pool, ed, sec, input("evaluator@example.org", "city", "tech-innovacity")); !errors.Is(err, invitation.ErrHasAccount) {
		t.Fatalf("an address with an account: %v", err)
	}

	// Resending: the counts move; the old link is withdrawn by the caller.
	if err := db.InTx(ctx, pool, func(tx pgx.Tx) error { return invitation.Resent(ctx, tx, sec, id, now.Add(time.Hour)) }); err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, pool, func(tx pgx.Tx) error { return invitation.Resent(ctx, tx, other, id, now) }); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an evaluator resent: %v", err)
	}
	if v, _ := invitation.ForSecretariat(ctx, pool, sec, id); v.SentCount != 2 || !v.LastSentAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("after resend: %+v", v)
	}

	if v, err := invitation.Open(ctx, pool, token, now); err != nil || v.ID != id || v.Email != "kim@busan.example" {
		t.Fatalf("open: %+v %v", v, err)
	}
	if _, err := invitation.Open(ctx, pool, token, ed.Schedule.ApplicationDeadline); !errors.Is(err, link.ErrExpired) {
		t.Fatalf("open at the deadline: %v", err)
	}
	if _, err := invitation.Open(ctx, pool, "nonsense", now); !errors.Is(err, link.ErrUnknown) {
		t.Fatalf("open an unknown token: %v", err)
	}

	// A second link (a resend) is withdrawn when the first registers.
	var second string
	db.InTx(ctx, pool, func(tx pgx.Tx) error {
		second, err = link.New(ctx, tx, invitation.LinkPurpose, id, ed.Schedule.ApplicationDeadline, now)
		return err
	})
	kim := user(t, pool, ed, "kim", "applicant")
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		v, err := invitation.Accept(ctx, tx, token, ed.ID, kim, now)
		if err == nil && (v.AcceptedBy == nil || *v.AcceptedBy != kim || v.Stage != invitation.Registered) {
			t.Errorf("accepted: %+v", v)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := invitation.Open(ctx, pool, second, now); !errors.Is(err, link.ErrUsed) {
		t.Fatalf("the other link after acceptance: %v", err)
	}
	err = db.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := invitation.Accept(ctx, tx, token, ed.ID, kim, now)
		return err
	})
	if !errors.Is(err, link.ErrUsed) {
		t.Fatalf("accept twice: %v", err)
	}
	if err := db.InTx(ctx, pool, func(tx pgx.Tx) error { return invitation.Resent(ctx, tx, sec, id, now) }); !errors.Is(err, invitation.ErrAccepted) {
		t.Fatalf("resend an accepted invitation: %v", err)
	}
	// Once accepted, the address may be invited again (for another account, after an erasure).
	if _, _, err := invite(t, pool, ed, sec, input("kim@busan.example", "city", "tech-innovacity")); err != nil {
		t.Fatalf("invite again after acceptance: %v", err)
	}

	// Stages follow the account's application.
	stage := func() invitation.Stage {
		t.Helper()
		v, err := invitation.ForSecretariat(ctx, pool, sec, id)
		if err != nil {
			t.Fatal(err)
		}
		return v.Stage
	}
	var appID int64
	if err := pool.QueryRow(ctx, `INSERT INTO applications (user_id, edition_id, category_id, created_at)
		SELECT $1, $2, c.id, $3 FROM categories c WHERE c.edition_id = $2 AND c.key = 'tech-innovacity' RETURNING id`,
		kim, ed.ID, now).Scan(&appID); err != nil {
		t.Fatal(err)
	}
	if s := stage(); s != invitation.Started {
		t.Fatalf("with a draft: %s", s)
	}
	pool.Exec(ctx, `UPDATE applications SET status = 'submitted', submitted_at = $2, submitted_version = 1 WHERE id = $1`, appID, now)
	if s := stage(); s != invitation.Submitted {
		t.Fatalf("submitted: %s", s)
	}
	pool.Exec(ctx, `UPDATE applications SET status = 'withdrawn', withdrawn_at = $2 WHERE id = $1`, appID, now)
	if s := stage(); s != invitation.Started {
		t.Fatalf("withdrawn: %s", s)
	}
}

func TestListAndSummary(t *testing.T) {
	t.Parallel()
	pool, ed, sec := setup(t)
	ctx := context.Background()
	emails := []string{"a@x.example", "b@x.example", "c@x.example", "d@x.example"}
	tokens := map[string]string{}
	for _, e := range emails {
		_, tok, err := invite(t, pool, ed, sec, input(e, "city", "tech-innovacity"))
		if err != nil {
			t.Fatal(err)
		}
		tokens[e] = tok
	}
	// b registers; c registers and starts; d registers and submits.
	for i, e := range emails[1:] {
		u := user(t, pool, ed, "u"+e[:1], "applicant")
		if err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
			_, err := invitation.Accept(ctx, tx, tokens[e], ed.ID, u, now)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			continue
		}
		status := "draft"
		if i == 2 {
			status = "submitted"
		}
		if _, err := pool.Exec(ctx, `INSERT INTO applications (user_id, edition_id, category_id, status, submitted_at)
			SELECT $1, $2, c.id, $3, CASE WHEN $3 = 'submitted' THEN now() END FROM categories c WHERE c.edition_id = $2 AND c.key = 'tech-innovacity'`,
			u, ed.ID, status); err != nil {
			t.Fatal(err)
		}
	}
	s, err := invitation.Summarize(ctx, pool, sec, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s != (invitation.Summary{Sent: 4, Registered: 3, Started: 2, Submitted: 1}) {
		t.Fatalf("summary: %+v", s)
	}
	l, err := invitation.ListForSecretariat(ctx, pool, sec, ed.ID, 1)
	if err != nil || l.Total != 4 || l.Pages != 1 || len(l.Rows) != 4 {
		t.Fatalf("list: %+v %v", l, err)
	}
	got := map[string]invitation.Stage{}
	for _, r := range l.Rows {
		got[r.Email] = r.Stage
	}
	want := map[string]invitation.Stage{"a@x.example": invitation.Sent, "b@x.example": invitation.Registered,
		"c@x.example": invitation.Started, "d@x.example": invitation.Submitted}
	for e, st := range want {
		if got[e] != st {
			t.Errorf("%s: %s, want %s", e, got[e], st)
		}
	}
	if l2, _ := invitation.ListForSecretariat(ctx, pool, sec, ed.ID, 2); len(l2.Rows) != 0 || l2.Page != 2 {
		t.Fatalf("page 2: %+v", l2)
	}
	if other, _ := invitation.Summarize(ctx, pool, user(t, pool, ed, "nobody", ""), ed.ID); other != (invitation.Summary{}) {
		t.Fatalf("a non-secretariat summary: %+v", other)
	}
}

package nomination_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/nomination"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 5, 10, 3, 0, 0, 0, time.UTC)

// setup imports seoul-2023 and returns the pool, the edition and its leadership category.
func setup(t *testing.T) (*pgxpool.Pool, *edition.Edition, *edition.Category) {
	t.Helper()
	pool, ed := editiontest.Seoul2023(t)
	for i := range ed.Categories {
		if ed.Categories[i].Kind == edition.KindLeadership {
			return pool, ed, &ed.Categories[i]
		}
	}
	t.Fatal("no leadership category")
	return nil, nil, nil
}

// nominator creates an account registered for the leadership category.
func nominator(t *testing.T, pool *pgxpool.Pool, ed *edition.Edition, cat *edition.Category, login string) int64 {
	t.Helper()
	var id int64
	if err := pool.QueryRow(context.Background(), `
		INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id)
		VALUES ($1, $1 || '@example.org', $1, 'x', $2, $3) RETURNING id`, login, ed.ID, cat.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func create(t *testing.T, pool *pgxpool.Pool, owner int64, ed *edition.Edition, cat *edition.Category, d nomination.Details) (int64, error) {
	t.Helper()
	var id int64
	err := db.InTx(context.Background(), pool, func(tx pgx.Tx) error {
		var err error
		id, err = nomination.Create(context.Background(), tx, owner, ed.ID, cat.ID, d, now)
		return err
	})
	return id, err
}

// nominated creates the nominator login and a third-party nomination of theirs of Candidate
// candidate, and returns their ids.
func nominated(t *testing.T, pool *pgxpool.Pool, ed *edition.Edition, cat *edition.Category, login, candidate string) (owner, id int64) {
	t.Helper()
	owner = nominator(t, pool, ed, cat, login)
	id, err := create(t, pool, owner, ed, cat, thirdParty(candidate))
	if err != nil {
		t.Fatal(err)
	}
	return owner, id
}

func thirdParty(candidate string) nomination.Details {
	return nomination.Details{NominatorCategory: "smart-city-professional", NominatorOrganisation: "WeGO",
		CandidateName: candidate, CandidateEmail: candidate + "@city.example", CandidateOrganisation: "Seoul Metropolitan Government",
		CandidatePosition: "Chief Digital Officer", CandidateCity: "Seoul", CandidateCountry: "KR"}
}

func TestNominationsAndOwnerFilter(t *testing.T) {
	t.Parallel()
	pool, ed, cat := setup(t)
	ctx := context.Background()
	ana, ben := nominator(t, pool, ed, cat, "ana"), nominator(t, pool, ed, cat, "ben")
	// Any number of third-party nominations.
	a1, err := create(t, pool, ana, ed, cat, thirdParty("kim"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := create(t, pool, ana, ed, cat, thirdParty("lee")); err != nil {
		t.Fatal(err)
	}
	// One self-nomination per person, by account...
	self := nomination.Details{Self: true, CandidateName: "ana", CandidateEmail: "ana@example.org",
		CandidateOrganisation: "Open City Lab", CandidatePosition: "Founder", CandidateIsHead: true}
	if _, err := create(t, pool, ana, ed, cat, self); err != nil {
		t.Fatal(err)
	}
	if _, err := create(t, pool, ana, ed, cat, self); !errors.Is(err, nomination.ErrSelfNominated) {
		t.Fatalf("second self-nomination: %v, want ErrSelfNominated", err)
	}
	// ... and by email address, from another account.
	same := self
	same.CandidateEmail = "ANA@example.org"
	if _, err := create(t, pool, ben, ed, cat, same); !errors.Is(err, nomination.ErrSelfNominated) {
		t.Fatalf("self-nomination of the same address from another account: %v, want ErrSelfNominated", err)
	}
	list, err := nomination.List(ctx, pool, ana)
	if err != nil || len(list) != 3 {
		t.Fatalf("ana's nominations = %d, %v; want 3", len(list), err)
	}
	if _, err := nomination.Get(ctx, pool, ben, a1); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another nominator's nomination: %v, want db.ErrNotFound", err)
	}
	if l, _ := nomination.List(ctx, pool, ben); len(l) != 0 {
		t.Fatalf("ben sees %d nominations", len(l))
	}
	// The secretariat sees nominations of its edition only.
	if _, err := nomination.ForSecretariat(ctx, pool, ben, a1); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("non-secretariat staff view: %v", err)
	}
}

func TestConsent(t *testing.T) {
	t.Parallel()
	pool, ed, cat := setup(t)
	ctx := context.Background()
	ana, id := nominated(t, pool, ed, cat, "ana", "kim")
	n, _ := nomination.Get(ctx, pool, ana, id)
	if n.ConsentOK() || n.Consent != nomination.ConsentNone {
		t.Fatalf("new nomination consent = %s", n.Consent)
	}
	if err := nomination.DecideConsent(ctx, pool, id, true, "", now); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("consent without a request: %v, want db.ErrConflict", err)
	}
	if err := nomination.RequestConsent(ctx, pool, ana, id, now); err != nil {
		t.Fatal(err)
	}
	if err := nomination.DecideConsent(ctx, pool, id, true, " glad to ", now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := nomination.DecideConsent(ctx, pool, id, false, "", now.Add(time.Hour)); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("second answer: %v, want db.ErrConflict", err)
	}
	n, _ = nomination.Get(ctx, pool, ana, id)
	if !n.ConsentOK() || n.ConsentNote != "glad to" || n.ConsentDecidedAt == nil || !n.ConsentDecidedAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("after consent: %+v", n)
	}
	// Changing the candidate's address withdraws the consent: it was someone else's.
	d := n.Details
	d.CandidateEmail = "other@city.example"
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		reset, err := nomination.Update(ctx, tx, ana, id, d, now)
		if err == nil && !reset {
			t.Error("consent not reset after the candidate's address changed")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	n, _ = nomination.Get(ctx, pool, ana, id)
	if n.Consent != nomination.ConsentNone {
		t.Fatalf("consent after address change = %s", n.Consent)
	}
}

func TestRules(t *testing.T) {
	rules := &edition.Nominations{EndorsementsMoreThan: 30}
	n := nomination.Nomination{Details: nomination.Details{CandidateOrganisation: "Seoul Metropolitan Government", CandidateIsHead: true},
		Consent: nomination.ConsentGiven}
	if n.Complete(rules) {
		t.Fatal("complete without a letter or endorsements")
	}
	n.Endorsements = 30
	if n.Complete(rules) {
		t.Fatal("complete with 30 endorsements (more than 30 needed)")
	}
	n.Endorsements = 31
	if !n.Complete(rules) {
		t.Fatalf("not complete with 31 endorsements: %v", n.Problems(rules))
	}
	n.Endorsements = 0
	at := now
	n.Letter = &nomination.Letter{Status: nomination.LetterReceived, ReceivedAt: &at, RecommenderOrganisation: "seoul metropolitan government."}
	if n.Complete(rules) || !n.LetterConflict() {
		t.Fatal("a head's letter from their own organisation counts")
	}
	n.Override = "The mayor's office and the city council are separate bodies."
	if !n.Complete(rules) {
		t.Fatalf("override not applied: %v", n.Problems(rules))
	}
	n.Override = ""
	n.CandidateIsHead = false
	if !n.Complete(rules) {
		t.Fatal("a non-head's letter from their own organisation must count")
	}
	n.Consent = nomination.ConsentRequested
	if n.Complete(rules) {
		t.Fatal("complete without consent")
	}
	n.Self = true
	if !n.Complete(rules) {
		t.Fatal("a self-nomination needs no consent")
	}
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"WeGO", "wego", true}, {"The World Smart Sustainable Cities Organization", "World Smart Sustainable Cities Organization", true},
		{"Seoul", "Busan", false}, {"", "", false},
	} {
		if got := nomination.SameOrganisation(c.a, c.b); got != c.same {
			t.Errorf("SameOrganisation(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

// TestCompleteInSQL checks that the queue's SQL function nomination_complete agrees with
// Nomination.Complete over the cases of the rules.
func TestCompleteInSQL(t *testing.T) {
	t.Parallel()
	pool, ed, cat := setup(t)
	ctx := context.Background()
	ana := nominator(t, pool, ed, cat, "ana")
	type scenario struct {
		name      string
		self      bool
		head      bool
		consent   string
		letterOrg string // "" for no letter; "-" for an invited letter
		override  string
		endorse   int
	}
	scenarios := []scenario{
		{name: "nothing"},
		{name: "consent only", consent: "given"},
		{name: "consent and letter", consent: "given", letterOrg: "WeGO"},
		{name: "letter without consent", consent: "requested", letterOrg: "WeGO"},
		{name: "self with letter", self: true, letterOrg: "WeGO"},
		{name: "head, same organisation", consent: "given", head: true, letterOrg: "the Seoul Metropolitan Government!"},
		{name: "head, same organisation, override", consent: "given", head: true, letterOrg: "Seoul Metropolitan Government", override: "separate body"},
		{name: "head, other organisation", consent: "given", head: true, letterOrg: "Busan City"},
		{name: "invited letter only", consent: "given", letterOrg: "-"},
		{name: "30 endorsements", consent: "given", endorse: 30},
		{name: "31 endorsements", consent: "given", endorse: 31},
		{name: "31 endorsements, declined", consent: "declined", endorse: 31},
	}
	for i, sc := range scenarios {
		d := thirdParty("c" + strconv.Itoa(i))
		d.Self, d.CandidateIsHead = sc.self, sc.head
		if sc.self {
			d.CandidateEmail = "self" + strconv.Itoa(i) + "@example.org"
		}
		owner := ana
		if sc.self {
			owner = nominator(t, pool, ed, cat, "self"+strconv.Itoa(i))
		}
		id, err := create(t, pool, owner, ed, cat, d)
		if err != nil {
			t.Fatal(err)
		}
		exec := func(sql string, args ...any) {
			t.Helper()
			if _, err := pool.Exec(ctx, sql, args...); err != nil {
				t.Fatalf("%s: %v", sc.name, err)
			}
		}
		if sc.consent != "" {
			exec(`UPDATE nominations SET consent = $2 WHERE application_id = $1`, id, sc.consent)
		}
		if sc.override != "" {
			exec(`UPDATE nominations SET override_reason = $2 WHERE application_id = $1`, id, sc.override)
		}
		switch sc.letterOrg {
		case "":
		case "-":
			exec(`INSERT INTO recommendation_letters (application_id, invited_name, invited_email, invited_at) VALUES ($1, 'R', 'r@x.example', now())`, id)
		default:
			exec(`INSERT INTO recommendation_letters (application_id, status, invited_name, invited_email, invited_at, received_at, recommender_organisation, letter_text)
			      VALUES ($1, 'received', 'R', 'r@x.example', now(), now(), $2, 'Letter')`, id, sc.letterOrg)
		}
		for k := range sc.endorse {
			exec(`INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at, confirmed_at)
			      VALUES ($1, 'C', 'Seoul', 'KR', $2, $2, now(), now())`, id, "e"+strconv.Itoa(k)+"@x.example")
		}
		// An unconfirmed endorsement and a second row of a confirmed address never count.
		exec(`INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at) VALUES ($1, 'C', 'Seoul', 'KR', 'u@x.example', 'u@x.example', now())`, id)
		exec(`INSERT INTO endorsements (application_id, name, city, country, email, email_norm, created_at) VALUES ($1, 'C', 'Seoul', 'KR', 'E0@x.example', 'e0@x.example', now())`, id)
		n, err := nomination.Get(ctx, pool, owner, id)
		if err != nil {
			t.Fatal(err)
		}
		var inSQL bool
		if err := pool.QueryRow(ctx, `SELECT nomination_complete($1)`, id).Scan(&inSQL); err != nil {
			t.Fatal(err)
		}
		if goSide := n.Complete(cat.Nominations); goSide != inSQL {
			t.Errorf("%s: Complete = %v, nomination_complete = %v (%v)", sc.name, goSide, inSQL, n.Problems(cat.Nominations))
		}
		want := map[string]bool{"consent and letter": true, "self with letter": true, "head, same organisation, override": true,
			"head, other organisation": true, "31 endorsements": true}[sc.name]
		if inSQL != want {
			t.Errorf("%s: complete = %v, want %v", sc.name, inSQL, want)
		}
	}
}

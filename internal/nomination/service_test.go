package nomination_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// clock is a settable clock for the service.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.at }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.at = t }

// service is the nomination service on pool at the time of c.
func service(pool *pgxpool.Pool, c *clock) *nomination.Service {
	return &nomination.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://portal.example"}, c.Now)}
}

// serviceSetup is setup with the nomination service on a clock that stands at now.
func serviceSetup(t *testing.T) (*pgxpool.Pool, *edition.Edition, *edition.Category, *clock, *nomination.Service) {
	t.Helper()
	pool, ed, cat := setup(t)
	c := &clock{at: now}
	return pool, ed, cat, c, service(pool, c)
}

// ipCtx is a request's context from the client address 192.0.2.7.
func ipCtx() context.Context { return audit.WithIP(context.Background(), "192.0.2.7") }

// mail is one queued email.
type mail struct{ to, subject, text string }

// queued returns the emails of kind in the outbox, oldest first.
func queued(t *testing.T, pool *pgxpool.Pool, kind string) []mail {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT to_address, subject, text_body FROM email_outbox WHERE kind = $1 ORDER BY id`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []mail
	for rows.Next() {
		var m mail
		if err := rows.Scan(&m.to, &m.subject, &m.text); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// audited counts the audit entries of action, and checks that each has the client's address
// when ip is set.
func audited(t *testing.T, pool *pgxpool.Pool, action, ip string) int {
	t.Helper()
	var n, withIP int
	if err := pool.QueryRow(context.Background(), `SELECT count(*), count(*) FILTER (WHERE ip = $2) FROM audit_log WHERE action = $1`,
		action, ip).Scan(&n, &withIP); err != nil {
		t.Fatal(err)
	}
	if ip != "" && withIP != n {
		t.Errorf("%s: %d of %d entries from %s", action, withIP, n, ip)
	}
	return n
}

var tokenRE = regexp.MustCompile(`/(consent|letters|endorse/confirm)/([A-Za-z0-9_-]+)`)

// tokenIn is the private-link token in the last email m.
func tokenIn(t *testing.T, ms []mail) string {
	t.Helper()
	if len(ms) == 0 {
		t.Fatal("no email")
	}
	m := tokenRE.FindStringSubmatch(ms[len(ms)-1].text)
	if m == nil {
		t.Fatalf("no link in %q", ms[len(ms)-1].text)
	}
	return m[2]
}

// secretariat creates a member of ed's secretariat and returns them as an actor.
func secretariat(t *testing.T, pool *pgxpool.Pool, ed *edition.Edition, login string) authz.Actor {
	t.Helper()
	id := nominator(t, pool, ed, &ed.Categories[0], login)
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, id, ed.ID)
	return authz.Actor{UserID: id, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: ed.ID}}}
}

// askConsent asks the candidate of owner's nomination id for consent as the nominator does, and
// returns the link's token.
func askConsent(t *testing.T, pool *pgxpool.Pool, cat *edition.Category, owner, id int64) string {
	t.Helper()
	ctx := context.Background()
	if err := nomination.RequestConsent(ctx, pool, owner, id, now); err != nil {
		t.Fatal(err)
	}
	token, err := link.New(ctx, pool, nomination.LinkConsent, id, cat.Nominations.LetterDeadline, now)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// TestServiceConsent: the candidate answers once through the link, the nominator is told; after
// a decline only the secretariat asks again, with a new link (DOMAIN.md "Leadership
// nominations": a nomination needs the candidate's permission).
func TestServiceConsent(t *testing.T) {
	t.Parallel()
	pool, ed, cat, c, svc := serviceSetup(t)
	ctx := ipCtx()
	ana, id := nominated(t, pool, ed, cat, "ana", "kim")
	token := askConsent(t, pool, cat, ana, id)
	if _, err := svc.Consent(ctx, "no-such-token"); !errors.Is(err, link.ErrUnknown) {
		t.Fatalf("unknown token: %v", err)
	}
	if tg, err := svc.Consent(ctx, token); err != nil || tg.Nomination.ApplicationID != id || tg.Category.ID != cat.ID {
		t.Fatalf("consent target: %+v %v", tg, err)
	}
	if _, err := svc.AnswerConsent(ctx, token, false, nomination.Candidate{}, strings.Repeat("x", nomination.MaxConsentNote+1)); !errors.Is(err, nomination.ErrConsentNoteTooLong) {
		t.Fatalf("long note: %v", err)
	}
	c.Set(now.Add(time.Hour))
	tg, err := svc.AnswerConsent(ctx, token, false, nomination.Candidate{}, " Not this year. ")
	if err != nil || tg.Nomination.Consent != nomination.ConsentDeclined || tg.Nomination.ConsentNote != "Not this year." {
		t.Fatalf("decline: %+v %v", tg, err)
	}
	if ms := queued(t, pool, "nomination-consent-answer"); len(ms) != 1 || ms[0].to != "ana@example.org" ||
		!strings.Contains(ms[0].text, "Their message: Not this year.") {
		t.Fatalf("nominator's emails: %+v", ms)
	}
	if n := audited(t, pool, "nomination.consent", "192.0.2.7"); n != 1 {
		t.Fatalf("audit entries: %d", n)
	}
	// It answers once: a second answer shows where it stands.
	tg, err = svc.AnswerConsent(ctx, token, true, nomination.CandidateOf(&tg.Nomination), "")
	if !errors.Is(err, db.ErrConflict) || tg == nil || tg.Nomination.Consent != nomination.ConsentDeclined {
		t.Fatalf("second answer: %+v %v", tg, err)
	}

	// Only the secretariat of the edition asks again.
	if _, err := svc.ReaskConsent(ctx, authz.Actor{UserID: ana}, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("reask by the nominator: %v", err)
	}
	sec := secretariat(t, pool, ed, "sec")
	p, err := svc.ReaskConsent(ctx, sec, id)
	if err != nil || p.Nomination.ApplicationID != id {
		t.Fatalf("reask: %v", err)
	}
	ms := queued(t, pool, "nomination-consent")
	if len(ms) != 1 || ms[0].to != "kim@city.example" {
		t.Fatalf("candidate's emails: %+v", ms)
	}
	if _, err := svc.Consent(ctx, token); !errors.Is(err, link.ErrUsed) {
		t.Fatalf("the earlier link after asking again: %v", err)
	}
	if _, err := svc.AnswerConsent(ctx, tokenIn(t, ms), true, nomination.CandidateOf(&p.Nomination), ""); err != nil {
		t.Fatalf("consent through the new link: %v", err)
	}
	if _, err := svc.ReaskConsent(ctx, sec, id); !errors.Is(err, db.ErrConflict) || faultText(err) != nomination.ErrNotDeclined.Message {
		t.Fatalf("reask after consent: %v", err)
	}
	if n := audited(t, pool, "nomination.consent_reask", "192.0.2.7"); n != 1 {
		t.Fatalf("reask audit entries: %d", n)
	}
	c.Set(cat.Nominations.LetterDeadline)
	if _, err := svc.ReaskConsent(ctx, sec, id); !errors.Is(err, nomination.ErrConsentDeadline) {
		t.Fatalf("reask after the deadline: %v", err)
	}
}

// TestConsentConfirmsCandidate: the candidate confirms their facts when consenting and may
// correct them; the corrected ones are stored and audited, refused ones change nothing (the
// candidate is the participant: their place is theirs, not the nominator's).
func TestConsentConfirmsCandidate(t *testing.T) {
	t.Parallel()
	pool, ed, cat, _, svc := serviceSetup(t)
	ctx := ipCtx()
	ana, id := nominated(t, pool, ed, cat, "ana", "kim")
	token := askConsent(t, pool, cat, ana, id)
	tg, err := svc.Consent(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	c := nomination.CandidateOf(&tg.Nomination)
	c.City, c.Country = " ", "XX"
	var errs field.Errors
	if _, err := svc.AnswerConsent(ctx, token, true, c, ""); !errors.As(err, &errs) ||
		errs.Get("candidate_city") == "" || errs.Get("candidate_country") == "" || len(errs) != 2 {
		t.Fatalf("a consent with no city and an unknown country: %v", err)
	}
	if got, _ := nomination.ByID(ctx, pool, id); got.Consent != nomination.ConsentRequested {
		t.Fatalf("a refused consent was recorded: %s", got.Consent)
	}
	c.Name, c.City, c.Country = "Kim Min-ji", "Busan", "kr"
	tg, err = svc.AnswerConsent(ctx, token, true, c, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := tg.Nomination; n.Consent != nomination.ConsentGiven || n.CandidateName != "Kim Min-ji" ||
		n.CandidateCity != "Busan" || n.CandidateCountry != "KR" || n.CandidateOrganisation != "Seoul Metropolitan Government" {
		t.Fatalf("after consent: %+v", n)
	}
	var corrected string
	if err := pool.QueryRow(ctx, `SELECT details->>'corrected' FROM audit_log WHERE action = 'nomination.consent'`).Scan(&corrected); err != nil ||
		corrected != `["name", "city"]` {
		t.Fatalf("audited corrections: %q %v", corrected, err)
	}
}

// TestServiceOverride: the secretariat accepts a letter from the candidate's own organisation
// only with a reason, and may remove the exception.
func TestServiceOverride(t *testing.T) {
	t.Parallel()
	pool, ed, cat, _, svc := serviceSetup(t)
	ctx := ipCtx()
	ana, id := nominated(t, pool, ed, cat, "ana", "kim")
	sec := secretariat(t, pool, ed, "sec")
	if _, err := svc.SetOverride(ctx, authz.Actor{UserID: ana}, id, "because"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("override by the nominator: %v", err)
	}
	if _, err := svc.SetOverride(ctx, sec, id, "  "); !errors.Is(err, nomination.ErrOverrideNoReason) {
		t.Fatalf("override without a reason: %v", err)
	}
	if _, err := svc.SetOverride(ctx, sec, id, strings.Repeat("x", nomination.MaxOverrideReason+1)); !errors.Is(err, nomination.ErrOverrideTooLong) {
		t.Fatalf("long reason: %v", err)
	}
	if _, err := svc.SetOverride(ctx, sec, id, "The city has no other head."); err != nil {
		t.Fatal(err)
	}
	p, err := svc.ForSecretariat(ctx, sec, id)
	if err != nil || p.Nomination.Override != "The city has no other head." {
		t.Fatalf("after the override: %+v %v", p, err)
	}
	if _, err := svc.SetOverride(ctx, sec, id, ""); err != nil {
		t.Fatalf("removing the override: %v", err)
	}
	if p, _ := svc.ForSecretariat(ctx, sec, id); p.Nomination.Override != "" {
		t.Fatalf("override after removal: %q", p.Nomination.Override)
	}
	if n := audited(t, pool, "nomination.override", "192.0.2.7"); n != 2 {
		t.Fatalf("audit entries: %d", n)
	}
}

// faultText is the user text of err's domain refusal; "" when it carries none.
func faultText(err error) string {
	if f, ok := fault.As(err); ok {
		return f.Message
	}
	return ""
}

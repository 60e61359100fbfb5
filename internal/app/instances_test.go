package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/ranking/rankingtest"
)

// Several instances (README "Operations"): two `portal serve` processes on one Postgres, a client
// talking to both as through a load balancer.

// TestTwoInstancesShareSessions: a session started on instance A is valid on B, and signing out
// on B ends it on A too.
func TestTwoInstancesShareSessions(t *testing.T) {
	t.Parallel()
	dbURL, pool := openEditionDB(t)
	seedApplicants(t, pool, "kim", 1)
	a := startPortal(t, "A", "DATABASE_URL="+dbURL)
	b := startPortal(t, "B", "DATABASE_URL="+dbURL)

	br := newBrowser()
	br.signIn(t, a.base, "kim1")
	signedIn := br.cookie
	if r := must(t)(br.get(b.base, "/dashboard")); r.status != http.StatusOK || !strings.Contains(r.body, "Applicant kim1") {
		t.Fatalf("B with A's session: %d, want the dashboard of kim1\n%s", r.status, r.body)
	}
	// Work done on B under the session is seen on A.
	if err := saveAndSubmit(br, b.base, "kim1", "Shared session"); err != nil {
		t.Fatalf("save and submit on B: %v", err)
	}
	if r := must(t)(br.get(a.base, "/application/status")); r.status != http.StatusOK || !strings.Contains(r.body, "Shared session") {
		t.Fatalf("A after submitting on B: %d\n%s", r.status, r.body)
	}

	if r := must(t)(br.post(b.base, "/signout", nil)); r.status != http.StatusSeeOther {
		t.Fatalf("sign out on B: %d", r.status)
	}
	// The old cookie, replayed on A, is signed out.
	stale := newBrowser()
	stale.cookie = signedIn
	if r := must(t)(stale.get(a.base, "/dashboard")); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/signin") {
		t.Fatalf("A with the session ended on B: %d %q, want a redirect to sign in", r.status, r.location)
	}
}

// TestTwoInstancesShareRateLimits: abuse limits are counted in Postgres, so attempts split
// across A and B reach a limit at the same total as on one instance.
func TestTwoInstancesShareRateLimits(t *testing.T) {
	t.Parallel()
	dbURL, pool := openEditionDB(t)
	logins := seedApplicants(t, pool, "lee", 4)
	a := startPortal(t, "A", "DATABASE_URL="+dbURL)
	b := startPortal(t, "B", "DATABASE_URL="+dbURL)
	at := []*instance{a, b}

	// Password-reset requests: at most 5 an hour from one address (throttle.ResetRequest).
	br := newBrowser()
	for i := range 5 {
		if r := must(t)(br.post(at[i%2].base, "/password/forgot", url.Values{"login": {logins[0]}})); r.status != http.StatusOK {
			t.Fatalf("reset request %d on %s: %d, want 200", i+1, at[i%2].name, r.status)
		}
	}
	for _, in := range at {
		r := must(t)(br.post(in.base, "/password/forgot", url.Values{"login": {logins[0]}}))
		if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "Too many reset requests") {
			t.Fatalf("6th reset request, on %s: %d, want 429", in.name, r.status)
		}
	}

	// Sign-in: 3 failures of an account pass freely (throttle.SignInAccount), then each attempt
	// must wait (1 second after the 3rd). Three failures split over A and B, then the right
	// password on B at once: refused. The wait is real time, so an attempt that took longer
	// than the wait (a very slow machine) proves nothing and is tried again with another account.
	// (At most three tries: the failures also count against the address, which allows 10.)
	for try, login := range logins[1:4] {
		start := time.Now()
		for i, in := range []*instance{a, b, a} {
			r := must(t)(newBrowser().post(in.base, "/signin", url.Values{"login": {login}, "password": {"wrong"}}))
			if r.status != http.StatusUnauthorized {
				t.Fatalf("failure %d on %s: %d, want 401", i+1, in.name, r.status)
			}
		}
		r := must(t)(newBrowser().post(b.base, "/signin", url.Values{"login": {login}, "password": {testPassword}}))
		if time.Since(start) >= time.Second {
			t.Logf("try %d took longer than the 1s wait; trying again", try+1)
			continue
		}
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Fatalf("4th attempt, on B after 2 failures on A and 1 on B: %d (Retry-After %q), want 429", r.status, r.header.Get("Retry-After"))
		}
		return
	}
	t.Fatal("every sign-in try took longer than the throttle's 1s wait")
}

// TestTwoInstancesSendEachEmailOnce: both instances run outbox workers against one SMTP
// server; emails queued through either instance (submission receipts) and emails scheduled for
// later (SendAfter) are each delivered exactly once.
func TestTwoInstancesSendEachEmailOnce(t *testing.T) {
	t.Parallel()
	dbURL, pool := openEditionDB(t)
	const applicants, scheduled = 12, 20
	logins := seedApplicants(t, pool, "park", applicants)
	smtp := notifytest.StartSMTP(t)
	env := []string{"DATABASE_URL=" + dbURL, "PORTAL_SMTP_URL=" + smtp.URL()}
	a := startPortal(t, "A", env...)
	b := startPortal(t, "B", env...)

	// Emails scheduled a little ahead, as outcome emails are (SendAfter).
	sendAfter := time.Now().Add(2 * time.Second)
	err := db.InTx(context.Background(), pool, func(tx pgx.Tx) error {
		outbox := notify.NewOutbox(pool)
		for i := range scheduled {
			if _, err := outbox.Queue(context.Background(), tx, notify.Message{To: fmt.Sprintf("later%d@example.org", i), Kind: "test-scheduled",
				Subject: "Scheduled", Text: "Later", SendAfter: sendAfter}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Receipts queued through both instances at once.
	var wg sync.WaitGroup
	errs := make([]error, applicants)
	for i, login := range logins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = submitJourney(newBrowser(), []*instance{a, b}[i%2].base, login, "Project "+login)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("applicant %s: %v", logins[i], err)
		}
	}
	early := 0
	for _, m := range smtp.Messages() {
		if m.Subject == "Scheduled" {
			early++
		}
	}
	if early > 0 && time.Now().Before(sendAfter) {
		t.Fatalf("%d scheduled emails were sent before their time", early)
	}

	total := applicants + scheduled
	waitFor(t, 60*time.Second, "every email sent and every send job completed", func() bool {
		return queryInt(t, pool, `SELECT count(*) FROM email_outbox WHERE sent_at IS NOT NULL`) == total &&
			queryInt(t, pool, `SELECT count(*) FROM river_job WHERE kind = 'email.send' AND state <> 'completed'`) == 0
	})
	// Every send job is finished, so nothing more can arrive: count what the server received.
	got := map[string]int{}
	for _, m := range smtp.Messages() {
		got[m.To]++
	}
	for _, login := range logins {
		if n := got[login+"@example.org"]; n != 1 {
			t.Errorf("%s received %d receipts, want 1", login, n)
		}
	}
	for i := range scheduled {
		if n := got[fmt.Sprintf("later%d@example.org", i)]; n != 1 {
			t.Errorf("later%d received %d scheduled emails, want 1", i, n)
		}
	}
	if len(smtp.Messages()) != total {
		t.Errorf("the SMTP server received %d messages, want %d", len(smtp.Messages()), total)
	}
	if n := queryInt(t, pool, `SELECT count(*) FROM email_outbox WHERE attempts <> 1`); n != 0 {
		t.Errorf("%d emails took more than one attempt", n)
	}
	t.Logf("send jobs worked by %d distinct workers", queryInt(t, pool,
		`SELECT count(DISTINCT w) FROM river_job, unnest(attempted_by) w WHERE kind = 'email.send'`))
}

// TestResultsAnnouncedOnceAcrossInstances: the results announcement is a periodic River task;
// with two instances running it, each semi-finalist is emailed its outcome exactly once and
// the announcement is recorded once.
func TestResultsAnnouncedOnceAcrossInstances(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.NewURL(t)
	pool := openPool(t, dbURL)
	ctx := context.Background()
	// seoul-2023 as it was: its winners were announced on 31 July 2023, so the announcement is
	// due as soon as the portal runs.
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	edID := editiontest.Import(t, pool, "seoul-2023")[0].ID
	chair := rankingtest.Evaluator(t, pool, edID, "chair", "council")
	sec := rankingtest.Evaluator(t, pool, edID, "sec", "secretariat")
	var entries []int64
	for i, l := range []string{"a", "b", "c", "d"} {
		id := rankingtest.Entry(t, pool, edID, "tech-innovacity", "entry"+l, "Entry "+strings.ToUpper(l))
		entries = append(entries, id)
		exec(`INSERT INTO role_grants (user_id, role, edition_id) SELECT user_id, 'applicant', edition_id FROM applications WHERE id = $1`, id)
		exec(`INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
			SELECT $1, $2, category_id, 'ranking', $3, now() FROM applications WHERE id = $1`, id, edID, i+1)
	}
	exec(`INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at)
		SELECT $1, id, $2, now() FROM categories WHERE edition_id = $1 AND key = 'tech-innovacity'`, edID, sec)
	for i, prize := range []string{"First Prize", "Second Prize", "Third Prize"} {
		exec(`INSERT INTO awards (application_id, edition_id, category_id, place, prize_name, confirmed_by, confirmed_at)
			SELECT id, edition_id, category_id, $2, $3, $4, now() FROM applications WHERE id = $1`, entries[i], i+1, prize, chair)
	}

	smtp := notifytest.StartSMTP(t)
	env := []string{"DATABASE_URL=" + dbURL, "PORTAL_SMTP_URL=" + smtp.URL()}
	// Both start together, so both are candidates to schedule the task.
	var wg sync.WaitGroup
	for _, name := range []string{"A", "B"} {
		wg.Add(1)
		go func() { defer wg.Done(); startPortal(t, name, env...) }()
	}
	wg.Wait()

	waitFor(t, 60*time.Second, "the results emails sent", func() bool {
		return queryInt(t, pool, `SELECT count(*) FROM email_outbox WHERE kind LIKE 'results-%' AND sent_at IS NOT NULL`) == 4 &&
			queryInt(t, pool, `SELECT count(*) FROM river_job WHERE kind = 'email.send' AND state <> 'completed'`) == 0
	})
	for _, l := range []string{"a", "b", "c", "d"} {
		if n := len(smtp.MessagesTo("entry" + l + "@example.org")); n != 1 {
			t.Errorf("entry%s received %d results emails, want 1", l, n)
		}
	}
	if n := queryInt(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'results.announce'`); n != 1 {
		t.Errorf("the announcement was recorded %d times, want once", n)
	}
	if n := queryInt(t, pool, `SELECT count(*) FROM email_outbox`); n != 4 {
		t.Errorf("%d emails queued, want the 4 results emails", n)
	}
	t.Logf("results-announcement task jobs: %d", queryInt(t, pool, `SELECT count(*) FROM river_job WHERE kind = 'task' AND args->>'name' = 'results-announcement'`))
}

package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"prizeportal/internal/db"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/tools/localpg"
)

// Faults (README "Operations"): the portal killed during the deadline surge, Postgres restarted
// under load, the mail server down for a while.

// TestSubmissionsSurviveSIGKILL: many applicants, each with their own session, sign in, save
// and submit at once; the server is killed with SIGKILL in the middle of it. Every submission
// the portal acknowledged (its 303 after the submit) is in the database as submitted, with its
// receipt queued, and the restarted portal shows it to its applicant.
func TestSubmissionsSurviveSIGKILL(t *testing.T) {
	t.Parallel()
	dbURL, pool := openEditionDB(t)
	const applicants, clients, killAfter = 240, 24, 40
	logins := seedApplicants(t, pool, "surge", applicants)
	env := []string{"DATABASE_URL=" + dbURL, "PORTAL_DB_MAX_CONNS=20"}
	first := startPortal(t, "first", env...)

	var (
		mu       sync.Mutex
		acked    []string
		started  []string
		killed   atomic.Bool
		inFlight atomic.Int32
		next     = make(chan string, applicants)
		wg       sync.WaitGroup
	)
	for _, l := range logins {
		next <- l
	}
	close(next)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for login := range next {
				if killed.Load() {
					return
				}
				mu.Lock()
				started = append(started, login)
				mu.Unlock()
				inFlight.Add(1)
				err := submitJourney(newBrowser(), first.base, login, "Surge "+login)
				inFlight.Add(-1)
				switch {
				case err == nil:
					mu.Lock()
					acked = append(acked, login)
					mu.Unlock()
				case killed.Load():
					// a request cut short by the kill: not acknowledged
				case errors.Is(err, errNotAcknowledged):
					t.Errorf("%s refused before the kill: %v", login, err)
				default:
					t.Errorf("%s failed before the kill: %v", login, err)
				}
			}
		}()
	}
	waitFor(t, 120*time.Second, "the first acknowledged submissions", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(acked) >= killAfter
	})
	busy := inFlight.Load()
	killed.Store(true)
	first.kill()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if busy == 0 {
		t.Fatal("no applicant was in the middle of a journey at the kill: the test proves nothing")
	}
	submitted := queryInt(t, pool, `SELECT count(*) FROM applications WHERE status = 'submitted'`)
	t.Logf("killed with %d journeys in flight; %d submissions acknowledged, %d submitted in the database", busy, len(acked), submitted)

	for _, login := range acked {
		title := "Surge " + login
		n := queryInt(t, pool, `
			SELECT count(*) FROM applications a JOIN users u ON u.id = a.user_id
			JOIN application_versions v ON v.application_id = a.id AND v.number = 1
			WHERE u.login_id = $1 AND a.status = 'submitted' AND a.submitted_version = a.version
			  AND a.answers->'project_title'->>'text' = $2 AND v.answers->'project_title'->>'text' = $2`, login, title)
		if n != 1 {
			t.Errorf("%s: the acknowledged submission is not in the database as submitted", login)
		}
		if n := queryInt(t, pool, `SELECT count(*) FROM email_outbox WHERE to_address = $1 AND kind = 'application-receipt'`, login+"@example.org"); n != 1 {
			t.Errorf("%s: %d receipts queued, want 1", login, n)
		}
	}
	if submitted < len(acked) {
		t.Errorf("%d submitted in the database, fewer than the %d acknowledged", submitted, len(acked))
	}

	// After a restart each acknowledged applicant sees the submission.
	restarted := startPortal(t, "restarted", env...)
	for _, login := range acked[:min(len(acked), 10)] {
		b := newBrowser()
		b.signIn(t, restarted.base, login)
		r := must(t)(b.get(restarted.base, "/application/status"))
		if r.status != http.StatusOK || !strings.Contains(r.body, "Surge "+login) {
			t.Errorf("%s after the restart: %d, the status page does not show the submission", login, r.status)
		}
	}
	// The journeys the kill cut short finish on the restarted portal (a submission committed
	// before the kill whose answer was lost is "already submitted"): nothing is left half-done.
	done := map[string]bool{}
	for _, login := range acked {
		done[login] = true
	}
	for _, login := range started {
		if done[login] {
			continue
		}
		b := newBrowser()
		b.signIn(t, restarted.base, login)
		r := must(t)(b.get(restarted.base, "/application/review"))
		if r.status != http.StatusOK {
			t.Fatalf("%s: review after the restart: %d", login, r.status)
		}
		m := versionRE.FindStringSubmatch(r.body)
		if m == nil {
			continue // no submit form: submitted before the kill (the count below checks it)
		}
		r = must(t)(b.post(restarted.base, "/application/submit", url.Values{"version": {m[1]}}))
		if r.status != http.StatusSeeOther && (r.status != http.StatusConflict || !strings.Contains(r.body, "already submitted")) {
			t.Errorf("%s: submit after the restart: %d", login, r.status)
		}
	}
	if n := queryInt(t, pool, `SELECT count(*) FROM applications a JOIN users u ON u.id = a.user_id
		WHERE u.login_id = ANY($1) AND a.status = 'submitted'`, started); n != len(started) {
		t.Errorf("%d of the %d applicants who started are submitted in the end", n, len(started))
	}
}

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

// TestPostgresRestartGives503AndRecovers restarts the database under a steady load: meanwhile
// every page is a clear 503 "temporarily unavailable" with Retry-After (never a 500), /readyz
// says not ready while /healthz (liveness) stays up; once Postgres is back the same process
// serves again by itself, sessions from before included.
func TestPostgresRestartGives503AndRecovers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "portal-pgrestart-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	cluster, err := localpg.Start(ctx, localpg.Options{DataDir: filepath.Join(dir, "data"), Database: "prizeportal", Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cluster.Stop() })
	dbURL := cluster.URL("")
	pool := openPool(t, dbURL)
	if _, err := db.Migrate(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	editiontest.ImportOpen(t, pool, "seoul-2023", time.Now())
	logins := seedApplicants(t, pool, "ha", 4)
	p := startPortal(t, "portal", "DATABASE_URL="+dbURL)
	pid := p.cmd.Process.Pid

	users := make([]*browser, len(logins))
	for i, l := range logins {
		users[i] = newBrowser()
		users[i].signIn(t, p.base, l)
	}

	// The load: signed-in users and anonymous visitors, until stopped.
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		bad      []string
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	record := func(path string, r reply, err error) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			bad = append(bad, path+": "+err.Error())
		case r.status == http.StatusServiceUnavailable:
			statuses[r.status]++
			if r.header.Get("Retry-After") == "" || !strings.Contains(r.body, "temporarily unavailable") {
				bad = append(bad, path+": a 503 without Retry-After or without its page")
			}
		case r.status == http.StatusOK:
			statuses[r.status]++
		default:
			statuses[r.status]++
			bad = append(bad, path+": status "+http.StatusText(r.status))
		}
	}
	count := func(status int) int {
		mu.Lock()
		defer mu.Unlock()
		return statuses[status]
	}
	for i := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			anon := newBrowser()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, path := range []string{"/dashboard", "/application"} {
					r, err := users[i].get(p.base, path)
					record(path, r, err)
				}
				r, err := anon.get(p.base, "/")
				record("/", r, err)
			}
		}()
	}
	waitFor(t, 30*time.Second, "some load served", func() bool { return count(200) >= 20 })

	var down struct {
		home, dashboard, save, readyz, healthz reply
	}
	err = cluster.Restart(ctx, func() {
		// While Postgres is down: wait for the load to meet it, then look at each kind of page.
		waitFor(t, 30*time.Second, "503 pages under load", func() bool { return count(503) >= 20 })
		b := newBrowser()
		down.home = must(t)(b.get(p.base, "/"))
		down.dashboard = must(t)(users[0].get(p.base, "/dashboard"))
		down.save = must(t)(users[1].postMultipart(p.base, "/application/sections/project", url.Values{"version": {"1"}, "action": {"save"}, "q.project_title": {"Lost"}}))
		down.readyz = must(t)(b.get(p.base, "/readyz"))
		down.healthz = must(t)(b.get(p.base, "/healthz"))
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]reply{"home page": down.home, "signed-in dashboard": down.dashboard, "section save (POST)": down.save} {
		if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" ||
			!strings.Contains(r.body, "The portal is temporarily unavailable") || !strings.Contains(r.body, "try again") {
			t.Errorf("%s while Postgres is down: %d, Retry-After %q, want the 503 page\n%s", name, r.status, r.header.Get("Retry-After"), r.body)
		}
	}
	if down.readyz.status != http.StatusServiceUnavailable {
		t.Errorf("/readyz while Postgres is down: %d, want 503", down.readyz.status)
	}
	if down.healthz.status != http.StatusOK {
		t.Errorf("/healthz (liveness) while Postgres is down: %d, want 200: the process itself is fine", down.healthz.status)
	}

	// Back: the same process recovers by itself.
	served := count(200)
	waitFor(t, 60*time.Second, "the portal serving again", func() bool {
		r, err := newBrowser().get(p.base, "/readyz")
		return err == nil && r.status == http.StatusOK && count(200) >= served+20
	})
	close(stop)
	wg.Wait()
	// A session from before the restart still works, and writes go through.
	waitFor(t, 30*time.Second, "the session from before the restart", func() bool {
		r, err := users[2].get(p.base, "/dashboard")
		return err == nil && r.status == http.StatusOK && strings.Contains(r.body, "Applicant ha3")
	})
	if err := saveAndSubmit(users[3], p.base, "ha4", "After the restart"); err != nil {
		t.Errorf("submit after the restart: %v", err)
	}
	if p.cmd.Process.Pid != pid {
		t.Fatal("the portal process changed")
	}
	select {
	case <-p.exited:
		t.Fatalf("the portal exited:\n%s", p.errOut.String())
	default:
	}
	mu.Lock()
	defer mu.Unlock()
	t.Logf("statuses under load: %v", statuses)
	if len(bad) > 0 {
		t.Errorf("%d bad answers under load (only 200 and the 503 page are right), first: %v", len(bad), bad[:min(len(bad), 5)])
		seen := map[string]bool{}
		for _, line := range strings.Split(p.errOut.String(), "\n") {
			if i := strings.Index(line, "err="); i >= 0 && strings.Contains(line, "request failed") && !seen[line[i:]] {
				seen[line[i:]] = true
				t.Logf("the portal logged %s", line[i:])
			}
		}
	}
	if strings.Contains(p.errOut.String(), "panic") {
		t.Errorf("the portal panicked:\n%s", p.errOut.String())
	}
}

// TestSMTPOutageDelaysButLosesNoEmail: emails queued while the mail server is down are retried
// (quickly here: PORTAL_MAIL_RETRY_MAX_DELAY) and all delivered once it is back, each once.
func TestSMTPOutageDelaysButLosesNoEmail(t *testing.T) {
	t.Parallel()
	dbURL, pool := openEditionDB(t)
	logins := seedApplicants(t, pool, "choi", 10)
	smtp := notifytest.StartSMTP(t)
	smtp.Stop()
	p := startPortal(t, "portal", "DATABASE_URL="+dbURL, "PORTAL_SMTP_URL="+smtp.URL(), "PORTAL_MAIL_RETRY_MAX_DELAY=500ms")

	// Receipts and password-reset links, queued while the mail server is down.
	var wg sync.WaitGroup
	errs := make([]error, len(logins))
	for i, login := range logins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = submitJourney(newBrowser(), p.base, login, "Project "+login)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v", logins[i], err)
		}
	}
	for _, login := range logins[:3] {
		if r := must(t)(newBrowser().post(p.base, "/password/forgot", url.Values{"login": {login}})); r.status != http.StatusOK {
			t.Fatalf("reset request: %d", r.status)
		}
	}
	total := len(logins) + 3
	if n := queryInt(t, pool, `SELECT count(*) FROM email_outbox`); n != total {
		t.Fatalf("%d emails queued, want %d", n, total)
	}
	// Three failed attempts each: with River's own backoff (attempt⁴ seconds) the third would
	// come 17 seconds after the first and the fourth 81 seconds after that, so this also shows the
	// configured cap at work.
	waitFor(t, 60*time.Second, "every email tried and failed three times", func() bool {
		return queryInt(t, pool, `SELECT count(*) FROM email_outbox WHERE attempts >= 3 AND last_error <> '' AND sent_at IS NULL`) == total
	})
	if n := len(smtp.Messages()); n != 0 {
		t.Fatalf("%d messages arrived while the server was down", n)
	}

	smtp.Restart()
	waitFor(t, 60*time.Second, "every email sent and every send job completed", func() bool {
		return queryInt(t, pool, `SELECT count(*) FROM email_outbox WHERE sent_at IS NOT NULL`) == total &&
			queryInt(t, pool, `SELECT count(*) FROM river_job WHERE kind = 'email.send' AND state <> 'completed'`) == 0
	})
	if n := len(smtp.Messages()); n != total {
		t.Errorf("the SMTP server received %d messages, want %d", n, total)
	}
	for i, login := range logins {
		want := 1 // the receipt
		if i < 3 {
			want = 2 // and the reset link
		}
		if n := len(smtp.MessagesTo(login + "@example.org")); n != want {
			t.Errorf("%s received %d messages, want %d", login, n, want)
		}
	}
}

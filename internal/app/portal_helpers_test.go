package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/form/formtest"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/tools/logbuf"
)

// The helpers of the multi-instance and fault tests: real `portal serve` processes (this test
// binary re-executed, see TestMain), a small HTTP client with its own session cookie, and the
// seeding of applicants whose drafts are complete.

// instance is one `portal serve` process started by a test.
type instance struct {
	name   string
	cmd    *exec.Cmd
	base   string // http://127.0.0.1:port
	out    *logbuf.Buffer
	errOut *logbuf.Buffer
	exited chan struct{}
}

var listeningRE = regexp.MustCompile(`listening on (\S+)\)`)

// startPortal runs `portal serve` with env (DATABASE_URL and more) on a free loopback port and
// waits until it serves. The process is stopped when the test ends if it still runs.
func startPortal(t *testing.T, name string, env ...string) *instance {
	t.Helper()
	env = append([]string{"PORTAL_ADDR=127.0.0.1:0", "PORTAL_LOG_LEVEL=warn", "PORTAL_DATA_DIR=" + t.TempDir(),
		"PORTAL_SHUTDOWN_TIMEOUT=5s"}, env...)
	cmd := portal(t, env, "serve")
	in := &instance{name: name, cmd: cmd, out: &logbuf.Buffer{}, errOut: &logbuf.Buffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = in.out, in.errOut
	// Should this test binary die (a timeout), the portal goes too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = cmd.Wait()
		close(in.exited)
	}()
	t.Cleanup(func() { in.stop(t) })
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := listeningRE.FindStringSubmatch(in.out.String()); m != nil {
			in.base = "http://" + m[1]
			return in
		}
		select {
		case <-in.exited:
			t.Fatalf("portal %s exited before serving:\n%s\n%s", name, in.out.String(), in.errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("portal %s did not start within 60s:\n%s", name, in.errOut.String())
		}
	}
}

// stop ends the process gracefully (SIGTERM), or kills it after 30 seconds.
func (in *instance) stop(t *testing.T) {
	select {
	case <-in.exited:
		return
	default:
	}
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.exited:
	case <-time.After(30 * time.Second):
		_ = in.cmd.Process.Kill()
		<-in.exited
		t.Errorf("portal %s did not stop within 30s of SIGTERM", in.name)
	}
}

// kill ends the process with SIGKILL, as a crash or the OOM killer would, and waits for it.
func (in *instance) kill() {
	_ = in.cmd.Process.Signal(syscall.SIGKILL)
	<-in.exited
}

// reply is a response with its body read.
type reply struct {
	status   int
	location string
	header   http.Header
	body     string
}

// browser is one user's browser: its own session cookie, sent to whichever instance it asks
// (as behind a load balancer). Redirects are not followed.
type browser struct {
	http   *http.Client
	cookie string
}

const sessionCookie = "portal_session"

func newBrowser() *browser {
	return &browser{http: &http.Client{
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// send makes the request with the browser's cookie and keeps the cookie the server sets.
func (b *browser) send(req *http.Request) (reply, error) {
	if b.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: b.cookie})
	}
	res, err := b.http.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return reply{}, err
	}
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			if c.MaxAge < 0 || c.Value == "" {
				b.cookie = ""
			} else {
				b.cookie = c.Value
			}
		}
	}
	return reply{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header, body: string(body)}, nil
}

func (b *browser) get(base, path string) (reply, error) {
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		return reply{}, err
	}
	return b.send(req)
}

func (b *browser) post(base, path string, values url.Values) (reply, error) {
	req, err := http.NewRequest("POST", base+path, strings.NewReader(values.Encode()))
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

// postMultipart posts values as multipart/form-data, as the application's section pages do.
func (b *browser) postMultipart(base, path string, values url.Values) (reply, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range values {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				return reply{}, err
			}
		}
	}
	if err := mw.Close(); err != nil {
		return reply{}, err
	}
	req, err := http.NewRequest("POST", base+path, &body)
	if err != nil {
		return reply{}, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.send(req)
}

// must fails the test on a transport error: must(t)(b.get(base, path)).
func must(t *testing.T) func(reply, error) reply {
	return func(r reply, err error) reply {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
}

// signIn signs the browser in at base; it fails unless the portal answers with a redirect.
func (b *browser) signIn(t *testing.T, base, login string) {
	t.Helper()
	r := must(t)(b.post(base, "/signin", url.Values{"login": {login}, "password": {testPassword}}))
	if r.status != http.StatusSeeOther || b.cookie == "" {
		t.Fatalf("sign in %s at %s: %d %q\n%s", login, base, r.status, r.location, r.body)
	}
}

// testPassword is every seeded account's password.
const testPassword = "correct horse battery staple"

// openPool opens a small pool on url for the test's own queries.
func openPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := db.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// openEditionDB is a fresh database (dbtest.NewURL) with its connection string and a pool on it,
// seoul-2023 imported open now (importOpenEdition).
func openEditionDB(t *testing.T) (string, *pgxpool.Pool) {
	t.Helper()
	url := dbtest.NewURL(t)
	pool := openPool(t, url)
	editiontest.ImportOpen(t, pool, "seoul-2023", time.Now())
	return url, pool
}

// seedApplicants creates n applicants of Tech-InnovaCity (logins prefix1..prefixN, email
// verified, password testPassword), each with a complete draft at version 1, and returns the
// logins.
func seedApplicants(t *testing.T, pool *pgxpool.Pool, prefix string, n int) []string {
	t.Helper()
	ctx := context.Background()
	hash, err := account.HashPassword(testPassword, account.TestHashParams)
	if err != nil {
		t.Fatal(err)
	}
	answers, err := json.Marshal(completeAnswers(t, pool))
	if err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(ctx, `
		WITH c AS (SELECT c.id, c.edition_id FROM categories c JOIN editions e ON e.id = c.edition_id
		           WHERE e.slug = 'seoul-2023' AND c.key = 'tech-innovacity'),
		u AS (
			INSERT INTO users (login_id, email, name, password_hash, email_verified_at, entity_type, country, city, organisation, edition_id, category_id)
			SELECT $1 || i, $1 || i || '@example.org', 'Applicant ' || $1 || i, $2, now(), 'city', 'KR', 'Seoul', 'City of Seoul', c.edition_id, c.id
			FROM generate_series(1, $3::int) i, c RETURNING id, edition_id, category_id),
		g AS (INSERT INTO role_grants (user_id, role, edition_id) SELECT id, 'applicant', edition_id FROM u)
		INSERT INTO applications (user_id, edition_id, category_id, answers) SELECT id, edition_id, category_id, $4 FROM u`,
		prefix, hash, n, answers)
	if err != nil {
		t.Fatal(err)
	}
	logins := make([]string, n)
	for i := range logins {
		logins[i] = prefix + strconv.Itoa(i+1)
	}
	return logins
}

// completeAnswers fills every question of seoul-2023's Tech-InnovaCity form validly (a
// required file names a file that is not stored).
func completeAnswers(t *testing.T, pool *pgxpool.Pool) form.Answers {
	t.Helper()
	ed := editiontest.BySlug(t, pool, "seoul-2023")
	cat, _ := ed.Category("tech-innovacity")
	a := formtest.Complete(cat.Form)
	if errs := form.Validate(cat.Form, a, form.Submit); errs.Any() {
		t.Fatalf("test answers do not validate: %v", errs)
	}
	return a
}

// errNotAcknowledged is a step of a journey the portal did not accept.
var errNotAcknowledged = errors.New("not acknowledged")

// submitJourney is an applicant finishing at the deadline, on a seeded draft at version 1:
// sign in, save the project section with the title title (a draft save, version 2), submit. It
// returns nil only when the portal acknowledged the submission (303 to the application).
func submitJourney(b *browser, base, login, title string) error {
	r, err := b.post(base, "/signin", url.Values{"login": {login}, "password": {testPassword}})
	if err != nil {
		return err
	}
	if r.status != http.StatusSeeOther {
		return fmt.Errorf("sign in %s: %d: %w", login, r.status, errNotAcknowledged)
	}
	return saveAndSubmit(b, base, login, title)
}

// saveAndSubmit is the signed-in part of submitJourney.
func saveAndSubmit(b *browser, base, login, title string) error {
	r, err := b.postMultipart(base, "/application/sections/project", url.Values{
		"version": {"1"}, "action": {"save"}, "q.project_title": {title}, "q.summary": {"Buses that talk"},
		"q.location": {"Seoul"}, "q.sectors": {"mobility"}, "q.stage": {"planning"}, "q.start_date": {"2021-03-01"}})
	if err != nil {
		return err
	}
	if r.status != http.StatusSeeOther {
		return fmt.Errorf("save %s: %d: %w", login, r.status, errNotAcknowledged)
	}
	r, err = b.post(base, "/application/submit", url.Values{"version": {"2"}})
	if err != nil {
		return err
	}
	if r.status != http.StatusSeeOther || r.location != "/application" {
		return fmt.Errorf("submit %s: %d %q: %w", login, r.status, r.location, errNotAcknowledged)
	}
	return nil
}

// waitFor polls cond every 50ms until it holds, failing the test after timeout with what.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// queryInt runs a query returning one integer.
func queryInt(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, pool, sql, args...)
}

package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/keyring"
	"prizeportal/internal/config"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
	"prizeportal/internal/server"
	"prizeportal/internal/tools/browsertest"
)

func TestMain(m *testing.M) { dbtest.Main(m, browsertest.Close) }

// env is a test portal: a real Postgres database of its own and an HTTP server on loopback.
type env struct {
	pool     *pgxpool.Pool
	srv      *httptest.Server
	server   *server.Server
	sessions *scs.SessionManager
	// keys seal the TOTP secrets of this portal.
	keys *keyring.Keyring
}

// testKeys returns a keyring with one new random key.
func testKeys(t *testing.T) *keyring.Keyring {
	t.Helper()
	raw, err := keyring.ParseKeys(keyring.NewKey())
	if err != nil {
		t.Fatal(err)
	}
	k, err := keyring.New(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// fixedNow is the test clock: 10 May 2023, while the 2023 applications are open.
var fixedNow = time.Date(2023, 5, 10, 3, 0, 0, 0, time.UTC)

// newEnv starts a portal with the given built-in editions imported, at fixedNow.
func newEnv(t *testing.T, vars map[string]string, editions ...string) *env {
	t.Helper()
	return newEnvAt(t, fixedNow, vars, editions...)
}

// newEnvAt starts a portal whose clock shows now.
func newEnvAt(t *testing.T, now time.Time, vars map[string]string, editions ...string) *env {
	t.Helper()
	return newEnvOn(t, dbtest.New(t), now, vars, editions...)
}

// newEnvOn starts a portal on an existing database (a second instance shares the first's pool).
func newEnvOn(t *testing.T, pool *pgxpool.Pool, now time.Time, vars map[string]string, editions ...string) *env {
	t.Helper()
	return newEnvClock(t, pool, func() time.Time { return now }, vars, editions...)
}

// newEnvClock starts a portal on pool whose clock is now (tests that move time pass their own).
func newEnvClock(t *testing.T, pool *pgxpool.Pool, now func() time.Time, vars map[string]string, editions ...string) *env {
	t.Helper()
	for _, name := range editions {
		def, err := edition.ParseBuiltin(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := edition.Import(context.Background(), pool, def); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	sessions, stop := server.NewSessions(cfg, pool)
	t.Cleanup(stop)
	store, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	keys := testKeys(t)
	s := server.New(server.Deps{Files: store, Secrets: keys,
		Config: cfg, Pool: pool, Sessions: sessions, Outbox: notify.NewOutbox(pool),
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		HashParams: account.TestHashParams,
		Now:        now,
	})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &env{pool: pool, srv: ts, server: s, sessions: sessions, keys: keys}
}

// fetch sends req with hc and returns the response with its body read.
func fetch(t *testing.T, hc *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	res, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// do sends req to the portal and returns the response with its body read.
func (e *env) do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	return fetch(t, e.srv.Client(), req)
}

func (e *env) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e.do(t, req)
}

// edition returns the stored edition of this slug.
func (e *env) edition(t *testing.T, slug string) *edition.Edition {
	t.Helper()
	ed, err := edition.BySlug(context.Background(), e.pool, slug)
	if err != nil {
		t.Fatal(err)
	}
	return ed
}

// startMail starts a real SMTP server and the outbox worker of e that sends to it.
func startMail(t *testing.T, e *env) *notifytest.SMTPServer {
	t.Helper()
	mail := notifytest.StartSMTP(t)
	mail.StartWorker(t, e.pool)
	return mail
}

// sessionToken stores a session of userID, signed in (and past the second factor if
// secondFactor), and returns the value of its cookie.
func (e *env) sessionToken(t *testing.T, userID int64, secondFactor bool) string {
	t.Helper()
	ctx, err := e.sessions.Load(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	e.sessions.Put(ctx, "user_id", userID)
	e.sessions.Put(ctx, "epoch", 0)
	if secondFactor {
		e.sessions.Put(ctx, "second_factor", true)
	}
	token, _, err := e.sessions.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// clientWithSession returns a client whose cookie jar holds the session token.
func (e *env) clientWithSession(t *testing.T, token string) *client {
	t.Helper()
	c := e.client(t)
	u, _ := url.Parse(e.srv.URL)
	c.http.Jar.(*cookiejar.Jar).SetCookies(u, []*http.Cookie{{Name: e.sessions.Cookie.Name, Value: token, Path: "/"}})
	return c
}

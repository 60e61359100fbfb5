package account

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"prizeportal/internal/db/dbtest"
)

// TestSessionStoreSkipsUnchangedWrites: a request that changes nothing in its session does not
// write it again while the stored expiry is recent, but does once it lags sessionTouch behind;
// a change is always written, and so is a session this request did not find.
func TestSessionStoreSkipsUnchangedWrites(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	sm := scs.New()
	sm.IdleTimeout = time.Hour
	sm.Store = NewSessionStore(pool, sm.Codec)
	// The row's xmin changes with every write of it.
	var xmins []string
	xmin := func() string {
		t.Helper()
		var x string
		if err := pool.QueryRow(ctx, `SELECT xmin::text FROM sessions`).Scan(&x); err != nil {
			t.Fatal(err)
		}
		return x
	}
	h := RememberSessions(sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/put":
			sm.Put(r.Context(), "user_id", int64(7))
			sm.Put(r.Context(), "epoch", 2)
			sm.Put(r.Context(), "name", "Ann")
		case "/flash":
			sm.Put(r.Context(), "flash", "saved")
		case "/pop":
			_ = sm.PopString(r.Context(), "flash")
		}
	})))
	var cookie *http.Cookie
	get := func(path string) {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		if cookie != nil {
			req.AddCookie(cookie)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			cookie = c
		}
	}
	get("/put")
	xmins = append(xmins, xmin())
	for range 5 {
		get("/read") // nothing changes: no write
	}
	if got := xmin(); got != xmins[0] {
		t.Fatal("an unchanged session was written again")
	}
	get("/flash") // a change is written
	xmins = append(xmins, xmin())
	if xmins[1] == xmins[0] {
		t.Fatal("a changed session was not written")
	}
	get("/pop") // popping the flash is a change too
	if got := xmin(); got == xmins[1] {
		t.Fatal("popping the flash was not written")
	}
	var data []byte
	if err := pool.QueryRow(ctx, `SELECT data FROM sessions`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	if _, values, err := sm.Codec.Decode(data); err != nil || values["flash"] != nil || values["user_id"] != int64(7) {
		t.Fatalf("stored values %v (%v)", values, err)
	}
	// Once the stored expiry lags sessionTouch behind, an unchanged request writes it forward.
	dbtest.Exec(t, pool, `UPDATE sessions SET expiry = now() + interval '1 hour' - $1::interval`, (sessionTouch + time.Second).String())
	before := xmin()
	get("/read")
	if xmin() == before {
		t.Fatal("a session whose expiry lags was not written forward")
	}
	var secs float64
	if err := pool.QueryRow(ctx, `SELECT extract(epoch FROM expiry - now())::float8 FROM sessions`).Scan(&secs); err != nil {
		t.Fatal(err)
	}
	if left := time.Duration(secs * float64(time.Second)); left < time.Hour-sessionTouch {
		t.Fatalf("expiry %s away after the refresh, want about an hour", left)
	}
}

// TestSessionStoreCleanup: the cleanup deletes expired sessions and keeps live ones; stopping it
// twice is harmless, and without a pool there is nothing to stop.
func TestSessionStoreCleanup(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	dbtest.Exec(t, pool, `INSERT INTO sessions (token_hash, data, expiry) VALUES
		($1, '\x00', now() - interval '1 minute'), ($2, '\x00', now() + interval '1 hour')`, tokenHash("old"), tokenHash("live"))
	stop := NewSessionStore(pool, nil).StartCleanup(10 * time.Millisecond)
	for {
		var tokens string
		if err := pool.QueryRow(ctx, `SELECT string_agg(encode(token_hash, 'hex'), ',') FROM sessions`).Scan(&tokens); err != nil {
			t.Fatal(err)
		}
		if tokens == hex.EncodeToString(tokenHash("live")) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	stop()
	(&SessionStore{}).StartCleanup(time.Millisecond)()
}

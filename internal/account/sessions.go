package account

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"reflect"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// sessionTouch is how stale a session's stored expiry may grow before a request that changed
// nothing in it writes it again. With an idle timeout the session library re-saves the session
// on every request to push its expiry forward: one database write (and WAL flush) per page view.
// The store skips that write while the stored expiry is less than sessionTouch behind the new
// one, so an idle session ends between IdleTimeout-sessionTouch and IdleTimeout after the last
// request (the write was the largest database cost of a page view).
const sessionTouch = time.Minute

// SessionStore is the session library's store (scs.CtxStore): it keeps sessions in Postgres (token_hash, data, expiry), deletes the expired ones now
// and then, and skips the writes that would store what is already there. A session is stored
// under the SHA-256 of its token (tokenHash), never the token itself: reading the table gives
// nobody a cookie that signs in.
type SessionStore struct {
	pool  *pgxpool.Pool
	codec scs.Codec
}

// sessionSeen is what this request's session lookup found, for its commit to compare with.
type sessionSeen struct {
	token  string
	data   []byte
	expiry time.Time
	found  bool
}

type sessionSeenKey struct{}

// NewSessionStore returns the store of the sessions in pool, whose values codec encodes (the
// session manager's Codec).
func NewSessionStore(pool *pgxpool.Pool, codec scs.Codec) *SessionStore {
	return &SessionStore{pool: pool, codec: codec}
}

// RememberSessions gives each request a place where the session store notes what it found.
// It wraps the session manager's LoadAndSave, which loads and commits within the request.
func RememberSessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionSeenKey{}, &sessionSeen{})))
	})
}

// tokenHash is the key a session token is stored under.
func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var (
		b      []byte
		expiry time.Time
	)
	err := s.pool.QueryRow(ctx, `SELECT data, expiry FROM sessions WHERE token_hash = $1 AND current_timestamp < expiry`, tokenHash(token)).Scan(&b, &expiry)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if seen, ok := ctx.Value(sessionSeenKey{}).(*sessionSeen); ok {
		*seen = sessionSeen{token: token, data: b, expiry: expiry, found: true}
	}
	return b, true, nil
}

func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if seen, ok := ctx.Value(sessionSeenKey{}).(*sessionSeen); ok && s.unchanged(seen, token, b, expiry) {
		return nil
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO sessions (token_hash, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token_hash) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry`, tokenHash(token), b, expiry)
	return err
}

// unchanged reports whether committing b with expiry would store what this request found: the
// same token and session values, and an expiry less than sessionTouch later than the stored one.
func (s *SessionStore) unchanged(seen *sessionSeen, token string, b []byte, expiry time.Time) bool {
	if !seen.found || seen.token != token {
		return false
	}
	if ahead := expiry.Sub(seen.expiry); ahead < 0 || ahead >= sessionTouch {
		return false
	}
	if bytes.Equal(seen.data, b) {
		return true
	}
	// The encoding of equal values may differ (map order): compare the values.
	d1, v1, err1 := s.codec.Decode(seen.data)
	d2, v2, err2 := s.codec.Decode(b)
	return err1 == nil && err2 == nil && d1.Equal(d2) && reflect.DeepEqual(v1, v2)
}

func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash(token))
	return err
}

func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s *SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// StartCleanup deletes expired sessions every interval until the returned function is called
// (it returns once the loop has stopped). Without a pool there is nothing to clean.
func (s *SessionStore) StartCleanup(interval time.Duration) func() {
	if s.pool == nil {
		return func() {}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				_, _ = s.pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < current_timestamp`)
				cancel()
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(stop)
			<-done
		})
	}
}

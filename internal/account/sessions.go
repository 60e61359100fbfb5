package account

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"prizeportal/internal/blocks/keyring"
	"prizeportal/internal/db"
	"reflect"
	"strings"
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

// Session keys. Every key the portal stores in a session is listed here.
const (
	sessionUserKey  = "user_id"
	sessionEpochKey = "epoch"
	sessionFlashKey = "flash"
	// sessionSecondFactorKey is true once the signed-in user passed a second factor in this
	// session (a TOTP or recovery code, or enrolment); without it staff roles are withheld.
	sessionSecondFactorKey = "second_factor"
	// sessionPendingKey holds a user who passed the password step but still owes a second factor.
	sessionPendingKey = "pending_user_id"
	// sessionPendingEpochKey and sessionPendingNextKey hold the pending user's session epoch and
	// the local path to return to once the second factor is given.
	sessionPendingEpochKey = "pending_epoch"
	sessionPendingNextKey  = "pending_next"
	// sessionPendingAtKey holds when the password step was passed (Unix seconds); the second
	// factor must follow within PendingTTL.
	sessionPendingAtKey = "pending_at"
	// sessionTOTPSetupKey holds a TOTP key shown for enrolment, not yet confirmed, sealed for its
	// user (SealTOTP).
	sessionTOTPSetupKey = "totp_setup"
	// sessionRecoveryCodesKey holds new recovery codes until the page that shows them once.
	sessionRecoveryCodesKey = "recovery_codes"
)

// PendingTTL is how long a user who passed the password step has to give the second factor (or,
// for staff without it, to set it up) before they must sign in again.
const PendingTTL = 20 * time.Minute

// SignIns is the sign-in state a browser session holds (DOMAIN.md "People and roles": staff
// roles need two-factor sign-in): who is signed in under which session epoch, whether this
// session passed a second factor, a sign-in that passed the password step and still owes the
// second factor, the authenticator key being enrolled, new recovery codes to show once, and the
// one-time message of the next page.
type SignIns struct {
	Sessions *scs.SessionManager
	// Secrets seals the authenticator key kept in the session while it is enrolled.
	Secrets *keyring.Keyring
	Now     func() time.Time
}

// Pending is a user who passed the password step and still owes a second factor; Next is where
// they return once it is given.
type Pending struct {
	UserID int64
	Epoch  int
	Next   string
}

// Step is what a sign-in that passed the password step needs next.
type Step int

const (
	// SignedIn: nothing; the user is signed in.
	SignedIn Step = iota
	// GiveCode: the code of the user's authenticator (or a recovery code).
	GiveCode
	// Enrol: the user's roles require two-factor sign-in and they have no authenticator yet.
	Enrol
)

// Start starts a signed-in session for userID: the session token is renewed first (so a token
// planted before sign-in is worthless) and the user's session epoch recorded, with whether the
// user passed a second factor. A pending sign-in is over.
func (s SignIns) Start(ctx context.Context, userID int64, epoch int, secondFactor bool) error {
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.ClearPending(ctx)
	s.Sessions.Put(ctx, sessionUserKey, userID)
	s.Sessions.Put(ctx, sessionEpochKey, epoch)
	if secondFactor {
		s.Sessions.Put(ctx, sessionSecondFactorKey, true)
	} else {
		s.Sessions.Remove(ctx, sessionSecondFactorKey)
	}
	return nil
}

// Complete finishes a sign-in after the password was checked: it signs the user in, or, when the
// user has TOTP enrolled, keeps them pending for the code step, or, when their roles require
// two-factor sign-in and they have not enrolled yet, for enrolment first. next is a local path.
func (s SignIns) Complete(ctx context.Context, q db.DBTX, userID int64, epoch int, next string) (Step, error) {
	enrolled, required, err := TwoFactorStatus(ctx, q, userID)
	if err != nil {
		return 0, fmt.Errorf("account: complete sign-in: %w", err)
	}
	if !enrolled && !required {
		return SignedIn, s.Start(ctx, userID, epoch, false)
	}
	return s.owe(ctx, userID, epoch, next, enrolled)
}

// StepUp makes the signed-in session of userID, which has not passed the second factor and
// asked for a page of a role that requires it, owe it (as Complete does), to return to next: the
// code, or enrolment first.
func (s SignIns) StepUp(ctx context.Context, q db.DBTX, userID int64, next string) (Step, error) {
	enrolled, _, err := TwoFactorStatus(ctx, q, userID)
	if err != nil {
		return 0, err
	}
	_, epoch, _ := s.User(ctx)
	return s.owe(ctx, userID, epoch, next, enrolled)
}

// owe makes the session a pending sign-in of userID that owes a second factor (a fresh token, and
// nobody signed in until it is given), and says the step owed: the code, or enrolment first when
// the user has no authenticator yet. next (a local path) is where they return afterwards.
func (s SignIns) owe(ctx context.Context, userID int64, epoch int, next string, enrolled bool) (Step, error) {
	if err := s.Sessions.RenewToken(ctx); err != nil {
		return 0, err
	}
	for _, k := range []string{sessionUserKey, sessionEpochKey, sessionSecondFactorKey, sessionTOTPSetupKey} {
		s.Sessions.Remove(ctx, k)
	}
	s.Sessions.Put(ctx, sessionPendingKey, userID)
	s.Sessions.Put(ctx, sessionPendingEpochKey, epoch)
	s.Sessions.Put(ctx, sessionPendingNextKey, next)
	s.Sessions.Put(ctx, sessionPendingAtKey, s.Now().Unix())
	if enrolled {
		return GiveCode, nil
	}
	return Enrol, nil
}

// Pending returns the session's pending sign-in, if any and not older than PendingTTL (an older
// one is forgotten); had says whether the session held one at all.
func (s SignIns) Pending(ctx context.Context) (p Pending, ok, had bool) {
	id := s.Sessions.GetInt64(ctx, sessionPendingKey)
	if id == 0 {
		return Pending{}, false, s.Sessions.Exists(ctx, sessionPendingKey)
	}
	at := time.Unix(s.Sessions.GetInt64(ctx, sessionPendingAtKey), 0)
	if s.Now().Sub(at) > PendingTTL {
		s.ClearPending(ctx)
		return Pending{}, false, false
	}
	return Pending{
		UserID: id,
		Epoch:  s.Sessions.GetInt(ctx, sessionPendingEpochKey),
		Next:   s.Sessions.GetString(ctx, sessionPendingNextKey),
	}, true, true
}

// ClearPending forgets the pending sign-in.
func (s SignIns) ClearPending(ctx context.Context) {
	for _, k := range []string{sessionPendingKey, sessionPendingEpochKey, sessionPendingNextKey, sessionPendingAtKey} {
		s.Sessions.Remove(ctx, k)
	}
}

// User is the signed-in user of the session (0 for none), the session epoch it was signed in
// under, and whether the session passed a second factor.
func (s SignIns) User(ctx context.Context) (userID int64, epoch int, secondFactor bool) {
	return s.Sessions.GetInt64(ctx, sessionUserKey), s.Sessions.GetInt(ctx, sessionEpochKey), s.Sessions.GetBool(ctx, sessionSecondFactorKey)
}

// SetupKey returns the TOTP key being enrolled by userID in this session, or a new one
// (remembered in the session until it is confirmed, so a reload shows the same QR code). The
// session keeps it sealed (SealTOTP), like the users table.
func (s SignIns) SetupKey(ctx context.Context, q db.DBTX, userID int64) (TOTPSetup, error) {
	secret := ""
	if sealed := s.Sessions.GetString(ctx, sessionTOTPSetupKey); sealed != "" && keyring.Sealed(sealed) {
		if opened, err := OpenTOTP(s.Secrets, userID, sealed); err == nil {
			secret = opened
		}
	}
	setup, err := NewTOTPSetup(ctx, q, userID, secret)
	if err != nil {
		return setup, err
	}
	if secret == "" {
		s.Sessions.Put(ctx, sessionTOTPSetupKey, SealTOTP(s.Secrets, userID, setup.Secret))
	}
	return setup, nil
}

// KeepRecoveryCodes keeps new recovery codes for the page that shows them once
// (TakeRecoveryCodes).
func (s SignIns) KeepRecoveryCodes(ctx context.Context, codes []string) {
	s.Sessions.Put(ctx, sessionRecoveryCodesKey, strings.Join(codes, "\n"))
}

// Enrolled records an authenticator confirmed with its code, with its new recovery codes: the
// key being enrolled is forgotten, the codes kept to show once, and the code given is a second
// factor passed in this session; a pending sign-in (p) is signed in with it.
func (s SignIns) Enrolled(ctx context.Context, p *Pending, codes []string) error {
	s.Sessions.Remove(ctx, sessionTOTPSetupKey)
	s.KeepRecoveryCodes(ctx, codes)
	if p != nil {
		return s.Start(ctx, p.UserID, p.Epoch, true)
	}
	s.Sessions.Put(ctx, sessionSecondFactorKey, true)
	return nil
}

// TakeRecoveryCodes returns the recovery codes kept for showing, and forgets them.
func (s SignIns) TakeRecoveryCodes(ctx context.Context) []string {
	if plain := s.Sessions.PopString(ctx, sessionRecoveryCodesKey); plain != "" {
		return strings.Split(plain, "\n")
	}
	return nil
}

// Flash keeps a one-time message for the next page; PopFlash takes it.
func (s SignIns) Flash(ctx context.Context, message string) {
	s.Sessions.Put(ctx, sessionFlashKey, message)
}

// PopFlash returns the one-time message kept for this page, and forgets it.
func (s SignIns) PopFlash(ctx context.Context) string {
	return s.Sessions.PopString(ctx, sessionFlashKey)
}

package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-playground/form/v4"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/web/components"
)

// Session keys. Every key the portal stores in a session is listed here.
const (
	sessionUserKey  = "user_id"
	sessionEpochKey = "epoch"
	sessionFlashKey = "flash"
	// sessionPendingKey holds a user who passed the password step but still owes a second factor.
	sessionPendingKey = "pending_user_id"
	// sessionPendingEpochKey and sessionPendingNextKey hold the pending user's session epoch and
	// the local path to return to once the second factor is given.
	sessionPendingEpochKey = "pending_epoch"
	sessionPendingNextKey  = "pending_next"
	// sessionPendingAtKey holds when the password step was passed (Unix seconds); the second
	// factor must follow within pendingTTL.
	sessionPendingAtKey = "pending_at"
	// sessionTOTPSetupKey holds "userID:secret" of a TOTP key shown for enrolment, not yet confirmed.
	sessionTOTPSetupKey = "totp_setup"
	// sessionRecoveryCodesKey holds new recovery codes until the page that shows them once.
	sessionRecoveryCodesKey = "recovery_codes"
)

// signIn starts a signed-in session for userID: the session token is renewed first (so a token
// planted before sign-in is worthless) and the user's session epoch recorded.
func (s *Server) signIn(ctx context.Context, userID int64, epoch int) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Remove(ctx, sessionPendingKey)
	s.sessions.Put(ctx, sessionUserKey, userID)
	s.sessions.Put(ctx, sessionEpochKey, epoch)
	return nil
}

// signOut ends the session.
func (s *Server) signOut(ctx context.Context) error {
	return s.sessions.Destroy(ctx)
}

// flash stores a one-time message shown on the next page.
func (s *Server) flash(ctx context.Context, message string) {
	s.sessions.Put(ctx, sessionFlashKey, message)
}

// page returns the layout data for a page of the portal: the user's name and any flash message.
func (s *Server) page(r *http.Request, title string) components.Page {
	p := components.Page{Title: title, SiteName: "Prize Portal"}
	if a := authz.ActorFrom(r.Context()); !a.Anonymous() {
		p.UserName = a.Name
		if p.UserName == "" {
			p.UserName = "your account"
		}
	}
	if s.sessions != nil {
		p.Flash = s.sessions.PopString(r.Context(), sessionFlashKey)
	}
	return p
}

// redirect answers a form post with 303 See Other, so reloading the next page repeats nothing.
func redirect(w http.ResponseWriter, r *http.Request, url string) error {
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}

// maxFormBytes caps a urlencoded form body (uploads have their own limits).
const maxFormBytes = 256 << 10

var formDecoder = func() *form.Decoder {
	d := form.NewDecoder()
	d.SetMaxArraySize(200)
	return d
}()

// errBadForm means the form body could not be read (too large or malformed).
var errBadForm = errors.New("server: unreadable form")

// decodeForm reads a posted form into dst (fields tagged `form:"name"`).
func decodeForm(w http.ResponseWriter, r *http.Request, dst any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return errBadForm
	}
	if err := formDecoder.Decode(dst, r.PostForm); err != nil {
		return errBadForm
	}
	return nil
}

// loadActor puts the signed-in user (with their role grants) or an anonymous actor in the context.
// A session of a deactivated user, or from before the user's password was reset, is ended.
func (s *Server) loadActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.sessions == nil {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		id := s.sessions.GetInt64(ctx, sessionUserKey)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		actor, epoch, err := account.LoadActor(ctx, s.pool, id)
		switch {
		case errors.Is(err, db.ErrNotFound) || (err == nil && epoch != s.sessions.GetInt(ctx, sessionEpochKey)):
			_ = s.sessions.Destroy(ctx)
			next.ServeHTTP(w, r)
			return
		case err != nil:
			s.serveError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(authz.WithActor(ctx, actor)))
	})
}

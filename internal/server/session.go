package server

import (
	"context"
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/form/v4"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
)

// signins is the sign-in state of the request's session (account.SignIns): who is signed in,
// a sign-in that owes its second factor, the flash message.
func (s *Server) signins() account.SignIns {
	return account.SignIns{Sessions: s.sessions, Secrets: s.secrets, Now: s.now}
}

// signOut ends the session.
func (s *Server) signOut(ctx context.Context) error {
	return s.sessions.Destroy(ctx)
}

// flash stores a one-time message shown on the next page.
func (s *Server) flash(ctx context.Context, message string) { s.signins().Flash(ctx, message) }

// flashThen ends a write whose outcome is told on the next page: a domain refusal's message
// (refusalOf) or, without error, the message done gives is flashed, and the browser is sent to
// next; any other error is returned.
func (s *Server) flashThen(w http.ResponseWriter, r *http.Request, err error, next string, done func() string) error {
	_, msg, refused := refusalOf(err)
	switch {
	case refused:
		s.flash(r.Context(), msg)
	case err != nil:
		return err
	default:
		s.flash(r.Context(), done())
	}
	return redirect(w, r, next)
}

// formDone answers a form post after its write: the form again with the problems (again, 422)
// when err is a field.Errors, err itself when it is another error, else the flash message and
// a redirect to next.
func (s *Server) formDone(w http.ResponseWriter, r *http.Request, err error, again func(field.Errors) error, flash, next string) error {
	var errs field.Errors
	switch {
	case errors.As(err, &errs):
		return again(errs)
	case err != nil:
		return err
	}
	s.flash(r.Context(), flash)
	return redirect(w, r, next)
}

// page returns the layout data for a page of the portal: the user's name and any flash message.
func (s *Server) page(r *http.Request, title string) components.Page {
	p := components.Page{Title: title, SiteName: "Prize Portal", Staff: s.staffNav(r)}
	if a := authz.ActorFrom(r.Context()); !a.Anonymous() {
		p.UserName = a.Name
		if p.UserName == "" {
			p.UserName = i18n.M("your account")
		}
	}
	if s.sessions != nil {
		p.Flash = s.signins().PopFlash(r.Context())
	}
	return p
}

// redirect answers a form post with 303 See Other, so reloading the next page repeats nothing.
func redirect(w http.ResponseWriter, r *http.Request, url string) error {
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}

// maxFormBytes caps a urlencoded form body (uploads have their own limits), and maxFormFields
// its number of values (the portal's largest forms have a few hundred; files.Receiver has the
// same default for multipart forms).
const (
	maxFormBytes  = 256 << 10
	maxFormFields = 1000
)

var formDecoder = func() *form.Decoder {
	d := form.NewDecoder()
	d.SetMaxArraySize(200)
	return d
}()

// errBadForm means the form body could not be read (malformed); errFormTooLarge that it was
// larger than maxFormBytes or had more fields than Go reads (net/url's limit).
var (
	errBadForm      = errors.New("server: unreadable form")
	errFormTooLarge = errors.New("server: form too large")
)

// decodeForm reads a posted form into dst (fields tagged `form:"name"`).
func decodeForm(w http.ResponseWriter, r *http.Request, dst any) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	return decodeValues(dst, r.PostForm)
}

// decodeValues decodes v into dst; errBadForm when it does not fit. The decoder panics on some
// malformed keys (such as "ids[" for a slice field): that is a bad form too, not a 500.
func decodeValues(dst any, v url.Values) (err error) {
	defer func() {
		if recover() != nil {
			err = errBadForm
		}
	}()
	if err := formDecoder.Decode(dst, v); err != nil {
		return errBadForm
	}
	return nil
}

// parseForm reads a posted urlencoded form (at most maxFormBytes) into r.Form and r.PostForm,
// with every value made safe to store (cleanValues).
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	if n := countValues(r.PostForm); n > maxFormFields {
		return errFormTooLarge
	}
	cleanValues(r.Form)
	cleanValues(r.PostForm)
	return nil
}

// countValues is the number of values in v.
func countValues(v url.Values) int {
	n := 0
	for _, vs := range v {
		n += len(vs)
	}
	return n
}

// formError maps an error of reading a form body: errFormTooLarge when the body or its number
// of fields is over the limit, errBadForm otherwise.
func formError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || errors.Is(err, multipart.ErrMessageTooLarge) || strings.Contains(err.Error(), "exceeded limit") {
		return errFormTooLarge
	}
	return errBadForm
}

// cleanValues makes posted values safe to store: invalid UTF-8 becomes U+FFFD and NUL
// characters are dropped (Postgres text and JSONB refuse both, which would make any form fail
// with a 500 on a crafted request).
func cleanValues(v url.Values) {
	for k, vs := range v {
		for i, s := range vs {
			vs[i] = cleanValue(s)
		}
		if c := cleanValue(k); c != k {
			delete(v, k)
			v[c] = append(v[c], vs...)
		}
	}
}

// cleanValue is s without NUL characters and with invalid UTF-8 replaced.
func cleanValue(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// loadActor puts the signed-in user (with their role grants) or an anonymous actor in the context.
// A session of a deactivated user, or from before the user's password was reset, is ended. A
// session that has not passed the second factor gets no staff role (authz.WithoutSecondFactor):
// staff must sign in with a second factor, whenever their role was granted.
func (s *Server) loadActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.sessions == nil {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		id, sessionEpoch, secondFactor := s.signins().User(ctx)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		actor, epoch, err := account.LoadActor(ctx, s.pool, id)
		switch {
		case errors.Is(err, db.ErrNotFound) || (err == nil && epoch != sessionEpoch):
			_ = s.sessions.Destroy(ctx)
			next.ServeHTTP(w, r)
			return
		case err != nil:
			s.serveError(w, r, err)
			return
		}
		if !secondFactor {
			actor = actor.WithoutSecondFactor()
		}
		r = s.actorLanguage(r, actor)
		next.ServeHTTP(w, r.WithContext(authz.WithActor(r.Context(), actor)))
	})
}

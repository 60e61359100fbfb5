package server

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

var (
	errNotFound         = errors.New("server: page not found")
	errMethodNotAllowed = errors.New("server: method not allowed")
	// errMustChangePassword means the user signed in with a one-time password and has not
	// chosen their own yet: they are sent to the password change.
	errMustChangePassword = errors.New("server: one-time password must be changed")
)

// problem is how one kind of error is shown to the user.
type problem struct {
	status           int
	heading, message string
}

// problemFor is the one table from errors to pages. Users never see an error's own text.
func problemFor(err error) problem {
	switch {
	case errors.Is(err, errNotFound), errors.Is(err, db.ErrNotFound):
		return problem{http.StatusNotFound, i18n.M("Page not found"),
			i18n.M("We could not find that page. It may have moved, or the address may be mistyped.")}
	case errors.Is(err, authz.ErrUnauthenticated):
		return problem{http.StatusUnauthorized, i18n.M("Please sign in"),
			i18n.M("You need to be signed in to see this page.")}
	case errors.Is(err, errMustChangePassword):
		return problem{http.StatusForbidden, i18n.M("Choose your own password first"),
			i18n.M("You signed in with a one-time password. Choose your own password on the password page to continue.")}
	case errors.Is(err, authz.ErrSecondFactorRequired):
		return problem{http.StatusForbidden, i18n.M("Two-factor sign-in needed"),
			i18n.M("Your role in the prize needs two-factor sign-in. Sign out, then sign in again with the code from your authenticator app.")}
	case errors.Is(err, authz.ErrForbidden):
		return problem{http.StatusForbidden, i18n.M("You do not have access to this page"),
			i18n.M("Your account does not have the role needed for this page. If you think it should, contact the prize secretariat.")}
	case errors.Is(err, errCrossOrigin):
		return problem{http.StatusForbidden, i18n.M("Request refused"),
			i18n.M("This request came from another site, so it was refused to protect your account. Go back to the portal and try again from its own page.")}
	case errors.Is(err, errFormTooLarge):
		return problem{http.StatusRequestEntityTooLarge, i18n.M("The form is too large"),
			i18n.M("The form carried more text or more fields than it can accept, so nothing was saved. Go back, shorten what you entered and send it again.")}
	case errors.Is(err, errBadForm):
		return problem{http.StatusBadRequest, i18n.M("The form could not be read"),
			i18n.M("The form was too large or malformed. Go back, check what you entered and send it again.")}
	case errors.Is(err, errMethodNotAllowed):
		return problem{http.StatusMethodNotAllowed, i18n.M("This action is not available here"),
			i18n.M("The page exists, but not for this kind of request.")}
	case isFault(err):
		return faultProblem(err)
	case errors.Is(err, db.ErrConflict):
		return problem{http.StatusConflict, i18n.M("This was changed in the meantime"),
			i18n.M("Someone else changed this at the same time. Reload the page to see the latest version, then try again.")}
	case unavailable(err):
		return problem{http.StatusServiceUnavailable, i18n.M("The portal is temporarily unavailable"),
			i18n.M("The portal cannot reach its database at the moment, so this page could not be shown and anything you sent just now was not saved. What you saved before is safe. Please try again in a minute.")}
	default:
		return problem{http.StatusInternalServerError, i18n.M("Something went wrong on our side"),
			i18n.M("The error has been logged and nothing you saved before is lost. Please try again in a moment.")}
	}
}

func isFault(err error) bool { _, ok := fault.As(err); return ok }

// faultMessage is the message for the user of a domain error (package fault); "" for another.
func faultMessage(err error) string {
	if f, ok := fault.As(err); ok {
		return f.Message
	}
	return ""
}

// refusalOf is the status and the message of a domain refusal (package fault), for a handler
// that shows the refusal on its own page (a notice, a field error, a flash) rather than on the
// error page; ok is false for any other error, which the handler returns. This is the one
// path from a refusal to a page: the text is the domain error's, never a handler's table.
func refusalOf(err error) (status int, message string, ok bool) {
	if !isFault(err) {
		return 0, "", false
	}
	p := faultProblem(err)
	return p.status, p.message, true
}

// faultProblem is the page of a domain error (package fault): its kind gives the status and
// heading, its message the text.
func faultProblem(err error) problem {
	f, _ := fault.As(err)
	switch f.Kind {
	case fault.Invalid:
		return problem{http.StatusUnprocessableEntity, i18n.M("Please check what you sent"), f.Message}
	case fault.NotFound:
		return problem{http.StatusNotFound, i18n.M("Page not found"), f.Message}
	case fault.Forbidden:
		return problem{http.StatusForbidden, i18n.M("You cannot do this"), f.Message}
	default:
		return problem{http.StatusConflict, i18n.M("This cannot be done now"), f.Message}
	}
}

// retryAfterUnavailable is the Retry-After (seconds) of the 503 page: a database restart or
// fail-over usually takes that long.
const retryAfterUnavailable = "30"

// unavailable reports whether err means the database cannot be reached right now: it is down,
// restarting or refusing connections, or the connection broke (a network error). That passes
// by itself (the pool reconnects), so it is a 503 "try again", not a 500. A call that timed out
// (a net.Error, as context.DeadlineExceeded is) counts too: the database is overloaded or
// unreachable.
func unavailable(err error) bool {
	var (
		connectErr *pgconn.ConnectError
		pgErr      *pgconn.PgError
		netErr     net.Error
	)
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr):
		return true
	case errors.As(err, &pgErr):
		// Class 08: connection exception; 57P01-57P03: the server is shutting down or starting up.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	// An error pgconn marks safe to retry happened before the query reached the server (a
	// closed connection, for one).
	return pgconn.SafeToRetry(err)
}

// serveError renders the page for err and logs server errors with the request id.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	// A staff user whose session has not passed the second factor is sent to give it.
	if errors.Is(err, authz.ErrSecondFactorRequired) {
		if err = s.stepUp(w, r); err == nil {
			return
		}
	}
	if errors.Is(err, errMustChangePassword) {
		http.Redirect(w, r, "/account/password", http.StatusSeeOther)
		return
	}
	// A visitor who must sign in is sent to the sign-in page and brought back afterwards.
	if errors.Is(err, authz.ErrUnauthenticated) && r.Method == http.MethodGet {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	p := problemFor(err)
	if p.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfterUnavailable)
	}
	if p.status >= 500 {
		s.ctxLog(r.Context()).Error("request failed", "method", r.Method, "path", logPath(r), "err", err)
	}
	v := pages.ErrorView{
		Page:      s.errorPageFrame(r, p.heading),
		Status:    p.status,
		Heading:   p.heading,
		Message:   p.message,
		RequestID: requestID(r.Context()),
	}
	if rerr := s.render(w, r, p.status, pages.ErrorPage(v)); rerr != nil {
		s.ctxLog(r.Context()).Error("render error page", "err", rerr)
		http.Error(w, http.StatusText(p.status), p.status)
	}
}

// errorPageFrame is the layout data of an error page. It reads no session (an error may happen
// before the session is loaded, or be about the session itself), only the actor if one is known.
func (s *Server) errorPageFrame(r *http.Request, title string) components.Page {
	p := components.Page{Title: title, SiteName: "Prize Portal"}
	if a := authz.ActorFrom(r.Context()); !a.Anonymous() {
		p.UserName = a.Name
	}
	return p
}

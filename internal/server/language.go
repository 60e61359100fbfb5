package server

import (
	"net/http"
	"net/url"
	"strings"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
)

// languageCookie keeps the language a visitor chose with the switch (a year); a signed-in user's
// choice is kept on their account too.
const languageCookie = "lang"

// withLanguage puts the request's language in the context before anything is rendered (an error
// page too): the cookie's, else the best match of Accept-Language, else English. loadActor then
// prefers the account's own choice (i18n.Pick). Every answer varies by both.
func withLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			w.Header().Add("Vary", "Cookie, Accept-Language") // the assets are the same in every language
		}
		lang := i18n.Pick("", cookieLanguage(r), r.Header.Get("Accept-Language"))
		ctx := i18n.With(r.Context(), i18n.For(lang))
		ctx = components.WithRequestPath(ctx, switchBack(r.URL))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// switchBack is the page the language switch returns to: this one, without a return path of its
// own (a sign-in page's "next" is not carried into another form).
func switchBack(u *url.URL) string {
	q := u.Query()
	if !q.Has("next") {
		return u.RequestURI()
	}
	q.Del("next")
	back := url.URL{Path: u.Path, RawQuery: q.Encode()}
	return back.RequestURI()
}

func cookieLanguage(r *http.Request) string {
	c, err := r.Cookie(languageCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// actorLanguage is the language for a signed-in actor: their choice, else the request's; the
// language their pages are shown in is recorded when it changes (their emails follow it).
func (s *Server) actorLanguage(r *http.Request, actor authz.Actor) *http.Request {
	lang := i18n.Pick(actor.Language, cookieLanguage(r), r.Header.Get("Accept-Language"))
	if lang != actor.LanguageSeen && lang != i18n.Pseudo {
		if err := account.SeenInLanguage(r.Context(), s.pool, actor.UserID, lang); err != nil {
			s.ctxLog(r.Context()).Warn("record language", "err", err)
		}
	}
	if lang == i18n.Lang(r.Context()) {
		return r
	}
	return r.WithContext(i18n.With(r.Context(), i18n.For(lang)))
}

type languageForm struct {
	Lang string `form:"lang"`
	Next string `form:"next"`
}

// languagePost is the language switch: it keeps the choice in a cookie and, for a signed-in
// user, on their account, then shows the page the switch was on again. It works without
// JavaScript (one small form per language in the layout).
func (s *Server) languagePost(w http.ResponseWriter, r *http.Request) error {
	var f languageForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	if !i18n.Supported(f.Lang) {
		return errBadForm
	}
	http.SetCookie(w, &http.Cookie{
		Name: languageCookie, Value: f.Lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode,
	})
	if a := authz.ActorFrom(r.Context()); !a.Anonymous() && f.Lang != i18n.Pseudo {
		if err := account.SetLanguage(r.Context(), s.pool, a.UserID, f.Lang); err != nil {
			return err
		}
	}
	next := safeNext(f.Next)
	if f.Next == "" {
		next = "/"
	}
	return redirect(w, r, next)
}

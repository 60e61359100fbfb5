package server

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Two-factor sign-in with TOTP: staff roles require it, applicants and nominators may turn it on
// (DOMAIN.md, "People and roles").

// completeSignIn finishes a sign-in after the password was checked (account.SignIns.Complete):
// the user is signed in and goes to next, or gives the second factor first, or enrols first.
func (s *Server) completeSignIn(w http.ResponseWriter, r *http.Request, userID int64, epoch int, next string) error {
	next = safeNext(next)
	step, err := s.signins().Complete(r.Context(), s.pool, userID, epoch, next)
	if err != nil {
		return fmt.Errorf("server: complete sign-in: %w", err)
	}
	return redirect(w, r, views.StepHref(step, next))
}

// stepUp sends a signed-in user whose session has not passed the second factor, and who asked
// for a page of a role that requires it, to give it (or to enrol) and come back: the error
// mapper's answer to authz.ErrSecondFactorRequired. A GET returns to the page asked for; a
// form post, which would have to be sent again, to the dashboard.
func (s *Server) stepUp(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := authz.ActorFrom(ctx)
	if actor.Anonymous() || s.sessions == nil {
		return authz.ErrUnauthenticated
	}
	next := "/dashboard"
	if r.Method == http.MethodGet {
		next = safeNext(r.URL.RequestURI())
	}
	step, err := s.signins().StepUp(ctx, s.pool, actor.UserID, next)
	if err != nil {
		return err
	}
	if step == account.GiveCode {
		s.flash(ctx, "This page needs two-factor sign-in. Enter the code from your authenticator app to continue.")
	} else {
		s.flash(ctx, "Your role in the prize needs two-factor sign-in. Set it up to continue.")
	}
	return redirect(w, r, views.StepHref(step, next))
}

// requirePending redirects to the sign-in page when there is no pending sign-in.
func (s *Server) requirePending(w http.ResponseWriter, r *http.Request) (account.Pending, bool) {
	p, ok, had := s.signins().Pending(r.Context())
	if !ok {
		if had || r.Method == http.MethodPost {
			s.flash(r.Context(), "Your sign-in took too long or has ended. Please sign in again.")
		}
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	}
	p.Next = safeNext(p.Next)
	return p, ok
}

type twoFactorCodeForm struct {
	Method string `form:"method"`
	Code   string `form:"code"`
}

func (s *Server) twoFactorCodeView(r *http.Request, recovery bool, errs field.Errors) pages.TwoFactorCodeView {
	v := pages.TwoFactorCodeView{
		Page:     s.page(r, "Enter your sign-in code"),
		Recovery: recovery,
		Errors:   errs,
		Code: components.Field{
			Name: "code", Label: i18n.M("6-digit code"), Hint: i18n.M("From your authenticator app, for example 123456."),
			Autocomplete: "one-time-code", InputMode: "numeric", MaxLength: 7, Required: true,
			Error: errs.Get("code"),
		},
	}
	if recovery {
		v.Page.Title = i18n.M("Enter a recovery code")
		v.Code.Label, v.Code.Hint, v.Code.InputMode, v.Code.MaxLength = i18n.M("Recovery code"), i18n.M("For example ABCDE-23456."), "", 20
		v.Code.Autocomplete = "off"
	}
	return v
}

// signInCode shows the second step of signing in (GET /signin/two-factor).
func (s *Server) signInCode(w http.ResponseWriter, r *http.Request) error {
	if _, ok, err := s.pendingStep(w, r, true); !ok {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.TwoFactorCodePage(s.twoFactorCodeView(r, r.URL.Query().Get("method") == "recovery", nil)))
}

// signInCodePost checks the second factor and finishes signing in (POST /signin/two-factor).
func (s *Server) signInCodePost(w http.ResponseWriter, r *http.Request) error {
	p, ok := s.requirePending(w, r)
	if !ok {
		return nil
	}
	var f twoFactorCodeForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	ctx := r.Context()
	recovery := f.Method == "recovery"
	res, err := s.accounts.VerifySignIn(ctx, p.UserID, f.Code, recovery)
	if errs, status, ok := formRefusal(w, err, "code"); ok {
		return s.render(w, r, status, pages.TwoFactorCodePage(s.twoFactorCodeView(r, recovery, errs)))
	} else if err != nil {
		return err
	}
	if err := s.signins().Start(ctx, p.UserID, p.Epoch, true); err != nil {
		return err
	}
	if res.UsedRecovery {
		s.flash(ctx, i18n.Msg("You signed in with a recovery code. You have {{.Left}} left: create new ones on your two-factor sign-in page (Account › Two-factor sign-in) before they run out.", "Left", res.CodesLeft))
	}
	return redirect(w, r, p.Next)
}

type twoFactorSetupForm struct {
	Current string `form:"current"`
	Code    string `form:"code"`
}

func (s *Server) twoFactorSetupView(r *http.Request, setup account.TOTPSetup, signInStep, replacing bool, errs field.Errors) (pages.TwoFactorSetupView, error) {
	png, err := setup.QRCode(200)
	if err != nil {
		return pages.TwoFactorSetupView{}, err
	}
	v := pages.TwoFactorSetupView{
		Page:         s.page(r, "Set up two-factor sign-in"),
		Action:       "/account/two-factor/setup",
		QRCode:       "data:image/png;base64," + base64.StdEncoding.EncodeToString(png),
		OTPAuthURL:   setup.URL,
		SecretGroups: setup.SecretGroups(),
		Issuer:       account.TOTPIssuer,
		AccountName:  setup.AccountName,
		SignInStep:   signInStep,
		Replacing:    replacing,
		CancelHref:   "/account/two-factor",
		Errors:       errs,
		Current: components.Field{
			Name: "current", Label: i18n.M("Code from your current authenticator app, or a recovery code"),
			Hint: i18n.M("This proves it is you before the old app stops working."), Autocomplete: "one-time-code",
			Required: true, Error: errs.Get("current"), MaxLength: 20,
		},
		Code: components.Field{
			Name: "code", Label: i18n.M("6-digit code from the app"), Hint: i18n.M("For example 123456."),
			Autocomplete: "one-time-code", InputMode: "numeric", MaxLength: 7, Required: true, Error: errs.Get("code"),
		},
	}
	if replacing {
		v.Page.Title = i18n.M("Set up a new authenticator")
		v.Code.Label = "6-digit code from the new app"
	}
	if signInStep {
		v.Action, v.CancelHref = "/signin/two-factor/setup", ""
	}
	return v, nil
}

// enrolment is who enrols an authenticator: a pending sign-in whose roles require it (signIn),
// or the signed-in user on their account's page, enrolling or moving to a new app (replacing).
type enrolment struct {
	account.Pending
	signIn, replacing bool
}

// enrolmentOf returns the enrolment of the request; ok false when the answer is written already
// (pendingStep).
func (s *Server) enrolmentOf(w http.ResponseWriter, r *http.Request, signIn bool) (enrolment, bool, error) {
	if signIn {
		p, ok, err := s.pendingStep(w, r, false)
		return enrolment{Pending: p, signIn: true}, ok, err
	}
	userID := authz.ActorFrom(r.Context()).UserID
	enrolled, _, err := account.TwoFactorStatus(r.Context(), s.pool, userID)
	return enrolment{Pending: account.Pending{UserID: userID}, replacing: enrolled}, err == nil, err
}

// pendingStep returns the pending sign-in of the request when it is at this step: giving its
// code (enrolled) or enrolling its first authenticator. Otherwise it sends the user to the other
// step, or to sign in again, and ok is false.
func (s *Server) pendingStep(w http.ResponseWriter, r *http.Request, enrolled bool) (p account.Pending, ok bool, err error) {
	if p, ok = s.requirePending(w, r); !ok {
		return p, false, nil
	}
	has, _, err := account.TwoFactorStatus(r.Context(), s.pool, p.UserID)
	switch {
	case err != nil:
		return p, false, err
	case has && !enrolled:
		return p, false, redirect(w, r, "/signin/two-factor")
	case !has && enrolled:
		return p, false, redirect(w, r, "/signin/two-factor/setup")
	}
	return p, true, nil
}

// signInSetup shows TOTP enrolment to a pending user whose roles require it (GET /signin/two-factor/setup).
func (s *Server) signInSetup(w http.ResponseWriter, r *http.Request) error {
	return s.setupPage(w, r, true)
}

// twoFactorAccountSetup shows enrolment, or moving to a new authenticator (GET /account/two-factor/setup).
func (s *Server) twoFactorAccountSetup(w http.ResponseWriter, r *http.Request) error {
	return s.setupPage(w, r, false)
}

func (s *Server) setupPage(w http.ResponseWriter, r *http.Request, signIn bool) error {
	e, ok, err := s.enrolmentOf(w, r, signIn)
	if !ok {
		return err
	}
	setup, err := s.signins().SetupKey(r.Context(), s.pool, e.UserID)
	if err != nil {
		return err
	}
	return s.renderSetup(w, r, http.StatusOK, e, setup, nil)
}

func (s *Server) renderSetup(w http.ResponseWriter, r *http.Request, status int, e enrolment, setup account.TOTPSetup, errs field.Errors) error {
	v, err := s.twoFactorSetupView(r, setup, e.signIn, e.replacing, errs)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.TwoFactorSetupPage(v))
}

// signInSetupPost confirms enrolment with the first code, signs the user in and shows the
// recovery codes (POST /signin/two-factor/setup).
func (s *Server) signInSetupPost(w http.ResponseWriter, r *http.Request) error {
	return s.setupPost(w, r, true)
}

// twoFactorAccountSetupPost turns TOTP on, or moves it to a new authenticator, and shows the new
// recovery codes (POST /account/two-factor/setup).
func (s *Server) twoFactorAccountSetupPost(w http.ResponseWriter, r *http.Request) error {
	return s.setupPost(w, r, false)
}

// setupPost turns TOTP on with the session's key, once the setup form's code proves the app
// holds it (when replacing, the current second factor is checked first), forgets the key and
// shows the new recovery codes.
func (s *Server) setupPost(w http.ResponseWriter, r *http.Request, signIn bool) error {
	e, ok, err := s.enrolmentOf(w, r, signIn)
	if !ok {
		return err
	}
	var f twoFactorSetupForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	ctx := r.Context()
	setup, err := s.signins().SetupKey(ctx, s.pool, e.UserID)
	if err != nil {
		return err
	}
	codes, err := s.accounts.EnableTwoFactor(ctx, e.UserID, setup.Secret, f.Current, f.Code, e.replacing)
	if errs, status, ok := formRefusal(w, err, "current"); ok {
		return s.renderSetup(w, r, status, e, setup, errs)
	} else if err != nil {
		return err
	}
	var p *account.Pending // on the account's page, the user is signed in already
	if signIn {
		p = &e.Pending
	}
	if err := s.signins().Enrolled(ctx, p, codes); err != nil {
		return err
	}
	if !signIn {
		return redirect(w, r, "/account/two-factor/recovery-codes")
	}
	return redirect(w, r, "/account/two-factor/recovery-codes?next="+url.QueryEscape(e.Next))
}

// recoveryCodes shows new recovery codes once (GET /account/two-factor/recovery-codes).
func (s *Server) recoveryCodes(w http.ResponseWriter, r *http.Request) error {
	v := pages.RecoveryCodesView{
		Page:         s.page(r, "Your recovery codes"),
		ContinueHref: "/account/two-factor",
	}
	if next := r.URL.Query().Get("next"); next != "" {
		v.ContinueHref = safeNext(next)
	}
	v.Codes = s.signins().TakeRecoveryCodes(r.Context())
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, http.StatusOK, pages.RecoveryCodesPage(v))
}

func (s *Server) twoFactorAccountView(r *http.Request, info account.TwoFactorDetails, errs field.Errors) pages.TwoFactorAccountView {
	v := pages.TwoFactorAccountView{
		Page:      s.page(r, "Two-factor sign-in"),
		Enrolled:  info.Enrolled,
		Required:  info.Required,
		CodesLeft: info.CodesLeft,
		Errors:    errs,
	}
	for name, f := range map[string]*components.Field{"regenerate_code": &v.Regenerate, "disable_code": &v.Disable} {
		*f = components.Field{Name: name, Label: i18n.M("Code from your authenticator app, or a recovery code"),
			Autocomplete: "one-time-code", Required: true, MaxLength: 20, Error: errs.Get(name)}
	}
	if info.Enrolled {
		v.EnabledAt = i18n.Instant(info.EnabledAt, time.UTC)
	}
	return v
}

// twoFactorAccount shows the user's two-factor sign-in status and actions (GET /account/two-factor).
func (s *Server) twoFactorAccount(w http.ResponseWriter, r *http.Request) error {
	return s.renderTwoFactorAccount(w, r, http.StatusOK, nil)
}

func (s *Server) renderTwoFactorAccount(w http.ResponseWriter, r *http.Request, status int, errs field.Errors) error {
	info, err := account.TwoFactorInfo(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.TwoFactorAccountPage(s.twoFactorAccountView(r, info, errs)))
}

// accountCodeForm is the code field of a form on the two-factor page.
type accountCodeForm struct {
	Regenerate string `form:"regenerate_code"`
	Disable    string `form:"disable_code"`
}

// refusedAccountCode re-renders the two-factor page with why the code in field name was refused
// (formRefusal); other errors are returned.
func (s *Server) refusedAccountCode(w http.ResponseWriter, r *http.Request, name string, err error) error {
	errs, status, ok := formRefusal(w, err, name)
	if !ok {
		return err
	}
	return s.renderTwoFactorAccount(w, r, status, errs)
}

// regenerateRecoveryCodes replaces the user's recovery codes (POST /account/two-factor/recovery-codes).
func (s *Server) regenerateRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	var f accountCodeForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	codes, err := s.accounts.RegenerateRecoveryCodes(r.Context(), authz.ActorFrom(r.Context()).UserID, f.Regenerate)
	if err != nil {
		return s.refusedAccountCode(w, r, "regenerate_code", err)
	}
	s.signins().KeepRecoveryCodes(r.Context(), codes)
	return redirect(w, r, "/account/two-factor/recovery-codes")
}

// disableTwoFactor turns two-factor sign-in off where the user's roles allow it
// (POST /account/two-factor/disable).
func (s *Server) disableTwoFactor(w http.ResponseWriter, r *http.Request) error {
	var f accountCodeForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	if err := s.accounts.DisableTwoFactor(r.Context(), authz.ActorFrom(r.Context()).UserID, f.Disable); err != nil {
		return s.refusedAccountCode(w, r, "disable_code", err)
	}
	s.flash(r.Context(), "Two-factor sign-in is now off.")
	return redirect(w, r, "/account/two-factor")
}

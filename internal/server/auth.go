package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/throttle"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// retryAfter tells the client of a refused attempt how long to wait (Retry-After, in whole
// seconds rounded up).
func retryAfter(w http.ResponseWriter, wait time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
}

// formRefusal is the one path from a refused form to its page again: the form's field errors
// (field.Errors, 422), or the refusal's own message on field name: an attempt refused
// (account.Refusal: 429 with Retry-After when it came too soon, 422 otherwise) or a domain rule
// (package fault: the status of its kind). ok is false for other errors, and nil.
func formRefusal(w http.ResponseWriter, err error, name string) (field.Errors, int, bool) {
	if fe, ok := errors.AsType[field.Errors](err); ok {
		return fe, http.StatusUnprocessableEntity, true
	}
	status, msg, ok := refusalOf(err)
	if rf, refused := errors.AsType[account.Refusal](err); refused {
		var wait time.Duration
		msg, wait = rf.Refused()
		status, ok = http.StatusUnprocessableEntity, true
		if wait > 0 {
			retryAfter(w, wait)
			status = http.StatusTooManyRequests
		}
	}
	if !ok {
		return nil, 0, false
	}
	return field.Errors{{Field: name, Message: msg}}, status, true
}

// formPage renders the form page v, titled by its heading.
func (s *Server) formPage(w http.ResponseWriter, r *http.Request, status int, v pages.FormView) error {
	v.Page = s.page(r, v.Heading)
	return s.render(w, r, status, pages.FormPage(v))
}

// --- registration (guidelines section 6, step 1)

// registerForm is the posted registration form.
type registerForm struct {
	EntityType   string `form:"entity_type"`
	Category     string `form:"category"`
	LoginID      string `form:"login_id"`
	Password     string `form:"password"`
	Name         string `form:"name"`
	Organisation string `form:"organisation"`
	Email        string `form:"email"`
	Phone        string `form:"phone"`
	City         string `form:"city"`
	Country      string `form:"country"`
	Terms        string `form:"terms"`
	// Invitation is the token of the secretariat's invitation the registrant came with, if any.
	Invitation string `form:"invitation"`
}

// openEdition returns the current edition and, when it takes no registrations now, why.
func (s *Server) openEdition(ctx context.Context) (*edition.Edition, string, error) {
	e, err := edition.Current(ctx, s.pool)
	if err != nil {
		return nil, "", err
	}
	return e, e.RegistrationClosed(s.now()), nil
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) error {
	e, closed, err := s.openEdition(r.Context())
	if err != nil {
		return err
	}
	if token := r.URL.Query().Get("invitation"); token != "" {
		return s.registerInvited(w, r, e, closed, token)
	}
	f := registerForm{EntityType: r.URL.Query().Get("entity_type"), Country: ""}
	return s.renderRegister(w, r, http.StatusOK, e, closed, f, nil)
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, closed, err := s.openEdition(ctx)
	if err != nil {
		return err
	}
	var f registerForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	if closed != "" {
		return s.renderRegister(w, r, http.StatusForbidden, e, closed, f, nil)
	}
	in := account.RegisterInput{
		Registration: account.Registration{
			EntityType: f.EntityType, LoginID: f.LoginID, Password: f.Password, Name: f.Name,
			Organisation: f.Organisation, Email: f.Email, Phone: f.Phone, City: f.City, Country: f.Country,
			AcceptTerms: f.Terms == "yes",
		},
		CategoryKey: f.Category,
	}
	if f.Invitation != "" {
		in.Then = func(ctx context.Context, tx pgx.Tx, userID int64) error {
			return s.invitations.AcceptInTx(ctx, tx, f.Invitation, e.ID, userID)
		}
	}
	reg, err := s.accounts.Register(ctx, e, in)
	if errs, status, ok := formRefusal(w, err, "login_id"); ok {
		return s.renderRegister(w, r, status, e, "", f, errs)
	} else if err != nil {
		return err
	}
	// The same answer whether the account was made or the address already had one (its owner
	// was told by email), so registering never tells whether an address is known; for the same
	// reason registering does not sign in. Applicants may sign in before confirming their email;
	// submitting needs the confirmation.
	s.flash(ctx, i18n.Msg("Thank you for registering. We sent an email to {{.Email}}: follow its link to confirm your address. You can sign in now with your login ID and password.", "Email", reg.Email))
	return redirect(w, r, "/signin")
}

func (s *Server) renderRegister(w http.ResponseWriter, r *http.Request, status int, e *edition.Edition, closed string, f registerForm, errs field.Errors) error {
	var invitation []string
	if _, ok := e.EntityType(f.EntityType); ok && closed == "" && f.Invitation != "" {
		invitation = s.invitationIntro(r.Context(), f.Invitation)
	}
	return s.render(w, r, status, pages.FormPage(registerView(s.page(r, "Register"), e, closed, f, errs, invitation)))
}

// registerView is the registration form of edition e (closed: why registration is closed): first
// the entity type, then the categories open to it and the personal fields. invitation is what
// the form says about the secretariat's invitation the registrant came with.
func registerView(page components.Page, e *edition.Edition, closed string, f registerForm, errs field.Errors, invitation []string) pages.FormView {
	v := pages.FormView{
		Page:    page,
		Heading: i18n.Msg("Register for {{.Edition}}", "Edition", e.Name),
		Errors:  errs,
		Notice:  closed,
		Action:  "/register",
		Submit:  i18n.M("Create my account"),
		Links:   []components.Link{{Label: i18n.M("Already registered? Sign in"), Href: "/signin"}},
	}
	if closed != "" {
		v.NoForm = true
		return v
	}
	et, ok := e.EntityType(f.EntityType)
	if !ok {
		// Step 1: who registers. The next step offers only the categories open to that entity type.
		v.Intro = []string{i18n.M("First, tell us who is applying. One account holds one project application: apply with another account for another project.")}
		v.Method, v.Action, v.Submit = "get", "/register", i18n.M("Continue")
		opts := make([]components.Option, 0, len(e.EntityTypes))
		for _, t := range e.EntityTypes {
			opts = append(opts, components.Option{Value: t.Key, Label: t.Name + ": " + t.Description})
		}
		v.Fields = []components.Field{{Name: "entity_type", Label: i18n.M("I am registering as"), Type: "radio", Required: true, Options: opts}}
		return v
	}
	cats := categoryOptions(e, et.Key, f.Category)
	countries := views.CountryOptions(f.Country, i18n.M("Choose a country"))
	orgLabel, orgHint := i18n.M("Organisation"), i18n.M("The city government, company or institution you represent.")
	if len(cats) > 0 && !isProjectEntity(e, et.Key) {
		orgLabel, orgHint = i18n.M("Organisation (optional)"), i18n.M("Where you work, if anywhere.")
	}
	v.Intro = []string{i18n.Msg("You are registering as: {{.EntityType}}. All fields are required unless marked optional.", "EntityType", et.Name)}
	v.Links = append([]components.Link{{Label: i18n.M("Read the terms and conditions"), Href: "/terms"}, {Label: i18n.M("Register as another kind of entity"), Href: "/register"}}, v.Links...)
	v.Fields = []components.Field{
		{Name: "entity_type", Label: i18n.M("Entity type"), Type: "hidden", Value: et.Key},
		{Name: "category", Label: i18n.M("Category"), Type: "radio", Required: true, Options: cats},
		{Name: "name", Label: i18n.M("Your name"), Value: f.Name, Autocomplete: "name", Required: true},
		{Name: "organisation", Label: orgLabel, Hint: orgHint, Value: f.Organisation, Autocomplete: "organization", Required: orgLabel == "Organisation"},
		{Name: "email", Label: i18n.M("Email"), Type: "email", Value: f.Email, Autocomplete: "email", Required: true, Hint: i18n.M("We send a link to confirm it.")},
		{Name: "phone", Label: i18n.M("Phone"), Type: "tel", Value: f.Phone, Autocomplete: "tel", Required: true, Hint: i18n.M("With the country code, like +82 2 123 4567.")},
		{Name: "city", Label: i18n.M("City"), Value: f.City, Autocomplete: "address-level2", Required: true},
		{Name: "country", Label: i18n.M("Country"), Type: "select", Autocomplete: "country", Required: true, Options: countries},
		{Name: "login_id", Label: i18n.M("Login ID"), Value: f.LoginID, Autocomplete: "username", Required: true, Hint: i18n.M("3 to 64 letters, digits, dots, hyphens or underscores. You can also sign in with your email.")},
		{Name: "password", Label: i18n.M("Password"), Type: "password", Autocomplete: "new-password", Required: true, Hint: i18n.M("At least 12 characters. A few unrelated words are long and easy to remember.")},
		{Name: "terms", Label: i18n.M("I agree to the terms and conditions: the portal collects these details to run the prize, and non-confidential parts of my application may be published."), Type: "checkbox", Required: true, Checked: f.Terms == "yes", Hint: i18n.Msg("The full terms (version {{.Version}}) are linked below the form.", "Version", e.TermsLabel(account.TermsVersion))},
	}
	if f.Invitation != "" {
		v.Intro = append(invitation, v.Intro...)
		v.Fields = append(v.Fields, components.Field{Name: "invitation", Type: "hidden", Value: f.Invitation})
	}
	return v
}

// categoryOptions are the categories of e open to entity type key (DOMAIN.md "Registration"),
// selected the one chosen (or the only one).
func categoryOptions(e *edition.Edition, key, selected string) []components.Option {
	var cats []components.Option
	for _, c := range e.Categories {
		if c.Eligible(key) {
			cats = append(cats, components.Option{Value: c.Key, Label: c.Name + ": " + c.Description, Selected: c.Key == selected || len(e.Categories) == 1})
		}
	}
	if len(cats) == 1 {
		cats[0].Selected = true
	}
	return cats
}

// isProjectEntity reports whether entity type key may enter a project category.
func isProjectEntity(e *edition.Edition, key string) bool {
	for _, c := range e.Categories {
		if c.Kind == edition.KindProject && c.Eligible(key) {
			return true
		}
	}
	return false
}

// --- email verification

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	if _, err := account.PeekToken(r.Context(), s.pool, account.PurposeVerifyEmail, token, s.now()); err != nil {
		return s.invalidLink(w, r, err, i18n.M("Confirm your email address"), "/dashboard", i18n.M("Sign in to send a new link from your dashboard"))
	}
	return s.formPage(w, r, http.StatusOK, pages.FormView{
		Heading: i18n.M("Confirm your email address"),
		Intro:   []string{i18n.M("Press the button to confirm that this email address is yours.")},
		Action:  "/verify/" + token, Submit: i18n.M("Confirm my email address"),
	})
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if _, err := s.accounts.VerifyEmail(ctx, chi.URLParam(r, "token")); err != nil {
		return s.invalidLink(w, r, err, i18n.M("Confirm your email address"), "/dashboard", i18n.M("Sign in to send a new link from your dashboard"))
	}
	s.flash(ctx, "Thank you: your email address is confirmed.")
	if authz.ActorFrom(ctx).Anonymous() {
		return redirect(w, r, "/signin")
	}
	return redirect(w, r, "/dashboard")
}

func (s *Server) resendVerification(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	res, err := s.accounts.ResendVerification(ctx, authz.ActorFrom(ctx).UserID)
	switch {
	case err != nil:
		return err
	case res.AlreadyVerified:
		s.flash(ctx, "Your email address is already confirmed.")
	case res.Wait > 0:
		s.flash(ctx, i18n.Msg("We already sent several links. You can ask for another {{.When}}.", "When", throttle.Phrase(res.Wait)))
	default:
		s.flash(ctx, i18n.Msg("We sent a new link to {{.Email}}.", "Email", res.Email))
	}
	return redirect(w, r, "/dashboard")
}

// invalidLink explains that an emailed link cannot be used, without saying why (unknown, used or
// expired look the same).
func (s *Server) invalidLink(w http.ResponseWriter, r *http.Request, err error, heading, href, label string) error {
	if !errors.Is(err, account.ErrTokenInvalid) {
		return err
	}
	return s.formPage(w, r, http.StatusGone, pages.FormView{
		Heading: heading, NoForm: true,
		Notice: i18n.M("This link is invalid or has expired. Links work once and for a limited time."),
		Links:  []components.Link{{Label: label, Href: href}},
	})
}

// --- sign in and out

type signInForm struct {
	Login    string `form:"login"`
	Password string `form:"password"`
	Next     string `form:"next"`
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderSignIn(w, r, http.StatusOK, signInForm{Next: r.URL.Query().Get("next")}, nil)
}

func (s *Server) renderSignIn(w http.ResponseWriter, r *http.Request, status int, f signInForm, errs field.Errors) error {
	return s.formPage(w, r, status, pages.FormView{
		Heading: i18n.M("Sign in"), Errors: errs, Action: "/signin", Submit: i18n.M("Sign in"),
		Fields: []components.Field{
			{Name: "login", Label: i18n.M("Login ID or email"), Value: f.Login, Autocomplete: "username", Required: true},
			{Name: "password", Label: i18n.M("Password"), Type: "password", Autocomplete: "current-password", Required: true},
			{Name: "next", Type: "hidden", Value: safeNext(f.Next)},
		},
		Links: []components.Link{{Label: i18n.M("Forgot your password?"), Href: "/password/forgot"}, {Label: i18n.M("No account yet? Register"), Href: "/register"}},
	})
}

func (s *Server) signInPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f signInForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	u, epoch, err := s.accounts.SignIn(ctx, f.Login, f.Password)
	if errs, status, ok := formRefusal(w, err, "login"); ok {
		if errors.Is(err, account.ErrBadCredentials) {
			status = http.StatusUnauthorized // the answer HTTP has for credentials not accepted
		}
		return s.renderSignIn(w, r, status, f, errs)
	} else if err != nil {
		return err
	}
	return s.completeSignIn(w, r, u.ID, epoch, safeNext(f.Next))
}

func (s *Server) signOutPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := s.accounts.SignedOut(ctx, authz.ActorFrom(ctx)); err != nil {
		return err
	}
	if err := s.signOut(ctx); err != nil {
		return err
	}
	s.flash(ctx, "You are signed out.")
	return redirect(w, r, "/")
}

// --- forgotten and changed passwords

type forgotForm struct {
	Login string `form:"login"`
}

func (s *Server) forgotPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderForgot(w, r, http.StatusOK, forgotForm{}, nil)
}

func (s *Server) renderForgot(w http.ResponseWriter, r *http.Request, status int, f forgotForm, errs field.Errors) error {
	return s.formPage(w, r, status, pages.FormView{
		Heading: i18n.M("Reset your password"), Errors: errs,
		Intro:  []string{i18n.M("Enter your login ID or email. If it matches an account, we send a link to its email address to choose a new password.")},
		Action: "/password/forgot", Submit: i18n.M("Send me a link"),
		Fields: []components.Field{{Name: "login", Label: i18n.M("Login ID or email"), Value: f.Login, Autocomplete: "username", Required: true}},
		Links:  []components.Link{{Label: i18n.M("Back to sign in"), Href: "/signin"}},
	})
}

func (s *Server) forgotPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f forgotForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	err := s.accounts.RequestReset(ctx, f.Login)
	if errs, status, ok := formRefusal(w, err, "login"); ok {
		return s.renderForgot(w, r, status, f, errs)
	} else if err != nil {
		return err
	}
	// The same answer whether or not an account matched.
	return s.formPage(w, r, http.StatusOK, pages.FormView{
		Heading: i18n.M("Check your email"), NoForm: true,
		Intro: []string{i18n.M("If the login ID or email you entered matches an account, we have sent a link to its email address. The link works once, for one hour."),
			i18n.M("No email after a few minutes? Check your spam folder, or try again.")},
		Links: []components.Link{{Label: i18n.M("Back to sign in"), Href: "/signin"}},
	})
}

type newPasswordForm struct {
	Current  string `form:"current"`
	Password string `form:"password"`
}

func (s *Server) resetPage(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	if _, err := account.PeekToken(r.Context(), s.pool, account.PurposeResetPassword, token, s.now()); err != nil {
		return s.invalidLink(w, r, err, i18n.M("Choose a new password"), "/password/forgot", i18n.M("Ask for a new link"))
	}
	return s.renderReset(w, r, http.StatusOK, token, nil)
}

func (s *Server) renderReset(w http.ResponseWriter, r *http.Request, status int, token string, errs field.Errors) error {
	return s.formPage(w, r, status, pages.FormView{
		Heading: i18n.M("Choose a new password"), Errors: errs,
		Intro:  []string{i18n.M("Choosing a new password signs you out everywhere else.")},
		Action: "/password/reset/" + token, Submit: i18n.M("Save my new password"),
		Fields: []components.Field{{Name: "password", Label: i18n.M("New password"), Type: "password", Autocomplete: "new-password", Required: true, Hint: i18n.M("At least 12 characters.")}},
	})
}

func (s *Server) resetPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	token := chi.URLParam(r, "token")
	var f newPasswordForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	err := s.accounts.ResetPassword(ctx, token, f.Password)
	if errs, status, ok := formRefusal(w, err, "password"); ok {
		return s.renderReset(w, r, status, token, errs)
	} else if err != nil {
		return s.invalidLink(w, r, err, i18n.M("Choose a new password"), "/password/forgot", i18n.M("Ask for a new link"))
	}
	if err := s.signOut(ctx); err != nil {
		return err
	}
	s.flash(ctx, "Your password is changed and you were signed out everywhere. Sign in with your new password.")
	return redirect(w, r, "/signin")
}

func (s *Server) changePasswordPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderChangePassword(w, r, http.StatusOK, nil)
}

func (s *Server) renderChangePassword(w http.ResponseWriter, r *http.Request, status int, errs field.Errors) error {
	return s.formPage(w, r, status, changePasswordView(authz.ActorFrom(r.Context()).MustChangePassword, errs))
}

// changePasswordView is the form that changes the password; mustChange: the user signed in with
// a one-time password and must choose their own first.
func changePasswordView(mustChange bool, errs field.Errors) pages.FormView {
	v := pages.FormView{
		Heading: i18n.M("Change your password"), Errors: errs,
		Intro:  []string{i18n.M("Changing your password signs you out on every other device.")},
		Action: "/account/password", Submit: i18n.M("Change my password"),
		Fields: []components.Field{
			{Name: "current", Label: i18n.M("Current password"), Type: "password", Autocomplete: "current-password", Required: true},
			{Name: "password", Label: i18n.M("New password"), Type: "password", Autocomplete: "new-password", Required: true, Hint: i18n.M("At least 12 characters.")},
		},
	}
	if mustChange {
		v.Notice = i18n.M("You signed in with a one-time password. Choose your own password before using the rest of the portal: until then only this page, two-factor sign-in and signing out are available.")
	}
	return v
}

func (s *Server) changePasswordPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f newPasswordForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	epoch, err := s.accounts.ChangePassword(ctx, actor.UserID, f.Current, f.Password)
	if errs, status, ok := formRefusal(w, err, "current"); ok {
		return s.renderChangePassword(w, r, status, errs)
	} else if err != nil {
		return err
	}
	// Other sessions ended with the old epoch; this one continues under the new one, with the
	// second factor it passed.
	_, _, secondFactor := s.signins().User(ctx)
	if err := s.signins().Start(ctx, actor.UserID, epoch, secondFactor); err != nil {
		return err
	}
	s.flash(ctx, "Your password is changed. Other devices were signed out.")
	return redirect(w, r, "/dashboard")
}

// termsPage shows the terms and conditions registrants agree to.
func (s *Server) termsPage(w http.ResponseWriter, r *http.Request) error {
	if e, err := edition.Current(r.Context(), s.pool); err == nil && e.Terms != "" {
		return s.render(w, r, http.StatusOK, pages.FormPage(pages.FormView{
			Page: s.page(r, "Terms and conditions"), Heading: i18n.Msg("Terms and conditions of the {{.Edition}} (version {{.Version}})", "Edition", e.Name, "Version", e.TermsLabel("")),
			NoForm: true, Intro: views.Paragraphs(e.Terms), Links: []components.Link{{Label: i18n.M("Register"), Href: "/register"}},
		}))
	} else if err != nil && !errors.Is(err, db.ErrNotFound) {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.FormPage(pages.FormView{
		Page: s.page(r, "Terms and conditions"), Heading: i18n.Msg("Terms and conditions (version {{.Version}})", "Version", account.TermsVersion), NoForm: true,
		Intro: []string{
			i18n.M("By registering you agree that the organisers collect and keep the details of your registration (name, organisation, email, phone, city and country) to run the prize, contact you about your entry and publish the results."),
			i18n.M("You are fully responsible for the information and material you submit, including the intellectual property, copyright and image rights in it."),
			i18n.M("Full texts or summaries of applications and supporting material may be published on the prize's websites and in publications, and stored in a best-practice repository. Information you mark as confidential is never published."),
			i18n.M("You can see and download what the portal holds about you from your account at any time."),
		},
		Links: []components.Link{{Label: i18n.M("Register"), Href: "/register"}},
	}))
}

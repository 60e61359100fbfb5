package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// entryForm is the posted form that starts a returning participant's entry in a new edition.
type entryForm struct {
	Category     string `form:"category"`
	Name         string `form:"name"`
	Organisation string `form:"organisation"`
	Phone        string `form:"phone"`
	City         string `form:"city"`
	Country      string `form:"country"`
	Terms        string `form:"terms"`
	// Invitation is the token of the secretariat's invitation the participant came with, if any.
	Invitation string `form:"invitation"`
}

// newEntryPage shows the form that starts an entry in the edition open to the signed-in
// entrant (account.Service.NewEntry), their profile pre-filled; with the secretariat's invitation
// (?invitation=), its category is chosen.
func (s *Server) newEntryPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	n, err := s.accounts.NewEntry(ctx, authz.ActorFrom(ctx))
	if err != nil {
		return s.noNewEntry(w, r, err)
	}
	u := n.User
	f := entryForm{Name: u.Name, Organisation: u.Organisation, Phone: u.Phone, City: u.City, Country: u.Country}
	if token := r.URL.Query().Get("invitation"); token != "" {
		if inv, err := s.invitations.ForRegistration(ctx, token, n.Edition.ID); err == nil {
			f.Category, f.Invitation = inv.CategoryKey, token
		}
	}
	return s.renderNewEntry(w, r, http.StatusOK, n, f, nil)
}

// noNewEntry answers the form when no edition is open to a new entry (err is db.ErrNotFound).
func (s *Server) noNewEntry(w http.ResponseWriter, r *http.Request, err error) error {
	if !errors.Is(err, db.ErrNotFound) {
		return err
	}
	return s.formPage(w, r, http.StatusOK, pages.FormView{
		Heading: "Start a new entry", NoForm: true,
		Notice: "No edition of the prize is open for a new entry of yours now: you have entered the editions open to applications.",
		Links:  []components.Link{{Label: "Back to your dashboard", Href: "/dashboard"}},
	})
}

// newEntry starts the entry (account.Service.StartEntry), accepting the secretariat's invitation
// the participant came with in the same transaction; a refused form is shown again as typed.
func (s *Server) newEntry(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f entryForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	n, err := s.accounts.NewEntry(ctx, actor)
	if err != nil {
		return s.noNewEntry(w, r, err)
	}
	in := account.EntryInput{CategoryKey: f.Category, Name: f.Name, Organisation: f.Organisation, Phone: f.Phone,
		City: f.City, Country: f.Country, AcceptTerms: f.Terms == "yes"}
	if f.Invitation != "" {
		in.Then = func(ctx context.Context, tx pgx.Tx, userID int64) error {
			return s.invitations.AcceptInTx(ctx, tx, f.Invitation, n.Edition.ID, userID)
		}
	}
	_, err = s.accounts.StartEntry(ctx, actor, n.Edition, in)
	if errs, status, ok := formRefusal(w, err, "category"); ok {
		return s.renderNewEntry(w, r, status, n, f, errs)
	} else if err != nil {
		return err
	}
	// The new role is read from the database at the next request (the session holds the account).
	s.flash(ctx, "Your entry in the "+n.Edition.Name+" is started: fill it in, save it as a draft and submit it before the deadline.")
	return redirect(w, r, "/application")
}

func (s *Server) renderNewEntry(w http.ResponseWriter, r *http.Request, status int, n account.NewEntry, f entryForm, errs field.Errors) error {
	return s.render(w, r, status, pages.FormPage(newEntryView(s.page(r, i18n.Msg("Start your entry in the {{.Edition}}", "Edition", n.Edition.Name)), n, f, errs)))
}

// newEntryView is the form that starts an entry of account n.User in edition n.Edition: the
// categories open to the account's entity type and the profile, pre-filled, with the edition's
// terms to accept.
func newEntryView(page components.Page, n account.NewEntry, f entryForm, errs field.Errors) pages.FormView {
	e, u := n.Edition, n.User
	et := u.EntityType
	if t, ok := e.EntityType(u.EntityType); ok {
		et = t.Name
	}
	v := pages.FormView{
		Page: page, Heading: i18n.Msg("Start your entry in the {{.Edition}}", "Edition", e.Name), Errors: errs,
		Action: views.NewEntryPath, Submit: i18n.M("Start my entry"),
		Intro: []string{
			i18n.Msg("Welcome back. You enter as: {{.EntityType}}. Your profile is filled in from your account: check it and correct what has changed. All fields are required unless marked optional.", "EntityType", et),
			i18n.M("Your entries in earlier editions stay on your dashboard, read-only."),
		},
		Links: []components.Link{{Label: "Read the terms and conditions", Href: "/terms"}, {Label: "Back to your dashboard", Href: "/dashboard"}},
	}
	if f.Invitation != "" {
		v.Intro = append([]string{i18n.Msg("The secretariat invited you to enter the {{.Edition}}: the category is chosen from the invitation.", "Edition", e.Name)}, v.Intro...)
	}
	orgLabel, orgRequired := "Organisation", isProjectEntity(e, u.EntityType)
	if !orgRequired {
		orgLabel = "Organisation (optional)"
	}
	v.Fields = []components.Field{
		{Name: "category", Label: "Category", Type: "radio", Required: true, Options: categoryOptions(e, u.EntityType, f.Category)},
		{Name: "name", Label: "Your name", Value: f.Name, Autocomplete: "name", Required: true},
		{Name: "organisation", Label: orgLabel, Value: f.Organisation, Autocomplete: "organization", Required: orgRequired},
		{Name: "phone", Label: "Phone", Type: "tel", Value: f.Phone, Autocomplete: "tel", Required: true, Hint: "With the country code, like +82 2 123 4567."},
		{Name: "city", Label: "City", Value: f.City, Autocomplete: "address-level2", Required: true},
		{Name: "country", Label: "Country", Type: "select", Autocomplete: "country", Required: true, Options: views.CountryOptions(f.Country, "Choose a country")},
		{Name: "terms", Label: i18n.Msg("I agree to the terms and conditions of the {{.Edition}}: the portal collects these details to run the prize, and non-confidential parts of my application may be published.", "Edition", e.Name),
			Type: "checkbox", Required: true, Checked: f.Terms == "yes", Hint: i18n.Msg("The full terms (version {{.Version}}) are linked below the form.", "Version", e.TermsLabel(account.TermsVersion))},
	}
	if f.Invitation != "" {
		v.Fields = append(v.Fields, components.Field{Name: "invitation", Type: "hidden", Value: f.Invitation})
	}
	return v
}

// pastEntry shows the acting applicant's project entry of an earlier edition, read-only
// (application.ErrPastEdition refuses any change to it); the current edition's entry lives at
// /application. Anyone else's entry is 404 (owner filter in SQL).
func (s *Server) pastEntry(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, err := s.ownedEntry(r, "id")
	if err != nil {
		return err
	}
	if !e.App.Past {
		return redirect(w, r, "/application")
	}
	v := views.ApplicationReview(e, false, authz.ActorFrom(ctx).EmailVerified, s.now(), nil, "")
	v.Heading = "Your entry in the " + e.Edition.Name
	v.Page = s.page(r, v.Heading)
	return s.render(w, r, http.StatusOK, pages.ApplicationReview(v))
}

// pastEntryFile sends a file of the acting applicant's entry {entry}; anyone else's is 404.
func (s *Server) pastEntryFile(w http.ResponseWriter, r *http.Request) error {
	id, err := routeID(r)
	if err != nil {
		return err
	}
	e, err := s.ownedEntry(r, "entry")
	if err != nil {
		return err
	}
	f, err := application.File(r.Context(), s.pool, e.App.UserID, e.App.ID, id)
	if err != nil {
		return err
	}
	return files.Serve(w, r, s.files, f)
}

// ownedEntry loads the acting user's project entry named by the route parameter param, with
// its pages under views.EntryPath.
func (s *Server) ownedEntry(r *http.Request, param string) (application.Entry, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
	if err != nil || id <= 0 {
		return application.Entry{}, errNotFound
	}
	e, err := s.applications.Owned(r.Context(), authz.ActorFrom(r.Context()).UserID, id)
	if err != nil {
		return application.Entry{}, err
	}
	if e.App.Kind != application.KindProject {
		return application.Entry{}, errNotFound
	}
	e.Home = views.EntryPath(id)
	return e, nil
}

package server

import (
	"cmp"
	"errors"
	"net/http"
	"strconv"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"

	"github.com/go-chi/chi/v5"
)

// Leadership nominations, the nominator's side (DOMAIN.md "Leadership nominations"):
// the list of a nominator's nominations, creating one (third party or self), its declared facts,
// and asking the candidate for consent. The Leadership Application Form itself is served by the
// application handlers (application.go) under /nominations/{nomination}/. Every query filters by
// the acting nominator, so another nominator's nomination is a 404.

// routeNomination reads the {nomination} of a route.
func routeNomination(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "nomination"), 10, 64)
	if err != nil {
		return 0, errNotFound
	}
	return id, nil
}

// loadNomination loads the acting nominator's nomination of the path as an application context.
func (s *Server) loadNomination(r *http.Request) (*appContext, error) {
	id, err := routeNomination(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	owner := authz.ActorFrom(ctx).UserID
	n, err := nomination.Get(ctx, s.pool, owner, id)
	if err != nil {
		return nil, err
	}
	e, err := s.applications.Owned(ctx, owner, id)
	if err != nil || e.Category.Nominations == nil {
		return nil, cmp.Or(err, errNotFound)
	}
	e.Home, e.Unconsented = views.NominationHome(id), !n.ConsentOK()
	return &appContext{Entry: e, actor: authz.ActorFrom(ctx), nom: &n}, nil
}

// nominationPanel is the nomination's own status for its overview page.
func (s *Server) nominationPanel(c *appContext) *pages.NominationPanel {
	n, rules, loc := c.nom, c.Category.Nominations, c.Edition.TimeZone
	return &pages.NominationPanel{
		Candidate:      n.CandidateName + ", " + n.CandidatePosition + ", " + n.CandidateOrganisation,
		Self:           n.Self,
		DetailsHref:    c.url("/details"),
		Consent:        n.ConsentText(loc),
		CanAsk:         n.CanAskConsent() && s.open(c),
		AskAgain:       n.Consent == nomination.ConsentRequested || n.Consent == nomination.ConsentDeclined,
		ConsentHref:    c.url("/consent"),
		Letter:         n.LetterText(loc),
		LetterHref:     c.url("/letter"),
		Endorsements:   endorsementsText(n.Endorsements, rules.EndorsementsMoreThan),
		EndorseHref:    c.url("/endorsements"),
		Problems:       n.Problems(rules),
		Complete:       n.Complete(rules),
		Due:            nomination.Due(rules, loc),
		LetterDeadline: i18n.End(rules.LetterDeadline, loc),
		LetterWarning:  n.HeadWarning(),
	}
}

// nominationsList lists the acting nominator's nominations with their consent, letter and
// endorsement status (GET /nominations).
func (s *Server) nominationsList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	who, list, err := s.nominations.Nominations(ctx, authz.ActorFrom(ctx).UserID)
	if err != nil {
		return err
	}
	ed, rules, loc := who.Edition, who.Category.Nominations, who.Edition.TimeZone
	v := pages.NominationListView{Page: s.page(r, "Your nominations"), Prize: ed.Name, Category: who.Category.Name,
		Open: who.Open(s.now()), Deadline: i18n.Msg("{{.Deadline}} ({{.Zone}} time)", "Deadline", i18n.Deadline(ed.Schedule.ApplicationDeadline, loc), "Zone", loc.String())}
	for i := range list {
		n := &list[i]
		v.Rows = append(v.Rows, pages.NominationRow{Href: views.NominationHome(n.ApplicationID), Candidate: n.CandidateName,
			Kind: n.KindText(), Status: n.Status.Label(), Consent: n.ConsentText(loc), Letter: n.LetterStatus(),
			Endorsements: strconv.Itoa(n.Endorsements), Complete: n.Complete(rules)})
	}
	return s.render(w, r, http.StatusOK, pages.NominationList(v))
}

// detailsForm is the form of a nomination's declared facts.
type detailsForm struct {
	Self                  string `form:"self"`
	NominatorCategory     string `form:"nominator_category"`
	NominatorOrganisation string `form:"nominator_organisation"`
	CandidateName         string `form:"candidate_name"`
	CandidateEmail        string `form:"candidate_email"`
	CandidateOrganisation string `form:"candidate_organisation"`
	CandidatePosition     string `form:"candidate_position"`
	CandidateCity         string `form:"candidate_city"`
	CandidateCountry      string `form:"candidate_country"`
	CandidateIsHead       string `form:"candidate_is_head"`
}

// details turns the form into the nomination details nominator u declares (nomination.Details.By).
func (f detailsForm) details(u account.User) nomination.Details {
	return nomination.Details{Self: f.Self == "self", NominatorCategory: f.NominatorCategory,
		NominatorOrganisation: f.NominatorOrganisation, CandidateName: f.CandidateName, CandidateEmail: f.CandidateEmail,
		CandidateOrganisation: f.CandidateOrganisation, CandidatePosition: f.CandidatePosition,
		CandidateCity: f.CandidateCity, CandidateCountry: f.CandidateCountry, CandidateIsHead: f.CandidateIsHead == "yes"}.By(u)
}

func detailsFormOf(d nomination.Details) detailsForm {
	f := detailsForm{Self: "third", NominatorCategory: d.NominatorCategory, NominatorOrganisation: d.NominatorOrganisation,
		CandidateName: d.CandidateName, CandidateEmail: d.CandidateEmail, CandidateOrganisation: d.CandidateOrganisation,
		CandidatePosition: d.CandidatePosition, CandidateCity: d.CandidateCity, CandidateCountry: d.CandidateCountry,
		CandidateIsHead: "no"}
	if d.Self {
		f.Self = "self"
	}
	if d.CandidateIsHead {
		f.CandidateIsHead = "yes"
	}
	return f
}

// detailsPage is where the details form of a nomination is: a new one, or an existing one.
type detailsPage struct {
	cat                   *edition.Category
	action, heading, back string
	// edit says the nomination exists: the notice of a refused save says the changes were not saved.
	edit bool
}

func newDetailsPage(cat *edition.Category) detailsPage {
	return detailsPage{cat: cat, action: "/nominations/new", heading: i18n.M("New nomination"), back: "/nominations"}
}

func editDetailsPage(c *appContext) detailsPage {
	return detailsPage{cat: c.Category, action: c.url("/details"), heading: i18n.M("Nominator and candidate"), back: c.Home, edit: true}
}

func (s *Server) renderDetails(w http.ResponseWriter, r *http.Request, status int, p detailsPage, f detailsForm, errs field.Errors, notice string) error {
	cats := []components.Option{{Value: "", Label: i18n.M("Choose a category")}}
	for _, nc := range p.cat.Nominations.NominatorCategories {
		cats = append(cats, components.Option{Value: nc.Key, Label: nc.Name, Selected: nc.Key == f.NominatorCategory})
	}
	fields := []components.Field{
		{Name: "self", Label: i18n.M("Whom do you nominate?"), Type: "radio", Required: true, Options: []components.Option{
			{Value: "third", Label: i18n.M("Someone else (a third-party nomination)"), Selected: f.Self != "self"},
			{Value: "self", Label: i18n.M("Myself (a self-nomination: at most one per person)"), Selected: f.Self == "self"},
		}},
		{Name: "nominator_category", Label: i18n.M("The category of nominators you belong to"), Type: "select", Options: cats,
			Hint: i18n.M("Required to nominate someone else (guidelines §6). Leave it empty for a self-nomination if none applies.")},
		{Name: "nominator_organisation", Label: i18n.M("Your organisation"), Value: f.NominatorOrganisation, Autocomplete: "organization", MaxLength: 300,
			Hint: i18n.M("Required to nominate someone else.")},
		{Name: "candidate_name", Label: i18n.M("The candidate's full name"), Value: f.CandidateName, MaxLength: 300,
			Hint: i18n.M("For a self-nomination, your own name is used.")},
		{Name: "candidate_email", Label: i18n.M("The candidate's email address"), Type: "email", Value: f.CandidateEmail, MaxLength: 300,
			Hint: i18n.M("We ask the candidate for their consent at this address. For a self-nomination, your own address is used.")},
		{Name: "candidate_position", Label: i18n.M("The candidate's position"), Value: f.CandidatePosition, Required: true, MaxLength: 300},
		{Name: "candidate_organisation", Label: i18n.M("The candidate's organisation"), Value: f.CandidateOrganisation, Required: true, MaxLength: 300},
		{Name: "candidate_city", Label: i18n.M("The city where the candidate works"), Value: f.CandidateCity, Required: true, MaxLength: 200,
			Hint: i18n.M("The candidate is the participant: the results and the analysis show their city and country, not yours. For a self-nomination, your account's are used if you leave these empty.")},
		{Name: "candidate_country", Label: i18n.M("The country where the candidate works"), Type: "select", Required: true,
			Options: views.CountryOptions(f.CandidateCountry, "Choose a country")},
		{Name: "candidate_is_head", Label: i18n.M("Does the candidate head an organisation (mayor, president, CEO, head of an organisation or university)?"),
			Type: "radio", Required: true, Hint: i18n.M("If so, the letter of recommendation must come from someone at a different organisation."),
			Options: []components.Option{{Value: "no", Label: i18n.M("No"), Selected: f.CandidateIsHead != "yes"},
				{Value: "yes", Label: i18n.M("Yes"), Selected: f.CandidateIsHead == "yes"}}},
	}
	return s.render(w, r, status, pages.FormPage(pages.FormView{
		Page: s.page(r, p.heading), Heading: p.heading, Errors: errs, Notice: notice, Action: p.action,
		Fields: components.WithErrors(fields, errs), Submit: i18n.M("Save"),
		Intro: []string{i18n.Msg("A nomination needs the candidate's permission and a Leadership Application Form explaining how their achievements align with the Leadership criteria, with a letter of recommendation or the signatures of more than {{.Count}} citizens.",
			"Count", i18n.Number(p.cat.Nominations.EndorsementsMoreThan))},
		Links: []components.Link{{Label: i18n.M("Back without saving"), Href: p.back}},
	}))
}

// detailsRefused shows the details form again with why a save was refused: field errors, the one
// self-nomination rule, or a deadline; any other error is returned as it is.
func (s *Server) detailsRefused(w http.ResponseWriter, r *http.Request, p detailsPage, f detailsForm, err error) error {
	var errs field.Errors
	switch {
	case errors.As(err, &errs):
		return s.renderDetails(w, r, http.StatusUnprocessableEntity, p, f, errs, "")
	case errors.Is(err, nomination.ErrSelfNominated):
		return s.renderDetails(w, r, http.StatusConflict, p, f, field.Errors{{Field: "self", Message: faultMessage(err)}}, "")
	}
	if refusal, ok := fault.As(err); ok && refusal.Kind == fault.Forbidden {
		notice := refusal.Message
		if p.edit {
			notice = i18n.Msg("{{.Refusal}} Your changes were not saved.", "Refusal", refusal.Message)
		}
		return s.renderDetails(w, r, http.StatusForbidden, p, f, nil, notice)
	}
	return err
}

// nominationNewPage shows the form of a new nomination (GET /nominations/new).
func (s *Server) nominationNewPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	who, err := s.nominations.Nominator(ctx, authz.ActorFrom(ctx).UserID)
	if err != nil {
		return err
	}
	notice := ""
	if ed := who.Edition; !who.Open(s.now()) {
		notice = i18n.Msg("The deadline for nominations passed on {{.When}}.", "When", i18n.Deadline(ed.Schedule.ApplicationDeadline, ed.TimeZone))
	}
	return s.renderDetails(w, r, http.StatusOK, newDetailsPage(who.Category),
		detailsForm{Self: "third", NominatorOrganisation: who.User.Organisation, CandidateIsHead: "no"}, nil, notice)
}

// nominationCreate creates a nomination (POST /nominations/new; nomination.Service.Create).
func (s *Server) nominationCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f detailsForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	who, err := s.nominations.Nominator(ctx, authz.ActorFrom(ctx).UserID)
	if err != nil {
		return err
	}
	d := f.details(who.User)
	id, err := s.nominations.Create(ctx, authz.ActorFrom(ctx), who.Edition, who.Category, d)
	if err != nil {
		return s.detailsRefused(w, r, newDetailsPage(who.Category), f, err)
	}
	if d.Self {
		s.flash(ctx, "The nomination was created. Next: fill in the Leadership Application Form.")
	} else {
		s.flash(ctx, "The nomination was created. Next: fill in the Leadership Application Form and ask the candidate for their consent.")
	}
	return redirect(w, r, views.NominationHome(id))
}

// nominationDetailsPage shows the declared facts of a nomination for editing
// (GET /nominations/{nomination}/details).
func (s *Server) nominationDetailsPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	notice := ""
	if !s.open(c) {
		notice = c.ClosedNotice()
	}
	return s.renderDetails(w, r, http.StatusOK, editDetailsPage(c), detailsFormOf(c.nom.Details), nil, notice)
}

// nominationDetails saves the declared facts (POST /nominations/{nomination}/details;
// nomination.Service.UpdateDetails). Changing the candidate's email address withdraws their
// consent, which must then be asked again.
func (s *Server) nominationDetails(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f detailsForm
	c, err := s.postedEntry(w, r, &f)
	if err != nil {
		return err
	}
	reset, err := s.nominations.UpdateDetails(ctx, c.actor, c.App, c.Edition, c.Category, f.details(c.Owner))
	if err != nil {
		return s.detailsRefused(w, r, editDetailsPage(c), f, err)
	}
	if reset {
		s.flash(ctx, "The nomination's details were saved. The candidate's email address changed, so their consent must be asked again.")
	} else {
		s.flash(ctx, "The nomination's details were saved.")
	}
	return redirect(w, r, c.Home)
}

// nominationAskConsent emails the candidate a private link to consent or decline
// (POST /nominations/{nomination}/consent; nomination.Service.AskConsent). Asking again sends a
// new link; earlier ones stop working. A refusal is flashed on the nomination's page.
func (s *Server) nominationAskConsent(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.postedEntry(w, r, &struct{}{})
	if err != nil {
		return err
	}
	n := c.nom
	err = s.nominations.AskConsent(ctx, c.actor, c.App, c.Edition, c.Category, n)
	if limit := (*nomination.EmailLimitError)(nil); errors.As(err, &limit) {
		s.flash(ctx, i18n.Msg("Nothing was sent. {{.Limit}}", "Limit", limit.Message))
		return redirect(w, r, c.Home)
	}
	return s.flashThen(w, r, err, c.Home, func() string {
		return i18n.Msg("We have emailed {{.Name}} at {{.Email}} a private link to consent to the nomination or decline it.", "Name", n.CandidateName, "Email", n.CandidateEmail)
	})
}

// endorsementsText says how a nomination's confirmed endorsements stand against the edition's
// threshold (DOMAIN.md "Leadership nominations": more than the threshold replace the letter).
func endorsementsText(confirmed, moreThan int) string {
	if confirmed > moreThan {
		return i18n.Msg("{{.Count}} confirmed: more than {{.MoreThan}}, enough to replace the letter.", "Count", strconv.Itoa(confirmed), "MoreThan", strconv.Itoa(moreThan))
	}
	return i18n.Msg("{{.Count}} confirmed; more than {{.MoreThan}} needed to replace the letter.", "Count", strconv.Itoa(confirmed), "MoreThan", strconv.Itoa(moreThan))
}

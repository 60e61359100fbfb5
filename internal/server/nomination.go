package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/nomination"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Leadership nominations, the nominator's side (issue 5; DOMAIN.md "Leadership nominations"):
// the list of a nominator's nominations, creating one (third party or self), its declared facts,
// and asking the candidate for consent. The Leadership Application Form itself is served by the
// application handlers (application.go) under /nominations/{nomination}/. Every query filters by
// the acting nominator, so another nominator's nomination is a 404.

func nominationHome(id int64) string { return "/nominations/" + strconv.FormatInt(id, 10) }

// loadNomination loads the acting nominator's nomination id (a path parameter) as an application
// context.
func (s *Server) loadNomination(ctx context.Context, param string) (*appContext, error) {
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	owner := authz.ActorFrom(ctx).UserID
	n, err := nomination.Get(ctx, s.pool, owner, id)
	if err != nil {
		return nil, err
	}
	e, err := s.applications.Owned(ctx, owner, id)
	if err != nil {
		return nil, err
	}
	c := newAppContext(ctx, e, nominationHome(id), "nomination")
	if c.cat.Nominations == nil {
		return nil, errNotFound
	}
	c.nom = &n
	return c, nil
}

// nominatorEdition returns the edition and leadership category the acting nominator registered
// for; errNotFound for an account without one.
func (s *Server) nominatorEdition(ctx context.Context) (account.User, *edition.Edition, *edition.Category, error) {
	u, err := account.ByID(ctx, s.pool, authz.ActorFrom(ctx).UserID)
	if err != nil {
		return account.User{}, nil, nil, err
	}
	if u.EditionID == nil || u.CategoryID == nil {
		return account.User{}, nil, nil, errNotFound
	}
	ed, err := edition.ByID(ctx, s.pool, *u.EditionID)
	if err != nil {
		return account.User{}, nil, nil, err
	}
	for i := range ed.Categories {
		if c := &ed.Categories[i]; c.ID == *u.CategoryID && c.Nominations != nil && c.Form != nil {
			return u, ed, c, nil
		}
	}
	return account.User{}, nil, nil, errNotFound
}

// consentLabel is the state of the candidate's consent as the nominator reads it.
func consentLabel(n *nomination.Nomination, loc *time.Location) string {
	if n.Self {
		return "Not needed: you nominate yourself."
	}
	switch n.Consent {
	case nomination.ConsentRequested:
		return "Asked on " + formatInstant(*n.ConsentRequestedAt, loc) + "; no answer yet."
	case nomination.ConsentGiven:
		return "Given on " + formatInstant(*n.ConsentDecidedAt, loc) + "."
	case nomination.ConsentDeclined:
		return "Declined on " + formatInstant(*n.ConsentDecidedAt, loc) + ". Only the secretariat can ask the candidate again."
	}
	if n.ConsentDeclinedAt != nil {
		return "Declined on " + formatInstant(*n.ConsentDeclinedAt, loc) + " (before the candidate's address was changed). Only the secretariat can ask the candidate again."
	}
	return "Not asked yet."
}

// letterLabel is the state of the letter of recommendation as the nominator reads it: who was
// invited and where the letter stands, never what it says.
func letterLabel(n *nomination.Nomination, loc *time.Location) string {
	l := n.Letter
	if l == nil {
		return "No recommender invited yet."
	}
	who := l.InvitedName + " (" + l.InvitedEmail + ")"
	switch l.Status {
	case nomination.LetterOpened:
		return who + ": opened the invitation on " + formatInstant(*l.OpenedAt, loc) + "; no letter yet."
	case nomination.LetterReceived:
		return who + ": letter received on " + formatInstant(*l.ReceivedAt, loc) + "."
	}
	return who + ": invited on " + formatInstant(l.InvitedAt, loc) + "; not opened yet."
}

// nominationPanel is the nomination's own status for its overview page.
func (s *Server) nominationPanel(c *appContext) *pages.NominationPanel {
	n, rules, loc := c.nom, c.cat.Nominations, c.ed.TimeZone
	p := &pages.NominationPanel{
		Candidate:   n.CandidateName + ", " + n.CandidatePosition + ", " + n.CandidateOrganisation,
		Self:        n.Self,
		DetailsHref: c.url("/details"),
		Consent:     consentLabel(n, loc),
		CanAsk: !n.Self && n.Consent != nomination.ConsentGiven && n.Consent != nomination.ConsentDeclined &&
			n.ConsentDeclinedAt == nil && s.open(c),
		AskAgain:       n.Consent == nomination.ConsentRequested || n.Consent == nomination.ConsentDeclined,
		ConsentHref:    c.url("/consent"),
		Letter:         letterLabel(n, loc),
		LetterHref:     c.url("/letter"),
		Endorsements:   strconv.Itoa(n.Endorsements) + " confirmed; more than " + strconv.Itoa(rules.EndorsementsMoreThan) + " needed to replace the letter.",
		EndorseHref:    c.url("/endorsements"),
		Problems:       n.Problems(rules),
		Complete:       n.Complete(rules),
		LetterDeadline: endStamp(rules.LetterDeadline, loc),
	}
	if n.LetterConflict() {
		p.LetterWarning = "The candidate heads an organisation, so their recommender must be from a different organisation (guidelines §6). This letter cannot count: invite a recommender from another organisation."
	}
	return p
}

// nominationsList lists the acting nominator's nominations with their consent, letter and
// endorsement status (GET /nominations).
func (s *Server) nominationsList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	_, ed, cat, err := s.nominatorEdition(ctx)
	if err != nil {
		return err
	}
	list, err := nomination.List(ctx, s.pool, authz.ActorFrom(ctx).UserID)
	if err != nil {
		return err
	}
	loc := ed.TimeZone
	v := pages.NominationListView{Page: s.page(r, "Your nominations"), Prize: ed.Name, Category: cat.Name,
		Open:     s.now().Before(ed.Schedule.ApplicationDeadline),
		Deadline: deadlineStamp(ed.Schedule.ApplicationDeadline, loc) + " (" + loc.String() + " time)"}
	for i := range list {
		n := &list[i]
		rules := cat.Nominations
		if n.EditionID != ed.ID {
			continue
		}
		row := pages.NominationRow{Href: nominationHome(n.ApplicationID), Candidate: n.CandidateName,
			Kind: "Third party", Status: n.Status.Label(), Consent: consentLabel(n, loc), Letter: "None",
			Endorsements: strconv.Itoa(n.Endorsements), Complete: n.Complete(rules)}
		if n.Self {
			row.Kind = "Self-nomination"
		}
		if n.Letter != nil {
			row.Letter = n.Letter.Status.Label()
		}
		v.Rows = append(v.Rows, row)
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
	CandidateIsHead       string `form:"candidate_is_head"`
}

// details turns the form into nomination details; a self-nomination names the nominator as the
// candidate (their account's name and email address).
func (f detailsForm) details(u account.User) nomination.Details {
	d := nomination.Details{Self: f.Self == "self", NominatorCategory: f.NominatorCategory,
		NominatorOrganisation: f.NominatorOrganisation, CandidateName: f.CandidateName, CandidateEmail: f.CandidateEmail,
		CandidateOrganisation: f.CandidateOrganisation, CandidatePosition: f.CandidatePosition,
		CandidateIsHead: f.CandidateIsHead == "yes"}
	if d.Self {
		d.CandidateName, d.CandidateEmail = u.Name, u.Email
		if d.CandidateOrganisation == "" {
			d.CandidateOrganisation = d.NominatorOrganisation
		}
		d.NominatorOrganisation = d.CandidateOrganisation
	}
	d.Normalize()
	return d
}

func detailsFormOf(d nomination.Details) detailsForm {
	f := detailsForm{Self: "third", NominatorCategory: d.NominatorCategory, NominatorOrganisation: d.NominatorOrganisation,
		CandidateName: d.CandidateName, CandidateEmail: d.CandidateEmail, CandidateOrganisation: d.CandidateOrganisation,
		CandidatePosition: d.CandidatePosition, CandidateIsHead: "no"}
	if d.Self {
		f.Self = "self"
	}
	if d.CandidateIsHead {
		f.CandidateIsHead = "yes"
	}
	return f
}

func (s *Server) renderDetails(w http.ResponseWriter, r *http.Request, status int, cat *edition.Category, action, heading string, f detailsForm, errs field.Errors, notice string, back string) error {
	cats := []components.Option{{Value: "", Label: "Choose a category"}}
	for _, nc := range cat.Nominations.NominatorCategories {
		cats = append(cats, components.Option{Value: nc.Key, Label: nc.Name, Selected: nc.Key == f.NominatorCategory})
	}
	fields := []components.Field{
		{Name: "self", Label: "Whom do you nominate?", Type: "radio", Required: true, Options: []components.Option{
			{Value: "third", Label: "Someone else (a third-party nomination)", Selected: f.Self != "self"},
			{Value: "self", Label: "Myself (a self-nomination: at most one per person)", Selected: f.Self == "self"},
		}},
		{Name: "nominator_category", Label: "The category of nominators you belong to", Type: "select", Options: cats,
			Hint: "Required to nominate someone else (guidelines §6). Leave it empty for a self-nomination if none applies."},
		{Name: "nominator_organisation", Label: "Your organisation", Value: f.NominatorOrganisation, Autocomplete: "organization", MaxLength: 300,
			Hint: "Required to nominate someone else."},
		{Name: "candidate_name", Label: "The candidate's full name", Value: f.CandidateName, MaxLength: 300,
			Hint: "For a self-nomination, your own name is used."},
		{Name: "candidate_email", Label: "The candidate's email address", Type: "email", Value: f.CandidateEmail, MaxLength: 300,
			Hint: "We ask the candidate for their consent at this address. For a self-nomination, your own address is used."},
		{Name: "candidate_position", Label: "The candidate's position", Value: f.CandidatePosition, Required: true, MaxLength: 300},
		{Name: "candidate_organisation", Label: "The candidate's organisation", Value: f.CandidateOrganisation, Required: true, MaxLength: 300},
		{Name: "candidate_is_head", Label: "Does the candidate head an organisation (mayor, president, CEO, head of an organisation or university)?",
			Type: "radio", Required: true, Hint: "If so, the letter of recommendation must come from someone at a different organisation.",
			Options: []components.Option{{Value: "no", Label: "No", Selected: f.CandidateIsHead != "yes"},
				{Value: "yes", Label: "Yes", Selected: f.CandidateIsHead == "yes"}}},
	}
	return s.render(w, r, status, pages.FormPage(pages.FormView{
		Page: s.page(r, heading), Heading: heading, Errors: errs, Notice: notice, Action: action,
		Fields: components.WithErrors(fields, errs), Submit: "Save",
		Intro: []string{"A nomination needs the candidate's permission and a Leadership Application Form explaining how their achievements align with the Leadership criteria, with a letter of recommendation or the signatures of more than " +
			strconv.Itoa(cat.Nominations.EndorsementsMoreThan) + " citizens."},
		Links: []components.Link{{Label: "Back without saving", Href: back}},
	}))
}

// nominationNewPage shows the form of a new nomination (GET /nominations/new).
func (s *Server) nominationNewPage(w http.ResponseWriter, r *http.Request) error {
	u, ed, cat, err := s.nominatorEdition(r.Context())
	if err != nil {
		return err
	}
	notice := ""
	if !s.now().Before(ed.Schedule.ApplicationDeadline) {
		notice = "The deadline for nominations passed on " + deadlineStamp(ed.Schedule.ApplicationDeadline, ed.TimeZone) + "."
	}
	return s.renderDetails(w, r, http.StatusOK, cat, "/nominations/new", "New nomination",
		detailsForm{Self: "third", NominatorOrganisation: u.Organisation, CandidateIsHead: "no"}, nil, notice, "/nominations")
}

// nominationCreate creates a nomination (POST /nominations/new).
func (s *Server) nominationCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f detailsForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	u, ed, cat, err := s.nominatorEdition(ctx)
	if err != nil {
		return err
	}
	if !s.now().Before(ed.Schedule.ApplicationDeadline) {
		return s.renderDetails(w, r, http.StatusForbidden, cat, "/nominations/new", "New nomination", f, nil,
			"The deadline for nominations passed on "+deadlineStamp(ed.Schedule.ApplicationDeadline, ed.TimeZone)+": no new nomination can be made.", "/nominations")
	}
	d := f.details(u)
	id, err := s.nominations.Create(ctx, authz.ActorFrom(ctx), ed, cat, d)
	var errs field.Errors
	if errors.As(err, &errs) {
		return s.renderDetails(w, r, http.StatusUnprocessableEntity, cat, "/nominations/new", "New nomination", f, errs, "", "/nominations")
	}
	if errors.Is(err, nomination.ErrSelfNominated) {
		errs := field.Errors{{Field: "self", Message: selfTakenMessage}}
		return s.renderDetails(w, r, http.StatusConflict, cat, "/nominations/new", "New nomination", f, errs, "", "/nominations")
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "The nomination was created. Next: fill in the Leadership Application Form"+map[bool]string{true: ".", false: " and ask the candidate for their consent."}[d.Self])
	return redirect(w, r, nominationHome(id))
}

// selfTakenMessage explains the one-self-nomination rule when it blocks the user.
const selfTakenMessage = "You have already nominated yourself for this edition: the rules allow one self-nomination per person (guidelines §6). You can nominate other people as often as you like."

// nominationDetailsPage shows the declared facts of a nomination for editing
// (GET /nominations/{nomination}/details).
func (s *Server) nominationDetailsPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	notice := ""
	if !s.open(c) {
		notice = s.closedNotice(c)
	}
	return s.renderDetails(w, r, http.StatusOK, c.cat, c.url("/details"), "Nominator and candidate", detailsFormOf(c.nom.Details), nil, notice, c.home)
}

// nominationDetails saves the declared facts (POST /nominations/{nomination}/details). Changing
// the candidate's email address withdraws their consent, which must then be asked again.
func (s *Server) nominationDetails(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f detailsForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	if !s.open(c) {
		return s.renderDetails(w, r, http.StatusForbidden, c.cat, c.url("/details"), "Nominator and candidate", f, nil,
			s.closedNotice(c)+" Your changes were not saved.", c.home)
	}
	d := f.details(c.user)
	reset, err := s.nominations.UpdateDetails(ctx, c.actor, c.app, c.ed, c.cat, d)
	var errs field.Errors
	if errors.As(err, &errs) {
		return s.renderDetails(w, r, http.StatusUnprocessableEntity, c.cat, c.url("/details"), "Nominator and candidate", f, errs, "", c.home)
	}
	if errors.Is(err, nomination.ErrSelfNominated) {
		errs := field.Errors{{Field: "self", Message: selfTakenMessage}}
		return s.renderDetails(w, r, http.StatusConflict, c.cat, c.url("/details"), "Nominator and candidate", f, errs, "", c.home)
	}
	if err != nil {
		return err
	}
	msg := "The nomination's details were saved."
	if reset {
		msg += " The candidate's email address changed, so their consent must be asked again."
	}
	s.flash(ctx, msg)
	return redirect(w, r, c.home)
}

// nominationAskConsent emails the candidate a private link to consent or decline
// (POST /nominations/{nomination}/consent). Asking again sends a new link; earlier ones stop
// working.
func (s *Server) nominationAskConsent(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	n := c.nom
	switch {
	case n.Self:
		s.flash(ctx, "A self-nomination needs no consent.")
		return redirect(w, r, c.home)
	case n.Consent == nomination.ConsentGiven:
		s.flash(ctx, "The candidate has already consented.")
		return redirect(w, r, c.home)
	case !s.open(c):
		s.flash(ctx, s.closedNotice(c))
		return redirect(w, r, c.home)
	}
	err = s.nominations.AskConsent(ctx, c.actor, c.app, c.ed, c.cat, n)
	var limit *nomination.EmailLimitError
	switch {
	case errors.Is(err, nomination.ErrConsentDeclined):
		s.flash(ctx, "The candidate declined the nomination, so you cannot ask them again. If you believe they should be asked again, contact the secretariat: only the secretariat can.")
		return redirect(w, r, c.home)
	case errors.As(err, &limit):
		s.flash(ctx, "Nothing was sent. "+limit.Message)
		return redirect(w, r, c.home)
	case errors.Is(err, application.ErrClosed):
		s.flash(ctx, s.closedNotice(c))
		return redirect(w, r, c.home)
	case err != nil:
		return err
	}
	s.flash(ctx, "We have emailed "+n.CandidateName+" at "+n.CandidateEmail+" a private link to consent to the nomination or decline it.")
	return redirect(w, r, c.home)
}

package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/throttle"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Citizen endorsements (DOMAIN.md "Leadership nominations": more than 30 citizens' signatures
// may replace the letter of recommendation; the use cases are nomination.Service's). The
// nominator opens a public endorsement page and shares its address; a citizen signs it without
// an account and confirms through an emailed link; only confirmed, distinct email addresses
// count. The nominator sees counts only; the secretariat sees the list.

// --- the nominator's side

// endorsementsPage shows the nominator whether the public endorsement page is open, its
// address, and the counts (GET /nominations/{nomination}/endorsements).
func (s *Server) endorsementsPage(w http.ResponseWriter, r *http.Request) error {
	e, err := s.nominatorEndorsements(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.EndorsementsPage(s.endorsementsView(r, e)))
}

// nominatorEndorsements loads the acting nominator's nomination of the path with its counts.
func (s *Server) nominatorEndorsements(r *http.Request) (*nomination.NominatorEndorsements, error) {
	id, err := routeNomination(r)
	if err != nil {
		return nil, err
	}
	return s.nominations.Endorsements(r.Context(), authz.ActorFrom(r.Context()), id)
}

// endorsementsView is the nominator's endorsements page of e. No I/O.
func (s *Server) endorsementsView(r *http.Request, e *nomination.NominatorEndorsements) pages.EndorsementsView {
	n, rules, loc, counts := e.Nomination, e.Rules(), e.Edition.TimeZone, e.Counts
	home := views.NominationHome(n.ApplicationID)
	v := pages.EndorsementsView{
		Page: s.page(r, "Citizen endorsements"), Candidate: n.CandidateName, Back: home,
		Open: n.EndorsementCode != "", Closed: e.EndorsementsClosed(s.now()), Action: home + "/endorsements",
		Confirmed: strconv.Itoa(counts.Confirmed), Pending: strconv.Itoa(counts.Pending),
		MoreThan: strconv.Itoa(rules.EndorsementsMoreThan), Qualifies: rules.Qualifies(counts.Confirmed),
		Missing:  max(rules.EndorsementsMoreThan+1-counts.Confirmed, 0),
		Deadline: i18n.End(rules.LetterDeadline, loc),
	}
	v.CanOpen = !v.Open && v.Closed == ""
	if v.Open {
		v.Link = s.absURL(nomination.EndorseHref(n.EndorsementCode))
	}
	return v
}

// endorsementsOpen opens the public endorsement page of the nomination by giving it its code
// (POST /nominations/{nomination}/endorsements). Refused once endorsements are closed: the page
// as loaded then says why.
func (s *Server) endorsementsOpen(w http.ResponseWriter, r *http.Request) error {
	e, err := s.nominatorEndorsements(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = s.nominations.OpenEndorsementPage(ctx, authz.ActorFrom(ctx), e.Nomination.ApplicationID)
	if errors.Is(err, nomination.ErrEndorsementsClosed) {
		return s.render(w, r, http.StatusConflict, pages.EndorsementsPage(s.endorsementsView(r, e)))
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "The endorsement page is open: share its address with the candidate's supporters.")
	return redirect(w, r, views.NominationHome(e.Nomination.ApplicationID)+"/endorsements")
}

// --- the public endorsement page

// endorsePageProblem answers an endorsement page that cannot be used: an unknown code gets a
// clear 404 page, a closed nomination says why; any other error is returned as it is.
func (s *Server) endorsePageProblem(w http.ResponseWriter, r *http.Request, err error) error {
	var closed *nomination.EndorsementsClosedError
	switch {
	case errors.Is(err, db.ErrNotFound):
		return s.render(w, r, http.StatusNotFound, pages.LinkProblem(pages.LinkProblemView{
			Page: s.page(r, "Endorsement page not found"), Heading: i18n.M("This endorsement page does not exist"),
			Message: i18n.M("Check that you copied the whole address you were given: it is long and works only as sent. Ask the person who shared it for the address again."),
		}))
	case errors.As(err, &closed):
		return s.renderEndorseClosed(w, r, closed.Place, closed.Reason)
	}
	return err
}

// renderEndorseMessage shows a page with a heading and a few paragraphs, and no form.
func (s *Server) renderEndorseMessage(w http.ResponseWriter, r *http.Request, status int, heading string, paras ...string) error {
	return s.render(w, r, status, pages.FormPage(pages.FormView{Page: s.page(r, heading), Heading: heading, Intro: paras,
		NoForm: true, Links: []components.Link{{Label: i18n.M("Go to the home page"), Href: "/"}}}))
}

func (s *Server) renderEndorseClosed(w http.ResponseWriter, r *http.Request, p *nomination.Place, why string) error {
	return s.renderEndorseMessage(w, r, http.StatusGone, i18n.Msg("Endorsements for {{.Candidate}} are closed", "Candidate", p.Nomination.CandidateName), why,
		i18n.M("Thank you for your support all the same."))
}

// endorseForm is the public endorsement form.
type endorseForm struct {
	Name    string `form:"name"`
	City    string `form:"city"`
	Country string `form:"country"`
	Email   string `form:"email"`
	Confirm string `form:"confirm"`
}

func (s *Server) renderEndorse(w http.ResponseWriter, r *http.Request, status int, t *nomination.Place, f endorseForm, errs field.Errors, notice string) error {
	n, cat, ed := t.Nomination, t.Category, t.Edition
	countries := views.CountryOptions(f.Country, "Choose a country")
	v := pages.EndorseView{
		Page: s.page(r, i18n.Msg("Endorse {{.Candidate}}", "Candidate", n.CandidateName)), Candidate: n.CandidateName, Errors: errs, Notice: notice,
		Action: r.URL.Path,
		Facts: []pages.Fact{
			{Label: i18n.M("Candidate"), Value: n.CandidateName},
			{Label: i18n.M("Position"), Value: n.CandidatePosition},
			{Label: i18n.M("Organisation"), Value: n.CandidateOrganisation},
			{Label: i18n.M("Prize"), Value: i18n.Msg("{{.Edition}}, {{.Category}} category", "Edition", ed.Name, "Category", cat.Name)},
			{Label: i18n.M("Endorsements accepted until"), Value: i18n.End(cat.Nominations.LetterDeadline, ed.TimeZone)},
		},
		Statement: []string{
			i18n.Msg("By endorsing, you support the nomination of {{.Candidate}} for the {{.Category}} prize of the {{.Edition}}. A nomination without a letter of recommendation qualifies with the confirmed endorsements of more than {{.MoreThan}} citizens.",
				"Candidate", n.CandidateName, "Category", cat.Name, "Edition", ed.Name, "MoreThan", strconv.Itoa(cat.Nominations.EndorsementsMoreThan)),
			i18n.M("We email you a link to confirm your endorsement: it counts only once confirmed, and only once per email address. The prize's secretariat sees your name, city, country and email address; the nominator sees only how many citizens endorsed the candidate."),
		},
		Fields: []components.Field{
			{Name: "name", Label: i18n.M("Your full name"), Value: f.Name, Autocomplete: "name", Required: true, MaxLength: 300},
			{Name: "city", Label: i18n.M("City"), Value: f.City, Autocomplete: "address-level2", Required: true, MaxLength: 300},
			{Name: "country", Label: i18n.M("Country"), Type: "select", Autocomplete: "country", Required: true, Options: countries},
			{Name: "email", Label: i18n.M("Email address"), Type: "email", Value: f.Email, Autocomplete: "email", Required: true, MaxLength: 300,
				Hint: i18n.M("We send the confirmation link here.")},
			{Name: "confirm", Label: i18n.Msg("I endorse {{.Candidate}} for the {{.Category}} prize, and the details above are mine.", "Candidate", n.CandidateName, "Category", cat.Name),
				Type: "checkbox", Required: true, Checked: f.Confirm == "yes"},
		},
	}
	return s.render(w, r, status, pages.EndorsePage(v))
}

// endorsePage shows the public endorsement page of a candidate (GET /endorse/{code}).
func (s *Server) endorsePage(w http.ResponseWriter, r *http.Request) error {
	return linkPage(w, r, chi.URLParam(r, "code"), s.nominations.Signable, s.endorsePageProblem, func(t *nomination.Place) error {
		return s.renderEndorse(w, r, http.StatusOK, t, endorseForm{}, nil, "")
	})
}

// endorsePost stores a citizen's unconfirmed endorsement and emails the confirmation link
// (POST /endorse/{code}; nomination.Service.Endorse). The page is the same whether or not the
// address endorsed before, so it does not reveal who endorsed.
func (s *Server) endorsePost(w http.ResponseWriter, r *http.Request) error {
	var f endorseForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	sig := nomination.Signature{Name: f.Name, City: f.City, Country: f.Country, Email: f.Email, Confirm: f.Confirm == "yes"}
	t, err := s.nominations.Endorse(r.Context(), chi.URLParam(r, "code"), sig)
	var (
		limited *throttle.LimitError
		invalid *nomination.InvalidError
	)
	switch {
	case errors.As(err, &limited):
		return s.renderEndorse(w, r, http.StatusTooManyRequests, t, f, nil,
			i18n.Msg("Too many endorsements came from your network in the last hour. Please try again {{.When}}: what you typed is kept.", "When", throttle.Phrase(limited.Wait)))
	case errors.As(err, &invalid):
		return s.renderEndorse(w, r, http.StatusUnprocessableEntity, t, f, invalid.Fields, "")
	case err != nil:
		return s.endorsePageProblem(w, r, err)
	}
	sig.Normalize()
	return s.renderEndorseMessage(w, r, http.StatusOK, i18n.M("Check your email"),
		i18n.Msg("We sent an email to {{.Email}}. Follow the link in it to confirm your endorsement of {{.Candidate}}: it counts only once confirmed.", "Email", sig.Email, "Candidate", t.Nomination.CandidateName),
		i18n.M("If the email does not arrive within a few minutes, look in your spam folder."))
}

// --- confirmation through the emailed link

var endorseLink = linkTexts{
	used:    i18n.M("This confirmation link was already used: your endorsement is confirmed, and counts once."),
	expired: i18n.M("Confirmation links work for seven days and until the endorsement deadline. Sign the endorsement page again to get a new link, if it is still open."),
}

// endorseLinkProblem answers a confirmation link that cannot be used, or whose nomination no
// longer takes endorsements; any other error is returned as it is.
func (s *Server) endorseLinkProblem(w http.ResponseWriter, r *http.Request, err error) error {
	var closed *nomination.EndorsementsClosedError
	if errors.As(err, &closed) {
		return s.renderEndorseClosed(w, r, closed.Place, closed.Reason)
	}
	return s.renderLinkProblem(w, r, err, endorseLink)
}

// endorseConfirmPage asks the citizen to confirm with a button (GET /endorse/confirm/{token}):
// a GET changes nothing, because mail scanners open links.
func (s *Server) endorseConfirmPage(w http.ResponseWriter, r *http.Request) error {
	return linkPage(w, r, chi.URLParam(r, "token"), s.nominations.EndorsementByToken, s.endorseLinkProblem, func(t *nomination.EndorsementToConfirm) error {
		e := t.Endorsement
		heading := i18n.Msg("Confirm your endorsement of {{.Candidate}}", "Candidate", t.Nomination.CandidateName)
		return s.render(w, r, http.StatusOK, pages.FormPage(pages.FormView{
			Page: s.page(r, heading), Heading: heading, Action: r.URL.Path, Submit: i18n.M("Confirm my endorsement"),
			Intro: []string{
				i18n.Msg("You endorse {{.Candidate}} for the {{.Category}} prize of the {{.Edition}}.", "Candidate", t.Candidate(), "Category", t.Category.Name, "Edition", t.Edition.Name),
				i18n.Msg("Signed by {{.Name}}, {{.City}}, {{.Country}}, {{.Email}}. Press the button to confirm: only confirmed endorsements count.",
					"Name", e.Name, "City", e.City, "Country", country.Name(e.Country), "Email", e.Email),
			},
		}))
	})
}

// endorseConfirm confirms the endorsement and uses up its link in one transaction
// (POST /endorse/confirm/{token}; nomination.Service.ConfirmEndorsement). An address confirmed
// meanwhile through another link counts once: the citizen is told they had already endorsed.
func (s *Server) endorseConfirm(w http.ResponseWriter, r *http.Request) error {
	t, already, err := s.nominations.ConfirmEndorsement(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		return s.endorseLinkProblem(w, r, err)
	}
	if already {
		return s.renderEndorseMessage(w, r, http.StatusOK, i18n.Msg("You had already endorsed {{.Candidate}}", "Candidate", t.Nomination.CandidateName),
			i18n.Msg("An endorsement with the email address {{.Email}} was already confirmed. Each email address counts once, so your endorsement is counted. Thank you.", "Email", t.Endorsement.Email))
	}
	return s.renderEndorseMessage(w, r, http.StatusOK, i18n.M("Thank you: your endorsement is confirmed"),
		i18n.Msg("Your endorsement of {{.Candidate}} is confirmed and counts towards the nomination.", "Candidate", t.Candidate()))
}

// --- the secretariat's list

// secretariatEndorsements lists the endorsements of a nomination with their totals
// (GET /secretariat/nominations/{id}/endorsements). The service checks the edition; the store
// repeats it in SQL.
func (s *Server) secretariatEndorsements(w http.ResponseWriter, r *http.Request) error {
	page := queryPage(r.URL.Query())
	return showByID(s, w, r, func(ctx context.Context, a authz.Actor, id int64) (*nomination.StaffEndorsements, error) {
		return s.nominations.SecretariatEndorsements(ctx, a, id, page)
	}, func(p *nomination.StaffEndorsements) templ.Component {
		return pages.SecretariatEndorsements(s.secretariatEndorsementsView(r, p))
	})
}

// secretariatEndorsementsView is the secretariat's list of p's endorsements. No I/O.
func (s *Server) secretariatEndorsementsView(r *http.Request, p *nomination.StaffEndorsements) pages.SecretariatEndorsementsView {
	n, loc, rules, list := p.Nomination, p.Edition.TimeZone, p.Rules(), p.EndorsementList
	q := r.URL.Query()
	qualifies := i18n.M("No")
	if rules.Qualifies(list.Confirmed) {
		qualifies = i18n.M("Yes")
	}
	open := i18n.M("Not opened by the nominator")
	if n.EndorsementCode != "" {
		open = s.absURL(nomination.EndorseHref(n.EndorsementCode))
	}
	v := pages.SecretariatEndorsementsView{
		Page: s.page(r, i18n.Msg("Endorsements for {{.Candidate}}", "Candidate", n.CandidateName)), Candidate: n.CandidateName, Back: views.StaffNominationHref(n.ApplicationID),
		Facts: []pages.Fact{
			{Label: i18n.M("Candidate"), Value: n.CandidateName + ", " + n.CandidatePosition + ", " + n.CandidateOrganisation},
			{Label: i18n.M("Endorsement page"), Value: open},
			{Label: i18n.M("Confirmed (distinct email addresses)"), Value: strconv.Itoa(list.Confirmed)},
			{Label: i18n.M("Awaiting confirmation"), Value: strconv.Itoa(list.Pending)},
			{Label: i18n.M("Signatures in all"), Value: strconv.Itoa(list.Total)},
			{Label: i18n.Msg("Qualifies (more than {{.MoreThan}} confirmed)", "MoreThan", strconv.Itoa(rules.EndorsementsMoreThan)), Value: qualifies},
			{Label: i18n.M("Accepted until"), Value: i18n.End(rules.LetterDeadline, loc)},
		},
		Pager: views.PagerFor(r.URL.Path, q, list.Page, list.Pages, list.Total, nomination.EndorsementsPerPage, "signatures"),
	}
	v.BurstRule = i18n.Msg("Listed here: {{.Count}} or more signatures from one email domain within an hour, and an address that signed more than once (tags after + and, at Gmail, dots do not make another address). A listed pattern is not proof of abuse: check the signatures below.",
		"Count", strconv.Itoa(nomination.BurstDomainMin))
	for _, b := range list.Bursts {
		what, source, detail, when := b.Describe(loc)
		v.Bursts = append(v.Bursts, pages.EndorsementBurst{What: what, Source: source, Count: strconv.Itoa(b.Count), Detail: detail, When: when})
	}
	for _, e := range list.Rows {
		row := pages.EndorsementRow{Name: e.Name, City: e.City, Country: country.Name(e.Country), Email: e.Email,
			Signed: i18n.Instant(e.CreatedAt, loc), Confirmed: i18n.M("Not confirmed")}
		if row.Country == "" {
			row.Country = e.Country
		}
		if e.ConfirmedAt != nil {
			row.Confirmed = i18n.Instant(*e.ConfirmedAt, loc)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

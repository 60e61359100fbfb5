package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The candidate's consent (DOMAIN.md "Leadership nominations": a nomination needs the
// candidate's permission): the candidate of a third-party nomination gets an email with a
// private link, sees what is submitted in their name, and consents or declines
// (nomination.Service.Consent, AnswerConsent). Once answered the link shows the answer instead
// of the form.

// absURL is path on the portal's public address, for links in emails.
func (s *Server) absURL(path string) string { return s.site.URL(path) }

// linkTexts say what a private link was for, in the words of its page, when it cannot be used:
// used (or replaced) and expired; contact is an address to write to ("" for none).
type linkTexts struct{ contact, used, expired string }

// renderLinkProblem answers a private link that cannot be used with a page that says why: the
// link is unknown (404), used or replaced (410), or expired (410). Any other error is returned
// as it is, for the error mapper: so every private-link page answers a failed lookup or use with
// `return s.renderLinkProblem(w, r, err, texts)`.
func (s *Server) renderLinkProblem(w http.ResponseWriter, r *http.Request, err error, t linkTexts) error {
	v := pages.LinkProblemView{Page: s.page(r, "This link cannot be used"), Contact: t.contact}
	status := http.StatusGone
	switch {
	case errors.Is(err, link.ErrUsed):
		v.Heading, v.Message = i18n.M("This link has already been used"), t.used
	case errors.Is(err, link.ErrExpired):
		v.Heading, v.Message = i18n.M("This link has expired"), t.expired
	case errors.Is(err, link.ErrUnknown):
		status = http.StatusNotFound
		v.Heading = i18n.M("This link is not valid")
		v.Message = i18n.M("Check that you copied the whole address from the email. Links are long and work only as sent.")
	default:
		return err
	}
	return s.render(w, r, status, pages.LinkProblem(v))
}

// linkPage serves a page reached through a private link (consent, letter, endorsement
// confirmation, invitation): open looks up what token opens; a link that cannot be used is
// answered by problem (renderLinkProblem through linkTexts.problem, or a page that says more),
// anything opened goes to page.
func linkPage[T any](w http.ResponseWriter, r *http.Request, token string, open func(context.Context, string) (T, error),
	problem func(http.ResponseWriter, *http.Request, error) error, page func(T) error) error {
	t, err := open(r.Context(), token)
	if err != nil {
		return problem(w, r, err)
	}
	return page(t)
}

// problem answers a link of these texts that cannot be used (renderLinkProblem).
func (t linkTexts) problem(s *Server) func(http.ResponseWriter, *http.Request, error) error {
	return func(w http.ResponseWriter, r *http.Request, err error) error {
		return s.renderLinkProblem(w, r, err, t)
	}
}

// consentView is the consent page of t, with the answer typed and its errors. No I/O.
func (s *Server) consentView(r *http.Request, t *nomination.ConsentTarget, f consentForm, errs field.Errors) pages.ConsentView {
	n, loc, cat := t.Nomination, t.Edition.TimeZone, t.Category
	nominator := n.NominatorName
	if n.NominatorOrganisation != "" {
		nominator = i18n.Msg("{{.Name}} of {{.Organisation}}", "Name", n.NominatorName, "Organisation", n.NominatorOrganisation)
	}
	v := pages.ConsentView{
		Page: s.page(r, i18n.M("Your nomination")), Prize: t.Edition.Name, Candidate: n.CandidateName, Nominator: nominator,
		Action: r.URL.Path,
		Facts: []pages.Fact{
			{Label: i18n.M("Prize"), Value: t.Edition.Name + ", " + cat.Name},
			{Label: i18n.M("Nominated by"), Value: nominator},
			{Label: i18n.M("Candidate"), Value: n.CandidateName + ", " + n.CandidatePosition + ", " + n.CandidateOrganisation},
			{Label: i18n.M("Where the candidate works"), Value: n.CandidateCity + ", " + country.Name(n.CandidateCountry)},
			{Label: i18n.M("Status"), Value: t.Entry.Status.Label()},
		},
		Errors: errs,
		Details: components.WithErrors([]components.Field{
			{Name: "candidate_name", Label: i18n.M("Your full name"), Value: f.Name, Required: true, Autocomplete: "name", MaxLength: 300},
			{Name: "candidate_email", Label: i18n.M("Your email address"), Type: "email", Value: f.Email, Required: true, Autocomplete: "email", MaxLength: 300,
				Hint: i18n.M("We send the outcome of each round here.")},
			{Name: "candidate_position", Label: i18n.M("Your position"), Value: f.Position, Required: true, Autocomplete: "organization-title", MaxLength: 300},
			{Name: "candidate_organisation", Label: i18n.M("Your organisation"), Value: f.Organisation, Required: true, Autocomplete: "organization", MaxLength: 300},
			{Name: "candidate_city", Label: i18n.M("The city where you work"), Value: f.City, Required: true, Autocomplete: "address-level2", MaxLength: 200},
			{Name: "candidate_country", Label: i18n.M("The country where you work"), Type: "select", Required: true, Autocomplete: "country",
				Options: views.CountryOptions(f.Country, "Choose a country")},
		}, errs),
		Note: components.Field{Name: "note", Label: i18n.M("A message to the nominator (optional)"), Type: "textarea", Value: f.Note,
			MaxLength: nomination.MaxConsentNote, Error: errs.Get("note"), Hint: i18n.M("For example what to correct, or why you decline.")},
	}
	if nc, ok := cat.Nominations.Category(n.NominatorCategory); ok {
		v.Facts = append(v.Facts, pages.Fact{Label: i18n.M("Nominator's category"), Value: nc.Name})
	}
	noFiles := func(form.FileRef) string { return "" } // the candidate sees the file names only
	for i := range cat.Form.Sections {
		sec := &cat.Form.Sections[i]
		v.Sections = append(v.Sections, pages.ReviewSection{Title: sec.Title,
			Questions: views.ReviewQuestions(cat.Form, sec, t.Entry.Answers, noFiles)})
	}
	switch n.Consent {
	case nomination.ConsentGiven:
		v.Decided = i18n.Msg("You consented to this nomination on {{.When}}. Thank you.", "When", i18n.Instant(*n.ConsentDecidedAt, loc))
	case nomination.ConsentDeclined:
		v.Decided = i18n.Msg("You declined this nomination on {{.When}}. It cannot go ahead.", "When", i18n.Instant(*n.ConsentDecidedAt, loc))
	}
	return v
}

// renderConsent shows the consent page of t with f typed (the candidate's facts as the nomination
// declares them when f is nil) and errs.
func (s *Server) renderConsent(w http.ResponseWriter, r *http.Request, status int, t *nomination.ConsentTarget, f *consentForm, errs field.Errors) error {
	if f == nil {
		cf := consentFormOf(nomination.CandidateOf(&t.Nomination))
		f = &cf
	}
	return s.render(w, r, status, pages.ConsentPage(s.consentView(r, t, *f, errs)))
}

var consentLink = linkTexts{
	used:    i18n.M("This consent link was replaced by a newer one, or the nomination's candidate changed. Use the link in the latest email you received."),
	expired: i18n.M("Consent links work until the deadline for letters of recommendation, which has passed."),
}

// consentPage shows the nomination to its candidate (GET /consent/{token}).
func (s *Server) consentPage(w http.ResponseWriter, r *http.Request) error {
	return linkPage(w, r, chi.URLParam(r, "token"), s.nominations.Consent, consentLink.problem(s), func(t *nomination.ConsentTarget) error {
		return s.renderConsent(w, r, http.StatusOK, t, nil, nil)
	})
}

// consentForm is the candidate's answer: the decision, their facts as they confirm them, and a
// message to the nominator.
type consentForm struct {
	Decision     string `form:"decision"`
	Note         string `form:"note"`
	Name         string `form:"candidate_name"`
	Email        string `form:"candidate_email"`
	Organisation string `form:"candidate_organisation"`
	Position     string `form:"candidate_position"`
	City         string `form:"candidate_city"`
	Country      string `form:"candidate_country"`
}

// consentFormOf is the form of the candidate c, nothing decided.
func consentFormOf(c nomination.Candidate) consentForm {
	return consentForm{Name: c.Name, Email: c.Email, Organisation: c.Organisation, Position: c.Position, City: c.City, Country: c.Country}
}

// candidate is the candidate's facts as typed.
func (f consentForm) candidate() nomination.Candidate {
	return nomination.Candidate{Name: f.Name, Email: f.Email, Organisation: f.Organisation, Position: f.Position, City: f.City, Country: f.Country}
}

// consentPost records the candidate's answer (POST /consent/{token}) and tells the nominator.
// The link stays open to show the answer; it cannot answer twice.
func (s *Server) consentPost(w http.ResponseWriter, r *http.Request) error {
	var f consentForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	var errs field.Errors
	switch {
	case f.Decision != "consent" && f.Decision != "decline":
		errs.Add("note", "Choose one of the two buttons: consent or decline.")
	case len([]rune(f.Note)) > nomination.MaxConsentNote:
		errs.Add("note", nomination.ErrConsentNoteTooLong.Message)
	}
	if errs.Any() {
		return linkPage(w, r, chi.URLParam(r, "token"), s.nominations.Consent, consentLink.problem(s), func(t *nomination.ConsentTarget) error {
			return s.renderConsent(w, r, http.StatusUnprocessableEntity, t, &f, errs)
		})
	}
	t, err := s.nominations.AnswerConsent(r.Context(), chi.URLParam(r, "token"), f.Decision == "consent", f.candidate(), f.Note)
	if errors.As(err, &errs) {
		return s.renderConsent(w, r, http.StatusUnprocessableEntity, t, &f, errs)
	}
	if errors.Is(err, db.ErrConflict) {
		// Answered already (another tab) or the request was withdrawn: show where it stands.
		return s.renderConsent(w, r, http.StatusConflict, t, nil, nil)
	}
	if err != nil {
		return s.renderLinkProblem(w, r, err, consentLink)
	}
	return s.renderConsent(w, r, http.StatusOK, t, nil, nil)
}

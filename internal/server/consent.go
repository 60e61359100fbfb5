package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/link"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/db"
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
		v.Heading, v.Message = "This link has already been used", t.used
	case errors.Is(err, link.ErrExpired):
		v.Heading, v.Message = "This link has expired", t.expired
	case errors.Is(err, link.ErrUnknown):
		status = http.StatusNotFound
		v.Heading = "This link is not valid"
		v.Message = "Check that you copied the whole address from the email. Links are long and work only as sent."
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

// consentView is the consent page of t, with the note typed and its error. No I/O.
func (s *Server) consentView(r *http.Request, t *nomination.ConsentTarget, note string, noteErr string) pages.ConsentView {
	n, loc, cat := t.Nomination, t.Edition.TimeZone, t.Category
	nominator := n.NominatorName
	if n.NominatorOrganisation != "" {
		nominator += " of " + n.NominatorOrganisation
	}
	v := pages.ConsentView{
		Page: s.page(r, "Your nomination"), Prize: t.Edition.Name, Candidate: n.CandidateName, Nominator: nominator,
		Action: r.URL.Path,
		Facts: []pages.Fact{
			{Label: "Prize", Value: t.Edition.Name + ", " + cat.Name},
			{Label: "Nominated by", Value: nominator},
			{Label: "Candidate", Value: n.CandidateName + ", " + n.CandidatePosition + ", " + n.CandidateOrganisation},
			{Label: "Status", Value: t.Entry.Status.Label()},
		},
		Note: components.Field{Name: "note", Label: "A message to the nominator (optional)", Type: "textarea", Value: note,
			MaxLength: nomination.MaxConsentNote, Error: noteErr, Hint: "For example what to correct, or why you decline."},
	}
	if nc, ok := cat.Nominations.Category(n.NominatorCategory); ok {
		v.Facts = append(v.Facts, pages.Fact{Label: "Nominator's category", Value: nc.Name})
	}
	noFiles := func(form.FileRef) string { return "" } // the candidate sees the file names only
	for i := range cat.Form.Sections {
		sec := &cat.Form.Sections[i]
		v.Sections = append(v.Sections, pages.ReviewSection{Title: sec.Title,
			Questions: views.ReviewQuestions(cat.Form, sec, t.Entry.Answers, noFiles)})
	}
	switch n.Consent {
	case nomination.ConsentGiven:
		v.Decided = "You consented to this nomination on " + timefmt.Instant(*n.ConsentDecidedAt, loc) + ". Thank you."
	case nomination.ConsentDeclined:
		v.Decided = "You declined this nomination on " + timefmt.Instant(*n.ConsentDecidedAt, loc) + ". It cannot go ahead."
	}
	return v
}

func (s *Server) renderConsent(w http.ResponseWriter, r *http.Request, status int, t *nomination.ConsentTarget, note, noteErr string) error {
	return s.render(w, r, status, pages.ConsentPage(s.consentView(r, t, note, noteErr)))
}

var consentLink = linkTexts{
	used:    "This consent link was replaced by a newer one, or the nomination's candidate changed. Use the link in the latest email you received.",
	expired: "Consent links work until the deadline for letters of recommendation, which has passed.",
}

// consentPage shows the nomination to its candidate (GET /consent/{token}).
func (s *Server) consentPage(w http.ResponseWriter, r *http.Request) error {
	return linkPage(w, r, chi.URLParam(r, "token"), s.nominations.Consent, consentLink.problem(s), func(t *nomination.ConsentTarget) error {
		return s.renderConsent(w, r, http.StatusOK, t, "", "")
	})
}

type consentForm struct {
	Decision string `form:"decision"`
	Note     string `form:"note"`
}

// consentPost records the candidate's answer (POST /consent/{token}) and tells the nominator.
// The link stays open to show the answer; it cannot answer twice.
func (s *Server) consentPost(w http.ResponseWriter, r *http.Request) error {
	var f consentForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	noteErr := ""
	switch {
	case f.Decision != "consent" && f.Decision != "decline":
		noteErr = "Choose one of the two buttons: consent or decline."
	case len([]rune(f.Note)) > nomination.MaxConsentNote:
		noteErr = nomination.ErrConsentNoteTooLong.Message
	}
	if noteErr != "" {
		return linkPage(w, r, chi.URLParam(r, "token"), s.nominations.Consent, consentLink.problem(s), func(t *nomination.ConsentTarget) error {
			return s.renderConsent(w, r, http.StatusUnprocessableEntity, t, f.Note, noteErr)
		})
	}
	t, err := s.nominations.AnswerConsent(r.Context(), chi.URLParam(r, "token"), f.Decision == "consent", f.Note)
	if errors.Is(err, db.ErrConflict) {
		// Answered already (another tab) or the request was withdrawn: show where it stands.
		return s.renderConsent(w, r, http.StatusConflict, t, "", "")
	}
	if err != nil {
		return s.renderLinkProblem(w, r, err, consentLink)
	}
	return s.renderConsent(w, r, http.StatusOK, t, "", "")
}

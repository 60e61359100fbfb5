package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/form"
	"prizeportal/internal/link"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The candidate's consent (issue 5 item 2): the candidate of a third-party nomination gets an
// email with a private link, sees what is submitted in their name, and consents or declines. The
// link is the credential; it works until the letter deadline, and once answered it shows the
// answer instead of the form.

// absURL is path on the portal's public address, for links in emails.
func (s *Server) absURL(path string) string { return s.site.URL(path) }

// renderLinkProblem answers a private link that cannot be used with a page that says why: the
// link is unknown (404), used or replaced (410), or expired (410). used and expired say what the
// link was for, in the words of the caller.
func (s *Server) renderLinkProblem(w http.ResponseWriter, r *http.Request, err error, contact, used, expired string) error {
	v := pages.LinkProblemView{Page: s.page(r, "This link cannot be used"), Contact: contact}
	status := http.StatusGone
	switch {
	case errors.Is(err, link.ErrUsed):
		v.Heading, v.Message = "This link has already been used", used
	case errors.Is(err, link.ErrExpired):
		v.Heading, v.Message = "This link has expired", expired
	case errors.Is(err, link.ErrUnknown):
		status = http.StatusNotFound
		v.Heading = "This link is not valid"
		v.Message = "Check that you copied the whole address from the email. Links are long and work only as sent."
	default:
		return err
	}
	return s.render(w, r, status, pages.LinkProblem(v))
}

// consentEmail asks the candidate of nomination n in category cat of ed for consent through the
// private link token.
func (s *Server) consentEmail(ed *edition.Edition, cat *edition.Category, n *nomination.Nomination, token string) notify.Message {
	nominator := nominatorLabel(n)
	return actionMessage("nomination-consent", n.CandidateEmail, n.CandidateName,
		"You have been nominated for the "+ed.Name+": your consent is needed", 0, emails.ActionEmail{
			Meta:     s.emailMeta(ed),
			Title:    "Do you agree to be nominated?",
			Greeting: "Dear " + n.CandidateName + ",",
			Paragraphs: []string{
				nominator + " would like to nominate you for the " + cat.Name + " prize of the " + ed.Name + ".",
				"A nomination can go ahead only with your permission. Follow the link to see what is submitted in your name, then consent or decline. You do not need an account.",
			},
			ActionLabel: "See the nomination and answer",
			ActionURL:   s.absURL("/consent/" + token),
			Note: "The link is personal: do not forward it. It works until " + endStamp(cat.Nominations.LetterDeadline, ed.TimeZone) +
				". If you do not know the nominator, you can decline or ignore this email.",
		})
}

// consentTarget is what a valid consent link opens: the nomination and its edition.
type consentTarget struct {
	nom nomination.Nomination
	app application.Application
	ed  *edition.Edition
	cat *edition.Category
}

func (s *Server) consentTarget(ctx context.Context, id int64) (*consentTarget, error) {
	n, err := nomination.ByID(ctx, s.pool, id)
	if err != nil {
		return nil, err
	}
	a, err := application.LoadEntry(ctx, s.pool, n.UserID, id)
	if err != nil {
		return nil, err
	}
	ed, err := edition.ByID(ctx, s.pool, n.EditionID)
	if err != nil {
		return nil, err
	}
	t := &consentTarget{nom: n, app: a, ed: ed}
	for i := range ed.Categories {
		if ed.Categories[i].ID == n.CategoryID {
			t.cat = &ed.Categories[i]
		}
	}
	if t.cat == nil || t.cat.Form == nil || t.cat.Nominations == nil {
		return nil, db.ErrNotFound
	}
	return t, nil
}

func (s *Server) renderConsent(w http.ResponseWriter, r *http.Request, status int, t *consentTarget, note string, noteErr string) error {
	n, loc := t.nom, t.ed.TimeZone
	nominator := n.NominatorName
	if n.NominatorOrganisation != "" {
		nominator += " of " + n.NominatorOrganisation
	}
	v := pages.ConsentView{
		Page: s.page(r, "Your nomination"), Prize: t.ed.Name, Candidate: n.CandidateName, Nominator: nominator,
		Action: r.URL.Path,
		Facts: []pages.Fact{
			{Label: "Prize", Value: t.ed.Name + ", " + t.cat.Name},
			{Label: "Nominated by", Value: nominator},
			{Label: "Candidate", Value: n.CandidateName + ", " + n.CandidatePosition + ", " + n.CandidateOrganisation},
			{Label: "Status", Value: t.app.Status.Label()},
		},
		Note: components.Field{Name: "note", Label: "A message to the nominator (optional)", Type: "textarea", Value: note,
			MaxLength: 2000, Error: noteErr, Hint: "For example what to correct, or why you decline."},
	}
	if cat, ok := t.cat.Nominations.Category(n.NominatorCategory); ok {
		v.Facts = append(v.Facts, pages.Fact{Label: "Nominator's category", Value: cat.Name})
	}
	noFiles := func(form.FileRef) string { return "" } // the candidate sees the file names only
	for i := range t.cat.Form.Sections {
		sec := &t.cat.Form.Sections[i]
		v.Sections = append(v.Sections, pages.ReviewSection{Title: sec.Title,
			Questions: reviewQuestions(t.cat.Form, sec, t.app.Answers, noFiles)})
	}
	switch n.Consent {
	case nomination.ConsentGiven:
		v.Decided = "You consented to this nomination on " + formatInstant(*n.ConsentDecidedAt, loc) + ". Thank you."
	case nomination.ConsentDeclined:
		v.Decided = "You declined this nomination on " + formatInstant(*n.ConsentDecidedAt, loc) + ". It cannot go ahead."
	}
	return s.render(w, r, status, pages.ConsentPage(v))
}

const (
	consentUsed    = "This consent link was replaced by a newer one, or the nomination's candidate changed. Use the link in the latest email you received."
	consentExpired = "Consent links work until the deadline for letters of recommendation, which has passed."
)

// consentPage shows the nomination to its candidate (GET /consent/{token}).
func (s *Server) consentPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := link.Open(ctx, s.pool, nomination.LinkConsent, chi.URLParam(r, "token"), s.now())
	if err != nil {
		return s.renderLinkProblem(w, r, err, "", consentUsed, consentExpired)
	}
	t, err := s.consentTarget(ctx, id)
	if err != nil {
		return err
	}
	return s.renderConsent(w, r, http.StatusOK, t, "", "")
}

type consentForm struct {
	Decision string `form:"decision"`
	Note     string `form:"note"`
}

// consentPost records the candidate's answer (POST /consent/{token}) and tells the nominator.
// The link stays open to show the answer; it cannot answer twice.
func (s *Server) consentPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f consentForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	now := s.now()
	id, err := link.Open(ctx, s.pool, nomination.LinkConsent, chi.URLParam(r, "token"), now)
	if err != nil {
		return s.renderLinkProblem(w, r, err, "", consentUsed, consentExpired)
	}
	t, err := s.consentTarget(ctx, id)
	if err != nil {
		return err
	}
	if f.Decision != "consent" && f.Decision != "decline" {
		return s.renderConsent(w, r, http.StatusUnprocessableEntity, t, f.Note, "Choose one of the two buttons: consent or decline.")
	}
	if len([]rune(f.Note)) > 2000 {
		return s.renderConsent(w, r, http.StatusUnprocessableEntity, t, f.Note, "Use at most 2,000 characters.")
	}
	given := f.Decision == "consent"
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := nomination.DecideConsent(ctx, tx, id, given, f.Note, now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: "nomination.consent", ObjectType: "application",
			ObjectID: strconv.FormatInt(id, 10), IP: s.clientIP(r),
			Details: map[string]any{"given": given, "candidate": t.nom.CandidateEmail}}); err != nil {
			return err
		}
		decision := "declined"
		if given {
			decision = "consented to"
		}
		paras := []string{t.nom.CandidateName + " has " + decision + " your nomination on " + formatInstant(now, t.ed.TimeZone) + "."}
		if note := strings.TrimSpace(f.Note); note != "" {
			paras = append(paras, "Their message: "+note)
		}
		_, err := s.outbox.Queue(ctx, tx, actionMessage("nomination-consent-answer", t.nom.NominatorEmail, t.nom.NominatorName,
			t.nom.CandidateName+" has "+decision+" the nomination", t.nom.UserID, emails.ActionEmail{
				Meta: s.emailMeta(t.ed), Title: "The candidate answered", Greeting: "Dear " + t.nom.NominatorName + ",",
				Paragraphs: paras, ActionLabel: "Open the nomination", ActionURL: s.absURL(nominationHome(id)),
			}))
		return err
	})
	if errors.Is(err, db.ErrConflict) {
		// Answered already (another tab) or the request was withdrawn: show where it stands.
		if t, err = s.consentTarget(ctx, id); err != nil {
			return err
		}
		return s.renderConsent(w, r, http.StatusConflict, t, "", "")
	}
	if err != nil {
		return err
	}
	if t, err = s.consentTarget(ctx, id); err != nil {
		return err
	}
	return s.renderConsent(w, r, http.StatusOK, t, "", "")
}

package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/link"
	"prizeportal/internal/nomination"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The secretariat's view of the Leadership nominations (issue 5 item 6): every nomination of an
// edition with the same facts the nominator sees (consent, letter, endorsements, complete), the
// nomination's detail, and the override of the head-of-organisation rule with a reason. The
// route policy lets in anyone holding the secretariat role; the store's SQL filter keeps each to
// the editions they serve (another edition's nomination is a 404).

func staffNominationHref(id int64) string {
	return "/secretariat/nominations/" + strconv.FormatInt(id, 10)
}

// leadershipRules returns the nomination rules of the category id of ed.
func leadershipRules(ed *edition.Edition, categoryID int64) *edition.Nominations {
	for i := range ed.Categories {
		if ed.Categories[i].ID == categoryID {
			return ed.Categories[i].Nominations
		}
	}
	return nil
}

// secretariatNominations lists the nominations of one edition (GET /secretariat/nominations).
func (s *Server) secretariatNominations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.secretariatEdition(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := nomination.ListForSecretariat(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID, queryPage(q))
	if err != nil {
		return err
	}
	v := pages.SecretariatNominationsView{
		Page: s.page(r, "Nominations, "+ed.Name), Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name,
		Pager: pagerFor("/secretariat/nominations", q, list.Page, list.Pages, list.Total, nomination.StaffPerPage, "nominations"),
	}
	for i := range list.Rows {
		n := &list.Rows[i]
		rules := leadershipRules(ed, n.CategoryID)
		if rules == nil {
			continue
		}
		row := pages.SecretariatNominationRow{Href: staffNominationHref(n.ApplicationID), Candidate: n.CandidateName,
			Organisation: n.CandidateOrganisation, Nominator: n.NominatorName, Kind: "Third party",
			Status: n.Status.Label(), Consent: consentState(n), Letter: "None", Endorsements: strconv.Itoa(n.Endorsements),
			Complete: n.Complete(rules)}
		if n.Self {
			row.Kind = "Self-nomination"
		}
		if n.Letter != nil {
			row.Letter = n.Letter.Status.Label()
			if n.LetterConflict() {
				row.Letter += " (same organisation as the candidate)"
			}
		}
		v.Rows = append(v.Rows, row)
	}
	return s.render(w, r, http.StatusOK, pages.SecretariatNominations(v))
}

// consentState is the consent in one word or two, for tables.
func consentState(n *nomination.Nomination) string {
	if n.Self {
		return "Not needed"
	}
	return map[nomination.Consent]string{nomination.ConsentNone: "Not asked", nomination.ConsentRequested: "Asked",
		nomination.ConsentGiven: "Given", nomination.ConsentDeclined: "Declined"}[n.Consent]
}

// staffNomination loads nomination {id} for the acting secretariat member with its edition.
func (s *Server) staffNomination(r *http.Request) (nomination.Nomination, *edition.Edition, *edition.Nominations, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return nomination.Nomination{}, nil, nil, errNotFound
	}
	n, err := nomination.ForSecretariat(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, id)
	if err != nil {
		return nomination.Nomination{}, nil, nil, err
	}
	if !authz.CanManageApplications(authz.ActorFrom(r.Context()), n.EditionID) {
		return nomination.Nomination{}, nil, nil, errNotFound
	}
	ed, err := edition.ByID(r.Context(), s.pool, n.EditionID)
	if err != nil {
		return nomination.Nomination{}, nil, nil, err
	}
	rules := leadershipRules(ed, n.CategoryID)
	if rules == nil {
		return nomination.Nomination{}, nil, nil, errNotFound
	}
	return n, ed, rules, nil
}

func (s *Server) renderStaffNomination(w http.ResponseWriter, r *http.Request, status int, n nomination.Nomination, ed *edition.Edition, rules *edition.Nominations, reason string, errs field.Errors) error {
	loc := ed.TimeZone
	v := pages.SecretariatNominationView{
		Page: s.page(r, "Nomination of "+n.CandidateName), Candidate: n.CandidateName,
		Back:   "/secretariat/nominations?edition=" + strconv.FormatInt(ed.ID, 10),
		Action: staffNominationHref(n.ApplicationID) + "/override",
		Facts: []pages.Fact{
			{Label: "Candidate", Value: n.CandidateName + " <" + n.CandidateEmail + ">"},
			{Label: "Position and organisation", Value: n.CandidatePosition + ", " + n.CandidateOrganisation},
			{Label: "Heads an organisation", Value: map[bool]string{true: "Yes", false: "No"}[n.CandidateIsHead]},
			{Label: "Nominator", Value: n.NominatorName + " <" + n.NominatorEmail + ">"},
			{Label: "Kind", Value: map[bool]string{true: "Self-nomination", false: "Third party"}[n.Self]},
			{Label: "Nominator's organisation", Value: n.NominatorOrganisation},
			{Label: "Status", Value: n.Status.Label()},
			{Label: "Candidate's consent", Value: consentLabel(&n, loc)},
			{Label: "Letter of recommendation", Value: letterLabel(&n, loc)},
			{Label: "Confirmed endorsements", Value: strconv.Itoa(n.Endorsements) + " (more than " + strconv.Itoa(rules.EndorsementsMoreThan) + " replace the letter)"},
		},
		Problems: n.Problems(rules), Complete: n.Complete(rules),
		LetterHref: staffNominationHref(n.ApplicationID) + "/letter", HasLetter: n.Letter != nil && n.Letter.Status == nomination.LetterReceived,
		EndorsementsHref: staffNominationHref(n.ApplicationID) + "/endorsements",
		Override:         n.Override, Errors: errs,
		Reason: components.Field{Name: "reason", Label: "Reason", Type: "textarea", Value: reason, MaxLength: 2000, Error: errs.Get("reason"),
			Hint: "Why a letter from the candidate's own organisation is acceptable here. Leave empty and save to remove an override."},
	}
	if !n.Self && n.Consent != nomination.ConsentGiven && (n.Consent == nomination.ConsentDeclined || n.ConsentDeclinedAt != nil) {
		v.Reask = staffNominationHref(n.ApplicationID) + "/consent"
	}
	if cat, ok := rules.Category(n.NominatorCategory); ok {
		v.Facts = append(v.Facts, pages.Fact{Label: "Nominator's category", Value: cat.Name})
	}
	if n.ConsentNote != "" {
		v.Facts = append(v.Facts, pages.Fact{Label: "Candidate's message", Value: n.ConsentNote})
	}
	if n.OverrideAt != nil {
		v.Override += " (" + formatInstant(*n.OverrideAt, loc) + ")"
	}
	return s.render(w, r, status, pages.SecretariatNomination(v))
}

// secretariatNomination shows one nomination (GET /secretariat/nominations/{id}).
func (s *Server) secretariatNomination(w http.ResponseWriter, r *http.Request) error {
	n, ed, rules, err := s.staffNomination(r)
	if err != nil {
		return err
	}
	return s.renderStaffNomination(w, r, http.StatusOK, n, ed, rules, n.Override, nil)
}

type overrideForm struct {
	Reason string `form:"reason"`
}

// secretariatNominationOverride accepts (or stops accepting) a letter from the candidate's own
// organisation, with a reason (POST /secretariat/nominations/{id}/override).
func (s *Server) secretariatNominationOverride(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f overrideForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	n, ed, rules, err := s.staffNomination(r)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(f.Reason)
	if len([]rune(reason)) > 2000 {
		return s.renderStaffNomination(w, r, http.StatusUnprocessableEntity, n, ed, rules, f.Reason,
			field.Errors{{Field: "reason", Message: "Use at most 2,000 characters."}})
	}
	if reason == "" && n.Override == "" {
		return s.renderStaffNomination(w, r, http.StatusUnprocessableEntity, n, ed, rules, f.Reason,
			field.Errors{{Field: "reason", Message: "Give the reason for accepting a letter from the candidate's own organisation."}})
	}
	actor := authz.ActorFrom(ctx)
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := nomination.SetOverride(ctx, tx, actor.UserID, n.ApplicationID, reason, s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "nomination.override", ObjectType: "application",
			ObjectID: strconv.FormatInt(n.ApplicationID, 10), IP: s.clientIP(r), Details: map[string]any{"reason": reason}})
	})
	if errors.Is(err, db.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	if reason == "" {
		s.flash(ctx, "The override was removed: the head-of-organisation rule applies again.")
	} else {
		s.flash(ctx, "A letter from the candidate's own organisation is now accepted for this nomination.")
	}
	return redirect(w, r, staffNominationHref(n.ApplicationID))
}

// secretariatNominationReask asks the candidate of a nomination who declined for consent again
// (POST /secretariat/nominations/{id}/consent): after a decline only the secretariat may
// (nomination.ReaskConsent). The candidate gets a new private link; earlier ones stop working.
// Audited; not counted against the nominator's email limits.
func (s *Server) secretariatNominationReask(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	n, ed, rules, err := s.staffNomination(r)
	if err != nil {
		return err
	}
	var cat *edition.Category
	for i := range ed.Categories {
		if ed.Categories[i].ID == n.CategoryID {
			cat = &ed.Categories[i]
		}
	}
	now := s.now()
	if !now.Before(rules.LetterDeadline) {
		s.flash(ctx, "The deadline for consent and letters passed: the candidate can no longer be asked.")
		return redirect(w, r, staffNominationHref(n.ApplicationID))
	}
	actor := authz.ActorFrom(ctx)
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := nomination.ReaskConsent(ctx, tx, actor.UserID, n.ApplicationID, now); err != nil {
			return err
		}
		if err := link.Withdraw(ctx, tx, nomination.LinkConsent, n.ApplicationID, now); err != nil {
			return err
		}
		token, err := link.New(ctx, tx, nomination.LinkConsent, n.ApplicationID, rules.LetterDeadline, now)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "nomination.consent_reask",
			ObjectType: "application", ObjectID: strconv.FormatInt(n.ApplicationID, 10), IP: s.clientIP(r),
			Details: map[string]any{"candidate": n.CandidateEmail}}); err != nil {
			return err
		}
		_, err = s.outbox.Queue(ctx, tx, s.consentEmail(ed, cat, &n, token))
		return err
	})
	switch {
	case errors.Is(err, db.ErrNotFound):
		return errNotFound
	case errors.Is(err, db.ErrConflict):
		s.flash(ctx, "The candidate has not declined (or has consented since): there is nothing to ask again.")
	case err != nil:
		return err
	default:
		s.flash(ctx, "We have emailed "+n.CandidateName+" at "+n.CandidateEmail+" a new private link to consent to the nomination or decline it.")
	}
	return redirect(w, r, staffNominationHref(n.ApplicationID))
}

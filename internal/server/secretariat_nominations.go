package server

import (
	"net/http"
	"strings"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
	"prizeportal/web/pages"
	"prizeportal/web/views"

	"github.com/a-h/templ"
)

// The secretariat's view of the Leadership nominations (nomination.Service): every nomination of an
// edition with the same facts the nominator sees (consent, letter, endorsements, complete), the
// nomination's detail, and the override of the head-of-organisation rule with a reason. The
// route policy lets in anyone holding the secretariat role; the store's SQL filter keeps each to
// the editions they serve (another edition's nomination is a 404).

// secretariatNominations lists the nominations of one edition (GET /secretariat/nominations).
func (s *Server) secretariatNominations(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	missing := q.Get("missing")
	list, err := s.nominations.StaffList(ctx, authz.ActorFrom(ctx), ed.ID, missing, queryPage(q))
	if err != nil {
		return err
	}
	v := views.SecretariatNominations(ed, list, missing)
	v.Page, v.Edition, v.Choose = s.page(r, i18n.Msg("Nominations, {{.Edition}}", "Edition", ed.Name)), picker, len(picker.Options) > 1
	v.Pager = views.PagerFor("/secretariat/nominations", q, list.Page, list.Pages, list.Total, nomination.StaffPerPage, "nominations")
	return s.render(w, r, http.StatusOK, pages.SecretariatNominations(v))
}

// staffNominationPage is the secretariat's page of p with the override reason typed.
func (s *Server) staffNominationPage(r *http.Request, p *nomination.Place, reason string, errs field.Errors) templ.Component {
	v := views.StaffNomination(p, reason, errs)
	v.Page = s.page(r, i18n.Msg("Nomination of {{.Candidate}}", "Candidate", p.Nomination.CandidateName))
	return pages.SecretariatNomination(v)
}

// secretariatNomination shows one nomination (GET /secretariat/nominations/{id}).
func (s *Server) secretariatNomination(w http.ResponseWriter, r *http.Request) error {
	return showByID(s, w, r, s.nominations.ForSecretariat, func(p *nomination.Place) templ.Component {
		return s.staffNominationPage(r, p, p.Nomination.Override, nil)
	})
}

type overrideForm struct {
	Reason string `form:"reason"`
}

// secretariatNominationOverride accepts (or stops accepting) a letter from the candidate's own
// organisation, with a reason (POST /secretariat/nominations/{id}/override;
// nomination.Service.SetOverride).
func (s *Server) secretariatNominationOverride(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f overrideForm
	id, err := postedID(w, r, &f)
	if err != nil {
		return err
	}
	p, err := s.nominations.SetOverride(ctx, authz.ActorFrom(ctx), id, f.Reason)
	if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid { // ErrOverrideTooLong, ErrOverrideNoReason
		return s.render(w, r, http.StatusUnprocessableEntity, s.staffNominationPage(r, p, f.Reason,
			field.Errors{{Field: "reason", Message: fe.Message}}))
	}
	if err != nil {
		return err
	}
	if strings.TrimSpace(f.Reason) == "" {
		s.flash(ctx, "The override was removed: the head-of-organisation rule applies again.")
	} else {
		s.flash(ctx, "A letter from the candidate's own organisation is now accepted for this nomination.")
	}
	return redirect(w, r, views.StaffNominationHref(id))
}

// secretariatNominationReask asks the candidate of a nomination who declined for consent again
// (POST /secretariat/nominations/{id}/consent; nomination.Service.ReaskConsent): after a decline
// only the secretariat may. The candidate gets a new private link; earlier ones stop working.
func (s *Server) secretariatNominationReask(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := postedID(w, r, &struct{}{})
	if err != nil {
		return err
	}
	p, err := s.nominations.ReaskConsent(ctx, authz.ActorFrom(ctx), id)
	return s.flashThen(w, r, err, views.StaffNominationHref(id), func() string {
		return i18n.Msg("We have emailed {{.Name}} at {{.Email}} a new private link to consent to the nomination or decline it.", "Name", p.Nomination.CandidateName, "Email", p.Nomination.CandidateEmail)
	})
}

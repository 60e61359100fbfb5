package server

import (
	"cmp"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The secretariat's pages for applications (DOMAIN.md "The project application"): the list of
// an edition's applications and per-applicant deadline extensions. The list's route is scoped to
// an edition the actor serves as secretariat (authz.InEdition(authz.Secretariat)); an
// extension's edition is checked with authz.CanManageApplications; the application store
// repeats both as an SQL filter.

// secretariatApplications lists the applications of one edition (GET /secretariat/applications,
// ?edition=ID, default the newest edition the actor serves).
func (s *Server) secretariatApplications(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := application.ListForSecretariat(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, ed.ID, queryPage(q))
	if err != nil {
		return err
	}
	v := pages.SecretariatApplicationsView{
		Page:    s.page(r, i18n.Msg("Applications, {{.Edition}}", "Edition", ed.Name)),
		Edition: picker,
		Choose:  len(picker.Options) > 1,
		Name:    ed.Name,
		Deadline: i18n.Msg("{{.Local}} ({{.Zone}} time), {{.UTC}}", "Local", i18n.Deadline(ed.Schedule.ApplicationDeadline, ed.TimeZone), "Zone", ed.TimeZone.String(),
			"UTC", i18n.Deadline(ed.Schedule.ApplicationDeadline, time.UTC)),
		Pager: views.PagerFor("/secretariat/applications", q, list.Page, list.Pages, list.Total, application.StaffPerPage, "applications"),
	}
	for _, a := range list.Rows {
		row := pages.SecretariatApplicationRow{
			Applicant: a.Applicant, Email: a.Email, Organisation: a.Organisation, Category: a.Category,
			Title: a.Title, Status: a.Status.Label(), LastSaved: i18n.Deadline(a.UpdatedAt, ed.TimeZone),
			Href: views.ExtensionHref(a.ID),
		}
		if len(a.RegistryMatches) > 0 {
			row.Registry = i18n.Msg("Matches the registry: {{.Names}}", "Names", strings.Join(a.RegistryMatches, ", "))
		}
		if a.ExtendedUntil != nil {
			row.Extension = i18n.Msg("Until {{.When}}", "When", i18n.Deadline(*a.ExtendedUntil, ed.TimeZone))
		}
		if a.Candidate != "" {
			row.Title = i18n.Msg("Nomination of {{.Candidate}}", "Candidate", a.Candidate)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.render(w, r, http.StatusOK, pages.SecretariatApplications(v))
}

// staffApplication loads the application {id} for the acting secretariat member: authz checks
// the edition, and the store's SQL filter repeats it (a miss is 404 either way).
func (s *Server) staffApplication(r *http.Request) (application.StaffRow, *edition.Edition, error) {
	id, err := routeID(r)
	if err != nil {
		return application.StaffRow{}, nil, err
	}
	return application.LoadForSecretariat(r.Context(), s.pool, authz.ActorFrom(r.Context()), id)
}

type extensionForm struct {
	Action string `form:"action"`
	Until  string `form:"until"`
	Reason string `form:"reason"`
}

func (s *Server) renderExtension(w http.ResponseWriter, r *http.Request, status int, a application.StaffRow, ed *edition.Edition, f extensionForm, errs field.Errors) error {
	loc := ed.TimeZone
	v := pages.SecretariatExtensionView{
		Page:      s.page(r, i18n.Msg("Deadline extension for {{.Name}}", "Name", a.Applicant)),
		Applicant: a.Applicant,
		Facts: []pages.Fact{
			{Label: i18n.M("Applicant"), Value: a.Applicant + " (" + a.Email + ")"},
			{Label: i18n.M("Organisation"), Value: cmp.Or(a.Organisation, i18n.M("Not given"))},
			{Label: i18n.M("Category"), Value: a.Category},
			{Label: i18n.M("Project"), Value: cmp.Or(a.Title, i18n.M("No title yet"))},
			{Label: i18n.M("Status"), Value: a.Status.Label()},
			{Label: i18n.M("Last saved"), Value: i18n.Deadline(a.UpdatedAt, loc)},
			{Label: i18n.M("Application deadline"), Value: i18n.Msg("{{.Deadline}} ({{.Zone}} time)", "Deadline", i18n.Deadline(ed.Schedule.ApplicationDeadline, loc), "Zone", loc.String())},
		},
		Action: views.ExtensionHref(a.ID),
		Until: components.Field{Name: "until", Label: i18n.Msg("Extended until ({{.Zone}} time)", "Zone", loc.String()), Type: "datetime-local",
			Value: f.Until, Required: true, Error: errs.Get("until"),
			Hint: i18n.Msg("Date and time in the prize's time zone, {{.Zone}}. It must be after the application deadline.", "Zone", i18n.Zone(loc, ed.Schedule.ApplicationDeadline))},
		Reason: components.Field{Name: "reason", Label: i18n.M("Reason"), Value: f.Reason, Required: true, MaxLength: 500, Error: errs.Get("reason"),
			Hint: i18n.M("Kept in the audit log, e.g. \"power cut in the applicant's city on the deadline day\".")},
		Errors: errs,
	}
	if x := a.Extension; x != nil {
		v.Current = i18n.Msg("Extended until {{.Until}} ({{.Zone}} time), granted on {{.Granted}}. Reason: {{.Reason}}", "Until", i18n.Deadline(x.Until, loc),
			"Zone", loc.String(), "Granted", i18n.Deadline(x.GrantedAt, loc), "Reason", x.Reason)
	}
	return s.render(w, r, status, pages.SecretariatExtension(v))
}

// secretariatExtensionPage shows an application's extension form
// (GET /secretariat/applications/{id}/extension).
func (s *Server) secretariatExtensionPage(w http.ResponseWriter, r *http.Request) error {
	a, ed, err := s.staffApplication(r)
	if err != nil {
		return err
	}
	var f extensionForm
	if a.Extension != nil {
		f.Until = a.Extension.Until.In(ed.TimeZone).Format(application.ExtensionLayout)
		f.Reason = a.Extension.Reason
	}
	return s.renderExtension(w, r, http.StatusOK, a, ed, f, nil)
}

// secretariatExtension grants, changes or revokes an application's deadline extension, with
// its audit entry and an email to the applicant in one transaction
// (POST /secretariat/applications/{id}/extension).
func (s *Server) secretariatExtension(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, ed, f, err := loadThenForm[extensionForm](w, r, s.staffApplication)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	if f.Action == "revoke" {
		err := s.extensions.Revoke(ctx, actor, ed, a.ID)
		if errors.Is(err, application.ErrNoExtension) {
			s.flash(ctx, i18n.Msg("{{.Name}} has no extension to revoke.", "Name", a.Applicant))
			return redirect(w, r, views.ExtensionHref(a.ID))
		}
		if err != nil {
			return err
		}
		s.flash(ctx, i18n.Msg("The extension for {{.Name}} was revoked and they were told by email.", "Name", a.Applicant))
		return redirect(w, r, "/secretariat/applications?edition="+strconv.FormatInt(ed.ID, 10))
	}
	until, err := s.extensions.Grant(ctx, actor, ed, a.ID, application.ExtensionRequest{Until: f.Until, Reason: f.Reason})
	return s.formDone(w, r, err, func(errs field.Errors) error {
		f.Until, f.Reason = strings.TrimSpace(f.Until), strings.TrimSpace(f.Reason)
		return s.renderExtension(w, r, http.StatusUnprocessableEntity, a, ed, f, errs)
	}, i18n.Msg("Extended the deadline for {{.Name}} until {{.When}}; they were told by email.", "Name", a.Applicant, "When", i18n.Deadline(until, ed.TimeZone)),
		"/secretariat/applications?edition="+strconv.FormatInt(ed.ID, 10))
}

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
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
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
		Page:     s.page(r, "Applications, "+ed.Name),
		Edition:  picker,
		Choose:   len(picker.Options) > 1,
		Name:     ed.Name,
		Deadline: timefmt.Deadline(ed.Schedule.ApplicationDeadline, ed.TimeZone) + " (" + ed.TimeZone.String() + " time), " + timefmt.Deadline(ed.Schedule.ApplicationDeadline, time.UTC),
		Pager:    views.PagerFor("/secretariat/applications", q, list.Page, list.Pages, list.Total, application.StaffPerPage, "applications"),
	}
	for _, a := range list.Rows {
		row := pages.SecretariatApplicationRow{
			Applicant: a.Applicant, Email: a.Email, Organisation: a.Organisation, Category: a.Category,
			Title: a.Title, Status: a.Status.Label(), LastSaved: timefmt.Deadline(a.UpdatedAt, ed.TimeZone),
			Href: views.ExtensionHref(a.ID),
		}
		if len(a.RegistryMatches) > 0 {
			row.Registry = "Matches the registry: " + strings.Join(a.RegistryMatches, ", ")
		}
		if a.ExtendedUntil != nil {
			row.Extension = "Until " + timefmt.Deadline(*a.ExtendedUntil, ed.TimeZone)
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
		Page:      s.page(r, "Deadline extension for "+a.Applicant),
		Applicant: a.Applicant,
		Facts: []pages.Fact{
			{Label: "Applicant", Value: a.Applicant + " (" + a.Email + ")"},
			{Label: "Organisation", Value: cmp.Or(a.Organisation, "Not given")},
			{Label: "Category", Value: a.Category},
			{Label: "Project", Value: cmp.Or(a.Title, "No title yet")},
			{Label: "Status", Value: a.Status.Label()},
			{Label: "Last saved", Value: timefmt.Deadline(a.UpdatedAt, loc)},
			{Label: "Application deadline", Value: timefmt.Deadline(ed.Schedule.ApplicationDeadline, loc) + " (" + loc.String() + " time)"},
		},
		Action: views.ExtensionHref(a.ID),
		Until: components.Field{Name: "until", Label: "Extended until (" + loc.String() + " time)", Type: "datetime-local",
			Value: f.Until, Required: true, Error: errs.Get("until"),
			Hint: "Date and time in the prize's time zone, " + timefmt.ZoneLabel(loc, ed.Schedule.ApplicationDeadline) + ". It must be after the application deadline."},
		Reason: components.Field{Name: "reason", Label: "Reason", Value: f.Reason, Required: true, MaxLength: 500, Error: errs.Get("reason"),
			Hint: "Kept in the audit log, e.g. \"power cut in the applicant's city on the deadline day\"."},
		Errors: errs,
	}
	if x := a.Extension; x != nil {
		v.Current = "Extended until " + timefmt.Deadline(x.Until, loc) + " (" + loc.String() + " time), granted on " +
			timefmt.Deadline(x.GrantedAt, loc) + ". Reason: " + x.Reason
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
			s.flash(ctx, a.Applicant+" has no extension to revoke.")
			return redirect(w, r, views.ExtensionHref(a.ID))
		}
		if err != nil {
			return err
		}
		s.flash(ctx, "The extension for "+a.Applicant+" was revoked and they were told by email.")
		return redirect(w, r, "/secretariat/applications?edition="+strconv.FormatInt(ed.ID, 10))
	}
	until, err := s.extensions.Grant(ctx, actor, ed, a.ID, application.ExtensionRequest{Until: f.Until, Reason: f.Reason})
	return s.formDone(w, r, err, func(errs field.Errors) error {
		f.Until, f.Reason = strings.TrimSpace(f.Until), strings.TrimSpace(f.Reason)
		return s.renderExtension(w, r, http.StatusUnprocessableEntity, a, ed, f, errs)
	}, "Extended the deadline for "+a.Applicant+" until "+timefmt.Deadline(until, ed.TimeZone)+"; they were told by email.",
		"/secretariat/applications?edition="+strconv.FormatInt(ed.ID, 10))
}

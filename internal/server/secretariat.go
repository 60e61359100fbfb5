package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The secretariat's pages for applications (issue 4 item 5): the list of an edition's
// applications and per-applicant deadline extensions. The route policy lets in anyone holding
// the secretariat role somewhere; authz.CanManageApplications checks the edition, and the
// application store repeats it as an SQL filter.

// extensionLayout is the form of the "until" field: an HTML datetime-local value, read in the
// prize's time zone.
const extensionLayout = "2006-01-02T15:04"

// secretariatEdition is the edition a secretariat page shows: ?edition=ID when the actor serves
// it, else the newest edition they serve; with it comes the picker of the editions they serve.
func (s *Server) secretariatEdition(r *http.Request) (*edition.Edition, components.Field, error) {
	return s.pickEdition(r, authz.CanManageApplications)
}

// pickEdition is the edition a staff page acts on: ?edition=ID when serves(actor, ID), else the
// newest edition the actor serves; with it comes the picker of the editions they serve. An
// actor who serves none, or asks for one they do not serve, is forbidden.
func (s *Server) pickEdition(r *http.Request, serves func(authz.Actor, int64) bool) (*edition.Edition, components.Field, error) {
	actor := authz.ActorFrom(r.Context())
	list, err := edition.List(r.Context(), s.pool)
	if err != nil {
		return nil, components.Field{}, err
	}
	var mine []edition.Summary
	for _, e := range list {
		if serves(actor, e.ID) {
			mine = append(mine, e)
		}
	}
	if len(mine) == 0 {
		return nil, components.Field{}, authz.ErrForbidden
	}
	edID := mine[0].ID
	if v := r.URL.Query().Get("edition"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !serves(actor, id) {
			return nil, components.Field{}, authz.ErrForbidden
		}
		edID = id
	}
	ed, err := edition.ByID(r.Context(), s.pool, edID)
	if err != nil {
		return nil, components.Field{}, err
	}
	opts := make([]components.Option, 0, len(mine))
	for _, e := range mine {
		opts = append(opts, components.Option{Value: strconv.FormatInt(e.ID, 10), Label: e.Name, Selected: e.ID == ed.ID})
	}
	return ed, components.Field{Name: "edition", Label: "Edition", Type: "select", Options: opts}, nil
}

// secretariatApplications lists the applications of one edition (GET /secretariat/applications,
// ?edition=ID, default the newest edition the actor serves).
func (s *Server) secretariatApplications(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := authz.ActorFrom(ctx)
	ed, picker, err := s.secretariatEdition(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := application.ListForSecretariat(ctx, s.pool, actor.UserID, ed.ID, queryPage(q))
	if err != nil {
		return err
	}
	v := pages.SecretariatApplicationsView{
		Page:     s.page(r, "Applications, "+ed.Name),
		Edition:  picker,
		Choose:   len(picker.Options) > 1,
		Name:     ed.Name,
		Deadline: deadlineStamp(ed.Schedule.ApplicationDeadline, ed.TimeZone) + " (" + ed.TimeZone.String() + " time), " + deadlineStamp(ed.Schedule.ApplicationDeadline, time.UTC),
		Pager:    pagerFor("/secretariat/applications", q, list.Page, list.Pages, list.Total, application.StaffPerPage, "applications"),
	}
	for _, a := range list.Rows {
		row := pages.SecretariatApplicationRow{
			Applicant: a.Applicant, Email: a.Email, Organisation: a.Organisation, Category: a.Category,
			Title: a.Title, Status: a.Status.Label(), LastSaved: deadlineStamp(a.UpdatedAt, ed.TimeZone),
			Href: extensionHref(a.ID),
		}
		if a.ExtendedUntil != nil {
			row.Extension = "Until " + deadlineStamp(*a.ExtendedUntil, ed.TimeZone)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.render(w, r, http.StatusOK, pages.SecretariatApplications(v))
}

func extensionHref(id int64) string {
	return "/secretariat/applications/" + strconv.FormatInt(id, 10) + "/extension"
}

// staffApplication loads the application {id} for the acting secretariat member: authz checks
// the edition, and the store's SQL filter repeats it (a miss is 404 either way).
func (s *Server) staffApplication(r *http.Request) (application.StaffRow, *edition.Edition, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return application.StaffRow{}, nil, errNotFound
	}
	actor := authz.ActorFrom(r.Context())
	a, err := application.ForSecretariat(r.Context(), s.pool, actor.UserID, id)
	if err != nil {
		return application.StaffRow{}, nil, err
	}
	if !authz.CanManageApplications(actor, a.EditionID) {
		return application.StaffRow{}, nil, authz.ErrForbidden
	}
	ed, err := edition.ByID(r.Context(), s.pool, a.EditionID)
	if err != nil {
		return application.StaffRow{}, nil, err
	}
	return a, ed, nil
}

type extensionForm struct {
	Action string `form:"action"`
	Until  string `form:"until"`
	Reason string `form:"reason"`
}

func (s *Server) renderExtension(w http.ResponseWriter, r *http.Request, status int, a application.StaffRow, ed *edition.Edition, f extensionForm, errs field.Errors) error {
	loc := ed.TimeZone
	or := func(s, none string) string {
		if s == "" {
			return none
		}
		return s
	}
	v := pages.SecretariatExtensionView{
		Page:      s.page(r, "Deadline extension for "+a.Applicant),
		Applicant: a.Applicant,
		Facts: []pages.Fact{
			{Label: "Applicant", Value: a.Applicant + " (" + a.Email + ")"},
			{Label: "Organisation", Value: or(a.Organisation, "Not given")},
			{Label: "Category", Value: a.Category},
			{Label: "Project", Value: or(a.Title, "No title yet")},
			{Label: "Status", Value: a.Status.Label()},
			{Label: "Last saved", Value: deadlineStamp(a.UpdatedAt, loc)},
			{Label: "Application deadline", Value: deadlineStamp(ed.Schedule.ApplicationDeadline, loc) + " (" + loc.String() + " time)"},
		},
		Action: extensionHref(a.ID),
		Until: components.Field{Name: "until", Label: "Extended until (" + loc.String() + " time)", Type: "datetime-local",
			Value: f.Until, Required: true, Error: errs.Get("until"),
			Hint: "Date and time in the prize's time zone, " + zoneLabel(loc, ed.Schedule.ApplicationDeadline) + ". It must be after the application deadline."},
		Reason: components.Field{Name: "reason", Label: "Reason", Value: f.Reason, Required: true, MaxLength: 500, Error: errs.Get("reason"),
			Hint: "Kept in the audit log, e.g. \"power cut in the applicant's city on the deadline day\"."},
		Errors: errs,
	}
	if x := a.Extension; x != nil {
		v.Current = "Extended until " + deadlineStamp(x.Until, loc) + " (" + loc.String() + " time), granted on " +
			deadlineStamp(x.GrantedAt, loc) + ". Reason: " + x.Reason
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
		f.Until = a.Extension.Until.In(ed.TimeZone).Format(extensionLayout)
		f.Reason = a.Extension.Reason
	}
	return s.renderExtension(w, r, http.StatusOK, a, ed, f, nil)
}

// secretariatExtension grants, changes or revokes an application's deadline extension, with
// its audit entry and an email to the applicant in one transaction
// (POST /secretariat/applications/{id}/extension).
func (s *Server) secretariatExtension(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, ed, err := s.staffApplication(r)
	if err != nil {
		return err
	}
	var f extensionForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	loc := ed.TimeZone
	entry := audit.Entry{ActorID: actor.UserID, ObjectType: "application", ObjectID: strconv.FormatInt(a.ID, 10), IP: s.clientIP(r)}
	if f.Action == "revoke" {
		err := db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
			if err := application.RevokeExtension(ctx, tx, a.ID); err != nil {
				return err
			}
			entry.Action = "application.extension.revoke"
			if err := audit.Record(ctx, tx, entry); err != nil {
				return err
			}
			_, err := s.outbox.Queue(ctx, tx, s.extensionEmail(ed, a, nil))
			return err
		})
		if errors.Is(err, db.ErrNotFound) {
			s.flash(ctx, a.Applicant+" has no extension to revoke.")
			return redirect(w, r, extensionHref(a.ID))
		}
		if err != nil {
			return err
		}
		s.flash(ctx, "The extension for "+a.Applicant+" was revoked and they were told by email.")
		return redirect(w, r, "/secretariat/applications?edition="+strconv.FormatInt(ed.ID, 10))
	}

	f.Until, f.Reason = strings.TrimSpace(f.Until), strings.TrimSpace(f.Reason)
	var (
		errs  field.Errors
		until time.Time
	)
	if f.Until == "" {
		errs.Add("until", "Enter the date and time until which the applicant may change and submit.")
	} else if until, err = time.ParseInLocation(extensionLayout, f.Until, loc); err != nil {
		errs.Add("until", "Enter a date and time such as 2023-06-07 18:00.")
	} else if !until.After(ed.Schedule.ApplicationDeadline) {
		errs.Add("until", "Choose a time after the application deadline, "+deadlineStamp(ed.Schedule.ApplicationDeadline, loc)+".")
	}
	if f.Reason == "" {
		errs.Add("reason", "Enter the reason for the extension.")
	} else if len(f.Reason) > 500 {
		errs.Add("reason", "Use at most 500 characters.")
	}
	if errs.Any() {
		return s.renderExtension(w, r, http.StatusUnprocessableEntity, a, ed, f, errs)
	}
	now := s.now()
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := application.GrantExtension(ctx, tx, a.ID, application.Extension{Until: until, Reason: f.Reason,
			GrantedBy: actor.UserID, GrantedAt: now}, ed.Schedule); err != nil {
			return err
		}
		entry.Action = "application.extension.grant"
		entry.Details = map[string]any{"until": until.UTC().Format(time.RFC3339), "reason": f.Reason, "applicant": a.UserID}
		if err := audit.Record(ctx, tx, entry); err != nil {
			return err
		}
		_, err := s.outbox.Queue(ctx, tx, s.extensionEmail(ed, a, &until))
		return err
	})
	if err != nil {
		return err
	}
	s.flash(ctx, "Extended the deadline for "+a.Applicant+" until "+deadlineStamp(until, loc)+"; they were told by email.")
	return redirect(w, r, "/secretariat/applications?edition="+strconv.FormatInt(ed.ID, 10))
}

// extensionEmail tells the applicant of a about their extension until until, in the prize's
// time zone; until nil means it was revoked.
func (s *Server) extensionEmail(ed *edition.Edition, a application.StaffRow, until *time.Time) notify.Message {
	loc := ed.TimeZone
	zone := " (" + loc.String() + " time, " + zoneLabel(loc, ed.Schedule.ApplicationDeadline) + ")"
	v := emails.ExtensionEmail{
		Meta: s.emailMeta(ed), Greeting: "Dear " + a.Applicant + ",",
		URL: strings.TrimSuffix(s.cfg.BaseURL.String(), "/") + "/application",
	}
	subject := "Your application deadline for the " + ed.Name + " was extended"
	if until != nil {
		v.Title = "Your deadline was extended"
		v.Paragraphs = []string{
			"The secretariat has extended the deadline of your application until " + deadlineStamp(*until, loc) + zone + ".",
			"Until then you can change, submit and withdraw your application as before. After it, your application is locked.",
		}
	} else {
		subject = "Your application deadline for the " + ed.Name + " is no longer extended"
		v.Title = "Your deadline extension was withdrawn"
		v.Paragraphs = []string{
			"The secretariat has withdrawn the extension of your application deadline. The deadline of the " + ed.Name +
				" applies to you again: " + deadlineStamp(ed.Schedule.ApplicationDeadline, loc) + zone + ".",
		}
	}
	return notify.Message{To: a.Email, ToName: a.Applicant, Kind: "application-extension", UserID: a.UserID,
		Subject: subject, HTML: emails.Extension(v), Text: emails.ExtensionText(v)}
}

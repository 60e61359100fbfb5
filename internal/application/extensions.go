package application

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
)

// Extensions holds the secretariat's use cases of per-applicant deadline extensions (DOMAIN.md
// "The project application": editable until the deadline, locked after it; the secretariat may
// reopen one application): granting, changing and revoking an extension, each one transaction
// with its audit entry and the email that tells the applicant. Only the secretariat of the
// application's edition does this (authz.CanManageApplications, repeated in SQL by
// ForSecretariat).
type Extensions struct {
	usecase.Deps
}

// NewExtensions is the extensions service on pool, queueing emails in outbox with links under site.
func NewExtensions(pool *pgxpool.Pool, outbox *notify.Outbox, site emails.Site, now func() time.Time) *Extensions {
	return &Extensions{Deps: usecase.New(pool, outbox, site, now)}
}

// ExtensionLayout is the form of an extension's end as typed: an HTML datetime-local value, read
// in the prize's time zone.
const ExtensionLayout = "2006-01-02T15:04"

// MaxExtensionReason bounds the reason of an extension.
const MaxExtensionReason = 500

// ErrNoExtension means there is no extension to revoke.
var ErrNoExtension = fault.Wrap(fault.Conflict, "The application has no extension to revoke.", db.ErrNotFound)

// ExtensionRequest is an extension as the secretariat types it: Until in ExtensionLayout, in
// the edition's time zone.
type ExtensionRequest struct {
	Until  string
	Reason string
}

// staffApplication loads application id of ed for actor in tx: db.ErrNotFound unless actor is
// of the secretariat of its edition.
func staffApplication(ctx context.Context, tx pgx.Tx, actor authz.Actor, ed *edition.Edition, id int64) (StaffRow, error) {
	a, err := ForSecretariat(ctx, tx, actor.UserID, id)
	if err != nil {
		return StaffRow{}, err
	}
	if !authz.CanManageApplications(actor, a.EditionID) || a.EditionID != ed.ID {
		return StaffRow{}, db.ErrNotFound
	}
	return a, nil
}

// Grant gives application id of ed an extension, replacing any earlier one, and tells the
// applicant by email; it returns the extension's end. Rules: the end is a date and time in the
// prize's time zone after the edition's application deadline, and the extension has a reason
// (at most MaxExtensionReason bytes), kept in the audit log. A broken rule is a field.Errors
// (fields until, reason).
func (x *Extensions) Grant(ctx context.Context, actor authz.Actor, ed *edition.Edition, id int64, in ExtensionRequest) (time.Time, error) {
	loc := ed.TimeZone
	in.Until, in.Reason = strings.TrimSpace(in.Until), strings.TrimSpace(in.Reason)
	var (
		errs  field.Errors
		until time.Time
		err   error
	)
	if in.Until == "" {
		errs.Add("until", "Enter the date and time until which the applicant may change and submit.")
	} else if until, err = time.ParseInLocation(ExtensionLayout, in.Until, loc); err != nil {
		errs.Add("until", "Enter a date and time such as 2023-06-07 18:00.")
	} else if !until.After(ed.Schedule.ApplicationDeadline) {
		errs.Add("until", "Choose a time after the application deadline, "+timefmt.Deadline(ed.Schedule.ApplicationDeadline, loc)+".")
	}
	if in.Reason == "" {
		errs.Add("reason", "Enter the reason for the extension.")
	} else if len(in.Reason) > MaxExtensionReason {
		errs.Add("reason", "Use at most 500 characters.")
	}
	if errs.Any() {
		return time.Time{}, errs
	}
	now := x.Now()
	err = db.InTx(ctx, x.Pool, func(tx pgx.Tx) error {
		a, err := staffApplication(ctx, tx, actor, ed, id)
		if err != nil {
			return err
		}
		if err := GrantExtension(ctx, tx, a.ID, Extension{Until: until, Reason: in.Reason, GrantedBy: actor.UserID, GrantedAt: now}, ed.Schedule); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "application.extension.grant", ObjectType: "application",
			ObjectID: strconv.FormatInt(a.ID, 10),
			Details:  map[string]any{"until": until.UTC().Format(time.RFC3339), "reason": in.Reason, "applicant": a.UserID}}); err != nil {
			return err
		}
		_, err = x.Outbox.Queue(ctx, tx, x.extensionEmail(ed, a, &until))
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("application: grant extension: %w", err)
	}
	return until, nil
}

// Revoke removes the extension of application id of ed (ErrNoExtension when it has none), so
// the edition's deadline applies to it again, and tells the applicant by email.
func (x *Extensions) Revoke(ctx context.Context, actor authz.Actor, ed *edition.Edition, id int64) error {
	err := db.InTx(ctx, x.Pool, func(tx pgx.Tx) error {
		a, err := staffApplication(ctx, tx, actor, ed, id)
		if err != nil {
			return err
		}
		if err := RevokeExtension(ctx, tx, a.ID); errors.Is(err, db.ErrNotFound) {
			return ErrNoExtension
		} else if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "application.extension.revoke", ObjectType: "application",
			ObjectID: strconv.FormatInt(a.ID, 10)}); err != nil {
			return err
		}
		_, err = x.Outbox.Queue(ctx, tx, x.extensionEmail(ed, a, nil))
		return err
	})
	if err != nil {
		return fmt.Errorf("application: revoke extension: %w", err)
	}
	return nil
}

// extensionEmail tells the applicant of a about their extension until until, in the prize's
// time zone; until nil means it was revoked (the registry's "application-extension-withdrawn").
func (x *Extensions) extensionEmail(ed *edition.Edition, a StaffRow, until *time.Time) notify.Message {
	loc := ed.TimeZone
	zone := " (" + loc.String() + " time, " + timefmt.ZoneLabel(loc, ed.Schedule.ApplicationDeadline) + ")"
	v := emails.ActionEmail{Meta: x.Site.Meta(ed), Greeting: "Dear " + a.Applicant + ",",
		ActionLabel: "Open your application", ActionURL: x.Site.URL("/application")}
	values := wording.Values{wording.Name: a.Applicant, wording.EditionName: ed.Name, wording.Link: v.ActionURL}
	key, subject := "application-extension", "Your application deadline for the "+ed.Name+" was extended"
	// the deadline carried for the reader's language (English: the paragraphs)
	deadline := func(t time.Time) string {
		return i18n.Msg("{{.When}} ({{.Zone}} time, {{.Label}})", "When", i18n.Deadline(t, loc), "Zone", loc.String(),
			"Label", i18n.Zone(loc, ed.Schedule.ApplicationDeadline))
	}
	if until != nil {
		values[wording.Deadline] = deadline(*until)
		v.Title = "Your deadline was extended"
		v.Paragraphs = []string{
			"The secretariat has extended the deadline of your application until " + timefmt.Deadline(*until, loc) + zone + ".",
			"Until then you can change, submit and withdraw your application as before. After it, your application is locked.",
		}
	} else {
		values[wording.Deadline] = deadline(ed.Schedule.ApplicationDeadline)
		key, subject = "application-extension-withdrawn", "Your application deadline for the "+ed.Name+" is no longer extended"
		v.Title = "Your deadline extension was withdrawn"
		v.Paragraphs = []string{
			"The secretariat has withdrawn the extension of your application deadline. The deadline of the " + ed.Name +
				" applies to you again: " + timefmt.Deadline(ed.Schedule.ApplicationDeadline, loc) + zone + ".",
		}
	}
	m := emails.ActionMessage("application-extension", a.Email, a.Applicant, subject, a.UserID, v)
	m.Wording = x.Site.Wording(ed, key, values)
	return m
}

// LoadForSecretariat loads application id for actor with its edition, for the secretariat's
// pages: db.ErrNotFound when ForSecretariat's SQL filter leaves it out, authz.ErrForbidden
// unless the actor is of the secretariat of its edition (authz.CanManageApplications).
func LoadForSecretariat(ctx context.Context, q db.DBTX, actor authz.Actor, id int64) (StaffRow, *edition.Edition, error) {
	a, err := ForSecretariat(ctx, q, actor.UserID, id)
	if err != nil {
		return StaffRow{}, nil, err
	}
	if !authz.CanManageApplications(actor, a.EditionID) {
		return StaffRow{}, nil, authz.ErrForbidden
	}
	ed, err := edition.ByID(ctx, q, a.EditionID)
	if err != nil {
		return StaffRow{}, nil, err
	}
	return a, ed, nil
}

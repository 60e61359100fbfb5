package wording

import (
	"context"
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
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// Limits of an override.
const (
	MaxSubject = 300
	MaxBody    = 20000
)

// ErrChanged refuses a save or a reset made on an older state of the email's wording: someone
// else saved or reset it meanwhile.
var ErrChanged = fault.New(fault.Conflict, "Someone else changed the wording of this email since you opened it. "+
	"Open it again to see their version, then make your change again.")

// Service changes editions' wording of the emails.
type Service struct {
	Pool *pgxpool.Pool
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Input is an override as posted: its subject, its body, and the version of the wording the
// form was opened on (Wording.Version).
type Input struct {
	Subject string
	Body    string
	Version int
	// Language is the language of the wording ("" is English).
	Language string
}

// Validate checks in against email e: a subject on one line and a body, within their limits,
// using only the placeholders e offers (each unknown or malformed one named).
func (in Input) Validate(e Email) field.Errors {
	var errs field.Errors
	check := func(name, label, text, empty, tooLong string, limit int) {
		switch {
		case strings.TrimSpace(text) == "":
			errs.Add(name, empty)
		case len([]rune(text)) > limit:
			errs.Add(name, i18n.Msg(tooLong, "Max", limit))
		default:
			if bad := Check(text, e.Params); len(bad) > 0 {
				errs.Add(name, "The "+label+" uses placeholders this email does not offer: "+strings.Join(bad, ", ")+
					". Use only the placeholders listed, written like {{"+string(e.Params[0].Name)+"}}.")
			}
		}
	}
	check("subject", "subject", in.Subject, i18n.M("Enter the subject."), i18n.M("The subject is too long: at most {{.Max}} characters."), MaxSubject)
	if strings.ContainsAny(in.Subject, "\r\n") && errs.Get("subject") == "" {
		errs.Add("subject", i18n.M("Write the subject on one line."))
	}
	check("body", "body", in.Body, i18n.M("Enter the body."), i18n.M("The body is too long: at most {{.Max}} characters."), MaxBody)
	return errs
}

// normalize keeps the body's line ends as \n and the subject without surrounding space.
func (in Input) normalize() Input {
	in.Subject = strings.TrimSpace(in.Subject)
	in.Body = strings.TrimSpace(strings.ReplaceAll(in.Body, "\r\n", "\n"))
	return in
}

// Save makes in the wording of email key in edition editionID. Rule: only the edition's managers
// and the administrators (authz.CanManageEdition, repeated in SQL) change it; the subject and
// body may use only the placeholders the email offers; in.Version must be the wording's current
// version (ErrChanged otherwise), so that two managers saving at once do not overwrite each other.
// The change is audited with the wording before and after. With ErrChanged it returns the
// wording as it is now, for the manager to compare.
func (s *Service) Save(ctx context.Context, actor authz.Actor, editionID int64, key string, in Input) (Wording, error) {
	e, ok := Lookup(key)
	if !ok {
		return Wording{}, db.ErrNotFound
	}
	in = in.normalize()
	if errs := in.Validate(e); errs.Any() {
		return Wording{}, errs
	}
	return s.change(ctx, actor, editionID, in.Language, key, in.Version, &in)
}

// Reset returns email key in edition editionID to its default wording, with the same rule, version
// check and audit as Save. Resetting an email that uses its default changes nothing.
func (s *Service) Reset(ctx context.Context, actor authz.Actor, editionID int64, lang, key string, version int) (Wording, error) {
	if _, ok := Lookup(key); !ok {
		return Wording{}, db.ErrNotFound
	}
	return s.change(ctx, actor, editionID, lang, key, version, nil)
}

// change saves in (nil: resets) in one transaction with its audit entry.
func (s *Service) change(ctx context.Context, actor authz.Actor, editionID int64, lang, key string, version int, in *Input) (Wording, error) {
	lang = language(lang)
	var out Wording
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		// Lock the row (when there is one) so that the version check and the write are one step.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM email_wordings WHERE edition_id = $1 AND key = $2 AND language = $3 FOR UPDATE`, editionID, key, lang); err != nil {
			return fmt.Errorf("wording: lock: %w", err)
		}
		before, err := Load(ctx, tx, actor, editionID, lang, key)
		if err != nil {
			return err
		}
		if before.Version != version {
			out = before
			return ErrChanged
		}
		if in == nil && !before.Edited {
			out = before
			return nil
		}
		var subject, body *string
		action := "email-wording.reset"
		if in != nil {
			subject, body, action = &in.Subject, &in.Body, "email-wording.save"
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO email_wordings (edition_id, key, language, subject, body, updated_by, updated_at)
			SELECT @edition, @key, @lang, @subject, @body, @actor, @now WHERE `+managerFilter+`
			ON CONFLICT (edition_id, key, language) DO UPDATE SET subject = excluded.subject, body = excluded.body,
				version = email_wordings.version + 1, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			pgx.NamedArgs{"edition": editionID, "key": key, "lang": lang, "subject": subject, "body": body, "actor": actor.UserID, "now": s.now()})
		if err != nil {
			return fmt.Errorf("wording: save: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return authz.ErrForbidden
		}
		if out, err = Load(ctx, tx, actor, editionID, lang, key); err != nil {
			return err
		}
		bs, bb := before.Current()
		as, ab := out.Current()
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: action,
			ObjectType: "edition", ObjectID: strconv.FormatInt(editionID, 10),
			Details: map[string]any{"email": i18n.English(before.Default.Name), "key": key, "language": lang, "version": out.Version,
				"before": describe(before.Edited, bs, bb), "after": describe(out.Edited, as, ab)}})
	})
	return out, err
}

// describe shows a wording for the audit log: whether it is the default, its subject and body.
func describe(edited bool, subject, body string) string {
	state := "default"
	if edited {
		state = "edited"
	}
	return state + " wording. Subject: " + subject + ". Body: " + body
}

package account

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// EditionRegistration is an account's registration in one edition: the category it entered and
// the version of the terms and conditions accepted for that edition. An account (a person with
// its organisation profile) holds one per edition it entered (DOMAIN.md "Registration"; the prize
// recurs yearly).
type EditionRegistration struct {
	EditionID       int64
	CategoryID      int64
	TermsVersion    string
	TermsAcceptedAt time.Time
}

// Registrations returns the registrations of userID, the latest edition first (by year).
func Registrations(ctx context.Context, q db.DBTX, userID int64) ([]EditionRegistration, error) {
	return db.List(ctx, q, "account: registrations", pgx.RowToStructByPos[EditionRegistration], `
		SELECT r.edition_id, r.category_id, r.terms_version, r.terms_accepted_at
		FROM edition_registrations r JOIN editions e ON e.id = r.edition_id
		WHERE r.user_id = $1 ORDER BY e.year DESC, e.id DESC`, userID)
}

// EntryEdition returns the edition in which userID may start a new entry at now: the latest
// published edition (drafts are never offered) whose application period is open and in which the
// account has no registration yet; db.ErrNotFound when there is none.
func EntryEdition(ctx context.Context, q db.DBTX, userID int64, now time.Time) (*edition.Edition, error) {
	var id int64
	err := q.QueryRow(ctx, `
		SELECT e.id FROM editions e
		WHERE e.status = 'published' AND e.applications_open <= $2 AND $2 < e.application_deadline
		  AND NOT EXISTS (SELECT 1 FROM edition_registrations r WHERE r.user_id = $1 AND r.edition_id = e.id)
		ORDER BY e.year DESC, e.id DESC LIMIT 1`, userID, now).Scan(&id)
	if err = db.Found(err, "account: entry edition"); err != nil {
		return nil, err
	}
	return edition.ByID(ctx, q, id)
}

// EntryInput is the form that starts an entry in a new edition: the category chosen and the
// profile as corrected (pre-filled from the account), with the agreement to that edition's terms.
type EntryInput struct {
	CategoryKey  string
	Name         string
	Organisation string
	Phone        string
	City         string
	Country      string
	AcceptTerms  bool
	// Then, when set, runs in the transaction once the registration is recorded (the
	// secretariat's invitation the account came with is accepted with it).
	Then func(ctx context.Context, tx pgx.Tx, userID int64) error
}

// ErrAlreadyEntered refuses a second registration of an account in one edition (DOMAIN.md
// "Registration": one account holds one project application; per edition).
var ErrAlreadyEntered = fault.Wrap(fault.Conflict, "You already have an entry in this edition: open it from your dashboard.", db.ErrConflict)

// StartEntry registers the account of actor in edition e for a new entry (the prize recurs
// yearly; DOMAIN.md "Registration"): only a published edition, during its application period
// (ErrRegistrationClosed; a draft is db.ErrNotFound), once per edition (ErrAlreadyEntered). The
// category must be open to the account's entity type, as at registration, and the profile fields
// pass the registration's checks (field.Errors); the account's profile takes the corrections. The
// registration records the version of the terms accepted for e, the applicant (or nominator) role
// is granted in e, and it is audited, in one transaction. It returns the input as normalised.
func (s *Service) StartEntry(ctx context.Context, actor authz.Actor, e *edition.Edition, in EntryInput) (Registration, error) {
	u, err := ByID(ctx, s.Pool, actor.UserID)
	if err != nil {
		return Registration{}, err
	}
	reg, errs := registrationFrom(e, RegisterInput{CategoryKey: in.CategoryKey, Registration: Registration{
		EntityType: u.EntityType, LoginID: u.LoginID, Email: u.Email, Name: in.Name, Organisation: in.Organisation,
		Phone: in.Phone, City: in.City, Country: in.Country, AcceptTerms: in.AcceptTerms,
	}})
	// The login ID, password and email stay as they are: only the profile is checked.
	var profileErrs field.Errors
	for _, fe := range errs {
		if fe.Field != "login_id" && fe.Field != "password" && fe.Field != "email" {
			profileErrs.Add(fe.Field, fe.Message)
		}
	}
	errs = profileErrs
	if now := s.Now(); now.Before(e.Schedule.ApplicationsOpen) || !now.Before(e.Schedule.ApplicationDeadline) {
		return reg, ErrRegistrationClosed
	}
	if errs.Any() {
		return reg, errs
	}
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO edition_registrations (user_id, edition_id, category_id, terms_version, terms_accepted_at, created_at)
			SELECT $1, e.id, c.id, `+termsVersionOf("e.id", "$4::text")+`, $5, $5 FROM editions e JOIN categories c ON c.edition_id = e.id
			WHERE e.id = $2 AND c.id = $3 AND e.status = 'published'
			ON CONFLICT (user_id, edition_id) DO NOTHING`, u.ID, e.ID, reg.CategoryID, TermsVersion, s.Now())
		if err != nil {
			return fmt.Errorf("account: start entry: %w", err)
		}
		if tag.RowsAffected() == 0 {
			if _, err := RegistrationIn(ctx, tx, u.ID, e.ID); err == nil {
				return ErrAlreadyEntered
			}
			return db.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `
			UPDATE users SET name = $2, organisation = $3, phone = $4, city = $5, country = $6, updated_at = $7 WHERE id = $1`,
			u.ID, reg.Name, reg.Organisation, reg.Phone, reg.City, reg.Country, s.Now()); err != nil {
			return fmt.Errorf("account: start entry: profile: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO role_grants (user_id, role, edition_id, granted_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, role, coalesce(edition_id, 0)) DO NOTHING`, u.ID, string(reg.Role), e.ID, s.Now()); err != nil {
			return fmt.Errorf("account: start entry: grant %s: %w", reg.Role, err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, Action: "account.start_entry", ObjectType: "user",
			ObjectID: fmt.Sprint(u.ID), Details: map[string]any{"edition": e.Slug, "category": in.CategoryKey, "terms_version": TermsVersion}}); err != nil {
			return err
		}
		if in.Then != nil {
			return in.Then(ctx, tx, u.ID)
		}
		return nil
	})
	return reg, err
}

// RegistrationIn returns the registration of userID in editionID; db.ErrNotFound when none.
func RegistrationIn(ctx context.Context, q db.DBTX, userID, editionID int64) (EditionRegistration, error) {
	var r EditionRegistration
	err := q.QueryRow(ctx, `
		SELECT edition_id, category_id, terms_version, terms_accepted_at
		FROM edition_registrations WHERE user_id = $1 AND edition_id = $2`, userID, editionID).
		Scan(&r.EditionID, &r.CategoryID, &r.TermsVersion, &r.TermsAcceptedAt)
	return db.One(r, err, "account: registration")
}

// NewEntry is what the form that starts a new entry shows: the edition open to the account and
// the account, whose profile pre-fills the form.
type NewEntry struct {
	Edition *edition.Edition
	User    User
}

// NewEntry loads the edition in which actor may start an entry now (EntryEdition: published,
// open, not entered yet; db.ErrNotFound when none) with actor's account.
func (s *Service) NewEntry(ctx context.Context, actor authz.Actor) (NewEntry, error) {
	u, err := ByID(ctx, s.Pool, actor.UserID)
	if err != nil {
		return NewEntry{}, err
	}
	e, err := EntryEdition(ctx, s.Pool, actor.UserID, s.Now())
	if err != nil {
		return NewEntry{}, err
	}
	return NewEntry{Edition: e, User: u}, nil
}

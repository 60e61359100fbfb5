package account

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// TermsVersion is the version of the terms and conditions a registrant agrees to (collection of
// the registration data and publication of non-confidential application material, guidelines
// section 11). Change it whenever the terms text changes.
const TermsVersion = "2023-1"

// termsVersionOf is the SQL of the version of the terms a registration in the edition whose id is
// the parameter edition accepts: the edition's latest text ("seoul-2024/2", edition.TermsLabel),
// or the default terms' version, the parameter def.
func termsVersionOf(edition, def string) string {
	return `coalesce((SELECT e.slug || '/' || t.version FROM edition_terms t JOIN editions e ON e.id = t.edition_id
		WHERE t.edition_id = ` + edition + ` ORDER BY t.version DESC LIMIT 1), ` + def + `)`
}

// Registration is what the registration form collects (guidelines section 6, step 1). The
// entity type and category have been checked against the edition by the caller.
type Registration struct {
	EditionID    int64
	CategoryID   int64
	EntityType   string
	Role         authz.Role // applicant (project categories) or nominator (Leadership)
	LoginID      string
	Password     string
	Name         string
	Organisation string
	Email        string
	Phone        string
	City         string
	Country      string
	AcceptTerms  bool
}

var loginIDPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{2,63}$`)

// Normalize trims the text fields.
func (r *Registration) Normalize() {
	for _, p := range []*string{&r.LoginID, &r.Name, &r.Organisation, &r.Email, &r.Phone, &r.City, &r.Country} {
		*p = strings.TrimSpace(*p)
	}
	r.Country = strings.ToUpper(r.Country)
}

// Validate checks the personal fields; problems are keyed by form field name.
func (r *Registration) Validate() field.Errors {
	var errs field.Errors
	if !loginIDPattern.MatchString(r.LoginID) {
		errs.Add("login_id", "Choose a login ID of 3 to 64 letters, digits, dots, hyphens or underscores, starting with a letter or digit.")
	} else if strings.Contains(r.LoginID, "@") {
		errs.Add("login_id", "A login ID cannot contain @.")
	}
	if msg := ValidatePassword(r.Password, r.LoginID, r.Email, r.Name); msg != "" {
		errs.Add("password", msg)
	}
	checkName(&errs, r.Name, i18n.M("Enter your name."))
	if r.Organisation == "" && r.Role != authz.RoleNominator {
		errs.Add("organisation", "Enter the name of your city, company or institution.")
	} else if len(r.Organisation) > 300 {
		errs.Add("organisation", "Use at most 300 characters.")
	}
	if !ValidEmail(r.Email) {
		errs.Add("email", "Enter an email address like name@example.org.")
	}
	if !validPhone(r.Phone) {
		errs.Add("phone", "Enter a phone number with its country code, like +82 2 123 4567.")
	}
	if r.City == "" {
		errs.Add("city", "Enter your city.")
	} else if len(r.City) > 200 {
		errs.Add("city", "Use at most 200 characters.")
	}
	if !country.Valid(r.Country) {
		errs.Add("country", "Choose your country.")
	}
	if !r.AcceptTerms {
		errs.Add("terms", "You must agree to the terms and conditions to register.")
	}
	return errs
}

// ValidEmail reports whether s is a plain email address (no display name).
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254 && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

var phonePattern = regexp.MustCompile(`^\+?[0-9 ()./-]{6,30}$`)

func validPhone(s string) bool {
	digits := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	return phonePattern.MatchString(s) && digits >= 6 && digits <= 15
}

// Registered is the outcome of Register: the new account, or the account that already holds the
// email address.
type Registered struct {
	// UserID is the new account (0 when none was made).
	UserID int64
	// Existing is the account that already uses the email address (nil when an account was
	// made). Nothing was created: the caller answers exactly as for a new account, so that the
	// answer never tells whether an address is registered, and tells Existing's owner by email.
	Existing *User
}

// errLoginTaken is the field error of a login ID already in use. Login IDs must be unique, so
// the registrant is told to choose another; attempts are limited per address by the caller.
func errLoginTaken() field.Errors {
	var errs field.Errors
	errs.Add("login_id", "This login ID is already taken. Choose another.")
	return errs
}

// Register creates the account and grants its role in the edition, in tx. A taken login ID is a
// field error that says only that (it never reveals the other account); an email address that
// already has an account makes no account and returns that account as Existing, after the same
// work (the password is hashed all the same), so the answer takes as long.
func Register(ctx context.Context, tx pgx.Tx, r Registration, params HashParams, now time.Time) (Registered, error) {
	r.Normalize()
	if errs := r.Validate(); errs.Any() {
		return Registered{}, errs
	}
	var loginTaken bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE lower(login_id) = lower($1) OR lower(email) = lower($1))`,
		r.LoginID).Scan(&loginTaken); err != nil {
		return Registered{}, fmt.Errorf("account: register: %w", err)
	}
	if loginTaken {
		return Registered{}, errLoginTaken()
	}
	hash, err := HashPassword(r.Password, params)
	if err != nil {
		return Registered{}, err
	}
	existing, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users
		WHERE lower(email) = lower($1) OR lower(login_id) = lower($1) ORDER BY deactivated_at IS NULL DESC, id LIMIT 1`, r.Email))
	if err == nil {
		return Registered{Existing: &existing}, nil
	}
	if !errors.Is(err, db.ErrNotFound) {
		return Registered{}, fmt.Errorf("account: register: %w", err)
	}
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO users (login_id, email, name, password_hash, entity_type, organisation, phone, city, country,
		                   edition_id, category_id, terms_version, terms_accepted_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, `+termsVersionOf("$10", "$12")+`, $13, $13, $13)
		RETURNING id`,
		r.LoginID, r.Email, r.Name, hash, r.EntityType, r.Organisation, r.Phone, r.City, r.Country,
		r.EditionID, r.CategoryID, TermsVersion, now).Scan(&id)
	if db.IsUniqueViolation(err) {
		// A concurrent registration took the login ID (or the email) between the check and the insert.
		return Registered{}, errLoginTaken()
	}
	if err != nil {
		return Registered{}, fmt.Errorf("account: register: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, $2, $3)`, id, string(r.Role), r.EditionID); err != nil {
		return Registered{}, fmt.Errorf("account: register: grant %s: %w", r.Role, err)
	}
	return Registered{UserID: id}, nil
}

// checkName adds to errs why name cannot be a person's name: it is empty (missing says what to
// do), field.NameProblem finds a problem in it, or it is longer than 200 characters.
func checkName(errs *field.Errors, name, missing string) {
	if name == "" {
		errs.Add("name", missing)
	} else if msg := field.NameProblem(name); msg != "" {
		errs.Add("name", msg)
	} else if len(name) > 200 {
		errs.Add("name", "Use at most 200 characters.")
	}
}

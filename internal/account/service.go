package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/i18n"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/keyring"
	"prizeportal/internal/blocks/throttle"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// Token lifetimes of the links sent by email.
const (
	VerifyTTL = 48 * time.Hour
	ResetTTL  = time.Hour
)

// Service holds the use cases of accounts: registration, email confirmation, passwords,
// two-factor sign-in and the administration of users. Each method opens its transaction, checks
// the rules, writes the audit entry and queues the email. The client's address comes from the
// context (audit.WithIP).
type Service struct {
	usecase.Deps
	hash HashParams
	keys *keyring.Keyring
}

// NewService is the account service on pool, queueing emails in outbox with links under site.
// hash are the argon2id costs of new passwords (zero: DefaultHashParams); keys seal the TOTP
// secrets.
func NewService(pool *pgxpool.Pool, outbox *notify.Outbox, site emails.Site, now func() time.Time, hash HashParams, keys *keyring.Keyring) *Service {
	if hash == (HashParams{}) {
		hash = DefaultHashParams
	}
	return &Service{Deps: usecase.New(pool, outbox, site, now), hash: hash, keys: keys}
}

// userEdition is the latest edition u registered for, or the current one.
func (s *Service) userEdition(ctx context.Context, u User) (*edition.Edition, error) {
	regs, err := Registrations(ctx, s.Pool, u.ID)
	if err != nil {
		return nil, err
	}
	if len(regs) > 0 {
		return edition.ByID(ctx, s.Pool, regs[0].EditionID)
	}
	return edition.Current(ctx, s.Pool)
}

// --- registration (DOMAIN.md, "Registration")

// RegisterInput is a registration as posted: the account's details and the key of the category
// chosen in edition Edition.
type RegisterInput struct {
	Registration
	CategoryKey string
	// Then, when set, runs in the registration's transaction once a new account exists (the
	// secretariat's invitation the registrant came with is accepted with it).
	Then func(ctx context.Context, tx pgx.Tx, userID int64) error
}

// ErrRegistrationClosed refuses a registration outside the edition's application period (DOMAIN.md,
// "Schedule": registration opens with applications and closes at the application deadline).
var ErrRegistrationClosed = fault.New(fault.Forbidden, "Registration for this edition is closed: it is open from the opening of applications until the application deadline.")

// Register registers an account in edition e (DOMAIN.md, "Registration"), during its application
// period (ErrRegistrationClosed). Every attempt of the
// client's address counts against throttle.Register, checked and counted in one step before the
// form is checked and the password hashed (*ThrottledError when refused). The entity type and
// category are checked against the edition (City, Company and Institution apply to the project
// categories, Individuals to Leadership) with the personal fields (field.Errors). An address that
// already has an account makes none: its owner is told by email instead, and the answer is the
// same, so registering never tells whether an address is known. It returns the registration
// as normalised.
func (s *Service) Register(ctx context.Context, e *edition.Edition, in RegisterInput) (Registration, error) {
	if now := s.Now(); now.Before(e.Schedule.ApplicationsOpen) || !now.Before(e.Schedule.ApplicationDeadline) {
		return in.Registration, ErrRegistrationClosed
	}
	if _, wait, err := throttle.Take(ctx, s.Pool, s.Now(), throttle.Limit{Policy: throttle.Register, Key: audit.IPFrom(ctx)}); err != nil {
		return in.Registration, err
	} else if wait > 0 {
		return in.Registration, throttled(&ThrottledError{Wait: wait}, i18n.M("Too many registration attempts came from your network. Please try again {{.When}}: what you typed is kept."))
	}
	reg, errs := registrationFrom(e, in)
	if errs.Any() {
		return reg, errs
	}
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		res, err := Register(ctx, tx, reg, s.hash, s.Now())
		if err != nil {
			return err
		}
		if res.Existing != nil {
			return s.registeredAgain(ctx, tx, e, *res.Existing)
		}
		id := res.UserID
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: id, Action: "account.register", ObjectType: "user",
			ObjectID: fmt.Sprint(id), Details: map[string]any{"edition": e.Slug, "entity_type": reg.EntityType, "category": in.CategoryKey}}); err != nil {
			return err
		}
		if in.Then != nil {
			if err := in.Then(ctx, tx, id); err != nil {
				return err
			}
		}
		return s.sendVerification(ctx, tx, e, id, reg.Email, reg.Name)
	})
	return reg, err
}

// registeredAgain handles a registration with the email address of an existing account u: no
// account is made; the owner is told by email (at most throttle.RegisterNotice times a day, so
// the form cannot flood their mailbox) with links to sign in and to reset the password.
func (s *Service) registeredAgain(ctx context.Context, tx pgx.Tx, e *edition.Edition, u User) error {
	if err := audit.Record(ctx, tx, audit.Entry{ActorLabel: "anonymous", Action: "account.register_existing_email", ObjectType: "user",
		ObjectID: fmt.Sprint(u.ID)}); err != nil {
		return err
	}
	if u.DeactivatedAt != nil {
		return nil
	}
	_, wait, err := throttle.Take(ctx, tx, s.Now(), throttle.Limit{Policy: throttle.RegisterNotice, Key: fmt.Sprint("user:", u.ID)})
	if err != nil || wait > 0 {
		return err
	}
	_, err = s.Outbox.Queue(ctx, tx, registeredAgainEmail(s.Site, e, u))
	return err
}

// registrationFrom checks the entity type and category against the edition (DOMAIN.md,
// "Registration": City, Company and Institution apply to the project categories, Individuals to
// Leadership) and the personal fields.
func registrationFrom(e *edition.Edition, in RegisterInput) (Registration, field.Errors) {
	reg := in.Registration
	reg.EditionID, reg.CategoryID, reg.Role = e.ID, 0, ""
	var errs field.Errors
	if _, ok := e.EntityType(reg.EntityType); !ok {
		errs.Add("entity_type", "Choose what kind of entity you register.")
	}
	c, ok := e.Category(in.CategoryKey)
	switch {
	case !ok:
		errs.Add("category", "Choose the category you apply to.")
	case !c.Eligible(reg.EntityType):
		et, _ := e.EntityType(reg.EntityType)
		name := reg.EntityType
		if et != nil {
			name = et.Name
		}
		errs.Add("category", fmt.Sprintf("%s cannot be entered by a %s. Choose one of the categories offered.", c.Name, name))
	default:
		reg.CategoryID = c.ID
		reg.Role = authz.RoleApplicant
		if c.Kind == edition.KindLeadership {
			reg.Role = authz.RoleNominator
		}
	}
	reg.Normalize()
	for _, fe := range reg.Validate() {
		if fe.Field == "organisation" && reg.Role == "" {
			continue
		}
		errs.Add(fe.Field, fe.Message)
	}
	return reg, errs
}

// --- email confirmation

// sendVerification queues, in tx, the link that confirms userID's address.
func (s *Service) sendVerification(ctx context.Context, tx pgx.Tx, e *edition.Edition, userID int64, email, name string) error {
	token, err := NewToken(ctx, tx, userID, PurposeVerifyEmail, VerifyTTL, s.Now())
	if err != nil {
		return err
	}
	_, err = s.Outbox.Queue(ctx, tx, verifyEmail(s.Site, e, name, email, s.Site.URL("/verify/"+token), userID))
	return err
}

// VerifyEmail confirms the address of the account the link token was sent to; the link works
// once. It returns the account, or ErrTokenInvalid for an unknown, used or expired link.
func (s *Service) VerifyEmail(ctx context.Context, token string) (int64, error) {
	var id int64
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) (err error) {
		if id, err = UseToken(ctx, tx, PurposeVerifyEmail, token, s.Now()); err != nil {
			return err
		}
		if err := MarkEmailVerified(ctx, tx, id, s.Now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: id, Action: "account.email_verified", ObjectType: "user", ObjectID: fmt.Sprint(id)})
	})
	return id, err
}

// Resent is the outcome of ResendVerification.
type Resent struct {
	// AlreadyVerified: the address was confirmed already; nothing was sent.
	AlreadyVerified bool
	// Wait is set when too many links were sent lately (throttle.ResetRequest); nothing was sent.
	Wait time.Duration
	// Email is the address the new link went to.
	Email string
}

// ResendVerification sends userID a new link to confirm their address, at most as often as
// throttle.ResetRequest allows per account.
func (s *Service) ResendVerification(ctx context.Context, userID int64) (Resent, error) {
	u, err := ByID(ctx, s.Pool, userID)
	if err != nil {
		return Resent{}, err
	}
	if u.EmailVerifiedAt != nil {
		return Resent{AlreadyVerified: true, Email: u.Email}, nil
	}
	if _, wait, err := throttle.Take(ctx, s.Pool, s.Now(), throttle.Limit{Policy: throttle.ResetRequest, Key: fmt.Sprint("verify:", u.ID)}); err != nil {
		return Resent{}, err
	} else if wait > 0 {
		return Resent{Wait: wait, Email: u.Email}, nil
	}
	e, err := s.userEdition(ctx, u)
	if err != nil {
		return Resent{}, err
	}
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		return s.sendVerification(ctx, tx, e, u.ID, u.Email, u.Name)
	})
	return Resent{Email: u.Email}, err
}

// --- signing in and out, passwords

// SignIn checks a login and password under the abuse limits (see the function SignIn). A missing
// login or password is field.Errors, not an attempt.
func (s *Service) SignIn(ctx context.Context, login, password string) (User, int, error) {
	var errs field.Errors
	if strings.TrimSpace(login) == "" {
		errs.Add("login", i18n.M("Enter your login ID or email."))
	}
	if password == "" {
		errs.Add("password", "Enter your password.")
	}
	if errs.Any() {
		return User{}, 0, errs
	}
	u, epoch, err := SignIn(ctx, s.Pool, login, password, audit.IPFrom(ctx), s.Now())
	return u, epoch, throttled(err, i18n.M("Too many unsuccessful attempts. Please try again {{.When}}, or reset your password."))
}

// SignedOut records that actor signed out (nothing for an anonymous visitor).
func (s *Service) SignedOut(ctx context.Context, actor authz.Actor) error {
	if actor.Anonymous() {
		return nil
	}
	return audit.Record(ctx, s.Pool, audit.Entry{ActorID: actor.UserID, Action: "account.signout", ObjectType: "user", ObjectID: fmt.Sprint(actor.UserID)})
}

// RequestReset sends a link to choose a new password to the account login (login ID or email)
// names. Requests of the client's address are limited by throttle.ResetRequest, checked and
// counted in one step (*ThrottledError when refused). The outcome is the same whether or not an
// account matched, so the answer never tells whether a login is known; both are in the audit log.
// A missing login is field.Errors, not a request.
func (s *Service) RequestReset(ctx context.Context, login string) error {
	if strings.TrimSpace(login) == "" {
		return field.Errors{{Field: "login", Message: i18n.M("Enter your login ID or email.")}}
	}
	now := s.Now()
	if _, wait, err := throttle.Take(ctx, s.Pool, now, throttle.Limit{Policy: throttle.ResetRequest, Key: audit.IPFrom(ctx)}); err != nil {
		return err
	} else if wait > 0 {
		return throttled(&ThrottledError{Wait: wait}, i18n.M("Too many reset requests came from your network. Please try again {{.When}}."))
	}
	// The account and its edition are read before the transaction: a read through the pool
	// inside it would hold two connections per request, and parallel requests could take the
	// whole pool and wait for each other.
	u, err := ByLogin(ctx, s.Pool, login)
	found := err == nil
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return err
	}
	var e *edition.Edition
	if found {
		if e, err = s.userEdition(ctx, u); err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if !found {
			return audit.Record(ctx, tx, audit.Entry{ActorLabel: truncate(strings.TrimSpace(login), 100), Action: "account.reset_requested_unknown"})
		}
		token, err := NewToken(ctx, tx, u.ID, PurposeResetPassword, ResetTTL, now)
		if err != nil {
			return err
		}
		if _, err := s.Outbox.Queue(ctx, tx, resetEmail(s.Site, e, u, s.Site.URL("/password/reset/"+token))); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, Action: "account.reset_requested", ObjectType: "user", ObjectID: fmt.Sprint(u.ID)})
	})
}

// ResetPassword sets a new password through the emailed link token, which works once. The
// password must pass ValidatePassword (field.Errors on "password"). The reset raises the session
// epoch, so every session of the user ends; receiving the link proves the address; the account's
// failed sign-ins are forgotten. An unknown, used or expired link gives ErrTokenInvalid.
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	userID, err := PeekToken(ctx, s.Pool, PurposeResetPassword, token, s.Now())
	if err != nil {
		return err
	}
	u, err := ByID(ctx, s.Pool, userID)
	if err != nil {
		return err
	}
	if msg := ValidatePassword(password, u.LoginID, u.Email, u.Name); msg != "" {
		return field.Errors{{Field: "password", Message: msg}}
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := UseToken(ctx, tx, PurposeResetPassword, token, s.Now()); err != nil {
			return err
		}
		if _, err := SetPassword(ctx, tx, userID, password, s.hash, s.Now()); err != nil {
			return err
		}
		if err := MarkEmailVerified(ctx, tx, userID, s.Now()); err != nil {
			return err
		}
		if err := throttle.Clear(ctx, tx, throttle.SignInAccount, LimitKey(userID)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: userID, Action: "account.password_reset", ObjectType: "user", ObjectID: fmt.Sprint(userID)})
	})
}

// ChangePassword replaces userID's password after checking the current one under the abuse
// limits (*ThrottledError when refused unchecked). A wrong current password, a new one that
// fails ValidatePassword or equals the current one give field.Errors ("current", "password").
// The change raises the session epoch (every other session ends), clears a one-time password's
// obligation, and returns the new epoch for the session that made it.
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, password string) (int, error) {
	u, err := ByID(ctx, s.Pool, userID)
	if err != nil {
		return 0, err
	}
	var errs field.Errors
	err = CheckCurrentPassword(ctx, s.Pool, u.ID, current, audit.IPFrom(ctx), s.Now())
	if _, ok := errors.AsType[*ThrottledError](err); ok {
		return 0, throttled(err, i18n.M("Too many wrong passwords. For your security, try again {{.When}}, or sign out and reset your password."))
	}
	if errors.Is(err, ErrBadCredentials) {
		errs.Add("current", "Your current password is not right.")
	} else if err != nil {
		return 0, err
	}
	if msg := ValidatePassword(password, u.LoginID, u.Email, u.Name); msg != "" {
		errs.Add("password", msg)
	} else if password == current {
		errs.Add("password", "Choose a password different from the current one.")
	}
	if errs.Any() {
		return 0, errs
	}
	var epoch int
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if epoch, err = SetPassword(ctx, tx, u.ID, password, s.hash, s.Now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: u.ID, Action: "account.password_changed", ObjectType: "user", ObjectID: fmt.Sprint(u.ID)})
	})
	return epoch, err
}

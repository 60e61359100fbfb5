package account

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// InviteTTL is how long an invitation link stays valid.
const InviteTTL = 7 * 24 * time.Hour

// UnusablePasswordHash returns a well-formed argon2id hash (with the default cost, so checking it
// takes as long as checking a real one) whose key is random: no password matches it. Accounts
// created by an invitation, and erased accounts, get one.
func UnusablePasswordHash() string {
	salt, key := make([]byte, saltLen), make([]byte, keyLen)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails (Go 1.24+)
	_, _ = rand.Read(key)
	p := DefaultHashParams
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.Memory, p.Time, p.Threads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// escapeLike escapes the LIKE wildcards of s (with the default escape character, backslash).
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// --- Invitations

// Invitation is an admin's invitation of a person into staff roles.
type Invitation struct {
	Email     string
	Name      string
	Roles     []authz.Role
	EditionID int64 // the edition of the per-edition roles; 0 when only admin is granted
}

// Validate checks the invitation; problems are keyed by form field name (email, name, roles,
// edition).
func (inv *Invitation) Validate() field.Errors {
	inv.Email = strings.TrimSpace(inv.Email)
	inv.Name = strings.TrimSpace(inv.Name)
	var errs field.Errors
	if !ValidEmail(inv.Email) {
		errs.Add("email", "Enter an email address like name@example.org.")
	}
	checkName(&errs, inv.Name, i18n.M("Enter the person's name, as the invitation should address them."))
	if len(inv.Roles) == 0 {
		errs.Add("roles", "Choose at least one role.")
	}
	perEdition := false
	for _, r := range inv.Roles {
		if !slices.Contains(StaffRoles, r) {
			errs.Add("roles", "Choose staff roles only: applicants and nominators register themselves.")
		}
		if r != authz.RoleAdmin {
			perEdition = true
		}
	}
	if perEdition && inv.EditionID == 0 {
		errs.Add("edition", "Choose the edition these roles are for.")
	}
	return errs
}

// InviteResult says what Invite did.
type InviteResult struct {
	UserID  int64
	Email   string
	Name    string
	Created bool // a new account was made
	// Token is the plaintext of the invitation link (/invite/{token}) for an account that has no
	// password yet; "" for an active account, which signs in as usual.
	Token string
	// Granted are the roles newly granted (roles already held are left as they are).
	Granted []authz.Role
}

// Invite invites inv.Email into inv.Roles, in tx: it creates an account without a usable password
// when the email is new (login ID = email), or adds the roles to the existing account. An account
// that has not accepted an earlier invitation gets a new link (the old one stops working). The
// caller queues the email in the same tx. Invalid input, a deactivated account or an edition that
// already has a committee head give field.Errors.
func Invite(ctx context.Context, tx pgx.Tx, inv Invitation, by By, now time.Time) (InviteResult, error) {
	if errs := inv.Validate(); errs.Any() {
		return InviteResult{}, errs
	}
	res, err := invite(ctx, tx, inv, by, now)
	if err != nil {
		var fe field.Errors
		if errors.As(err, &fe) {
			return InviteResult{}, fe
		}
		return InviteResult{}, fmt.Errorf("account: invite: %w", err)
	}
	return res, nil
}

func invite(ctx context.Context, tx pgx.Tx, inv Invitation, by By, now time.Time) (InviteResult, error) {
	res := InviteResult{Email: inv.Email, Name: inv.Name}
	var (
		pending     bool
		deactivated bool
	)
	err := tx.QueryRow(ctx, `
		SELECT id, email, name, invitation_pending, deactivated_at IS NOT NULL FROM users
		WHERE lower(email) = lower($1) FOR UPDATE`, inv.Email).Scan(&res.UserID, &res.Email, &res.Name, &pending, &deactivated)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		err = tx.QueryRow(ctx, `
			INSERT INTO users (login_id, email, name, password_hash, invitation_pending, created_at, updated_at)
			VALUES ($1, $1, $2, $3, true, $4, $4) RETURNING id`,
			inv.Email, inv.Name, UnusablePasswordHash(), now).Scan(&res.UserID)
		if db.IsUniqueViolation(err) {
			// Another account uses the address as its login ID, or was created with it just now.
			return res, field.Errors{{Field: "email", Message: i18n.M("This address is in use as another account's login ID. Send the invitation again, or use another address.")}}
		}
		if err != nil {
			return res, err
		}
		res.Created, pending = true, true
	case err != nil:
		return res, err
	case deactivated:
		return res, field.Errors{{Field: "email", Message: i18n.M("This address belongs to a deactivated account. Reactivate the account on its page first, then invite it again.")}}
	}
	if pending && !res.Created && res.Name != inv.Name {
		// The invitee has not accepted yet: the newest invitation names them.
		if _, err := tx.Exec(ctx, `UPDATE users SET name = $2, updated_at = $3 WHERE id = $1`, res.UserID, inv.Name, now); err != nil {
			return res, err
		}
		res.Name = inv.Name
	}
	for _, r := range inv.Roles {
		edition := inv.EditionID
		if r == authz.RoleAdmin {
			edition = 0
		}
		err := GrantRole(ctx, tx, res.UserID, r, edition, by, now)
		switch {
		case errors.Is(err, ErrRoleHeld):
		case errors.Is(err, ErrHeadTaken):
			return res, field.Errors{{Field: "roles", Message: i18n.M("This edition already has a head of the Evaluation Committee. Revoke that role first, or leave it out.")}}
		case err != nil:
			return res, err
		default:
			res.Granted = append(res.Granted, r)
		}
	}
	if pending {
		res.Token, err = NewToken(ctx, tx, res.UserID, PurposeInvite, InviteTTL, now)
		if err != nil {
			return res, err
		}
	}
	roles := make([]string, len(inv.Roles))
	for i, r := range inv.Roles {
		roles[i] = string(r)
	}
	details := map[string]any{"roles": roles, "new_account": res.Created}
	if inv.EditionID != 0 {
		details["edition_id"] = inv.EditionID
	}
	err = audit.Record(ctx, tx, audit.Entry{
		ActorID: by.UserID, ActorLabel: by.Label, Action: "account.invite",
		ObjectType: "user", ObjectID: userObject(res.UserID), IP: by.IP, Details: details,
	})
	return res, err
}

// Invitee is the account an invitation link is for.
type Invitee struct {
	UserID int64
	Name   string
	Email  string
	// Roles are the roles the account holds (LoadInvitee only).
	Roles []GrantRecord
}

// InviteeByToken returns the account a valid invitation token is for, to show the acceptance
// form. An unknown, used or expired token, or a deactivated account, gives ErrTokenInvalid.
func InviteeByToken(ctx context.Context, q db.DBTX, token string, now time.Time) (Invitee, error) {
	userID, err := PeekToken(ctx, q, PurposeInvite, token, now)
	if err != nil {
		return Invitee{}, err
	}
	inv := Invitee{UserID: userID}
	err = q.QueryRow(ctx, `SELECT name, email FROM users WHERE id = $1 AND deactivated_at IS NULL`, userID).Scan(&inv.Name, &inv.Email)
	if errors.Is(err, pgx.ErrNoRows) {
		return Invitee{}, ErrTokenInvalid
	}
	if err != nil {
		return Invitee{}, fmt.Errorf("account: invitee: %w", err)
	}
	return inv, nil
}

// Acceptance is what the invitee enters on the invitation page.
type Acceptance struct {
	Name     string
	Password string
	Repeat   string
}

// AcceptInvite consumes an invitation token, in tx: it sets the invitee's name and password, and
// records that they own their email address (the link reached them). It returns the user and
// their session epoch for the sign-in that follows. Invalid input gives field.Errors (name,
// password, repeat); an unknown, used or expired token, or a deactivated account, ErrTokenInvalid.
func AcceptInvite(ctx context.Context, tx pgx.Tx, token string, a Acceptance, params HashParams, ip string, now time.Time) (int64, int, error) {
	a.Name = strings.TrimSpace(a.Name)
	invitee, err := InviteeByToken(ctx, tx, token, now)
	if err != nil {
		return 0, 0, err
	}
	email := invitee.Email
	var errs field.Errors
	checkName(&errs, a.Name, i18n.M("Enter your name."))
	if msg := ValidatePassword(a.Password, email, a.Name); msg != "" {
		errs.Add("password", msg)
	} else if a.Repeat != a.Password {
		errs.Add("repeat", "The two passwords are not the same. Enter the same password twice.")
	}
	if errs.Any() {
		return 0, 0, errs
	}
	userID, err := UseToken(ctx, tx, PurposeInvite, token, now)
	if err != nil {
		return 0, 0, err
	}
	hash, err := HashPassword(a.Password, params)
	if err != nil {
		return 0, 0, err
	}
	var epoch int
	err = tx.QueryRow(ctx, `
		UPDATE users SET name = $2, password_hash = $3, must_change_password = false, invitation_pending = false,
		       email_verified_at = coalesce(email_verified_at, $4), updated_at = $4
		WHERE id = $1 AND deactivated_at IS NULL
		RETURNING session_epoch`, userID, a.Name, hash, now).Scan(&epoch)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, ErrTokenInvalid
	}
	if err != nil {
		return 0, 0, fmt.Errorf("account: accept invitation: %w", err)
	}
	err = audit.Record(ctx, tx, audit.Entry{
		ActorID: userID, Action: "account.invite_accept",
		ObjectType: "user", ObjectID: userObject(userID), IP: ip,
	})
	if err != nil {
		return 0, 0, fmt.Errorf("account: accept invitation: %w", err)
	}
	return userID, epoch, nil
}

// --- Users

// UsersPerPage is the length of a page of the users list.
const UsersPerPage = 50

// Account states a users list can be filtered by.
const (
	StatusActive      = "active"
	StatusDeactivated = "deactivated"
	StatusInvited     = "invited"
)

// UserFilter selects users for the admin list. Query matches name, login ID, email and
// organisation (case-insensitive, anywhere); Role and EditionID match a role held now; Status is
// "" or one of the Status constants; Page counts from 1.
type UserFilter struct {
	Query     string
	Role      authz.Role
	EditionID int64
	Status    string
	Page      int
}

// RoleHeld is a role a user holds now, with its edition.
type RoleHeld struct {
	Role        authz.Role `json:"role"`
	EditionID   int64      `json:"edition_id"`
	EditionName string     `json:"edition"`
}

// UserSummary is one line of the users list.
type UserSummary struct {
	ID                int64      `db:"id"`
	LoginID           string     `db:"login_id"`
	Email             string     `db:"email"`
	Name              string     `db:"name"`
	Organisation      string     `db:"organisation"`
	Roles             []RoleHeld `db:"roles"`
	CreatedAt         time.Time  `db:"created_at"`
	LastSignInAt      *time.Time `db:"last_sign_in_at"`
	DeactivatedAt     *time.Time `db:"deactivated_at"`
	ErasedAt          *time.Time `db:"erased_at"`
	InvitationPending bool       `db:"invitation_pending"`
}

// UserList is one page of users and how many match in all.
type UserList struct {
	Users []UserSummary
	Total int
	Page  int
	Pages int
}

// ListUsers returns the page f.Page of the users matching f, by name then id.
func ListUsers(ctx context.Context, q db.DBTX, f UserFilter) (UserList, error) {
	where, args := []string{"true"}, pgx.NamedArgs{}
	if s := strings.TrimSpace(f.Query); s != "" {
		args["q"] = "%" + escapeLike(s) + "%"
		where = append(where, `(u.name ILIKE @q OR u.login_id ILIKE @q OR u.email ILIKE @q OR u.organisation ILIKE @q)`)
	}
	if f.Role != "" || f.EditionID != 0 {
		args["role"], args["edition"] = string(f.Role), f.EditionID
		where = append(where, `EXISTS (SELECT 1 FROM role_grants fg WHERE fg.user_id = u.id
			AND (@role = '' OR fg.role = @role) AND (@edition::bigint = 0 OR fg.edition_id = @edition))`)
	}
	switch f.Status {
	case StatusActive:
		where = append(where, `u.deactivated_at IS NULL AND NOT u.invitation_pending`)
	case StatusDeactivated:
		where = append(where, `u.deactivated_at IS NOT NULL`)
	case StatusInvited:
		where = append(where, `u.invitation_pending AND u.deactivated_at IS NULL`)
	}
	cond := strings.Join(where, " AND ")
	out := UserList{Page: max(f.Page, 1)}
	if err := q.QueryRow(ctx, `SELECT count(*) FROM users u WHERE `+cond, args).Scan(&out.Total); err != nil {
		return UserList{}, fmt.Errorf("account: list users: %w", err)
	}
	out.Pages = db.PageCount(out.Total, UsersPerPage)
	args["limit"], args["offset"] = UsersPerPage, (out.Page-1)*UsersPerPage
	var err error
	out.Users, err = db.List(ctx, q, "account: list users", pgx.RowToStructByName[UserSummary], `
		SELECT u.id, u.login_id, u.email, u.name, u.organisation, u.created_at, u.last_sign_in_at,
		       u.deactivated_at, u.erased_at, u.invitation_pending,
		       coalesce((SELECT jsonb_agg(jsonb_build_object('role', g.role, 'edition_id', coalesce(g.edition_id, 0),
		                                                     'edition', coalesce(e.name, ''))
		                                  ORDER BY e.year DESC NULLS FIRST, g.role)
		                 FROM role_grants g LEFT JOIN editions e ON e.id = g.edition_id
		                 WHERE g.user_id = u.id), '[]') AS roles
		FROM users u WHERE `+cond+`
		ORDER BY lower(u.name), u.id
		LIMIT @limit OFFSET @offset`, args)
	if err != nil {
		return UserList{}, err
	}
	return out, nil
}

// Profile is everything the portal holds on an account itself, as an admin or the user sees it.
type Profile struct {
	User
	EditionName       string
	CategoryName      string
	InvitationPending bool
	ErasedAt          *time.Time
	TwoFactorEnabled  bool
	// Registrations are the account's registrations, one per edition it entered, the latest
	// edition first (the first registration, EditionName and CategoryName, among them).
	Registrations []ProfileRegistration
}

// ProfileRegistration is a registration of an account in one edition, as people read it.
type ProfileRegistration struct {
	Edition         string    `json:"edition"`
	Category        string    `json:"category"`
	TermsVersion    string    `json:"terms_version"`
	TermsAcceptedAt time.Time `json:"terms_accepted_at"`
}

// LoadProfile returns the account of userID (db.ErrNotFound when there is none).
func LoadProfile(ctx context.Context, q db.DBTX, userID int64) (Profile, error) {
	var p Profile
	u := &p.User
	err := q.QueryRow(ctx, `
		SELECT u.id, u.login_id, u.email, u.name, u.entity_type, u.organisation, u.phone, u.city, u.country,
		       u.edition_id, u.category_id, u.terms_version, u.terms_accepted_at, u.email_verified_at,
		       u.must_change_password, u.last_sign_in_at, u.deactivated_at, u.created_at,
		       coalesce(e.name, ''), coalesce(c.name, ''), u.invitation_pending, u.erased_at,
		       u.totp_enabled_at IS NOT NULL
		FROM users u
		LEFT JOIN editions e ON e.id = u.edition_id
		LEFT JOIN categories c ON c.id = u.category_id
		WHERE u.id = $1`, userID).Scan(
		&u.ID, &u.LoginID, &u.Email, &u.Name, &u.EntityType, &u.Organisation, &u.Phone, &u.City, &u.Country,
		&u.EditionID, &u.CategoryID, &u.TermsVersion, &u.TermsAcceptedAt, &u.EmailVerifiedAt,
		&u.MustChangePassword, &u.LastSignInAt, &u.DeactivatedAt, &u.CreatedAt,
		&p.EditionName, &p.CategoryName, &p.InvitationPending, &p.ErasedAt, &p.TwoFactorEnabled)
	if errors.Is(err, pgx.ErrNoRows) {
		return Profile{}, fmt.Errorf("account: profile %d: %w", userID, db.ErrNotFound)
	}
	if err != nil {
		return Profile{}, fmt.Errorf("account: profile %d: %w", userID, err)
	}
	p.Registrations, err = db.List(ctx, q, "account: profile registrations", pgx.RowToStructByPos[ProfileRegistration], `
		SELECT e.name, c.name, r.terms_version, r.terms_accepted_at
		FROM edition_registrations r JOIN editions e ON e.id = r.edition_id JOIN categories c ON c.id = r.category_id
		WHERE r.user_id = $1 ORDER BY e.year DESC, e.id DESC`, userID)
	return p, err
}

// Deactivate stops userID from signing in and ends every session they have at once (by raising
// their session epoch), in tx, with an audit entry. Admins cannot deactivate themselves (ErrSelf)
// nor the last administrator who can sign in (ErrLastAdmin). Deactivating a deactivated account
// changes nothing.
func Deactivate(ctx context.Context, tx pgx.Tx, userID int64, by By, now time.Time) error {
	if err := deactivate(ctx, tx, userID, by, now); err != nil {
		return fmt.Errorf("account: deactivate %d: %w", userID, err)
	}
	return nil
}

func deactivate(ctx context.Context, tx pgx.Tx, userID int64, by By, now time.Time) error {
	if userID == by.UserID {
		return ErrSelf
	}
	if err := lockAdmins(ctx, tx); err != nil {
		return err
	}
	if err := lockUser(ctx, tx, userID); err != nil {
		return err
	}
	var isAdmin bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM role_grants WHERE user_id = $1 AND role = 'admin')`, userID).Scan(&isAdmin); err != nil {
		return err
	}
	if isAdmin {
		n, err := otherActiveAdmins(ctx, tx, userID)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrLastAdmin
		}
	}
	tag, err := tx.Exec(ctx, `
		UPDATE users SET deactivated_at = $2, session_epoch = session_epoch + 1, updated_at = $2
		WHERE id = $1 AND deactivated_at IS NULL`, userID, now)
	if err != nil || tag.RowsAffected() == 0 {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{
		ActorID: by.UserID, ActorLabel: by.Label, Action: "account.deactivate",
		ObjectType: "user", ObjectID: userObject(userID), IP: by.IP,
	})
}

// Reactivate lets a deactivated account sign in again (its old sessions stay ended), in tx, with
// an audit entry. An erased account cannot come back (ErrErased).
func Reactivate(ctx context.Context, tx pgx.Tx, userID int64, by By, now time.Time) error {
	if err := lockUser(ctx, tx, userID); err != nil {
		return fmt.Errorf("account: reactivate %d: %w", userID, err)
	}
	tag, err := tx.Exec(ctx, `UPDATE users SET deactivated_at = NULL, updated_at = $2 WHERE id = $1 AND deactivated_at IS NOT NULL`, userID, now)
	if err != nil {
		return fmt.Errorf("account: reactivate %d: %w", userID, err)
	}
	if tag.RowsAffected() == 0 {
		return nil
	}
	err = audit.Record(ctx, tx, audit.Entry{
		ActorID: by.UserID, ActorLabel: by.Label, Action: "account.reactivate",
		ObjectType: "user", ObjectID: userObject(userID), IP: by.IP,
	})
	if err != nil {
		return fmt.Errorf("account: reactivate %d: %w", userID, err)
	}
	return nil
}

// --- Erasure

// CanErase returns "" when the admin actorID may erase userID, or a message for the admin saying
// why not. Today an admin cannot erase their own account nor the last administrator who can sign
// in. The applications issue extends this check: a user who has submitted an application may not
// be erased, because the application belongs to the prize's record.
func CanErase(ctx context.Context, q db.DBTX, userID, actorID int64) (string, error) {
	if userID == actorID {
		return i18n.M("You cannot erase your own account. Ask another administrator."), nil
	}
	var isAdmin, erased bool
	var others int
	err := q.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM role_grants WHERE user_id = u.id AND role = 'admin'),
		       u.erased_at IS NOT NULL,
		       (SELECT count(DISTINCT g.user_id) FROM role_grants g JOIN users o ON o.id = g.user_id
		        WHERE g.role = 'admin' AND g.user_id <> u.id AND o.deactivated_at IS NULL)
		FROM users u WHERE u.id = $1`, userID).Scan(&isAdmin, &erased, &others)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("account: can erase %d: %w", userID, db.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("account: can erase %d: %w", userID, err)
	}
	switch {
	case erased:
		return i18n.M("This account has already been erased."), nil
	case isAdmin && others == 0:
		return i18n.M("This is the last administrator who can sign in. Make someone else an administrator first."), nil
	}
	return "", nil
}

// ErrCannotErase wraps the reason CanErase gave when Erase refuses.
var ErrCannotErase = fault.New(fault.Conflict, "This account cannot be erased.")

// ErasedName is the name an erased account keeps.
const ErasedName = "Erased user"

// Erase anonymises userID's account on request, in tx: see AnonymiseAccount. The erasure itself is
// audited without personal data. When CanErase refuses, the error wraps ErrCannotErase with its
// reason. The whole erasure of a person, their entries and files included, is
// internal/privacy.Erase, which uses CheckErase and AnonymiseAccount.
func Erase(ctx context.Context, tx pgx.Tx, userID int64, by By, now time.Time) error {
	if err := CheckErase(ctx, tx, userID, by); err != nil {
		return fmt.Errorf("account: erase %d: %w", userID, err)
	}
	if err := AnonymiseAccount(ctx, tx, userID, by, now, Place{}); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, audit.Entry{
		ActorID: by.UserID, ActorLabel: by.Label, Action: "account.erase",
		ObjectType: "user", ObjectID: userObject(userID), IP: by.IP,
	}); err != nil {
		return fmt.Errorf("account: erase %d: %w", userID, err)
	}
	return nil
}

// CheckErase locks the administrators and userID's account in tx and returns an error wrapping
// ErrCannotErase with CanErase's reason when by may not erase userID.
func CheckErase(ctx context.Context, tx pgx.Tx, userID int64, by By) error {
	if err := lockAdmins(ctx, tx); err != nil {
		return err
	}
	if err := lockUser(ctx, tx, userID); err != nil {
		return err
	}
	reason, err := CanErase(ctx, tx, userID, by.UserID)
	if err != nil {
		return err
	}
	if reason != "" {
		return fmt.Errorf("%w: %s", ErrCannotErase, reason)
	}
	return nil
}

// AnonymiseAccount erases the account of userID, in tx, without checks or audit entry of its own
// (the caller checked with CheckErase, or is the retention task, and records the erasure): name,
// login ID, email, phone, organisation, city, country and two-factor secrets are replaced or
// removed, the password made unusable, the account deactivated and every session ended; tokens
// and recovery codes are deleted; roles held end (kept in the role history); the emails to the
// user lose their address, subject text, bodies and attachments (unsent ones are dropped); and
// the audit entries by or about the user lose the personal data in their actor label, IP and
// details, keeping action and time. keep says which facts of the account's place stay because
// something published shows them.
func AnonymiseAccount(ctx context.Context, tx pgx.Tx, userID int64, by By, now time.Time, keep Place) error {
	if err := anonymiseAccount(ctx, tx, userID, by, now, keep); err != nil {
		return fmt.Errorf("account: erase %d: %w", userID, err)
	}
	return nil
}

// Place says which of an account's organisation, city and country an erasure keeps: the public
// results name all three for a winning entry, a repository case shows the country of a project.
type Place struct {
	Organisation, City, Country bool
}

func anonymiseAccount(ctx context.Context, tx pgx.Tx, userID int64, by By, now time.Time, keep Place) error {
	var login, email string
	if err := tx.QueryRow(ctx, `SELECT login_id, email FROM users WHERE id = $1`, userID).Scan(&login, &email); err != nil {
		return err
	}
	anon := fmt.Sprintf("erased-%d", userID)
	_, err := tx.Exec(ctx, `
		UPDATE users SET login_id = $2, email = $3, name = $4, phone = '',
		       organisation = CASE WHEN $7 THEN organisation ELSE '' END,
		       city = CASE WHEN $8 THEN city ELSE '' END, country = CASE WHEN $9 THEN country ELSE '' END,
		       password_hash = $5, must_change_password = false, invitation_pending = false,
		       email_verified_at = NULL, last_sign_in_at = NULL, terms_accepted_at = NULL,
		       totp_secret = NULL, totp_enabled_at = NULL,
		       deactivated_at = coalesce(deactivated_at, $6), erased_at = $6,
		       session_epoch = session_epoch + 1, updated_at = $6
		WHERE id = $1`, userID, anon, anon+"@erased.invalid", ErasedName, UnusablePasswordHash(), now, keep.Organisation, keep.City, keep.Country)
	if err != nil {
		return err
	}
	for _, stmt := range []string{
		`DELETE FROM user_tokens WHERE user_id = $1`,
		`DELETE FROM recovery_codes WHERE user_id = $1`,
		// An invitation the person accepted named them.
		`UPDATE invitations SET email = 'erased-' || id || '@erased.invalid', contact_name = '` + ErasedName + `',
		        organisation = '', message = '' WHERE accepted_by = $1`,
	} {
		if _, err := tx.Exec(ctx, stmt, userID); err != nil {
			return err
		}
	}
	type grant struct {
		Role    string
		Edition int64
	}
	grants, err := db.List(ctx, tx, "", pgx.RowToStructByPos[grant],
		`SELECT role, coalesce(edition_id, 0) FROM role_grants WHERE user_id = $1 ORDER BY role = 'evaluator'`, userID)
	if err != nil {
		return err
	}
	for _, g := range grants {
		// The admin check was made by CanErase; the user keeps no role.
		_, err := tx.Exec(ctx, `
			WITH ended AS (
				DELETE FROM role_grants WHERE user_id = $1 AND role = $2 AND coalesce(edition_id, 0) = $3
				RETURNING user_id, role, edition_id, granted_at, granted_by)
			INSERT INTO role_revocations (user_id, role, edition_id, granted_at, granted_by, revoked_at, revoked_by, reason)
			SELECT user_id, role, edition_id, granted_at, granted_by, $4, $5, 'Account erased' FROM ended`,
			userID, g.Role, g.Edition, now, nullID(by.UserID))
		if err != nil {
			return err
		}
	}
	// Emails: the record that an email was sent stays, its recipient and body do not.
	if _, err := tx.Exec(ctx, `DELETE FROM email_outbox WHERE sent_at IS NULL AND (user_id = $1 OR lower(to_address) = lower($2))`, userID, email); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `
		UPDATE email_outbox SET to_address = $3, to_name = '', subject = '(erased)', html_body = '', text_body = '',
		       attachments = '[]', last_error = '', user_id = $1
		WHERE user_id = $1 OR lower(to_address) = lower($2)`, userID, email, anon+"@erased.invalid"); err != nil {
		return err
	}
	// Audit: entries by the user, about the user, by someone who gave the user's login or email
	// (failed sign-ins), or whose details hold the email address.
	_, err = tx.Exec(ctx, `
		UPDATE audit_log SET
			actor_label = CASE WHEN actor_id = $1 OR lower(actor_label) IN (lower($2), lower($3)) OR actor_id IS NULL AND actor_label <> 'system'
			                   THEN $4 ELSE actor_label END,
			ip = CASE WHEN actor_id = $1 OR actor_id IS NULL THEN '' ELSE ip END,
			details = '{}'
		WHERE actor_id = $1 OR (object_type = 'user' AND object_id = $5)
		   OR lower(actor_label) IN (lower($2), lower($3))
		   OR strpos(lower(details::text), lower($3)) > 0`,
		userID, login, email, ErasedName, userObject(userID))
	return err
}

// UserDetails is what an administrator's page of one account shows: its profile and its role
// history.
type UserDetails struct {
	Profile
	History []GrantRecord
}

// LoadUserDetails returns the profile and role history of userID (db.ErrNotFound when there is
// no such account).
func LoadUserDetails(ctx context.Context, q db.DBTX, userID int64) (UserDetails, error) {
	p, err := LoadProfile(ctx, q, userID)
	if err != nil {
		return UserDetails{}, err
	}
	history, err := RoleHistory(ctx, q, userID)
	if err != nil {
		return UserDetails{}, err
	}
	return UserDetails{Profile: p, History: history}, nil
}

// LoadInvitee is InviteeByToken with the roles the invitee holds now, for the page of the
// invitation link.
func LoadInvitee(ctx context.Context, q db.DBTX, token string, now time.Time) (Invitee, error) {
	inv, err := InviteeByToken(ctx, q, token, now)
	if err != nil {
		return inv, err
	}
	history, err := RoleHistory(ctx, q, inv.UserID)
	if err != nil {
		return inv, err
	}
	for _, g := range history {
		if g.Active() {
			inv.Roles = append(inv.Roles, g)
		}
	}
	return inv, nil
}

package account

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// PersonalData is what the portal holds about one user, as the user may see and download it
// (DOMAIN.md "People and roles"). It holds nothing about other people: who granted a role or acted on the
// account is not named, and entries of the user's own actions on other accounts do not say which.
type PersonalData struct {
	GeneratedAt time.Time        `json:"generated_at"`
	Account     PersonalAccount  `json:"account"`
	Roles       []PersonalRole   `json:"roles"`
	Activity    []PersonalRecord `json:"activity"`
	Emails      []PersonalEmail  `json:"emails"`
}

// PersonalAccount is the account and registration data.
type PersonalAccount struct {
	ID              int64      `json:"id"`
	LoginID         string     `json:"login_id"`
	Email           string     `json:"email"`
	Name            string     `json:"name"`
	EntityType      string     `json:"entity_type,omitempty"`
	Organisation    string     `json:"organisation,omitempty"`
	Phone           string     `json:"phone,omitempty"`
	City            string     `json:"city,omitempty"`
	Country         string     `json:"country,omitempty"`
	Edition         string     `json:"edition,omitempty"`
	Category        string     `json:"category,omitempty"`
	TermsVersion    string     `json:"terms_version,omitempty"`
	TermsAcceptedAt *time.Time `json:"terms_accepted_at,omitempty"`
	// Registrations are every edition the account entered, with the terms accepted for it.
	Registrations    []ProfileRegistration `json:"registrations"`
	EmailVerifiedAt  *time.Time            `json:"email_verified_at,omitempty"`
	TwoFactorEnabled bool                  `json:"two_factor_enabled"`
	CreatedAt        time.Time             `json:"created_at"`
	LastSignInAt     *time.Time            `json:"last_sign_in_at,omitempty"`
	DeactivatedAt    *time.Time            `json:"deactivated_at,omitempty"`
}

// PersonalRole is one role the user holds or held.
type PersonalRole struct {
	Role      string     `json:"role"`
	Edition   string     `json:"edition,omitempty"`
	GrantedAt time.Time  `json:"granted_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	Reason    string     `json:"revoke_reason,omitempty"`
}

// PersonalRecord is one audit entry by or about the user. By says whether the user did it
// ("you") or it was done to the account ("someone else" or "the system").
type PersonalRecord struct {
	At         time.Time       `json:"at"`
	Action     string          `json:"action"`
	By         string          `json:"by"`
	ObjectType string          `json:"object_type,omitempty"`
	ObjectID   string          `json:"object_id,omitempty"`
	IP         string          `json:"ip,omitempty"`
	Details    json.RawMessage `json:"details,omitempty"`
}

// PersonalEmail is one email the portal wrote to the user.
type PersonalEmail struct {
	Subject   string     `json:"subject"`
	Kind      string     `json:"kind,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

// Who did an audited action, as PersonalRecord.By says it.
const (
	ByYou    = "you"
	ByOther  = "someone else"
	BySystem = "the system"
)

// ExportPersonalData collects what the portal holds about userID.
func ExportPersonalData(ctx context.Context, q db.DBTX, userID int64, now time.Time) (PersonalData, error) {
	p, err := LoadProfile(ctx, q, userID)
	if err != nil {
		return PersonalData{}, fmt.Errorf("account: export: %w", err)
	}
	out := PersonalData{
		GeneratedAt: now.UTC(),
		Account: PersonalAccount{
			ID: p.ID, LoginID: p.LoginID, Email: p.Email, Name: p.Name, EntityType: p.EntityType,
			Organisation: p.Organisation, Phone: p.Phone, City: p.City, Country: p.Country,
			Edition: p.EditionName, Category: p.CategoryName, TermsVersion: p.TermsVersion,
			TermsAcceptedAt: p.TermsAcceptedAt, Registrations: append([]ProfileRegistration{}, p.Registrations...), EmailVerifiedAt: p.EmailVerifiedAt,
			TwoFactorEnabled: p.TwoFactorEnabled, CreatedAt: p.CreatedAt, LastSignInAt: p.LastSignInAt,
			DeactivatedAt: p.DeactivatedAt,
		},
		Roles: []PersonalRole{}, Activity: []PersonalRecord{}, Emails: []PersonalEmail{},
	}
	history, err := RoleHistory(ctx, q, userID)
	if err != nil {
		return PersonalData{}, fmt.Errorf("account: export: %w", err)
	}
	for _, g := range history {
		out.Roles = append(out.Roles, PersonalRole{Role: string(g.Role), Edition: g.EditionName, GrantedAt: g.GrantedAt, RevokedAt: g.RevokedAt, Reason: g.Reason})
	}
	// Entries by the user show everything but the identity of another account acted on; entries
	// about the user by someone else show neither that person nor their address.
	out.Activity, err = db.List(ctx, q, "account: export activity", func(r pgx.CollectableRow) (PersonalRecord, error) {
		var e PersonalRecord
		var details []byte
		err := r.Scan(&e.At, &e.Action, &e.By, &e.ObjectType, &e.ObjectID, &e.IP, &details)
		e.Details = details
		return e, err
	}, `
		SELECT at, action,
		       CASE WHEN actor_id = $1 THEN 'you' WHEN actor_id IS NULL AND actor_label = 'system' THEN 'the system' ELSE 'someone else' END,
		       object_type,
		       CASE WHEN object_type = 'user' AND object_id <> $2 THEN '' ELSE object_id END,
		       CASE WHEN actor_id = $1 THEN ip ELSE '' END,
		       CASE WHEN object_type = 'user' AND object_id <> $2 OR details = '{}' THEN NULL ELSE details END
		FROM audit_log
		WHERE actor_id = $1 OR (object_type = 'user' AND object_id = $2)
		ORDER BY at DESC, id DESC`, userID, userObject(userID))
	if err != nil {
		return PersonalData{}, err
	}
	out.Emails, err = db.List(ctx, q, "account: export emails", func(r pgx.CollectableRow) (PersonalEmail, error) {
		var e PersonalEmail
		return e, r.Scan(&e.Subject, &e.Kind, &e.CreatedAt, &e.SentAt)
	}, `
		SELECT subject, kind, created_at, sent_at FROM email_outbox
		WHERE user_id = $1 OR lower(to_address) = lower($2)
		ORDER BY created_at DESC, id DESC`, userID, p.Email)
	if err != nil {
		return PersonalData{}, err
	}
	return out, nil
}

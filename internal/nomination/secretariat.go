package nomination

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// The secretariat's side of the nominations: each member sees the nominations of the editions
// they serve (authz.CanManageApplications, repeated in SQL by the store's staff filter).

// MaxOverrideReason is the longest reason, in characters, for an override.
const MaxOverrideReason = 2000

var (
	// ErrOverrideTooLong refuses a reason longer than MaxOverrideReason.
	ErrOverrideTooLong = fault.New(fault.Invalid, "Use at most 2,000 characters.")
	// ErrOverrideNoReason refuses an override without a reason.
	ErrOverrideNoReason = fault.New(fault.Invalid, "Give the reason for accepting a letter from the candidate's own organisation.")
)

// ForSecretariat is nomination id with its edition and category, for the secretariat member
// actor: db.ErrNotFound unless actor serves the nomination's edition.
func (s *Service) ForSecretariat(ctx context.Context, actor authz.Actor, id int64) (*Place, error) {
	return s.staffPlace(ctx, actor, id, db.ErrNotFound)
}

// staffPlace is nomination id with its edition and category, for the secretariat member actor:
// db.ErrNotFound when the store's SQL filter hides it, refused when actor does not serve its
// edition.
func (s *Service) staffPlace(ctx context.Context, actor authz.Actor, id int64, refused error) (*Place, error) {
	if id <= 0 {
		return nil, db.ErrNotFound
	}
	n, err := ForSecretariat(ctx, s.Pool, actor.UserID, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanManageApplications(actor, n.EditionID) {
		return nil, refused
	}
	return s.place(ctx, n)
}

// StaffList is one page of the nominations of edition editionID for the secretariat member
// actor, only those lacking missing when it is a key of Missing.
func (s *Service) StaffList(ctx context.Context, actor authz.Actor, editionID int64, missing string, page int) (StaffList, error) {
	return ListForSecretariat(ctx, s.Pool, actor.UserID, editionID, missing, page)
}

// SetOverride records, for the secretariat member actor, that a letter from the candidate's own
// organisation is accepted for nomination id with reason, or with an empty reason that it is no
// longer; audited in the same transaction. DOMAIN.md "Leadership nominations": a candidate who
// heads an organisation needs a recommender from a different organisation; the secretariat may
// make an exception, and must say why (ErrOverrideNoReason, ErrOverrideTooLong). It returns the
// nomination as it was loaded, and db.ErrNotFound unless actor serves its edition.
func (s *Service) SetOverride(ctx context.Context, actor authz.Actor, id int64, reason string) (*Place, error) {
	p, err := s.ForSecretariat(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case len([]rune(reason)) > MaxOverrideReason:
		return p, ErrOverrideTooLong
	case reason == "" && p.Nomination.Override == "":
		return p, ErrOverrideNoReason
	}
	return p, db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := SetOverride(ctx, tx, actor.UserID, id, reason, s.Now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "nomination.override", ObjectType: "application",
			ObjectID: strconv.FormatInt(id, 10), Details: map[string]any{"reason": reason}})
	})
}

// ConsentState is the candidate's consent in a word or two, for the secretariat's tables.
func (n *Nomination) ConsentState() string {
	if n.Self {
		return i18n.M("Not needed")
	}
	return map[Consent]string{ConsentNone: i18n.M("Not asked"), ConsentRequested: i18n.M("Asked"), ConsentGiven: i18n.M("Given"), ConsentDeclined: i18n.M("Declined")}[n.Consent]
}

// Declined reports whether the candidate of a third-party nomination declined (now, or before
// the candidate's address was changed) and has not consented since: then only the secretariat
// may ask again (DOMAIN.md "Leadership nominations": the candidate's consent; Service.ReaskConsent).
func (n *Nomination) Declined() bool {
	return !n.Self && n.Consent != ConsentGiven && (n.Consent == ConsentDeclined || n.ConsentDeclinedAt != nil)
}

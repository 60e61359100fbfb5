package conflict

import (
	"context"
	"errors"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify/emails"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// Service holds the use cases of the conflict-of-interest registry (DOMAIN.md "Registration":
// entities represented among the organisers or evaluators may not apply): the secretariat's
// registry and the evaluators' own declarations. Every change is one transaction with its
// audit entry and the re-flagging of the edition's entries (FlagEdition), so the screening
// queue's flags are always current. It sends no email.
type Service struct {
	usecase.Deps
	settle Settle
}

// Settle applies a jury member's new conflicts of interest in an edition to what they already
// hold, in the transaction that recorded them: committee.EndConflicted ends their assignments to
// the entries they are now in conflict with and refills them (the committee comes after this
// package in the prize's order, so the wiring passes it in).
type Settle func(ctx context.Context, tx pgx.Tx, member, editionID int64, now time.Time) error

// NewService is the conflict service on pool; settle runs after every declaration and every
// confirmed found conflict.
func NewService(pool *pgxpool.Pool, now func() time.Time, settle Settle) *Service {
	return &Service{Deps: usecase.New(pool, nil, emails.Site{}, now), settle: settle}
}

// organisationAudit is an organisation as the audit log keeps it.
func organisationAudit(o Organisation) map[string]any {
	return map[string]any{"edition": o.EditionID, "name": o.Name, "aliases": o.Aliases, "domains": o.Domains,
		"country": o.Country, "note": o.Note}
}

func declarationAudit(d Declaration) map[string]any {
	return map[string]any{"edition": d.EditionID, "kind": string(d.Kind), "name": d.Name, "aliases": d.Aliases,
		"domains": d.Domains, "country": d.Country, "email": d.Email, "note": d.Note}
}

// change runs write in a transaction, records the audit entry it returns and re-flags the
// entries of the edition it names.
func (s *Service) change(ctx context.Context, actor authz.Actor, write func(tx pgx.Tx, now time.Time) (audit.Entry, int64, error)) error {
	now := s.Now()
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		entry, editionID, err := write(tx, now)
		if err != nil {
			return err
		}
		entry.ActorID = actor.UserID
		if err := audit.Record(ctx, tx, entry); err != nil {
			return err
		}
		return FlagEdition(ctx, tx, editionID, now)
	})
}

// AddOrganisation adds an organisation to the registry of editionID. Rule: only the
// secretariat of the edition keeps its registry (authz.CanManageApplications, repeated in SQL;
// authz.ErrForbidden otherwise); names are unique in the registry. Bad input is a field.Errors.
func (s *Service) AddOrganisation(ctx context.Context, actor authz.Actor, editionID int64, in Input) (Organisation, error) {
	if !authz.CanManageApplications(actor, editionID) {
		return Organisation{}, authz.ErrForbidden
	}
	var o Organisation
	err := s.change(ctx, actor, func(tx pgx.Tx, now time.Time) (audit.Entry, int64, error) {
		var err error
		if o, err = AddOrganisation(ctx, tx, actor.UserID, editionID, in, now); err != nil {
			return audit.Entry{}, 0, err
		}
		return audit.Entry{Action: "conflict.organisation.add", ObjectType: "conflict_organisation",
			ObjectID: strconv.FormatInt(o.ID, 10), Details: organisationAudit(o)}, editionID, nil
	})
	if errors.Is(err, db.ErrNotFound) {
		return Organisation{}, authz.ErrForbidden
	}
	return o, err
}

// UpdateOrganisation changes registry organisation id and returns it as it is now. Rule: only
// the secretariat of its edition (SQL filter; db.ErrNotFound otherwise). Bad input is a field.Errors.
func (s *Service) UpdateOrganisation(ctx context.Context, actor authz.Actor, id int64, in Input) (Organisation, error) {
	var after Organisation
	err := s.change(ctx, actor, func(tx pgx.Tx, now time.Time) (audit.Entry, int64, error) {
		before, a, err := UpdateOrganisation(ctx, tx, actor.UserID, id, in, now)
		if err != nil {
			return audit.Entry{}, 0, err
		}
		after = a
		return audit.Entry{Action: "conflict.organisation.update", ObjectType: "conflict_organisation",
				ObjectID: strconv.FormatInt(id, 10), Details: map[string]any{"before": organisationAudit(before), "after": organisationAudit(after)}},
			after.EditionID, nil
	})
	return after, err
}

// RemoveOrganisation removes registry organisation id, and with it its flags on entries, and
// returns what was removed. Rule: only the secretariat of its edition (SQL filter;
// db.ErrNotFound otherwise).
func (s *Service) RemoveOrganisation(ctx context.Context, actor authz.Actor, id int64) (Organisation, error) {
	var gone Organisation
	err := s.change(ctx, actor, func(tx pgx.Tx, _ time.Time) (audit.Entry, int64, error) {
		var err error
		if gone, err = DeleteOrganisation(ctx, tx, actor.UserID, id); err != nil {
			return audit.Entry{}, 0, err
		}
		return audit.Entry{Action: "conflict.organisation.delete", ObjectType: "conflict_organisation",
			ObjectID: strconv.FormatInt(id, 10), Details: organisationAudit(gone)}, gone.EditionID, nil
	})
	return gone, err
}

// Declare records an affiliation or conflict of interest of the actor in editionID. Rule: an
// evaluator, the committee head or a council member declares for the editions they serve
// (authz.Declarers, repeated in SQL; authz.ErrForbidden otherwise). A declaration made after
// assignment ends the assignments it conflicts with and refills them (Settle), as a recusal
// does. Bad input is a field.Errors.
func (s *Service) Declare(ctx context.Context, actor authz.Actor, editionID int64, in Input) (Declaration, error) {
	if !authz.CanDeclare(actor, editionID) {
		return Declaration{}, authz.ErrForbidden
	}
	var d Declaration
	err := s.change(ctx, actor, func(tx pgx.Tx, now time.Time) (audit.Entry, int64, error) {
		var err error
		if d, err = Declare(ctx, tx, actor.UserID, editionID, in, now); err != nil {
			return audit.Entry{}, 0, err
		}
		if err := s.settle(ctx, tx, actor.UserID, editionID, now); err != nil {
			return audit.Entry{}, 0, err
		}
		return audit.Entry{Action: "conflict.declaration.add", ObjectType: "conflict_declaration",
			ObjectID: strconv.FormatInt(d.ID, 10), Details: declarationAudit(d)}, editionID, nil
	})
	if errors.Is(err, db.ErrNotFound) {
		return Declaration{}, authz.ErrForbidden
	}
	return d, err
}

// Withdraw removes the actor's declaration id and returns it. Rule: an evaluator withdraws only
// their own declarations (SQL filter; db.ErrNotFound otherwise).
func (s *Service) Withdraw(ctx context.Context, actor authz.Actor, id int64) (Declaration, error) {
	var d Declaration
	err := s.change(ctx, actor, func(tx pgx.Tx, _ time.Time) (audit.Entry, int64, error) {
		var err error
		if d, err = Withdraw(ctx, tx, actor.UserID, id); err != nil {
			return audit.Entry{}, 0, err
		}
		return audit.Entry{Action: "conflict.declaration.remove", ObjectType: "conflict_declaration",
			ObjectID: strconv.FormatInt(d.ID, 10), Details: declarationAudit(d)}, d.EditionID, nil
	})
	return d, err
}

// Review records the actor's answer to a conflict of interest the portal found between them and
// entry appID (FoundFor): Confirmed (it is a conflict: the pair stays barred, and an assignment
// to the entry ends and is refilled, as after a declaration) or Explained with why it is not (the
// pair may then be assigned; the secretariat sees the explanation). Rule: a member answers only
// what was found for themselves (SQL filter; db.ErrNotFound otherwise). Bad input is a
// field.Errors. Audited.
func (s *Service) Review(ctx context.Context, actor authz.Actor, appID int64, in Answer) (Found, error) {
	var after Found
	err := s.change(ctx, actor, func(tx pgx.Tx, now time.Time) (audit.Entry, int64, error) {
		before, a, err := Review(ctx, tx, actor.UserID, appID, in, now)
		if err != nil {
			return audit.Entry{}, 0, err
		}
		after = a
		if a.Decision == Confirmed {
			if err := s.settle(ctx, tx, actor.UserID, a.EditionID, now); err != nil {
				return audit.Entry{}, 0, err
			}
		}
		return audit.Entry{Action: "conflict.found.review", ObjectType: "application", ObjectID: strconv.FormatInt(appID, 10),
			Details: map[string]any{"edition": a.EditionID, "reasons": a.Reasons, "before": before.Decision,
				"decision": a.Decision, "explanation": a.Explanation}}, a.EditionID, nil
	})
	return after, err
}

// LoadOrganisation loads registry organisation id for actor with its edition: db.ErrNotFound
// unless the actor is of the secretariat of its edition (authz.CanManageApplications;
// GetOrganisation repeats it in SQL).
func LoadOrganisation(ctx context.Context, q db.DBTX, actor authz.Actor, id int64) (Organisation, *edition.Edition, error) {
	o, err := GetOrganisation(ctx, q, actor.UserID, id)
	if err != nil {
		return Organisation{}, nil, err
	}
	if !authz.CanManageApplications(actor, o.EditionID) {
		return Organisation{}, nil, db.ErrNotFound
	}
	ed, err := edition.ByID(ctx, q, o.EditionID)
	if err != nil {
		return Organisation{}, nil, err
	}
	return o, ed, nil
}

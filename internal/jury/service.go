package jury

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/committee"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
)

// ErrAccepted refuses to send an invitation again to someone who has accepted theirs.
var ErrAccepted = fault.New(fault.Conflict, "This person has already set their password: they sign in as usual, there is no invitation to send again.")

// Service holds the use cases of the jury's appointment for the managers of an edition. Each
// method checks authz.CanManageEdition, opens its transaction, repeats the check in SQL, and
// writes its audit entries and emails in it.
type Service struct {
	usecase.Deps
	// Accounts sends the staff invitations.
	Accounts *account.Service
}

// Appointment is a manager's appointment of a person to a post of the jury.
type Appointment struct {
	Name  string
	Email string
	Post  Post
	// CategoryIDs are the categories of expertise of an evaluator or committee head.
	CategoryIDs []int64
}

// check refuses actor unless they manage editionID (authz.CanManageEdition), repeated in SQL in q.
func check(ctx context.Context, q db.DBTX, actor authz.Actor, editionID int64) error {
	if !authz.CanManageEdition(actor, editionID) {
		return authz.ErrForbidden
	}
	ok, err := manages(ctx, q, actor.UserID, editionID)
	if err != nil {
		return err
	}
	if !ok {
		return authz.ErrForbidden
	}
	return nil
}

// Members lists the jury of ed for actor, who manages it (authz.ErrForbidden otherwise).
func (s *Service) Members(ctx context.Context, actor authz.Actor, ed *edition.Edition) ([]Member, error) {
	if err := check(ctx, s.Pool, actor, ed.ID); err != nil {
		return nil, err
	}
	return Members(ctx, s.Pool, actor.UserID, ed.ID)
}

// Appoint appoints the person a names to a.Post in ed, for actor, who manages ed
// (authz.ErrForbidden otherwise): only the jury's posts (field.Errors on "post" for any other
// role: a manager never grants administrator, manager or secretariat). The person is invited as
// an administrator invites staff (account.Service.InviteIn): a new account gets the link to set
// its password, and then enrols its second factor at its first sign-in; an existing account gets
// the role and an email telling them. An evaluator and the committee head need their categories
// of expertise (field.Errors on "categories"), which replace those they had in ed. The
// committee head is also an evaluator, and ed has one (field.Errors on "post"); the chair of the
// council sits on it and replaces the chair ed had. A deputy head (an evaluator, with their
// expertise) or deputy chair (on the council) replaces the deputy ed had and is neither the
// head nor the chair (field.Errors on "post": deputy.ErrHolder). Everything is one
// transaction, audited.
func (s *Service) Appoint(ctx context.Context, actor authz.Actor, ed *edition.Edition, a Appointment) (account.InviteResult, error) {
	if !authz.CanManageEdition(actor, ed.ID) {
		return account.InviteResult{}, authz.ErrForbidden
	}
	inv := account.Invitation{Email: a.Email, Name: a.Name, EditionID: ed.ID}
	var errs field.Errors
	if a.Post.Valid() {
		inv.Roles = []authz.Role{a.Post.Role()}
	} else {
		errs.Add("post", "Choose the role: evaluator, head of the Evaluation Committee, Prize Council member, its chair, or a deputy of the head or the chair.")
	}
	errs = onPost(append(errs, inv.Validate()...))
	if a.Post.Expert() && len(a.CategoryIDs) == 0 {
		errs.Add("categories", "Choose the categories of expertise: an evaluator is assigned the entries of these categories.")
	}
	if errs.Any() {
		// In the order of the form.
		var ordered field.Errors
		for _, name := range []string{"name", "email", "post", "categories"} {
			if msg := errs.Get(name); msg != "" {
				ordered.Add(name, msg)
			}
		}
		return account.InviteResult{}, ordered
	}
	var res account.InviteResult
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := check(ctx, tx, actor, ed.ID); err != nil {
			return err
		}
		var err error
		if res, err = s.Accounts.InviteIn(ctx, tx, actor, inv, ed); err != nil {
			if fe, ok := errors.AsType[field.Errors](err); ok {
				return onPost(fe)
			}
			return err
		}
		switch {
		case a.Post.Expert():
			before, after, err := committee.ReplaceExpertise(ctx, tx, ed.ID, res.UserID, a.CategoryIDs)
			if err != nil {
				return err
			}
			if err := committee.RecordExpertise(ctx, tx, actor.UserID, ed.ID, res.UserID, before, after); err != nil {
				return err
			}
		case a.Post == Chair:
			before, err := ballot.SetChair(ctx, tx, ed.ID, res.UserID, actor.UserID, s.Now())
			if err != nil {
				return err
			}
			return recordChair(ctx, tx, actor, ed.ID, before, res.UserID, "")
		}
		return s.nameDeputy(ctx, tx, actor, ed.ID, a.Post, res.UserID)
	})
	return res, err
}

// clearDeputy ends userID's post as deputy of post in editionID with reason, audited
// (account.ErrRoleNotHeld when they are not that deputy).
func (s *Service) clearDeputy(ctx context.Context, tx pgx.Tx, actor authz.Actor, editionID int64, post string, userID int64, reason string) error {
	was, err := deputy.Clear(ctx, tx, editionID, post, userID)
	if err != nil {
		return err
	}
	if !was {
		return account.ErrRoleNotHeld
	}
	return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "jury.deputy", ObjectType: "edition",
		ObjectID: strconv.FormatInt(editionID, 10), IP: audit.IPFrom(ctx),
		Details: map[string]any{"post": post, "from": userID, "to": 0, "reason": reason}})
}

// nameDeputy records userID as the deputy of post p in editionID (nothing for the other
// posts), audited with the deputy replaced.
func (s *Service) nameDeputy(ctx context.Context, tx pgx.Tx, actor authz.Actor, editionID int64, p Post, userID int64) error {
	if p.Deputy() == "" {
		return nil
	}
	before, err := deputy.Set(ctx, tx, editionID, p.Deputy(), userID, actor.UserID, s.Now())
	if errors.Is(err, deputy.ErrHolder) || errors.Is(err, deputy.ErrNotEligible) {
		f, _ := fault.As(err)
		return field.Errors{{Field: "post", Message: f.Message}}
	}
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "jury.deputy", ObjectType: "edition",
		ObjectID: strconv.FormatInt(editionID, 10), IP: audit.IPFrom(ctx),
		Details: map[string]any{"post": p.Deputy(), "from": before, "to": userID}})
}

// onPost puts the invitation's problems with its roles and edition on the post.
func onPost(errs field.Errors) field.Errors {
	var out field.Errors
	for _, e := range errs {
		if e.Field == "roles" || e.Field == "edition" {
			e.Field = "post"
		}
		out.Add(e.Field, e.Message)
	}
	return out
}

// recordChair writes the audit entry of a change of ed's council chair, as ballot.Service.SetChair
// does, with the reason of a revocation.
func recordChair(ctx context.Context, tx pgx.Tx, actor authz.Actor, editionID, from, to int64, reason string) error {
	details := map[string]any{"from": from, "to": to}
	if reason != "" {
		details["reason"] = reason
	}
	return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "council.chair", ObjectType: "edition",
		ObjectID: strconv.FormatInt(editionID, 10), IP: audit.IPFrom(ctx), Details: details})
}

// Resend sends userID, a member of ed's jury who has not accepted their invitation, a new link
// (the earlier one stops working), for actor, who manages ed (authz.ErrForbidden; db.ErrNotFound
// for someone not on the jury; ErrAccepted once they have set their password). Audited as an
// invitation.
func (s *Service) Resend(ctx context.Context, actor authz.Actor, ed *edition.Edition, userID int64) (account.InviteResult, error) {
	if !authz.CanManageEdition(actor, ed.ID) {
		return account.InviteResult{}, authz.ErrForbidden
	}
	var res account.InviteResult
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := check(ctx, tx, actor, ed.ID); err != nil {
			return err
		}
		m, err := MemberOf(ctx, tx, actor.UserID, ed.ID, userID)
		if err != nil {
			return err
		}
		if m.Accepted {
			return ErrAccepted
		}
		inv := account.Invitation{Email: m.Email, Name: m.Name, EditionID: ed.ID}
		for _, p := range m.Posts {
			if p != Chair && p.Deputy() == "" {
				inv.Roles = append(inv.Roles, p.Role())
			}
		}
		res, err = s.Accounts.InviteIn(ctx, tx, actor, inv, ed)
		return err
	})
	return res, err
}

// Revoke ends userID's post in ed with reason, for actor, who manages ed (authz.ErrForbidden),
// as an administrator revokes a role (account.RevokeRole: the reason is required and kept in the
// role history and the audit log; revoking evaluator also ends committee head). Only the jury's
// posts (account.ErrRoleUnknown). Leaving the council ends its chair; revoking the chair keeps
// the council seat and leaves the council without a chair. A post not held is
// account.ErrRoleNotHeld.
func (s *Service) Revoke(ctx context.Context, actor authz.Actor, ed *edition.Edition, userID int64, p Post, reason string) error {
	if !authz.CanManageEdition(actor, ed.ID) {
		return authz.ErrForbidden
	}
	if !p.Valid() {
		return account.ErrRoleUnknown
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return account.ErrReasonRequired
	case len(reason) > account.MaxReason:
		return account.ErrReasonTooLong
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := check(ctx, tx, actor, ed.ID); err != nil {
			return err
		}
		if post := p.Deputy(); post != "" {
			return s.clearDeputy(ctx, tx, actor, ed.ID, post, userID, reason)
		}
		if p != Chair {
			by := account.By{UserID: actor.UserID, IP: audit.IPFrom(ctx)}
			if err := account.RevokeRole(ctx, tx, userID, p.Role(), ed.ID, by, reason, s.Now()); err != nil {
				return err
			}
			if p != Council {
				return nil
			}
		}
		was, err := ballot.ClearChair(ctx, tx, ed.ID, userID)
		switch {
		case err != nil:
			return err
		case was:
			return recordChair(ctx, tx, actor, ed.ID, userID, 0, reason)
		case p == Chair:
			return account.ErrRoleNotHeld
		}
		return nil
	})
}

// Member returns userID's place on the jury of ed for actor, who manages ed
// (authz.ErrForbidden; db.ErrNotFound for someone not on the jury).
func (s *Service) Member(ctx context.Context, actor authz.Actor, ed *edition.Edition, userID int64) (Member, error) {
	if err := check(ctx, s.Pool, actor, ed.ID); err != nil {
		return Member{}, err
	}
	return MemberOf(ctx, s.Pool, actor.UserID, ed.ID, userID)
}

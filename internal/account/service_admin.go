package account

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/notify/emails"
)

// Administration of users (DOMAIN.md, "People and roles": the admin runs accounts and roles).
// The routes are for admins only; each change is audited under the acting admin.

// by names actor, and the client's address in ctx, for the audit log.
func by(ctx context.Context, actor authz.Actor) By {
	return By{UserID: actor.UserID, IP: audit.IPFrom(ctx)}
}

// GrantRole grants role to userID in editionID (0 for the administrator role, held in every
// edition), keeping the role history (see the function GrantRole: ErrRoleHeld, ErrHeadTaken,
// ErrUnknownEdition; one committee head per edition). An unknown role is ErrRoleUnknown; every
// role but administrator needs its edition (ErrUnknownEdition).
func (s *Service) GrantRole(ctx context.Context, actor authz.Actor, userID int64, role authz.Role, editionID int64) error {
	switch {
	case !ValidRole(role):
		return ErrRoleUnknown
	case role == authz.RoleAdmin:
		editionID = 0
	case editionID == 0:
		return ErrUnknownEdition
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		return GrantRole(ctx, tx, userID, role, editionID, by(ctx, actor), s.Now())
	})
}

// RevokeRole ends userID's role in editionID with reason, kept in the history (see the function
// RevokeRole: an admin cannot revoke their own administrator role, ErrSelf, nor the last one,
// ErrLastAdmin).
// The reason is kept in the role history: at most MaxReason characters (ErrReasonTooLong).
func (s *Service) RevokeRole(ctx context.Context, actor authz.Actor, userID int64, role authz.Role, editionID int64, reason string) error {
	if len(strings.TrimSpace(reason)) > MaxReason {
		return ErrReasonTooLong
	}
	return refused(db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		return RevokeRole(ctx, tx, userID, role, editionID, by(ctx, actor), reason, s.Now())
	}), "You cannot revoke your own administrator role. Ask another administrator.", ErrLastAdmin.Message)
}

// refused gives an action refused by ErrSelf or ErrLastAdmin the message of this action for the
// user (self, last); fault.Wrap keeps errors.Is working. Other errors are returned as they are.
func refused(err error, self, last string) error {
	switch {
	case errors.Is(err, ErrSelf):
		return fault.Wrap(ErrSelf.Kind, self, err)
	case errors.Is(err, ErrLastAdmin):
		return fault.Wrap(ErrLastAdmin.Kind, last, err)
	}
	return err
}

// Deactivate stops userID from signing in and ends their sessions; admins cannot deactivate
// themselves (ErrSelf) nor the last administrator who can sign in (ErrLastAdmin).
func (s *Service) Deactivate(ctx context.Context, actor authz.Actor, userID int64) error {
	return refused(db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		return Deactivate(ctx, tx, userID, by(ctx, actor), s.Now())
	}), "You cannot deactivate your own account.",
		"This is the last administrator who can sign in, so the account stays active. Make someone else an administrator first.")
}

// Reactivate lets a deactivated account sign in again; an erased one cannot come back
// (ErrErased).
func (s *Service) Reactivate(ctx context.Context, actor authz.Actor, userID int64) error {
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		return Reactivate(ctx, tx, userID, by(ctx, actor), s.Now())
	})
}

// ResetTwoFactor removes userID's authenticator and recovery codes, for someone who lost both,
// and ends their sessions. Administrators cannot do it to their own account (ErrSelf): another
// administrator must.
func (s *Service) ResetTwoFactor(ctx context.Context, actor authz.Actor, userID int64) error {
	if userID == actor.UserID {
		return refused(ErrSelf, "You cannot remove your own two-factor sign-in here; another administrator can.", "")
	}
	return db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		return ResetTOTP(ctx, tx, userID, actor.UserID, s.Now(), audit.IPFrom(ctx))
	})
}

// Invite invites inv.Email into staff roles (DOMAIN.md, "People and roles"), in one transaction
// with its email: a new account gets a link to set its password (valid InviteTTL), an existing
// one the roles it did not hold, and is told so. The administrator role is held in every
// edition, so an invitation to it alone has no edition; an unknown edition counts as none.
// Invalid input gives field.Errors (see the function Invite).
func (s *Service) Invite(ctx context.Context, actor authz.Actor, inv Invitation) (InviteResult, error) {
	if !slices.ContainsFunc(inv.Roles, func(r authz.Role) bool { return r != authz.RoleAdmin }) {
		inv.EditionID = 0
	}
	var ed *edition.Edition
	if inv.EditionID != 0 {
		var err error
		ed, err = edition.ByID(ctx, s.Pool, inv.EditionID)
		if errors.Is(err, db.ErrNotFound) {
			inv.EditionID, ed = 0, nil
		} else if err != nil {
			return InviteResult{}, err
		}
	}
	var res InviteResult
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) (err error) {
		res, err = s.InviteIn(ctx, tx, actor, inv, ed)
		return err
	})
	return res, err
}

// InviteIn is Invite in tx, for a use case that appoints staff as one step of its own (the
// jury an edition's managers appoint): inv's per-edition roles are for edition ed (nil when inv
// holds only the administrator role, or the edition is unknown). It queues the email in tx and
// gives field.Errors for invalid input (see the function Invite).
func (s *Service) InviteIn(ctx context.Context, tx pgx.Tx, actor authz.Actor, inv Invitation, ed *edition.Edition) (InviteResult, error) {
	meta := emails.Meta{PrizeName: "Prize Portal", BaseURL: strings.TrimSuffix(s.Site.BaseURL, "/")}
	if ed == nil {
		if cur, err := edition.Current(ctx, tx); err == nil {
			meta.PrizeName = cur.Name
		}
	} else {
		meta.PrizeName = ed.Name
	}
	inviter := actor.Name
	if inviter == "" {
		inviter = i18n.M("An administrator")
	}
	res, err := Invite(ctx, tx, inv, by(ctx, actor), s.Now())
	if err != nil {
		return res, err
	}
	if len(res.Granted) == 0 && res.Token == "" {
		return res, nil // nothing new to tell the person
	}
	granted := res.Granted
	if res.Token != "" {
		granted = inv.Roles // a new link names every role of the invitation
	}
	msg := emails.InviteEmail{Meta: meta, Name: res.Name, Inviter: inviter, SignInURL: s.Site.URL("/signin")}
	msg.Roles = inviteRoles(granted, ed)
	kind := "roles-added"
	if res.Token != "" {
		kind = "invite"
		msg.Link = s.Site.URL("/invite/" + res.Token)
		msg.Expires = i18n.Deadline(s.Now().Add(InviteTTL), time.UTC)
	}
	_, err = s.Outbox.Queue(ctx, tx, inviteMessage(s.Site, ed, kind, res, msg))
	return res, err
}

// inviteRoles name the roles of an invitation to edition ed (nil: no edition) with their
// edition, carried for the recipient's language (emails.InviteEmail.Roles).
func inviteRoles(roles []authz.Role, ed *edition.Edition) []string {
	var out []string
	for _, role := range roles {
		label := RoleLabel(role)
		if role == authz.RoleAdmin {
			label = i18n.Msg("{{.Role}} (all editions)", "Role", label)
		} else if ed != nil {
			label = i18n.Msg("{{.Role}} ({{.Edition}})", "Role", label, "Edition", ed.Name)
		}
		out = append(out, label)
	}
	return out
}

// AcceptInvite sets the invitee's name and password through the invitation link token, which
// works once (see the function AcceptInvite: field.Errors, ErrTokenInvalid). It returns the user
// and their session epoch for the sign-in that follows.
func (s *Service) AcceptInvite(ctx context.Context, token string, a Acceptance) (userID int64, epoch int, err error) {
	err = db.InTx(ctx, s.Pool, func(tx pgx.Tx) (err error) {
		userID, epoch, err = AcceptInvite(ctx, tx, token, a, s.hash, audit.IPFrom(ctx), s.Now())
		return err
	})
	return userID, epoch, err
}

package account

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// Loaders of the administration's pages (DOMAIN.md, "People and roles": the admin runs accounts
// and roles): each returns everything its page shows, read once.

// NewUserFilter reads the filters of the users list as typed: an unknown role, edition or status
// is no filter.
func NewUserFilter(query, role, editionID, status string, page int) UserFilter {
	f := UserFilter{Query: strings.TrimSpace(query), Page: page}
	if r := authz.Role(role); ValidRole(r) {
		f.Role = r
	}
	f.EditionID, _ = strconv.ParseInt(editionID, 10, 64)
	if ValidStatus(status) {
		f.Status = status
	}
	return f
}

// Any reports whether f filters the list at all.
func (f UserFilter) Any() bool {
	return f.Query != "" || f.Role != "" || f.EditionID != 0 || f.Status != ""
}

// UsersPage is the administrator's list of users: one page of those its filter finds, and the
// editions to filter by.
type UsersPage struct {
	UserList
	Editions []edition.Summary
}

// LoadUsersPage loads the page of users f finds.
func LoadUsersPage(ctx context.Context, q db.DBTX, f UserFilter) (UsersPage, error) {
	list, err := ListUsers(ctx, q, f)
	if err != nil {
		return UsersPage{}, err
	}
	editions, err := edition.List(ctx, q)
	return UsersPage{UserList: list, Editions: editions}, err
}

// UserPage is the administrator's page of one account: its details and role history, the
// editions a role can be granted in, and whether it is the viewing administrator's own account
// (who cannot revoke their own administrator role nor deactivate themselves).
type UserPage struct {
	UserDetails
	Editions []edition.Summary
	Self     bool
}

// LoadUserPage loads the page of userID as viewerID sees it (db.ErrNotFound for no such account).
func LoadUserPage(ctx context.Context, q db.DBTX, userID, viewerID int64) (UserPage, error) {
	d, err := LoadUserDetails(ctx, q, userID)
	if err != nil {
		return UserPage{}, err
	}
	editions, err := edition.List(ctx, q)
	return UserPage{UserDetails: d, Editions: editions, Self: userID == viewerID}, err
}

// Held returns the grant of role in editionID that the account holds now; ErrRoleNotHeld when
// it holds none.
func (d UserDetails) Held(role string, editionID int64) (GrantRecord, error) {
	for _, g := range d.History {
		if g.Active() && string(g.Role) == role && g.EditionID == editionID {
			return g, nil
		}
	}
	return GrantRecord{}, ErrRoleNotHeld
}

// InviteChoices are the editions staff can be invited into, and the current one (0 when there is
// none), which the form offers first.
type InviteChoices struct {
	Editions []edition.Summary
	Current  int64
}

// LoadInviteChoices loads the editions of the invitation form.
func LoadInviteChoices(ctx context.Context, q db.DBTX) (InviteChoices, error) {
	var c InviteChoices
	if e, err := edition.Current(ctx, q); err == nil {
		c.Current = e.ID
	} else if !errors.Is(err, db.ErrNotFound) {
		return c, err
	}
	var err error
	c.Editions, err = edition.List(ctx, q)
	return c, err
}

// CanRevoke reports whether the viewing administrator may revoke the grant g from the account of
// the page: not from an erased account, and not their own administrator role (RevokeRole: ErrSelf).
func (p UserPage) CanRevoke(g GrantRecord) bool {
	return g.Active() && p.ErasedAt == nil && !(p.Self && g.Role == authz.RoleAdmin)
}

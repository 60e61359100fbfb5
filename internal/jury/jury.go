// Package jury is the appointment of an edition's jury by its managers (DOMAIN.md "People and
// roles"): the evaluators with their categories of expertise, the head of the Evaluation
// Committee, the members of the Prize Council and its chair. A manager invites a person by name
// and email (a new account gets the staff invitation of internal/account, an existing one the
// role and an email saying so), follows who accepted and enrolled their second factor, sends
// the invitation again and revokes a role with a reason. The rules of the roles are account's
// (one committee head per edition, the head is also an evaluator); the chair is recorded as
// internal/ballot records it. A manager acts only in the editions they manage
// (authz.CanManageEdition), checked in the service and repeated in SQL, and grants only the
// jury's roles: administrators keep their global control on the administration pages.
package jury

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// Post is a seat of the jury: a role of the edition, or the chair of its council.
type Post string

// The posts a manager appoints to.
const (
	Evaluator     Post = "evaluator"
	CommitteeHead Post = "committee_head"
	Council       Post = "council"
	Chair         Post = "chair"
	// The deputies decide for a category where the head or the chair has a conflict of
	// interest with one of its entries (internal/deputy): the deputy head is an evaluator, the
	// deputy chair a council member.
	DeputyHead  Post = "deputy_committee_head"
	DeputyChair Post = "deputy_chair"
)

// Posts lists the posts in the order the jury page shows them.
var Posts = []Post{Evaluator, CommitteeHead, Council, Chair, DeputyHead, DeputyChair}

// Valid reports whether p is one of the jury's posts.
func (p Post) Valid() bool { return slices.Contains(Posts, p) }

// Label names the post for people: a catalog key (i18n.M), translated where it is shown.
func (p Post) Label() string {
	switch p {
	case Evaluator:
		return i18n.M("Evaluator")
	case CommitteeHead:
		return i18n.M("Head of the Evaluation Committee")
	case Council:
		return i18n.M("Prize Council member")
	case Chair:
		return i18n.M("Chair of the Prize Council")
	case DeputyHead:
		return i18n.M("Deputy head of the Evaluation Committee")
	case DeputyChair:
		return i18n.M("Deputy chair of the Prize Council")
	}
	return account.RoleLabel(authz.Role(p))
}

// Deputy is the post p stands in for (authz.PostHead, authz.PostChair), "" for the other posts.
func (p Post) Deputy() string {
	switch p {
	case DeputyHead:
		return authz.PostHead
	case DeputyChair:
		return authz.PostChair
	}
	return ""
}

// Role is the role holding p grants: the chair and the deputy chair sit on the council, the
// deputy head is an evaluator.
func (p Post) Role() authz.Role {
	switch p {
	case Chair, DeputyChair:
		return authz.RoleCouncil
	case DeputyHead:
		return authz.RoleEvaluator
	}
	return authz.Role(p)
}

// Expert reports whether p judges entries of its categories of expertise (the committee).
func (p Post) Expert() bool { return p == Evaluator || p == CommitteeHead || p == DeputyHead }

// Member is one person of an edition's jury with the posts they hold there.
type Member struct {
	UserID      int64
	Name        string
	Email       string
	Posts       []Post
	Accepted    bool // the account has a password: an invitation was accepted, or there was none
	TwoFactor   bool // a second factor is enrolled
	Deactivated bool
	CategoryIDs []int64 // categories of expertise in the edition
}

// Holds reports whether m holds post p.
func (m Member) Holds(p Post) bool { return slices.Contains(m.Posts, p) }

// managerSQL is the SQL form of authz.CanManageEdition: @actor manages @edition, or is an
// administrator.
const managerSQL = `EXISTS (SELECT 1 FROM role_grants mg WHERE mg.user_id = @actor
	AND (mg.role = 'admin' OR (mg.role = 'manager' AND mg.edition_id = @edition)))`

// Members lists the jury of editionID by name for actorID, who manages it (an empty list for
// anyone else).
func Members(ctx context.Context, q db.DBTX, actorID, editionID int64) ([]Member, error) {
	return members(ctx, q, actorID, editionID, 0)
}

// members is Members, of userID alone when it is not 0.
func members(ctx context.Context, q db.DBTX, actorID, editionID, userID int64) ([]Member, error) {
	return db.List(ctx, q, "jury: members", func(row pgx.CollectableRow) (Member, error) {
		var m Member
		var roles []string
		var chair bool
		var deputies []string
		err := row.Scan(&m.UserID, &m.Name, &m.Email, &m.Accepted, &m.TwoFactor, &m.Deactivated, &roles, &chair, &m.CategoryIDs, &deputies)
		for _, p := range Posts {
			if slices.Contains(roles, string(p)) || p == Chair && chair || p.Deputy() != "" && slices.Contains(deputies, p.Deputy()) {
				m.Posts = append(m.Posts, p)
			}
		}
		return m, err
	}, `
		SELECT u.id, u.name, u.email, NOT u.invitation_pending, u.totp_enabled_at IS NOT NULL, u.deactivated_at IS NOT NULL,
		       array_agg(g.role), bool_or(g.role = 'council') AND EXISTS (
		           SELECT 1 FROM council_chairs ch WHERE ch.edition_id = @edition AND ch.user_id = u.id),
		       ARRAY(SELECT ec.category_id FROM evaluator_categories ec JOIN categories c ON c.id = ec.category_id
		             WHERE ec.user_id = u.id AND c.edition_id = @edition ORDER BY c.position, c.id),
		       ARRAY(SELECT d.post FROM edition_deputies d WHERE d.edition_id = @edition AND d.user_id = u.id ORDER BY d.post)
		FROM role_grants g JOIN users u ON u.id = g.user_id
		WHERE g.edition_id = @edition AND g.role IN ('evaluator', 'committee_head', 'council') AND `+managerSQL+`
		  AND (@user::bigint = 0 OR u.id = @user)
		GROUP BY u.id
		ORDER BY lower(u.name), u.id`, pgx.NamedArgs{"actor": actorID, "edition": editionID, "user": userID})
}

// MemberOf returns one person of editionID's jury for actorID, who manages it (db.ErrNotFound for
// anyone else, and for someone not on the jury).
func MemberOf(ctx context.Context, q db.DBTX, actorID, editionID, userID int64) (Member, error) {
	list, err := members(ctx, q, actorID, editionID, userID)
	if err != nil {
		return Member{}, err
	}
	if len(list) == 0 {
		return Member{}, db.ErrNotFound
	}
	return list[0], nil
}

// manages reports, in SQL, whether actorID manages editionID (managerSQL).
func manages(ctx context.Context, q db.DBTX, actorID, editionID int64) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT `+managerSQL, pgx.NamedArgs{"actor": actorID, "edition": editionID}).Scan(&ok)
	return ok, err
}

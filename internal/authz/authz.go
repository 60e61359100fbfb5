// Package authz is the one place that says who may do what. Every route declares a Policy in the
// route table (internal/server/routes.go); object rules (owner, assignment, conflict of interest)
// are added here as the domains arrive and are repeated as SQL filters in the stores.
package authz

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Role is a staff or applicant role (DOMAIN.md, "People and roles"). Roles are granted per
// edition, except admin, which is global; one person may hold several.
type Role string

// The roles of the portal.
const (
	RoleApplicant     Role = "applicant"
	RoleNominator     Role = "nominator"
	RoleSecretariat   Role = "secretariat"
	RoleEvaluator     Role = "evaluator"
	RoleCommitteeHead Role = "committee_head"
	RoleCouncil       Role = "council"
	RoleAdmin         Role = "admin"
)

// Roles lists every role, in the order the portal shows them.
var Roles = []Role{RoleApplicant, RoleNominator, RoleSecretariat, RoleEvaluator, RoleCommitteeHead, RoleCouncil, RoleAdmin}

// RequiresSecondFactor reports whether holding r requires two-factor sign-in: every staff role
// (secretariat, evaluator, committee head, council, admin) does, applicant and nominator do not
// (README "Accounts and security": staff must sign in with a second factor).
func RequiresSecondFactor(r Role) bool {
	switch r {
	case RoleSecretariat, RoleEvaluator, RoleCommitteeHead, RoleCouncil, RoleAdmin:
		return true
	}
	return false
}

// Grant is one role held by a user, in one edition (EditionID 0 for global roles).
type Grant struct {
	Role      Role
	EditionID int64
}

// Actor is who makes a request: anonymous (UserID 0) or a signed-in user with their grants.
type Actor struct {
	UserID        int64
	Name          string
	EmailVerified bool
	Grants        []Grant
	// Withheld are grants the user holds but this session may not use: staff roles of a
	// session that has not passed the second factor (WithoutSecondFactor).
	Withheld []Grant
	// MustChangePassword is set while the user still has a one-time password: only the
	// password change, two-factor and sign-out pages answer (AllowedBeforePasswordChange).
	MustChangePassword bool
}

// WithoutSecondFactor returns the actor as a session that has not passed the second factor
// sees it: grants of roles that require one (RequiresSecondFactor) are withheld, so no check,
// in a policy or in a handler, lets the session act in a staff role.
func (a Actor) WithoutSecondFactor() Actor {
	var kept, withheld []Grant
	for _, g := range a.Grants {
		if RequiresSecondFactor(g.Role) {
			withheld = append(withheld, g)
		} else {
			kept = append(kept, g)
		}
	}
	a.Grants, a.Withheld = kept, append(a.Withheld, withheld...)
	return a
}

// Anonymous reports whether nobody is signed in.
func (a Actor) Anonymous() bool { return a.UserID == 0 }

// Has reports whether the actor holds role in edition (or globally). Admin is global only.
func (a Actor) Has(role Role, editionID int64) bool {
	return slices.ContainsFunc(a.Grants, func(g Grant) bool {
		return g.Role == role && (g.EditionID == 0 || g.EditionID == editionID)
	})
}

// HasAny reports whether the actor holds role in any edition.
func (a Actor) HasAny(role Role) bool {
	return slices.ContainsFunc(a.Grants, func(g Grant) bool { return g.Role == role })
}

// Errors a policy check returns; the server maps them to 401 and 403 pages.
var (
	ErrUnauthenticated = errors.New("authz: sign-in required")
	ErrForbidden       = errors.New("authz: forbidden")
	// ErrSecondFactorRequired means the actor holds a role the route needs, but this session
	// has not passed the second factor that the role requires.
	ErrSecondFactorRequired = errors.New("authz: second factor required")
)

// Policy is the access rule of a route.
type Policy struct {
	name   string
	public bool
	roles  []Role
}

// Public lets anyone in, signed in or not. Routes using it must be listed as public routes.
var Public = Policy{name: "public", public: true}

// SignedIn lets in any signed-in user.
var SignedIn = Policy{name: "signed-in"}

// AnyRole lets in a signed-in user holding at least one of roles (in any edition; object and
// edition checks follow in the handler through this package).
func AnyRole(roles ...Role) Policy {
	name := "role:"
	for i, r := range roles {
		if i > 0 {
			name += "|"
		}
		name += string(r)
	}
	return Policy{name: name, roles: roles}
}

// Name describes the policy (for logs and the route listing).
func (p Policy) Name() string { return p.name }

// IsPublic reports whether the policy admits anonymous visitors.
func (p Policy) IsPublic() bool { return p.public }

// Defined reports whether the policy was set (the zero Policy is not a policy).
func (p Policy) Defined() bool { return p.name != "" }

// Check decides whether actor may pass.
func (p Policy) Check(actor Actor) error {
	switch {
	case !p.Defined():
		return ErrForbidden
	case p.public:
		return nil
	case actor.Anonymous():
		return ErrUnauthenticated
	case len(p.roles) == 0:
		return nil
	}
	for _, r := range p.roles {
		if actor.HasAny(r) {
			return nil
		}
	}
	for _, g := range actor.Withheld {
		if slices.Contains(p.roles, g.Role) {
			return ErrSecondFactorRequired
		}
	}
	return ErrForbidden
}

type actorKey struct{}

// WithActor returns a context carrying actor.
func WithActor(ctx context.Context, actor Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the request's actor (anonymous when none was set).
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// CanManageApplications reports whether actor may list the applications of an edition and
// grant or revoke their deadline extensions: the secretariat of that edition (DOMAIN.md "People
// and roles"). An admin does not, unless they also hold the secretariat role there. The stores
// repeat this as an SQL filter.
func CanManageApplications(actor Actor, editionID int64) bool {
	return editionID != 0 && actor.Has(RoleSecretariat, editionID)
}

// CanSeeClarifications reports whether actor may read the clarification thread of an entry of
// edition editionID at now (issue 6 "Done when": evaluators and council see the clarification
// thread only from round 2 on): the secretariat of that edition at any time; its evaluators,
// committee head and council from scoringStart, the start of round 2 (DOMAIN.md "Round 2").
// The applicant sees their own questions and answers through the owner filter instead. The
// store repeats this as an SQL filter (internal/clarify).
func CanSeeClarifications(actor Actor, editionID int64, now, scoringStart time.Time) bool {
	if editionID == 0 {
		return false
	}
	if actor.Has(RoleSecretariat, editionID) {
		return true
	}
	if now.Before(scoringStart) {
		return false
	}
	return actor.Has(RoleEvaluator, editionID) || actor.Has(RoleCommitteeHead, editionID) || actor.Has(RoleCouncil, editionID)
}

// CanSeeThread reports whether actor may read the clarification thread of one entry of
// editionID at now: CanSeeClarifications, and an evaluator who is neither committee head, council
// member nor secretariat of the edition only for an entry assigned to them (assigned: an active
// assignment; issue 7: evaluators see only the entries assigned to them, never a conflicted
// one). The store repeats this as an SQL filter (internal/clarify).
func CanSeeThread(actor Actor, editionID int64, now, scoringStart time.Time, assigned bool) bool {
	if !CanSeeClarifications(actor, editionID, now, scoringStart) {
		return false
	}
	return assigned || actor.Has(RoleSecretariat, editionID) || actor.Has(RoleCommitteeHead, editionID) || actor.Has(RoleCouncil, editionID)
}

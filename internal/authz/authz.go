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
	RoleApplicant   Role = "applicant"
	RoleNominator   Role = "nominator"
	RoleSecretariat Role = "secretariat"
	// RoleManager holds the per-edition permission "manage the edition": edit the edition, copy
	// it into the next one, publish it, and appoint its jury (the edition studio).
	RoleManager       Role = "manager"
	RoleEvaluator     Role = "evaluator"
	RoleCommitteeHead Role = "committee_head"
	RoleCouncil       Role = "council"
	RoleAdmin         Role = "admin"
)

// Roles lists every role, in the order the portal shows them.
var Roles = []Role{RoleApplicant, RoleNominator, RoleSecretariat, RoleManager, RoleEvaluator, RoleCommitteeHead, RoleCouncil, RoleAdmin}

// RequiresSecondFactor reports whether holding r requires two-factor sign-in: every staff role
// (secretariat, manager, evaluator, committee head, council, admin) does, applicant and nominator do not
// (README "Accounts and security": staff must sign in with a second factor).
func RequiresSecondFactor(r Role) bool {
	switch r {
	case RoleSecretariat, RoleManager, RoleEvaluator, RoleCommitteeHead, RoleCouncil, RoleAdmin:
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
	// Language is the language the user chose ("" for none); LanguageSeen the one their pages
	// were last shown in.
	Language, LanguageSeen string
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
	// edition, when set, scopes the route to one edition its actor serves (InEdition).
	edition *EditionRule
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

// InEdition lets in a signed-in user who serves some edition by rule (holding, in any edition,
// one of the roles rule.ActingAs names, else one of its roles), and scopes the route to one
// edition: the server resolves ?edition=ID, or the newest edition the actor serves, and forbids
// an edition the actor does not serve by rule (or does not act in, with ActingAs).
func InEdition(rule EditionRule) Policy {
	p := AnyRole(rule.needed()...)
	p.name = "edition:" + rule.name + "(" + p.name + ")"
	p.edition = &rule
	return p
}

// Edition is the edition rule of a route scoped by InEdition.
func (p Policy) Edition() (EditionRule, bool) {
	if p.edition == nil {
		return EditionRule{}, false
	}
	return *p.edition, true
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
	return Secretariat.Serves(actor, editionID)
}

// CanManageEdition reports whether actor may change edition editionID, publish it, copy it and
// appoint its jury: its managers, and administrators (who hold the role everywhere). A draft
// edition is visible to them alone.
func CanManageEdition(actor Actor, editionID int64) bool {
	return EditionManagers.Serves(actor, editionID)
}

// CanManageCommittee reports whether actor may manage the Evaluation Committee of an edition, its
// assignments, and follow its scoring: the secretariat or the committee head of that edition
// (DOMAIN.md "Round 2"). internal/committee and internal/scoring repeat it as SQL filters.
func CanManageCommittee(actor Actor, editionID int64) bool {
	return CommitteeManagers.Serves(actor, editionID)
}

// CanDeclare reports whether actor may declare their own conflicts of interest in an edition and
// answer the conflicts the portal found for them there: its evaluators, committee head and
// council members (DOMAIN.md "People and roles": no one judges an entry they are tied to).
// internal/conflict repeats it as an SQL filter.
func CanDeclare(actor Actor, editionID int64) bool {
	return Declarers.Serves(actor, editionID)
}

// IsCommitteeHead reports whether actor is the committee head of an edition, who alone chooses
// the aggregation, closes round 2 and proposes the semi-finalists (DOMAIN.md "Round 2").
func IsCommitteeHead(actor Actor, editionID int64) bool {
	return editionID != 0 && actor.Has(RoleCommitteeHead, editionID)
}

// MayExport reports whether actor may ask for (and download) an export of kind (internal/export's
// Kind) in edition editionID (DOMAIN.md "Data and publication"): the applications and the
// ballots, the secretariat and the council; the scores, the secretariat and the committee head;
// the audit log, admins; the decision pack, the secretariat; the assigned entries, the committee.
// The exports page is open to every staff role (Exporters); internal/export repeats this in SQL.
func MayExport(actor Actor, editionID int64, kind string) bool {
	has := func(roles ...Role) bool { return hasIn(actor, editionID, roles) }
	switch kind {
	case "applications", "votes":
		return has(RoleSecretariat, RoleCouncil)
	case "scores":
		return has(RoleSecretariat, RoleCommitteeHead)
	case "audit":
		return actor.Has(RoleAdmin, 0)
	case "pack":
		return has(RoleSecretariat)
	case "assigned":
		return has(RoleEvaluator, RoleCommitteeHead)
	}
	return false
}

// ReadsAllAnalytics reports whether actor reads the whole analysis of edition editionID at any
// time: its secretariat, committee head and council (DOMAIN.md "Round 2": the analysis is shared
// with the committee and the council). Its other evaluators read it only for the categories they
// score, once round 2 is closed, without the other evaluators' names; internal/analytics repeats
// both in SQL.
func ReadsAllAnalytics(actor Actor, editionID int64) bool {
	return hasIn(actor, editionID, []Role{RoleSecretariat, RoleCommitteeHead, RoleCouncil})
}

// CanSeeClarifications reports whether actor may read the clarification thread of an entry of
// edition editionID at now (DOMAIN.md "Round 1" and "Round 2": evaluators and council see the clarification
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
// assignment; DOMAIN.md "Round 2": evaluators see only the entries assigned to them, never a conflicted
// one). A committee head or council member in conflict with the entry (conflicted: a declared or
// found conflict of interest not explained) does not read it, unless they are of the secretariat
// too: no one judges an entry they are tied to. The store repeats this as an SQL filter
// (internal/clarify).
func CanSeeThread(actor Actor, editionID int64, now, scoringStart time.Time, assigned, conflicted bool) bool {
	if !CanSeeClarifications(actor, editionID, now, scoringStart) {
		return false
	}
	if actor.Has(RoleSecretariat, editionID) {
		return true
	}
	return !conflicted && (assigned || actor.Has(RoleCommitteeHead, editionID) || actor.Has(RoleCouncil, editionID))
}

// EditionRule says who serves an edition (DOMAIN.md "People and roles": staff roles are granted
// per edition): the actors holding one of its roles there. The editions an actor serves are the
// ones an edition-scoped page offers (InEdition). ActingAs narrows who may act in the chosen one.
type EditionRule struct {
	name   string
	roles  []Role
	acting []Role
}

// ServedBy is the rule "one of roles in the edition".
func ServedBy(name string, roles ...Role) EditionRule {
	return EditionRule{name: name, roles: roles}
}

// ActingAs is r where only the actors holding one of roles in the chosen edition may act (the
// others among those it serves see the edition offered, and are forbidden).
func (r EditionRule) ActingAs(name string, roles ...Role) EditionRule {
	r.name, r.acting = name, roles
	return r
}

// Name names the rule (for the route listing).
func (r EditionRule) Name() string { return r.name }

// Serves reports whether actor holds one of r's roles in edition editionID.
func (r EditionRule) Serves(actor Actor, editionID int64) bool {
	return hasIn(actor, editionID, r.roles)
}

// ServesIn reports whether actor holds one of r's roles in edition editionID, or in any edition
// when editionID is 0 (a page outside an edition's scope).
func (r EditionRule) ServesIn(actor Actor, editionID int64) bool {
	if editionID == 0 {
		return slices.ContainsFunc(r.roles, actor.HasAny)
	}
	return r.Serves(actor, editionID)
}

// Acts reports whether actor may act in edition editionID under r: Serves, and with ActingAs
// one of its roles there too.
func (r EditionRule) Acts(actor Actor, editionID int64) bool {
	return r.Serves(actor, editionID) && (r.acting == nil || hasIn(actor, editionID, r.acting))
}

func (r EditionRule) needed() []Role {
	if r.acting != nil {
		return r.acting
	}
	return r.roles
}

func hasIn(actor Actor, editionID int64, roles []Role) bool {
	return editionID != 0 && slices.ContainsFunc(roles, func(role Role) bool { return actor.Has(role, editionID) })
}

// The edition rules of the staff pages (DOMAIN.md "People and roles").
var (
	// Secretariat: the secretariat of the edition runs round 1 and the prize's administration
	// (CanManageApplications).
	Secretariat = ServedBy("secretariat", RoleSecretariat)
	// CommitteeManagers: the secretariat and the committee head manage the Evaluation Committee,
	// its assignments, and follow the scoring (CanManageCommittee).
	CommitteeManagers = ServedBy("committee-managers", RoleSecretariat, RoleCommitteeHead)
	// Declarers: evaluators, the committee head and the council declare their own conflicts of
	// interest and answer those the portal found (CanDeclare).
	Declarers = ServedBy("declarers", RoleEvaluator, RoleCommitteeHead, RoleCouncil)
	// RankingStaff: the committee head and the secretariat follow the ranking of round 2 and add
	// an entry by exception; RankingHead: only the committee head acts on the ranking itself
	// (IsCommitteeHead).
	RankingStaff = ServedBy("ranking-staff", RoleCommitteeHead, RoleSecretariat)
	RankingHead  = RankingStaff.ActingAs("ranking-head", RoleCommitteeHead)
	// RankingDeciders: the organisers and the evaluators, among whom the deputy head decides for
	// a category where the head is conflicted (Seat; checked in SQL by internal/deputy): the
	// ranking page and the per-category acts (propose, decide a tie, add, confirm).
	RankingDeciders       = ServedBy("ranking-deciders", RoleCommitteeHead, RoleSecretariat, RoleEvaluator)
	RankingCategoryActors = RankingDeciders.ActingAs("ranking-category", RoleCommitteeHead, RoleEvaluator)
	// CouncilMembers: the Prize Council votes (the membership and the chair are checked in SQL);
	// CouncilSecretariat: the council and the secretariat read the dossiers and the protocol.
	CouncilMembers     = ServedBy("council", RoleCouncil)
	CouncilSecretariat = ServedBy("council-secretariat", RoleCouncil, RoleSecretariat)
	// AwardReaders: the council, the committee head and the secretariat read the awards;
	// AwardInvalidators: the council (its chair, checked in SQL) and the committee head
	// invalidate one.
	AwardReaders      = ServedBy("award-readers", RoleCouncil, RoleCommitteeHead, RoleSecretariat)
	AwardInvalidators = AwardReaders.ActingAs("award-invalidators", RoleCouncil, RoleCommitteeHead)
	// AnalyticsReaders: the secretariat, the committee head and the council read the analytics;
	// the evaluators those of their categories once round 2 is closed (ReadsAllAnalytics).
	AnalyticsReaders = ServedBy("analytics-readers", RoleSecretariat, RoleCommitteeHead, RoleCouncil, RoleEvaluator)
	// EditionManagers: the managers of the edition and the administrators edit it, publish it,
	// copy it and appoint its jury (CanManageEdition).
	EditionManagers = ServedBy("edition-managers", RoleManager, RoleAdmin)
	// EditionStaff: the managers of the edition, the administrators and its secretariat see the
	// edition at a glance (the staff home: its timeline, counts and what needs action now).
	EditionStaff = ServedBy("edition-staff", RoleManager, RoleAdmin, RoleSecretariat)
	// Exporters: every staff role opens the exports page (MayExport says which exports).
	Exporters = ServedBy("exporters", RoleSecretariat, RoleCommitteeHead, RoleEvaluator, RoleCouncil, RoleAdmin)
)

package authz

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPolicyCheck(t *testing.T) {
	anon := Actor{}
	applicant := Actor{UserID: 1, Grants: []Grant{{RoleApplicant, 7}}}
	admin := Actor{UserID: 2, Grants: []Grant{{RoleAdmin, 0}}}
	tests := []struct {
		name   string
		policy Policy
		actor  Actor
		want   error
	}{
		{"public admits anonymous", Public, anon, nil},
		{"signed-in refuses anonymous", SignedIn, anon, ErrUnauthenticated},
		{"signed-in admits applicant", SignedIn, applicant, nil},
		{"role refuses anonymous with 401", AnyRole(RoleAdmin), anon, ErrUnauthenticated},
		{"role refuses other role", AnyRole(RoleAdmin), applicant, ErrForbidden},
		{"role admits holder", AnyRole(RoleAdmin), admin, nil},
		{"any of several roles", AnyRole(RoleSecretariat, RoleApplicant), applicant, nil},
		{"zero policy refuses everyone", Policy{}, admin, ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.policy.Check(tt.actor); !errors.Is(got, tt.want) {
				t.Fatalf("Check = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHasIsPerEdition(t *testing.T) {
	a := Actor{UserID: 1, Grants: []Grant{{RoleEvaluator, 7}, {RoleAdmin, 0}}}
	if !a.Has(RoleEvaluator, 7) || a.Has(RoleEvaluator, 8) {
		t.Fatal("evaluator grant must hold in edition 7 only")
	}
	if !a.Has(RoleAdmin, 8) {
		t.Fatal("a global grant holds in every edition")
	}
}

func TestActorContext(t *testing.T) {
	if !ActorFrom(context.Background()).Anonymous() {
		t.Fatal("no actor must mean anonymous")
	}
	ctx := WithActor(context.Background(), Actor{UserID: 3})
	if ActorFrom(ctx).UserID != 3 {
		t.Fatal("actor lost")
	}
}

func TestCanSeeClarifications(t *testing.T) {
	start := time.Date(2023, 6, 30, 15, 0, 0, 0, time.UTC) // round 2 starts
	before, after := start.Add(-time.Second), start
	actor := func(role Role, ed int64) Actor { return Actor{UserID: 1, Grants: []Grant{{role, ed}}} }
	tests := []struct {
		name  string
		actor Actor
		now   time.Time
		want  bool
	}{
		{"secretariat in round 1", actor(RoleSecretariat, 7), before, true},
		{"secretariat in round 2", actor(RoleSecretariat, 7), after, true},
		{"another edition's secretariat", actor(RoleSecretariat, 8), after, false},
		{"evaluator before round 2", actor(RoleEvaluator, 7), before, false},
		{"evaluator from round 2", actor(RoleEvaluator, 7), after, true},
		{"another edition's evaluator", actor(RoleEvaluator, 8), after, false},
		{"committee head before round 2", actor(RoleCommitteeHead, 7), before, false},
		{"committee head from round 2", actor(RoleCommitteeHead, 7), after, true},
		{"council before round 2", actor(RoleCouncil, 7), before, false},
		{"council from round 2", actor(RoleCouncil, 7), after, true},
		{"applicant never", actor(RoleApplicant, 7), after, false},
		{"nominator never", actor(RoleNominator, 7), after, false},
		{"admin alone never", actor(RoleAdmin, 0), after, false},
		{"anonymous never", Actor{}, after, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanSeeClarifications(tt.actor, 7, tt.now, start); got != tt.want {
				t.Fatalf("CanSeeClarifications = %v, want %v", got, tt.want)
			}
		})
	}
	if CanSeeClarifications(actor(RoleSecretariat, 7), 0, after, start) {
		t.Fatal("edition 0 must admit nobody")
	}
}

func TestCanSeeThread(t *testing.T) {
	start := time.Date(2023, 6, 30, 15, 0, 0, 0, time.UTC)
	before, after := start.Add(-time.Second), start
	actor := func(roles ...Role) Actor {
		a := Actor{UserID: 1}
		for _, r := range roles {
			a.Grants = append(a.Grants, Grant{r, 7})
		}
		return a
	}
	tests := []struct {
		name       string
		actor      Actor
		now        time.Time
		assigned   bool
		conflicted bool
		want       bool
	}{
		{"evaluator, assigned entry", actor(RoleEvaluator), after, true, false, true},
		{"evaluator, another entry", actor(RoleEvaluator), after, false, false, false},
		{"evaluator, assigned, before round 2", actor(RoleEvaluator), before, true, false, false},
		{"evaluator and council member, another entry", actor(RoleEvaluator, RoleCouncil), after, false, false, true},
		{"committee head, any entry", actor(RoleCommitteeHead), after, false, false, true},
		{"committee head, a conflicted entry", actor(RoleCommitteeHead), after, false, true, false},
		{"council member, a conflicted entry", actor(RoleCouncil), after, false, true, false},
		{"secretariat, any entry in round 1", actor(RoleSecretariat), before, false, false, true},
		{"secretariat and committee head, a conflicted entry", actor(RoleSecretariat, RoleCommitteeHead), after, false, true, true},
		{"applicant, even assigned", actor(RoleApplicant), after, true, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CanSeeThread(tt.actor, 7, tt.now, start, tt.assigned, tt.conflicted); got != tt.want {
				t.Fatalf("CanSeeThread = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestWithoutSecondFactor: a session that has not passed the second factor keeps the roles that
// need none and is told to give it for a route of a staff role it holds.
func TestWithoutSecondFactor(t *testing.T) {
	a := Actor{UserID: 1, Grants: []Grant{{Role: RoleApplicant, EditionID: 1}, {Role: RoleEvaluator, EditionID: 1}}}
	b := a.WithoutSecondFactor()
	if !b.Has(RoleApplicant, 1) || b.HasAny(RoleEvaluator) {
		t.Fatalf("grants %v, withheld %v", b.Grants, b.Withheld)
	}
	if err := AnyRole(RoleEvaluator).Check(b); !errors.Is(err, ErrSecondFactorRequired) {
		t.Fatalf("evaluator route: %v", err)
	}
	if err := AnyRole(RoleSecretariat).Check(b); !errors.Is(err, ErrForbidden) {
		t.Fatalf("secretariat route: %v", err)
	}
	if err := AnyRole(RoleApplicant).Check(b); err != nil {
		t.Fatalf("applicant route: %v", err)
	}
}

// TestInEdition: an edition-scoped policy lets in the holders of its roles somewhere (the
// acting roles when narrower), carries its rule, and the rule serves and acts per edition.
func TestInEdition(t *testing.T) {
	sec := Actor{UserID: 1, Grants: []Grant{{RoleSecretariat, 7}}}
	head := Actor{UserID: 2, Grants: []Grant{{RoleCommitteeHead, 8}, {RoleSecretariat, 7}}}
	admin := Actor{UserID: 3, Grants: []Grant{{RoleAdmin, 0}}}
	if err := InEdition(RankingStaff).Check(sec); err != nil {
		t.Errorf("ranking staff refuses the secretariat: %v", err)
	}
	if err := InEdition(RankingHead).Check(sec); !errors.Is(err, ErrForbidden) {
		t.Errorf("ranking head admits the secretariat: %v", err)
	}
	if err := InEdition(RankingHead).Check(Actor{}); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("anonymous: %v", err)
	}
	rule, ok := InEdition(RankingHead).Edition()
	if !ok || rule.Name() != "ranking-head" {
		t.Fatalf("rule %q %v", rule.Name(), ok)
	}
	if _, ok := AnyRole(RoleSecretariat).Edition(); ok {
		t.Error("a role policy has an edition rule")
	}
	// The head's rule offers the editions it serves with the secretariat, and acts in its own.
	if !rule.Serves(head, 7) || !rule.Serves(head, 8) || rule.Serves(head, 9) || rule.Serves(head, 0) {
		t.Error("serves")
	}
	if rule.Acts(head, 7) || !rule.Acts(head, 8) {
		t.Error("acts")
	}
	if !Secretariat.Acts(sec, 7) || Secretariat.Acts(sec, 8) || !CanManageApplications(sec, 7) {
		t.Error("secretariat")
	}
	// Admin is global: it serves every edition among the exporters, and no secretariat's.
	if !Exporters.Serves(admin, 7) || Exporters.Serves(admin, 0) || Secretariat.Serves(admin, 7) {
		t.Error("admin")
	}
	if !CanManageCommittee(head, 8) || !CanManageCommittee(head, 7) || CanManageCommittee(sec, 8) || !IsCommitteeHead(head, 8) || IsCommitteeHead(head, 7) {
		t.Error("committee")
	}
}

// TestMayExport: each export kind to the roles of its edition (the audit log to admins).
func TestMayExport(t *testing.T) {
	sec := Actor{UserID: 1, Grants: []Grant{{RoleSecretariat, 7}}}
	ev := Actor{UserID: 2, Grants: []Grant{{RoleEvaluator, 7}}}
	admin := Actor{UserID: 3, Grants: []Grant{{RoleAdmin, 0}}}
	for _, c := range []struct {
		actor Actor
		ed    int64
		kind  string
		want  bool
	}{
		{sec, 7, "applications", true}, {sec, 8, "applications", false}, {sec, 7, "pack", true}, {sec, 7, "assigned", false},
		{ev, 7, "assigned", true}, {ev, 7, "scores", false}, {admin, 7, "audit", true}, {sec, 7, "audit", false}, {sec, 7, "other", false},
	} {
		if got := MayExport(c.actor, c.ed, c.kind); got != c.want {
			t.Errorf("MayExport(%d, %d, %s) = %v", c.actor.UserID, c.ed, c.kind, got)
		}
	}
}

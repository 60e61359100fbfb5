package authz

import (
	"context"
	"errors"
	"testing"
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

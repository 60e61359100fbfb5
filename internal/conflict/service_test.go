package conflict_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/committee"
	"prizeportal/internal/conflict"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
)

func (w *world) service() *conflict.Service {
	return conflict.NewService(w.pool, func() time.Time { return now }, committee.EndConflicted)
}

// actor is user id with role in the world's edition.
func (w *world) actor(id int64, role authz.Role) authz.Actor {
	return authz.Actor{UserID: id, Grants: []authz.Grant{{Role: role, EditionID: w.ed.ID}}}
}

// serviceWorld is a new world, its conflict service and the actor in role of the world's
// secretariat member or, for RoleEvaluator, its evaluator.
func serviceWorld(t *testing.T, role authz.Role) (*world, *conflict.Service, authz.Actor) {
	t.Helper()
	w := newWorld(t)
	id := w.staff
	if role == authz.RoleEvaluator {
		id = w.evaluator
	}
	return w, w.service(), w.actor(id, role)
}

func (w *world) audited(action string) int {
	w.t.Helper()
	return dbtest.Count(w.t, w.pool, `SELECT count(*) FROM audit_log WHERE action = $1`, action)
}

// TestServiceRegistry: adding, changing and removing a registry organisation each writes its
// audit entry and re-flags the edition's entries in the same transaction; only the edition's
// secretariat keeps its registry.
func TestServiceRegistry(t *testing.T) {
	t.Parallel()
	w, s, sec := serviceWorld(t, authz.RoleSecretariat)
	ctx := context.Background()
	id := w.entry(applicant{name: "Kim", email: "kim@wego-net.org", org: "WeGO", city: "Seoul", country: "KR"})

	if _, err := s.AddOrganisation(ctx, sec, w.other.ID, conflict.Input{Name: "WeGO"}); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("another edition's registry: %v", err)
	}
	var errs field.Errors
	if _, err := s.AddOrganisation(ctx, sec, w.ed.ID, conflict.Input{}); !errors.As(err, &errs) || errs.Get("name") == "" {
		t.Fatalf("no name: %v", err)
	}
	o, err := s.AddOrganisation(ctx, sec, w.ed.ID, conflict.Input{Name: "World Smart Sustainable Cities Organization", Aliases: "WeGO"})
	if err != nil {
		t.Fatal(err)
	}
	if f := w.flags(conflict.FlagRegistry); len(f[id]) == 0 {
		t.Fatalf("entry not flagged: %v", f)
	}
	if _, ed, err := conflict.LoadOrganisation(ctx, w.pool, sec, o.ID); err != nil || ed.ID != w.ed.ID {
		t.Fatalf("load: %v", err)
	}
	if _, _, err := conflict.LoadOrganisation(ctx, w.pool, authz.Actor{UserID: w.evaluator}, o.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("load by an evaluator: %v", err)
	}
	if _, err := s.UpdateOrganisation(ctx, sec, o.ID, conflict.Input{Name: "Another Organisation"}); err != nil {
		t.Fatal(err)
	}
	if f := w.flags(conflict.FlagRegistry); len(f[id]) != 0 {
		t.Fatalf("flag kept after the change: %v", f)
	}
	if _, err := s.RemoveOrganisation(ctx, sec, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveOrganisation(ctx, sec, o.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("removing twice: %v", err)
	}
	for _, a := range []string{"conflict.organisation.add", "conflict.organisation.update", "conflict.organisation.delete"} {
		if n := w.audited(a); n != 1 {
			t.Errorf("%s: %d audit entries", a, n)
		}
	}
}

// TestServiceDeclarations: an evaluator declares and withdraws for an edition they serve, each
// audited and re-flagging; nobody else declares or withdraws theirs.
func TestServiceDeclarations(t *testing.T) {
	t.Parallel()
	w, s, ev := serviceWorld(t, authz.RoleEvaluator)
	ctx := context.Background()
	id := w.entry(applicant{name: "Kim", email: "kim@seoul.go.kr", org: "Seoul Metropolitan Government", city: "Seoul", country: "KR"})

	if _, err := s.Declare(ctx, ev, w.other.ID, conflict.Input{Kind: conflict.KindCity, Name: "Seoul", Country: "KR"}); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("another edition: %v", err)
	}
	d, err := s.Declare(ctx, ev, w.ed.ID, conflict.Input{Kind: conflict.KindCity, Name: "Seoul", Country: "KR"})
	if err != nil {
		t.Fatal(err)
	}
	if f := w.flags(conflict.FlagEvaluator); len(f[id]) == 0 {
		t.Fatalf("entry not flagged: %v", f)
	}
	other := w.actor(w.staff, authz.RoleEvaluator)
	if _, err := s.Withdraw(ctx, other, d.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("withdrawing another's declaration: %v", err)
	}
	if _, err := s.Withdraw(ctx, ev, d.ID); err != nil {
		t.Fatal(err)
	}
	if f := w.flags(conflict.FlagEvaluator); len(f[id]) != 0 {
		t.Fatalf("flag kept after withdrawal: %v", f)
	}
	if w.audited("conflict.declaration.add") != 1 || w.audited("conflict.declaration.remove") != 1 {
		t.Fatal("declarations not audited")
	}
}

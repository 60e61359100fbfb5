package committee_test

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/committee"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
)

func (w *world) svc() *committee.Service {
	return committee.NewService(w.pool, func() time.Time { return now })
}

func (w *world) actor(id int64, role authz.Role) authz.Actor {
	return authz.Actor{UserID: id, Grants: []authz.Grant{{Role: role, EditionID: w.ed.ID}}}
}

func (w *world) count(sql string, args ...any) int {
	w.t.Helper()
	return dbtest.Count(w.t, w.pool, sql, args...)
}

// TestServiceExpertiseAndAssignments: the secretariat sets a member's expertise, runs the
// automatic assignment, assigns and removes by hand, each audited; an evaluator may do none of it.
func TestServiceExpertiseAndAssignments(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	s := w.svc()
	sec := w.actor(w.staff, authz.RoleSecretariat)
	ev := w.evaluator("eva", "FR")
	other := w.evaluator("evb", "FR", "tech-innovacity")
	app := w.entry("tech-innovacity", "Org A", "Lyon", "FR")

	name, err := s.SetExpertise(w.ctx, sec, w.ed, ev, []int64{w.cat("tech-innovacity")})
	if err != nil || name != "eva" {
		t.Fatalf("expertise: %q, %v", name, err)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'committee.expertise' AND object_id = $1`, strconv.FormatInt(ev, 10)); n != 1 {
		t.Fatalf("%d expertise entries audited", n)
	}
	var errs field.Errors
	if _, err := s.SetExpertise(w.ctx, sec, w.ed, ev, []int64{999999}); !errors.As(err, &errs) || errs.Get("categories") == "" {
		t.Fatalf("a foreign category: %v", err)
	}
	if _, err := s.SetExpertise(w.ctx, w.actor(ev, authz.RoleEvaluator), w.ed, ev, nil); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an evaluator sets expertise: %v", err)
	}

	if _, err := s.AutoAssign(w.ctx, w.actor(ev, authz.RoleEvaluator), w.ed); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("an evaluator runs the assignment: %v", err)
	}
	res, err := s.AutoAssign(w.ctx, sec, w.ed)
	if err != nil || len(res.Created) != 2 || len(res.Unfilled) != 1 {
		t.Fatalf("automatic assignment: %+v, %v", res, err)
	}
	b, err := s.Board(w.ctx, sec, w.ed)
	if err != nil || len(b.Loads) != 3 || len(b.Coverage) != 1 || b.Coverage[0].Assigned() != 2 {
		t.Fatalf("board: %+v, %v", b, err)
	}

	var id int64
	if err := w.pool.QueryRow(w.ctx, `SELECT id FROM assignments WHERE application_id = $1 AND evaluator_id = $2`, app, other).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Remove(w.ctx, w.actor(ev, authz.RoleEvaluator), id, "No."); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an evaluator removes: %v", err)
	}
	if a, err := s.Remove(w.ctx, sec, id, " "); !errors.As(err, &errs) || errs.Get("reason") == "" || a.ID != id {
		t.Fatalf("removal without a reason: %+v, %v", a, err)
	}
	if _, err := s.Remove(w.ctx, sec, id, "Too many entries"); err != nil {
		t.Fatal(err)
	}
	if a, err := s.Remove(w.ctx, sec, id, "Again"); !errors.Is(err, committee.ErrEnded) || a.ApplicationID != app {
		t.Fatalf("removing again: %+v, %v", a, err)
	}

	// By hand: refused for another edition's entry, and for a removed evaluator's duplicate.
	head := w.actor(w.head, authz.RoleCommitteeHead)
	a, err := s.Assign(w.ctx, head, w.ed, app, w.head, "The head reads French.")
	if err != nil || a.EditionID != w.ed.ID || a.AssignedBy != w.head {
		t.Fatalf("manual assignment: %+v, %v", a, err)
	}
	if _, err := s.Assign(w.ctx, head, w.ed, app, w.head, "Again"); !errors.As(err, &errs) || errs.Get("evaluator") == "" {
		t.Fatalf("duplicate manual assignment: %v", err)
	}
	if _, err := s.Assign(w.ctx, head, w.ed, 0, 0, " "); !errors.As(err, &errs) || len(errs) != 3 ||
		errs.Get("entry") != "Choose an entry of round 2." || errs.Get("evaluator") != "Choose a member of the committee." {
		t.Fatalf("empty manual assignment: %v", err)
	}
	for action, want := range map[string]int{"committee.assignment.auto": 1, "committee.assignment.remove": 1, "committee.assignment.add": 1} {
		if n := w.count(`SELECT count(*) FROM audit_log WHERE action = $1`, action); n != want {
			t.Errorf("%s audited %d times, want %d", action, n, want)
		}
	}
}

// TestEvaluatorNames: the secretariat and the committee head read the evaluators by name;
// the council, and an evaluator, read "Evaluator n".
func TestEvaluatorNames(t *testing.T) {
	t.Parallel()
	const ed = 7
	for role, named := range map[authz.Role]bool{authz.RoleSecretariat: true, authz.RoleCommitteeHead: true,
		authz.RoleCouncil: false, authz.RoleEvaluator: false} {
		a := authz.Actor{UserID: 1, Grants: []authz.Grant{{Role: role, EditionID: ed}}}
		if got := committee.SeesEvaluatorNames(a, ed); got != named {
			t.Errorf("%s sees the names: %v, want %v", role, got, named)
		}
		if committee.SeesEvaluatorNames(a, ed+1) {
			t.Errorf("%s sees the names in another edition", role)
		}
	}
	if got := committee.EvaluatorLabel(3); got != "Evaluator 3" {
		t.Errorf("label: %q", got)
	}
}

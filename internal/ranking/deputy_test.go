package ranking_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/ranking"
	rt "prizeportal/internal/ranking/rankingtest"
)

// TestDeputyHead: the head declared a conflict with an entry of Tech-InnovaCity. The head's
// decisions for that category are refused, saying a deputy must be named, then naming the
// deputy; the head still closes the round and decides for Human-CentriCity. The deputy head
// proposes, decides the tie and confirms Tech-InnovaCity (audited acting as deputy), sees only
// that category, and is refused on Human-CentriCity.
func TestDeputyHead(t *testing.T) {
	t.Parallel()
	pool, ed, tech, ev := setupWithEvaluator(t)
	ctx := context.Background()
	hc, _ := ed.Category("human-centricity")
	ids := tiedAtTheCut(t, pool, ed, ev)
	rt.Sheet(t, pool, rt.Entry(t, pool, ed.ID, "human-centricity", "hc1", "H1"), ev, rt.All(4), true)
	headID := rt.Evaluator(t, pool, ed.ID, "head", "committee_head")
	depID := rt.Evaluator(t, pool, ed.ID, "dep", "evaluator")
	dbtest.Exec(t, pool, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at)
		VALUES ($1, $2, 'organisation', 'Org t1', now())`, ed.ID, headID)
	s := &ranking.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return now })}
	head := authz.Actor{UserID: headID, Grants: []authz.Grant{{Role: authz.RoleCommitteeHead, EditionID: ed.ID}}}
	dep := authz.Actor{UserID: depID, Grants: []authz.Grant{{Role: authz.RoleEvaluator, EditionID: ed.ID}}}

	if err := s.SetMethod(ctx, head, ed, ranking.Mean); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx, head, ed, "Every sheet is in."); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Propose(ctx, head, ed); err != nil || n != 1 {
		t.Fatalf("the head proposes Human-CentriCity alone: %d, %v", n, err)
	}
	err := s.DecideTie(ctx, head, ed, tech, ids[5], "Stronger data ethics")
	if !errors.Is(err, authz.ErrForbidden) || !strings.Contains(message(err), "a deputy head of the Evaluation Committee must be named on the jury page") {
		t.Fatalf("the conflicted head decides the tie without a deputy: %v", err)
	}
	if _, err := s.Board(ctx, dep, ed); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("an evaluator reads the board before being named deputy: %v", err)
	}

	dbtest.Exec(t, pool, `INSERT INTO edition_deputies (edition_id, post, user_id, set_by, set_at) VALUES ($1, 'committee_head', $2, $2, now())`, ed.ID, depID)
	err = s.DecideTie(ctx, head, ed, tech, ids[5], "Stronger data ethics")
	if !errors.Is(err, authz.ErrForbidden) || !strings.Contains(message(err), "Evaluator dep, deputy head of the Evaluation Committee, decides for it") {
		t.Fatalf("the conflicted head decides the tie: %v", err)
	}
	if _, _, err := s.Confirm(ctx, head, ed, tech); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("the conflicted head confirms: %v", err)
	}
	if err := s.Add(ctx, head, ed, tech, ids[6], "Noteworthy"); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("the conflicted head adds: %v", err)
	}
	if _, _, err := s.Confirm(ctx, dep, ed, hc); !errors.Is(err, authz.ErrForbidden) ||
		!strings.Contains(message(err), "the deputy decides only where the head of the Evaluation Committee has a conflict") {
		t.Fatalf("the deputy confirms a category the head decides: %v", err)
	}
	if _, _, err := s.Confirm(ctx, head, ed, hc); err != nil {
		t.Fatalf("the head confirms Human-CentriCity: %v", err)
	}

	b, err := s.Board(ctx, dep, ed)
	if err != nil || len(b.Result.Categories) != 1 || b.Result.Categories[0].ID != tech.ID || !b.Seats[tech.ID].Deputised() {
		t.Fatalf("the deputy's board: %+v, %v", b.Result.Categories, err)
	}
	if n, err := s.Propose(ctx, dep, ed); err != nil || n != 4 {
		t.Fatalf("the deputy proposes Tech-InnovaCity: %d, %v", n, err)
	}
	if err := s.DecideTie(ctx, dep, ed, tech, ids[5], "Stronger data ethics"); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(ctx, dep, ed, tech, ids[6], "Noteworthy outside the criteria"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Confirm(ctx, dep, ed, tech); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"ranking.propose", "ranking.tie", "ranking.addition", "ranking.confirm"} {
		if n := dbtest.Count(t, pool, `SELECT count(*) FROM audit_log WHERE action = $1 AND actor_id = $2 AND details->>'acting_as' = 'deputy'`,
			action, depID); n != 1 {
			t.Errorf("%s by the deputy audited %d times acting as deputy", action, n)
		}
	}
	if n := dbtest.Count(t, pool, `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND details ? 'acting_as'`, headID); n != 0 {
		t.Errorf("%d of the head's entries say acting_as", n)
	}
}

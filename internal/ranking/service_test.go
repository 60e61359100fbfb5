package ranking_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/ranking"
	rt "prizeportal/internal/ranking/rankingtest"
)

// TestServiceRound: the head's use cases, each audited and refused to anyone else: the method,
// the close, the proposal, the tie decision, the organisers' addition and the confirmation with
// its emails queued for the announcement.
func TestServiceRound(t *testing.T) {
	t.Parallel()
	pool, ed, tech, ev := setupWithEvaluator(t)
	ctx := context.Background()
	headID := rt.Evaluator(t, pool, ed.ID, "head", "committee_head")
	secID := rt.Evaluator(t, pool, ed.ID, "sec", "secretariat")
	ids := tiedAtTheCut(t, pool, ed, ev)
	s := &ranking.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return now })}
	head := authz.Actor{UserID: headID, Grants: []authz.Grant{{Role: authz.RoleCommitteeHead, EditionID: ed.ID}}}
	sec := authz.Actor{UserID: secID, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: ed.ID}}}
	evaluator := authz.Actor{UserID: ev, Grants: []authz.Grant{{Role: authz.RoleEvaluator, EditionID: ed.ID}}}
	audited := func(action string) int {
		t.Helper()
		return dbtest.Count(t, pool, `SELECT count(*) FROM audit_log WHERE action = $1`, action)
	}

	if _, err := s.Board(ctx, evaluator, ed); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("an evaluator reads the board: %v", err)
	}
	b, err := s.Board(ctx, sec, ed)
	if err != nil || b.State.Closed() || len(b.Result.Categories) != 0 || len(b.Progress) == 0 {
		t.Fatalf("sealed board: %+v, %v", b, err)
	}
	var errs field.Errors
	if err := s.SetMethod(ctx, head, ed, "best"); !errors.As(err, &errs) || errs.Get("method") == "" {
		t.Fatalf("an unknown method: %v", err)
	}
	for _, a := range []authz.Actor{sec, evaluator} {
		if err := s.SetMethod(ctx, a, ed, ranking.Median); !errors.Is(err, authz.ErrForbidden) {
			t.Fatalf("%d sets the method: %v", a.UserID, err)
		}
		if err := s.Close(ctx, a, ed); !errors.Is(err, authz.ErrForbidden) {
			t.Fatalf("%d closes: %v", a.UserID, err)
		}
	}
	if err := s.Close(ctx, head, ed); !errors.Is(err, ranking.ErrMethodUnset) {
		t.Fatalf("close without a method: %v", err)
	}
	if err := s.SetMethod(ctx, head, ed, ranking.Mean); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Propose(ctx, head, ed); !errors.Is(err, ranking.ErrOpen) {
		t.Fatalf("propose while open: %v", err)
	} else if msg := message(err); msg != "Close the round first: the semi-finalists are proposed from the unsealed scores." {
		t.Fatalf("propose while open says %q", msg)
	}
	if err := s.Close(ctx, head, ed); err != nil {
		t.Fatal(err)
	}
	var details string
	if err := pool.QueryRow(ctx, `SELECT details::text FROM audit_log WHERE action = 'ranking.close'`).Scan(&details); err != nil ||
		!strings.Contains(details, `"submitted_sheets": 7`) {
		t.Fatalf("the close's audit entry: %s, %v", details, err)
	}
	if n, err := s.Propose(ctx, head, ed); err != nil || n != 4 {
		t.Fatalf("propose: %d, %v", n, err)
	}
	if err := s.DecideTie(ctx, sec, ed, tech, ids[5], "Stronger data ethics"); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("the secretariat decides the tie: %v", err)
	}
	if err := s.DecideTie(ctx, head, ed, tech, 0, " "); !errors.As(err, &errs) || errs.Get("entry") != "Choose the entry." ||
		errs.Get("reason") != "Give the reason for choosing this entry: it is recorded." {
		t.Fatalf("a tie decision without entry and reason: %v", err)
	}
	if err := s.Add(ctx, sec, ed, tech, ids[6], ""); !errors.As(err, &errs) || errs.Get("reason") != "Give the reason for the exception: it is recorded." {
		t.Fatalf("an addition without a reason: %v", err)
	}
	if err := s.DecideTie(ctx, head, ed, tech, ids[5], "Stronger data ethics"); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(ctx, evaluator, ed, tech, ids[6], "No."); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("an evaluator adds: %v", err)
	}
	if err := s.Add(ctx, sec, ed, tech, ids[6], "Noteworthy outside the criteria"); err != nil {
		t.Fatal(err)
	}
	b, err = s.Board(ctx, head, ed)
	if err != nil || !b.State.Closed() || b.Result.Category(tech.ID) == nil || len(b.Lists[tech.ID].Entries) != 6 {
		t.Fatalf("unsealed board: %+v, %v", b, err)
	}

	// Confirmed before the announcement, the emails wait for it.
	queued, after, err := s.Confirm(ctx, head, ed, tech)
	if err != nil || queued != 7 || !after.Equal(ranking.Announcement(ed)) {
		t.Fatalf("confirm: %d emails after %v, %v", queued, after, err)
	}
	var semi, not int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE kind = 'semi-finalist'), count(*) FILTER (WHERE kind = 'not-semi-finalist')
		FROM email_outbox WHERE text_body LIKE '%https://prize.example/editions/' || $1 || '/semi-finalists%'`, ed.Slug).Scan(&semi, &not); err != nil {
		t.Fatal(err)
	}
	if semi != 6 || not != 1 {
		t.Fatalf("%d semi-finalist and %d other emails, want 6 and 1", semi, not)
	}
	// The announcement is postponed by a day: no email at the old date, before the public list
	// (shown from the announcement as the edition now says it); all seven at the new one.
	old := ranking.Announcement(ed)
	if _, err := pool.Exec(ctx, `UPDATE editions SET semi_finalists_announced = voting_start WHERE id = $1`, ed.ID); err != nil {
		t.Fatal(err)
	}
	moved, err := edition.ByID(ctx, pool, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	postponed := ranking.Announcement(moved)
	if !postponed.After(old) {
		t.Fatalf("announcement %s not postponed from %s", postponed, old)
	}
	for _, c := range []struct {
		at   time.Time
		want int
	}{{old, 0}, {postponed.Add(-time.Second), 0}, {postponed, 7}} {
		if n, err := s.Outbox.Release(ctx, c.at); err != nil || n != c.want {
			t.Fatalf("released at %s: %d %v, want %d", c.at, n, err, c.want)
		}
	}
	if _, _, err := s.Confirm(ctx, head, ed, tech); !errors.Is(err, ranking.ErrConfirmed) {
		t.Fatalf("confirm twice: %v", err)
	} else if msg := message(err); msg != "The "+tech.Name+" list is already confirmed." {
		t.Fatalf("confirm twice says %q", msg)
	}
	if err := s.Add(ctx, sec, ed, tech, ids[6], "Again"); !errors.Is(err, ranking.ErrConfirmed) ||
		message(err) != "The "+tech.Name+" list is confirmed: it can no longer change." {
		t.Fatalf("an addition to a confirmed list: %v", err)
	}
	if err := s.SetMethod(ctx, head, ed, ranking.Median); !errors.Is(err, ranking.ErrClosed) ||
		message(err) != "The round is closed: the method can no longer change." {
		t.Fatalf("the method changed once closed: %v", err)
	}
	for action, want := range map[string]int{"ranking.method": 1, "ranking.close": 1, "ranking.propose": 1, "ranking.tie": 1,
		"ranking.addition": 1, "ranking.confirm": 1} {
		if n := audited(action); n != want {
			t.Errorf("%s audited %d times, want %d", action, n, want)
		}
	}
}

// message is the user's message of a domain refusal.
func message(err error) string {
	if f, ok := fault.As(err); ok {
		return f.Message
	}
	return ""
}

// TestMethodsAgreeWithTheDefinition: the methods a definition may propose (scoring.method) are
// the methods the ranking computes, in the same order.
func TestMethodsAgreeWithTheDefinition(t *testing.T) {
	t.Parallel()
	if len(edition.AggregationMethods) != len(ranking.Methods) {
		t.Fatalf("edition.AggregationMethods %v, ranking.Methods %v", edition.AggregationMethods, ranking.Methods)
	}
	for i, m := range ranking.Methods {
		if edition.AggregationMethods[i] != string(m) {
			t.Errorf("method %d: edition %q, ranking %q", i, edition.AggregationMethods[i], m)
		}
	}
	if !ranking.Method(edition.DefaultAggregationMethod).Valid() {
		t.Errorf("the default %q is not a method", edition.DefaultAggregationMethod)
	}
}

// TestBoardProposesTheEditionsMethod: until the head records a method, the board shows the one
// the edition's definition proposes; the round still cannot close before the head records one,
// and the recorded method wins over the proposal.
func TestBoardProposesTheEditionsMethod(t *testing.T) {
	t.Parallel()
	pool, seoul, _, _ := setupWithEvaluator(t)
	ctx := context.Background()
	headID := rt.Evaluator(t, pool, seoul.ID, "head", "committee_head")
	s := &ranking.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return now })}
	head := authz.Actor{UserID: headID, Grants: []authz.Grant{{Role: authz.RoleCommitteeHead, EditionID: seoul.ID}}}
	ed := *seoul
	ed.Scoring.Method = "zscore"
	b, err := s.Board(ctx, head, &ed)
	if err != nil || b.State.Method != ranking.ZScore || b.State.MethodSet {
		t.Fatalf("sealed board: method %q, set %v, %v; want the edition's zscore, not recorded", b.State.Method, b.State.MethodSet, err)
	}
	if err := s.Close(ctx, head, &ed); !errors.Is(err, ranking.ErrMethodUnset) {
		t.Fatalf("closed on the edition's default alone: %v", err)
	}
	if err := s.SetMethod(ctx, head, &ed, ranking.Median); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Board(ctx, head, &ed); err != nil || b.State.Method != ranking.Median || !b.State.MethodSet {
		t.Fatalf("recorded board: method %q, set %v, %v", b.State.Method, b.State.MethodSet, err)
	}
	// seoul-2023 proposes the weighted mean, the method the page showed before the setting.
	if seoul.Scoring.Method != string(ranking.Mean) {
		t.Errorf("seoul-2023 proposes %q", seoul.Scoring.Method)
	}
}

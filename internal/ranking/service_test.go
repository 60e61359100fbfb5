package ranking_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

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
	s := newService(pool)
	head, sec := staff(headID, authz.RoleCommitteeHead, ed.ID), staff(secID, authz.RoleSecretariat, ed.ID)
	evaluator := staff(ev, authz.RoleEvaluator, ed.ID)
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
		if err := s.Close(ctx, a, ed, "Every sheet is in."); !errors.Is(err, authz.ErrForbidden) {
			t.Fatalf("%d closes: %v", a.UserID, err)
		}
	}
	if err := s.Close(ctx, head, ed, "Every sheet is in."); !errors.Is(err, ranking.ErrMethodUnset) {
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
	if err := s.Close(ctx, head, ed, "Every sheet is in."); err != nil {
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

// newService is the ranking service on pool at now, its emails linking https://prize.example.
func newService(pool *pgxpool.Pool) *ranking.Service {
	return &ranking.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return now })}
}

// staff is the actor userID holding role in editionID.
func staff(userID int64, role authz.Role, editionID int64) authz.Actor {
	return authz.Actor{UserID: userID, Grants: []authz.Grant{{Role: role, EditionID: editionID}}}
}

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
	s := newService(pool)
	head, dep := staff(headID, authz.RoleCommitteeHead, ed.ID), staff(depID, authz.RoleEvaluator, ed.ID)

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

	// A deputy conflicted too is refused likewise.
	dbtest.Exec(t, pool, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at)
		VALUES ($1, $2, 'organisation', 'Org t2', now())`, ed.ID, depID)
	if _, _, err := s.Confirm(ctx, dep, ed, tech); !errors.Is(err, authz.ErrForbidden) || !strings.Contains(message(err), "another deputy must be named") {
		t.Fatalf("a conflicted deputy confirms: %v", err)
	}
	dbtest.Exec(t, pool, `DELETE FROM conflict_declarations WHERE evaluator_id = $1`, depID)

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
	if err := s.Close(ctx, head, &ed, "Every sheet is in."); !errors.Is(err, ranking.ErrMethodUnset) {
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

// TestCloseFollowsTheScoringWindow: seoul-2023 scores from 1 to 12 July (DOMAIN.md "Round 2").
// The head cannot close round 2 on 5 June; inside the window only once every active assignment's
// sheet is submitted, and then with a reason on the record; from the end of the window without
// one.
func TestCloseFollowsTheScoringWindow(t *testing.T) {
	t.Parallel()
	pool, ed, _, ev := setupWithEvaluator(t)
	ctx := context.Background()
	headID := rt.Evaluator(t, pool, ed.ID, "head", "committee_head")
	head := authz.Actor{UserID: headID, Grants: []authz.Grant{{Role: authz.RoleCommitteeHead, EditionID: ed.ID}}}
	at := func(when time.Time) *ranking.Service {
		return &ranking.Service{Deps: usecase.New(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return when })}
	}
	june, july8, july13 := time.Date(2023, 6, 5, 3, 0, 0, 0, time.UTC), time.Date(2023, 7, 8, 3, 0, 0, 0, time.UTC), time.Date(2023, 7, 13, 1, 0, 0, 0, time.UTC)
	a := rt.Entry(t, pool, ed.ID, "tech-innovacity", "a1", "A1")
	b := rt.Entry(t, pool, ed.ID, "tech-innovacity", "b1", "B1")
	for _, id := range []int64{a, b} {
		dbtest.Exec(t, pool, `INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at) VALUES ($1, $2, $3, $4)`, id, ev, ed.ID, june)
	}
	rt.Sheet(t, pool, a, ev, rt.All(4), true)
	draft := rt.Sheet(t, pool, b, ev, rt.All(3), false)
	if err := at(june).SetMethod(ctx, head, ed, ranking.Mean); err != nil {
		t.Fatal(err)
	}

	if err := at(june).Close(ctx, head, ed, "Early."); !errors.Is(err, ranking.ErrTooEarly) ||
		!strings.Contains(message(err), "scoring opens on 1 July 2023, 00:00 KST (Asia/Seoul time)") {
		t.Fatalf("close on 5 June: %v", err)
	}
	if board, err := at(july8).Board(ctx, head, ed); err != nil || board.Round.Phase != edition.PhaseOpen ||
		!strings.Contains(board.CloseRefusal, "1 of 2 sheets are submitted") {
		t.Fatalf("the board on 8 July with a draft: %+v, %v", board.CloseRefusal, err)
	}
	if err := at(july8).Close(ctx, head, ed, "Early."); !errors.Is(err, ranking.ErrTooEarly) ||
		!strings.Contains(message(err), "12 July 2023, 23:59 KST") {
		t.Fatalf("close on 8 July with a sheet in draft: %v", err)
	}
	dbtest.Exec(t, pool, `UPDATE score_sheets SET status = 'submitted', submitted_at = now() WHERE id = $1`, draft)
	if board, err := at(july8).Board(ctx, head, ed); err != nil || !board.Early || board.CloseRefusal != "" {
		t.Fatalf("the board on 8 July with every sheet in: early %v, refusal %q, %v", board.Early, board.CloseRefusal, err)
	}
	var errs field.Errors
	if err := at(july8).Close(ctx, head, ed, "  "); !errors.As(err, &errs) || errs.Get("reason") == "" {
		t.Fatalf("an early close without a reason: %v", err)
	}
	if n := dbtest.Count(t, pool, `SELECT count(*) FROM scoring_rounds WHERE closed_at IS NOT NULL`); n != 0 {
		t.Fatalf("%d rounds closed by refused closes", n)
	}
	if err := at(july8).Close(ctx, head, ed, "Every sheet is in; the council meets earlier."); err != nil {
		t.Fatalf("an early close with every sheet in: %v", err)
	}
	var details string
	if err := pool.QueryRow(ctx, `SELECT details::text FROM audit_log WHERE action = 'ranking.close'`).Scan(&details); err != nil ||
		!strings.Contains(details, `"early": true`) || !strings.Contains(details, "the council meets earlier") {
		t.Fatalf("the early close's audit entry: %s, %v", details, err)
	}

	// After the window, in another edition, the head closes without a reason.
	pool2, ed2, _, _ := setupWithEvaluator(t)
	head2 := authz.Actor{UserID: rt.Evaluator(t, pool2, ed2.ID, "head", "committee_head"), Grants: []authz.Grant{{Role: authz.RoleCommitteeHead, EditionID: ed2.ID}}}
	late := &ranking.Service{Deps: usecase.New(pool2, notify.NewOutbox(pool2), emails.Site{BaseURL: "https://prize.example"}, func() time.Time { return july13 })}
	if err := late.SetMethod(ctx, head2, ed2, ranking.Mean); err != nil {
		t.Fatal(err)
	}
	if err := late.Close(ctx, head2, ed2, ""); err != nil {
		t.Fatalf("close after the window: %v", err)
	}
}

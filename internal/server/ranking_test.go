package server_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/ranking"
	rt "prizeportal/internal/ranking/rankingtest"
)

// rankingNow is during round 2 of 2023 (12 July, 10:00 UTC = 19:00 in Seoul), before the
// semi-finalists' announcement at 13 July 2023 00:00 Asia/Seoul (12 July 15:00 UTC).
var rankingNow = time.Date(2023, 7, 12, 10, 0, 0, 0, time.UTC)

// earlyClose is the head's reason for closing round 2 at rankingNow, before the end of the
// scoring window, once every sheet is in (ranking.Closable).
var earlyClose = url.Values{"reason": {"Every sheet is in; the council meets on 14 July."}}

// rankingEnv is a portal with seoul-2023, its committee head, a secretariat member, an evaluator
// and seven Tech-InnovaCity round-2 entries scored by the evaluator (one sheet each): T1 5, T2 5,
// T3 4, T4 4, T5 3, T6 3, T7 2, so T5 and T6 tie at the cut of five (one seat).
type rankingEnv struct {
	*env
	clock                        *testClock
	ed                           *edition.Edition
	head, secretariat, evaluator int64
	entries                      []int64
}

func newRankingEnv(t *testing.T) *rankingEnv {
	t.Helper()
	clock := &testClock{now: rankingNow}
	e := newEnvWithClock(t, clock)
	ed := e.edition(t, "seoul-2023")
	re := &rankingEnv{env: e, clock: clock, ed: ed,
		head:        rt.Evaluator(t, e.pool, ed.ID, "head", "committee_head"),
		secretariat: rt.Evaluator(t, e.pool, ed.ID, "sec", "secretariat"),
		evaluator:   rt.Evaluator(t, e.pool, ed.ID, "eva", "evaluator"),
	}
	for i, score := range []int{5, 5, 4, 4, 3, 3, 2} {
		n := strconv.Itoa(i + 1)
		id := rt.Entry(t, e.pool, ed.ID, "tech-innovacity", "t"+n, "Project T"+n)
		rt.Sheet(t, e.pool, id, re.evaluator, rt.All(score), true)
		re.entries = append(re.entries, id)
	}
	return re
}

func (re *rankingEnv) edq() string { return "?edition=" + strconv.FormatInt(re.ed.ID, 10) }

func (re *rankingEnv) audits(t *testing.T, action string) int {
	t.Helper()
	return dbtest.Count(t, re.pool, `SELECT count(*) FROM audit_log WHERE action = $1`, action)
}

// TestRankingSealedUntilClosed: before the head closes the round the page shows progress and the
// method only; the method is the head's, recorded in the audit log, and frozen once the round is
// closed; closing needs the method on the record.
func TestRankingSealedUntilClosed(t *testing.T) {
	t.Parallel()
	re := newRankingEnv(t)
	head, sec, ev := re.signedInClient(t, re.head), re.signedInClient(t, re.secretariat), re.signedInClient(t, re.evaluator)

	for name, c := range map[string]*client{"head": head, "secretariat": sec} {
		r := c.get("/ranking" + re.edq())
		wantStatus(t, name+" opens the ranking", r, 200)
		if !strings.Contains(r.body, "The scores are sealed") || strings.Contains(r.body, "Project T1") || strings.Contains(r.body, "5.00") {
			t.Fatalf("%s sees the sealed page with scores or entries:\n%s", name, r.body)
		}
		if !strings.Contains(r.body, "Progress per category") {
			t.Fatalf("%s: no progress table", name)
		}
	}
	if !strings.Contains(head.get("/ranking"+re.edq()).body, "Record the method") {
		t.Fatal("the head has no method form")
	}
	if strings.Contains(sec.get("/ranking"+re.edq()).body, "Record the method") {
		t.Fatal("the secretariat has the head's method form")
	}
	wantStatus(t, "evaluator opens the ranking", ev.get("/ranking"+re.edq()), 403)
	wantStatus(t, "secretariat chooses the method", sec.post("/ranking/method"+re.edq(), url.Values{"method": {"zscore"}}), 403)
	wantStatus(t, "evaluator chooses the method", ev.post("/ranking/method"+re.edq(), url.Values{"method": {"zscore"}}), 403)
	wantStatus(t, "secretariat closes", sec.post("/ranking/close"+re.edq(), nil), 403)

	wantStatus(t, "close without a method", head.post("/ranking/close"+re.edq(), nil), 409)
	r := head.post("/ranking/method"+re.edq(), url.Values{"method": {"bogus"}})
	wantStatus(t, "an unknown method", r, 422)
	if !strings.Contains(r.body, "Choose one of the four methods") {
		t.Fatalf("no field error:\n%s", r.body)
	}
	wantStatus(t, "method median", head.post("/ranking/method"+re.edq(), url.Values{"method": {"median"}}), 303)
	wantStatus(t, "method z-score", head.post("/ranking/method"+re.edq(), url.Values{"method": {"zscore"}}), 303)
	if n := re.audits(t, "ranking.method"); n != 2 {
		t.Fatalf("%d ranking.method audit entries, want 2", n)
	}
	wantStatus(t, "propose while open", head.post("/ranking/propose"+re.edq(), nil), 409)
	wantStatus(t, "close", head.post("/ranking/close"+re.edq(), earlyClose), 303)
	if n := re.audits(t, "ranking.close"); n != 1 {
		t.Fatalf("%d ranking.close audit entries, want 1", n)
	}
	r = head.post("/ranking/method"+re.edq(), url.Values{"method": {"mean"}})
	wantStatus(t, "method after closing", r, 409)
	st, err := ranking.Round(context.Background(), re.pool, re.ed.ID)
	if err != nil || st.Method != ranking.ZScore || !st.Closed() {
		t.Fatalf("round = %+v, %v; want z-score, closed", st, err)
	}
	wantStatus(t, "close twice", head.post("/ranking/close"+re.edq(), nil), 409)

	// unsealed: every method side by side, leniency and sensitivity, for the head and the secretariat
	for name, c := range map[string]*client{"head": head, "secretariat": sec} {
		r := c.get("/ranking" + re.edq())
		wantStatus(t, name+" opens the unsealed ranking", r, 200)
		for _, want := range []string{"Project T1", "Weighted mean", "Median", "Trimmed mean", "Z-score normalised", "Leniency", "Sensitivity to the method", "Tie at the cut"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("%s: the unsealed page lacks %q", name, want)
			}
		}
	}
}

// TestRankingSemiFinalists: the head proposes the top five, decides the tie at the cut, the
// secretariat adds an entry by exception, the head confirms; every step audited; the emails are
// scheduled for the announcement; the public page shows the list only from the announcement on.
func TestRankingSemiFinalists(t *testing.T) {
	t.Parallel()
	re := newRankingEnv(t)
	ctx := context.Background()
	head, sec, ev := re.signedInClient(t, re.head), re.signedInClient(t, re.secretariat), re.signedInClient(t, re.evaluator)
	anon := re.client(t)
	wantStatus(t, "method", head.post("/ranking/method"+re.edq(), url.Values{"method": {"mean"}}), 303)
	wantStatus(t, "close", head.post("/ranking/close"+re.edq(), earlyClose), 303)

	wantStatus(t, "secretariat proposes", sec.post("/ranking/propose"+re.edq(), nil), 403)
	wantStatus(t, "propose", head.post("/ranking/propose"+re.edq(), nil), 303)
	var proposed int
	re.pool.QueryRow(ctx, `SELECT count(*) FROM semi_finalists WHERE source = 'ranking'`).Scan(&proposed)
	if proposed != 4 || re.audits(t, "ranking.propose") != 1 {
		t.Fatalf("proposed %d (want 4: T5 and T6 tie at the cut), %d audit entries", proposed, re.audits(t, "ranking.propose"))
	}
	cat := url.Values{"category": {"tech-innovacity"}}
	wantStatus(t, "confirm with a pending tie", head.post("/ranking/confirm"+re.edq(), cat), 409)

	tie := func(entry int64, reason string) url.Values {
		return url.Values{"category": {"tech-innovacity"}, "tie-tech-innovacity-entry": {strconv.FormatInt(entry, 10)}, "tie-tech-innovacity-reason": {reason}}
	}
	wantStatus(t, "secretariat decides the tie", sec.post("/ranking/ties"+re.edq(), tie(re.entries[5], "x")), 403)
	wantStatus(t, "evaluator decides the tie", ev.post("/ranking/ties"+re.edq(), tie(re.entries[5], "x")), 403)
	r := head.post("/ranking/ties"+re.edq(), tie(re.entries[5], "  "))
	wantStatus(t, "tie without a reason", r, 422)
	if !strings.Contains(r.body, "Give the reason for choosing this entry") || !strings.Contains(r.body, `href="#f-tie-tech-innovacity-reason"`) {
		t.Fatalf("no field error:\n%s", r.body)
	}
	wantStatus(t, "tie for an entry not tied", head.post("/ranking/ties"+re.edq(), tie(re.entries[6], "because")), 409)
	wantStatus(t, "tie", head.post("/ranking/ties"+re.edq(), tie(re.entries[5], "Stronger data ethics")), 303)
	wantStatus(t, "a second tie decision", head.post("/ranking/ties"+re.edq(), tie(re.entries[4], "also")), 409)
	if re.audits(t, "ranking.tie") != 1 {
		t.Fatal("the tie decision is not audited")
	}

	add := func(entry int64, reason string) url.Values {
		return url.Values{"category": {"tech-innovacity"}, "add-tech-innovacity-entry": {strconv.FormatInt(entry, 10)}, "add-tech-innovacity-reason": {reason}}
	}
	wantStatus(t, "evaluator adds", ev.post("/ranking/additions"+re.edq(), add(re.entries[6], "x")), 403)
	wantStatus(t, "addition without a reason", sec.post("/ranking/additions"+re.edq(), add(re.entries[6], "")), 422)
	wantStatus(t, "secretariat adds", sec.post("/ranking/additions"+re.edq(), add(re.entries[6], "Noteworthy outside the criteria")), 303)
	wantStatus(t, "adding a semi-finalist again", sec.post("/ranking/additions"+re.edq(), add(re.entries[0], "again")), 409)
	if re.audits(t, "ranking.addition") != 1 {
		t.Fatal("the addition is not audited")
	}

	wantStatus(t, "secretariat confirms", sec.post("/ranking/confirm"+re.edq(), cat), 403)
	wantStatus(t, "confirm", head.post("/ranking/confirm"+re.edq(), cat), 303)
	wantStatus(t, "confirm twice", head.post("/ranking/confirm"+re.edq(), cat), 409)
	wantStatus(t, "adding after confirmation", sec.post("/ranking/additions"+re.edq(), add(re.entries[4], "late")), 409)
	if re.audits(t, "ranking.confirm") != 1 {
		t.Fatal("the confirmation is not audited")
	}

	// seven emails, one per round-2 entry of the category, scheduled for the announcement
	announce := re.ed.Schedule.SemiFinalistsAnnounced
	if want := time.Date(2023, 7, 12, 15, 0, 0, 0, time.UTC); !announce.Equal(want) {
		t.Fatalf("announcement = %v, want %v", announce, want)
	}
	rows, err := re.pool.Query(ctx, `SELECT o.kind, o.to_address, e.semi_finalists_announced FROM email_outbox o JOIN editions e ON e.id = o.edition_id AND o.milestone = 'semi_finalists_announced' WHERE o.kind IN ('semi-finalist', 'not-semi-finalist') ORDER BY o.to_address`)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for rows.Next() {
		var kind, to string
		var after *time.Time
		if err := rows.Scan(&kind, &to, &after); err != nil {
			t.Fatal(err)
		}
		if after == nil || !after.Equal(announce) {
			t.Errorf("email to %s scheduled for %v, want %v", to, after, announce)
		}
		kinds[to] = kind
	}
	if len(kinds) != 7 || kinds["t5@example.org"] != "not-semi-finalist" || kinds["t6@example.org"] != "semi-finalist" || kinds["t7@example.org"] != "semi-finalist" {
		t.Fatalf("emails = %v", kinds)
	}

	// the public page: a date before the announcement, the list from it on
	r = anon.get("/editions/seoul-2023/semi-finalists")
	wantStatus(t, "public page before the announcement", r, 200)
	if !strings.Contains(r.body, "will be announced on 13 July 2023 (Asia/Seoul time)") || strings.Contains(r.body, "Project T1") {
		t.Fatalf("before the announcement:\n%s", r.body)
	}
	if o, err := ranking.Outcome(ctx, re.pool, re.entries[4]); err != nil || o == nil || *o {
		t.Fatalf("T5's outcome = %v, %v; want not a semi-finalist", o, err)
	}
	re.clock.Advance(announce.Sub(rankingNow))
	r = anon.get("/editions/seoul-2023/semi-finalists")
	wantStatus(t, "public page at the announcement", r, 200)
	for i, want := range []bool{true, true, true, true, false, true, true} {
		title := "Project T" + strconv.Itoa(i+1)
		if strings.Contains(r.body, title) != want {
			t.Errorf("%s listed = %v, want %v", title, !want, want)
		}
	}
	if !strings.Contains(r.body, "Org t1") || !strings.Contains(r.body, "City of t1, Korea") {
		t.Errorf("the public page lacks the organisation or the place:\n%s", r.body)
	}
	wantStatus(t, "unknown edition", anon.get("/editions/nope/semi-finalists"), 404)
}

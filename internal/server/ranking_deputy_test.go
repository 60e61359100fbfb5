package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"prizeportal/internal/db/dbtest"
	rt "prizeportal/internal/ranking/rankingtest"
	"prizeportal/internal/tools/browsertest"
)

// conflictedHead makes re's head declare a conflict with T1, a Tech-InnovaCity entry, names an
// evaluator the deputy head, and has the head choose the method and close the round. It returns
// the deputy.
func conflictedHead(t *testing.T, re *rankingEnv) int64 {
	t.Helper()
	dep := rt.Evaluator(t, re.pool, re.ed.ID, "dep", "evaluator")
	dbtest.Exec(t, re.pool, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at)
		VALUES ($1, $2, 'organisation', 'Org t1', now())`, re.ed.ID, re.head)
	dbtest.Exec(t, re.pool, `INSERT INTO edition_deputies (edition_id, post, user_id, set_by, set_at) VALUES ($1, 'committee_head', $2, $3, now())`,
		re.ed.ID, dep, re.secretariat)
	head := re.signedInClient(t, re.head)
	wantStatus(t, "method", head.post("/ranking/method"+re.edq(), url.Values{"method": {"mean"}}), 303)
	wantStatus(t, "close", head.post("/ranking/close"+re.edq(), earlyClose), 303)
	return dep
}

// TestRankingDeputyHead: the head is conflicted with an entry of Tech-InnovaCity: the ranking
// page tells them who decides for it and their confirmation is refused; another evaluator is
// refused the page; the deputy head sees the category, proposes, decides the tie and confirms
// it, and the page records that the deputy decided and why.
func TestRankingDeputyHead(t *testing.T) {
	t.Parallel()
	re := newRankingEnv(t)
	depID := conflictedHead(t, re)
	head, dep, ev := re.signedInClient(t, re.head), re.signedInClient(t, depID), re.signedInClient(t, re.evaluator)
	cat := url.Values{"category": {"tech-innovacity"}}
	refusal := "Evaluator dep, deputy head of the Evaluation Committee, decides for it in your place."

	r := head.get("/ranking" + re.edq())
	wantStatus(t, "the head opens the ranking", r, 200)
	if !strings.Contains(r.body, refusal) {
		t.Fatalf("the conflicted head's page does not name the deputy:\n%s", r.body)
	}
	r = head.post("/ranking/confirm"+re.edq(), cat)
	wantStatus(t, "the conflicted head confirms", r, 403)
	if !strings.Contains(r.body, refusal) {
		t.Fatalf("the refusal does not name the deputy:\n%s", r.body)
	}
	wantStatus(t, "an evaluator opens the ranking", ev.get("/ranking"+re.edq()), 403)
	wantStatus(t, "an evaluator proposes", ev.post("/ranking/propose"+re.edq(), nil), 403)

	if d := ev.get("/dashboard"); strings.Contains(d.body, `href="/ranking`) {
		t.Fatalf("an evaluator's dashboard links the ranking:\n%s", d.body)
	}
	if d := dep.get("/dashboard"); !strings.Contains(d.body, `href="/ranking`+re.edq()+`"`) {
		t.Fatalf("the deputy's dashboard does not link the ranking:\n%s", d.body)
	}
	r = dep.get("/ranking" + re.edq())
	wantStatus(t, "the deputy opens the ranking", r, 200)
	if !strings.Contains(r.body, "Project T1") || strings.Contains(r.body, "Record the method") {
		t.Fatalf("the deputy's page:\n%s", r.body)
	}
	wantStatus(t, "the deputy proposes", dep.post("/ranking/propose"+re.edq(), nil), 303)
	wantStatus(t, "the deputy decides the tie", dep.post("/ranking/ties"+re.edq(), url.Values{"category": {"tech-innovacity"},
		"tie-tech-innovacity-entry": {strconv.FormatInt(re.entries[5], 10)}, "tie-tech-innovacity-reason": {"Stronger data ethics"}}), 303)
	wantStatus(t, "the deputy confirms", dep.post("/ranking/confirm"+re.edq(), cat), 303)
	if n := dbtest.Count(t, re.pool, `SELECT count(*) FROM audit_log WHERE action = 'ranking.confirm' AND actor_id = $1 AND details->>'acting_as' = 'deputy'`, depID); n != 1 {
		t.Fatalf("%d confirmations audited acting as deputy", n)
	}
	r = head.get("/ranking" + re.edq())
	if want := "Decided by Evaluator dep, deputy head of the Evaluation Committee, because the head of the Evaluation Committee, Evaluator head, has a conflict of interest with an entry of this category."; !strings.Contains(r.body, want) {
		t.Fatalf("the record does not say the deputy decided:\n%s", r.body)
	}
}

// TestBrowserRankingConflictedHead: the conflicted head's ranking page, telling them who decides
// for Tech-InnovaCity, passes axe-core.
func TestBrowserRankingConflictedHead(t *testing.T) {
	re := newRankingEnv(t)
	conflictedHead(t, re)
	tab := signedInTab(t, re.env, re.head)
	browserRun(t, tab, "the ranking",
		chromedp.Navigate(re.srv.URL+"/ranking"+re.edq()),
		chromedp.WaitVisible(`#rank-tech-innovacity`, chromedp.ByQuery),
	)
	browsertest.CheckA11y(t, tab, "ranking, conflicted head")
	if txt := browserText(t, tab); !strings.Contains(txt, "You do not decide for this category.") {
		t.Fatalf("the page does not say who decides:\n%s", txt)
	}
}

package server_test

import (
	"net/http"
	"prizeportal/internal/db/dbtest"
	"strconv"
	"strings"
	"testing"
)

// analyticsWorld is newDossierEnv (Alpha and Beta confirmed semi-finalists of Tech-InnovaCity,
// Gamma not one) with answers to the form's stage, sectors and budget questions. Criterion
// scores: ev1 gives Alpha 3 on every criterion (relevance-to-the-theme 4 and 2), Beta 2, Gamma 1;
// ev2 gives Alpha 5. Round 2 stays sealed until closeScoring.
func analyticsWorld(t *testing.T) *dossierEnv {
	t.Helper()
	de := newDossierEnv(t, true)
	set := func(app int64, raw string) {
		t.Helper()
		dbtest.Exec(t, de.pool, `UPDATE application_versions SET answers = answers || $2::jsonb WHERE application_id = $1`, app, raw)
	}
	set(de.alpha, `{"stage": {"text": "completed"}, "sectors": {"choices": ["mobility", "safety"]}, "budget": {"text": "2,500,000", "number": 2500000}}`)
	set(de.beta, `{"stage": {"text": "planning"}, "sectors": {"choices": ["mobility"]}, "budget": {"text": "40000", "number": 40000}}`)
	// a title that a spreadsheet would run as a formula
	set(de.gamma, `{"project_title": {"text": "=HYPERLINK(\"http://evil.example\")"}, "budget": {"text": "-5", "number": -5}}`)
	return de
}

func closeScoring(t *testing.T, de *dossierEnv) {
	t.Helper()
	dbtest.Exec(t, de.pool, `INSERT INTO scoring_rounds (edition_id, method_set_at, closed_at) VALUES ($1, now(), now())`, de.ed.ID)
}

func (de *dossierEnv) analyticsURL(path string) string {
	return path + "?edition=" + strconv.FormatInt(de.ed.ID, 10)
}

// csvGet fetches a CSV download with c's session and returns its headers and body.
func csvGet(t *testing.T, c *client, path string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fetch(t, c.http, req)
}

// TestAnalyticsAccess: the secretariat, the committee head and the council of the edition open
// the page and the CSVs; an applicant and another edition's council get 403, an anonymous
// visitor is sent to sign in; an unknown chart is 404. The staff dashboards link to it. (The
// evaluators: TestAnalyticsForEvaluators.)
func TestAnalyticsAccess(t *testing.T) {
	t.Parallel()
	de := analyticsWorld(t)
	page := de.analyticsURL("/analytics")
	for name, id := range map[string]int64{"secretariat": de.secretariat, "head": de.head, "council": de.council} {
		c := de.signedInClient(t, id)
		r := c.get(page)
		wantStatus(t, name+" opens analytics", r, 200)
		if !strings.Contains(r.body, "Submitted entries by category") || !strings.Contains(r.body, "<svg") {
			t.Errorf("%s: no chart:\n%s", name, r.body)
		}
		wantStatus(t, name+" downloads a CSV", c.get(de.analyticsURL("/analytics/submissions-category.csv")), 200)
		wantStatus(t, name+" asks for an unknown chart", c.get(de.analyticsURL("/analytics/no-such-chart.csv")), 404)
		dash := c.get("/dashboard")
		if !strings.Contains(dash.body, `href="/analytics?edition=`+strconv.FormatInt(de.ed.ID, 10)+`"`) {
			t.Errorf("%s's dashboard has no analytics link", name)
		}
	}
	for name, id := range map[string]int64{"applicant": de.applicant, "other edition's council": de.otherEdCouncil} {
		c := de.signedInClient(t, id)
		wantStatus(t, name+" opens analytics", c.get(page), 403)
		wantStatus(t, name+" downloads a CSV", c.get(de.analyticsURL("/analytics/submissions-category.csv")), 403)
	}
	anon := de.client(t)
	for _, path := range []string{page, de.analyticsURL("/analytics/submissions-category.csv")} {
		r := anon.get(path)
		if r.status != 303 || !strings.HasPrefix(r.location, "/signin?next=") {
			t.Errorf("anonymous %s: %d %q", path, r.status, r.location)
		}
	}
}

// TestAnalyticsForEvaluators: an evaluator opens the analytics from their dashboard; while
// round 2 is open the page says the analysis opens at its close and offers no chart; once it is
// closed, the charts of the categories they score, the evaluators numbered, never named.
func TestAnalyticsForEvaluators(t *testing.T) {
	t.Parallel()
	de := analyticsWorld(t)
	dbtest.Exec(t, de.pool, `INSERT INTO evaluator_categories (user_id, category_id) SELECT $1, id FROM categories WHERE edition_id = $2 AND key = 'tech-innovacity'`,
		de.ev1, de.ed.ID)
	c := de.signedInClient(t, de.ev1)
	if !strings.Contains(c.get("/dashboard").body, `href="/analytics?edition=`+strconv.FormatInt(de.ed.ID, 10)+`"`) {
		t.Error("the evaluator's dashboard has no analytics link")
	}
	r := c.get(de.analyticsURL("/analytics"))
	wantStatus(t, "evaluator, round 2 open", r, 200)
	if !strings.Contains(r.body, "opens to the evaluators once the committee head closes round 2") || strings.Contains(r.body, "<svg") {
		t.Errorf("before the close:\n%s", r.body)
	}
	wantStatus(t, "evaluator's CSV, round 2 open", c.get(de.analyticsURL("/analytics/submissions-category.csv")), 404)

	closeScoring(t, de)
	r = c.get(de.analyticsURL("/analytics"))
	wantStatus(t, "evaluator, round 2 closed", r, 200)
	for _, want := range []string{"Submitted entries by category", "Score distributions", "Evaluator 1", "Alpha Mobility", "<svg"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the evaluator's analytics lack %q", want)
		}
	}
	for _, leak := range []string{"Evaluator ev2", "Human-CentriCity</"} { // another evaluator's name (their own is in the header)
		if strings.Contains(r.body, leak) {
			t.Errorf("the evaluator's analytics show %q", leak)
		}
	}
	wantStatus(t, "evaluator's CSV, round 2 closed", c.get(de.analyticsURL("/analytics/submissions-category.csv")), 200)
}

// TestAnalyticsCSV: a CSV is an attachment with exactly the chart's data table; cells a
// spreadsheet would run are neutralised.
func TestAnalyticsCSV(t *testing.T) {
	t.Parallel()
	de := analyticsWorld(t)
	c := de.signedInClient(t, de.secretariat)
	res, body := csvGet(t, c, de.analyticsURL("/analytics/submissions-category.csv"))
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="seoul-2023-submissions-category.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if want := "Category,Entries\r\nTech-InnovaCity,3\r\nHuman-CentriCity,0\r\nLeadership,0\r\n"; body != want {
		t.Errorf("categories CSV\n got %q\nwant %q", body, want)
	}
	_, body = csvGet(t, c, de.analyticsURL("/analytics/submissions-region.csv"))
	if want := "Region,Entries\r\nAsia,3\r\n"; body != want {
		t.Errorf("regions CSV %q, want %q", body, want)
	}
	_, body = csvGet(t, c, de.analyticsURL("/analytics/answers-stage.csv"))
	if want := "Answer,Entries\r\nPlanning,1\r\nFeasibility study,0\r\nLegal assessment,0\r\nBeing implemented,0\r\nCompleted,1\r\n"; body != want {
		t.Errorf("stage CSV\n got %q\nwant %q", body, want)
	}
	_, body = csvGet(t, c, de.analyticsURL("/analytics/indicator-tech-innovacity-budget.csv"))
	want := "Entry,Value (USD)\r\nAlpha Mobility,\"2,500,000\"\r\nBeta Welfare,\"40,000\"\r\n\"'=HYPERLINK(\"\"http://evil.example\"\")\",'-5\r\n"
	if body != want {
		t.Errorf("budget CSV\n got %q\nwant %q", body, want)
	}
	// the page shows the same figures in its data table, escaped
	page := c.get(de.analyticsURL("/analytics")).body
	if !strings.Contains(page, "2,500,000") || !strings.Contains(page, "=HYPERLINK(") || strings.Contains(page, `=HYPERLINK("http`) {
		t.Errorf("the page's budget table is missing or unescaped")
	}
}

// TestAnalyticsScoresSealed: the score distributions and the radar charts appear only once the
// head closes round 2; then the council reads the evaluators anonymised, the secretariat by
// name, and the radar CSV holds the semi-finalists' criterion means.
func TestAnalyticsScoresSealed(t *testing.T) {
	t.Parallel()
	de := analyticsWorld(t)
	council, sec := de.signedInClient(t, de.council), de.signedInClient(t, de.secretariat)
	r := council.get(de.analyticsURL("/analytics"))
	wantStatus(t, "council before closing", r, 200)
	if !strings.Contains(r.body, "The scores are sealed until the committee head closes round 2.") || strings.Contains(r.body, "Scores per criterion") ||
		strings.Contains(r.body, "Criterion profiles of the semi-finalists") {
		t.Fatalf("sealed page shows scores:\n%s", r.body)
	}
	wantStatus(t, "evaluators CSV while sealed", council.get(de.analyticsURL("/analytics/scores-tech-innovacity-evaluators.csv")), 404)
	wantStatus(t, "radar CSV while sealed", council.get(de.analyticsURL("/analytics/profiles-tech-innovacity.csv")), 404)

	closeScoring(t, de)
	r = council.get(de.analyticsURL("/analytics"))
	for _, want := range []string{"Scores per criterion, Tech-InnovaCity", "Scores per evaluator, Tech-InnovaCity", "Criterion profiles of the semi-finalists, Tech-InnovaCity",
		"has not confirmed the semi-finalists of Human-CentriCity and Leadership yet", "Evaluator 1", "Evaluator 2"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("council page lacks %q", want)
		}
	}
	if strings.Contains(r.body, "Evaluator ev1") || strings.Contains(r.body, "Evaluator ev2") {
		t.Error("the council reads the evaluators' names")
	}
	// ev2 (Alpha 5 on every criterion) has the highest mean; ev1's fifteen scores are 3, 2 and 1
	// five times each
	_, body := csvGet(t, council, de.analyticsURL("/analytics/scores-tech-innovacity-evaluators.csv"))
	want := "Evaluator,Scores,Lowest,First quartile,Median,Third quartile,Highest,Mean\r\n" +
		"Evaluator 1,5,5.00,5.00,5.00,5.00,5.00,5.00\r\nEvaluator 2,15,1.00,1.00,2.00,3.00,3.00,2.00\r\n"
	if body != want {
		t.Errorf("council's evaluators CSV\n got %q\nwant %q", body, want)
	}
	_, body = csvGet(t, sec, de.analyticsURL("/analytics/scores-tech-innovacity-evaluators.csv"))
	if !strings.Contains(body, "\r\nEvaluator ev2,5,") || !strings.Contains(body, "\r\nEvaluator ev1,15,") {
		t.Errorf("secretariat's evaluators CSV %q", body)
	}
	// per criterion: Alpha 3 and 5, Beta 2, Gamma 1 (relevance-to-the-theme too: (4+2)/2 = 3)
	_, body = csvGet(t, sec, de.analyticsURL("/analytics/scores-tech-innovacity-criteria.csv"))
	tech, _ := de.ed.Category("tech-innovacity")
	wantCrit := "Criterion,Scores,Lowest,First quartile,Median,Third quartile,Highest,Mean\r\n"
	for _, cr := range tech.Criteria {
		wantCrit += csvField(cr.Name) + ",4,1.00,1.75,2.50,3.50,5.00,2.75\r\n"
	}
	if body != wantCrit {
		t.Errorf("criteria CSV\n got %q\nwant %q", body, wantCrit)
	}
	// the radar: Alpha's means are 4 on every criterion, Beta's 2, their mean 3
	_, body = csvGet(t, council, de.analyticsURL("/analytics/profiles-tech-innovacity.csv"))
	head, alpha, beta, mean := "Semi-finalist,Rank", "Alpha Mobility,1", "Beta Welfare,2", "Mean of the semi-finalists,"
	for _, cr := range tech.Criteria {
		head += "," + csvField(cr.Name)
		alpha += ",4.00"
		beta += ",2.00"
		mean += ",3.00"
	}
	if want := head + "\r\n" + alpha + "\r\n" + beta + "\r\n" + mean + "\r\n"; body != want {
		t.Errorf("radar CSV\n got %q\nwant %q", body, want)
	}
	if !strings.Contains(r.body, `aria-labelledby="profiles-tech-innovacity-`+strconv.FormatInt(de.alpha, 10)+`-title profiles-tech-innovacity-`) {
		t.Error("no radar chart of Alpha")
	}
}

// csvField quotes a CSV field that needs it.
func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

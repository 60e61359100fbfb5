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
	rt "prizeportal/internal/ranking/rankingtest"
)

// dossierNow is during round 3 of 2023 (after the semi-finalists' confirmation).
var dossierNow = time.Date(2023, 8, 1, 3, 0, 0, 0, time.UTC)

// dossierEnv is a portal with seoul-2023 and two Tech-InnovaCity semi-finalists (Alpha, Beta)
// scored by two evaluators, an entry that is not one (Gamma), a council member, a secretariat
// member, an evaluator who is not on the council, the head, and the applicant of Alpha.
type dossierEnv struct {
	*env
	ed                              *edition.Edition
	alpha, beta, gamma              int64
	council, secretariat, ev1, ev2  int64
	head, applicant, otherEdCouncil int64
	alphaComment, alphaOverall      string
}

func newDossierEnv(t *testing.T, confirmed bool) *dossierEnv {
	t.Helper()
	clock := &testClock{now: dossierNow}
	e := newEnvClock(t, dbtest.New(t), clock.Now, nil, "seoul-2023", "seoul-2024")
	ctx := context.Background()
	ed := e.edition(t, "seoul-2023")
	ed24 := e.edition(t, "seoul-2024")
	de := &dossierEnv{env: e, ed: ed,
		alpha:          rt.Entry(t, e.pool, ed.ID, "tech-innovacity", "alpha", "Alpha Mobility"),
		beta:           rt.Entry(t, e.pool, ed.ID, "tech-innovacity", "beta", "Beta Welfare"),
		gamma:          rt.Entry(t, e.pool, ed.ID, "tech-innovacity", "gamma", "Gamma Grid"),
		council:        rt.Evaluator(t, e.pool, ed.ID, "council1", "council"),
		secretariat:    rt.Evaluator(t, e.pool, ed.ID, "sec", "secretariat"),
		ev1:            rt.Evaluator(t, e.pool, ed.ID, "ev1", "evaluator"),
		ev2:            rt.Evaluator(t, e.pool, ed.ID, "ev2", "evaluator"),
		head:           rt.Evaluator(t, e.pool, ed.ID, "head", "committee_head"),
		otherEdCouncil: rt.Evaluator(t, e.pool, ed24.ID, "council24", "council"),
		alphaComment:   "Strong governance record.",
		alphaOverall:   "A convincing project overall.",
	}
	if err := e.pool.QueryRow(ctx, `SELECT user_id FROM applications WHERE id = $1`, de.alpha).Scan(&de.applicant); err != nil {
		t.Fatal(err)
	}
	s1 := rt.Sheet(t, e.pool, de.alpha, de.ev1, rt.Scores{"relevance-to-the-theme": {4, 2}, "*": {3}}, true)
	rt.Sheet(t, e.pool, de.alpha, de.ev2, rt.All(5), true)
	rt.Sheet(t, e.pool, de.beta, de.ev1, rt.All(2), true)
	rt.Sheet(t, e.pool, de.gamma, de.ev1, rt.All(1), true)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := e.pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE score_sheets SET criterion_comments = jsonb_build_object('governance', $2::text), overall_comment = $3 WHERE id = $1`,
		s1, de.alphaComment, de.alphaOverall)
	for i, app := range []int64{de.alpha, de.beta} {
		exec(`INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
			SELECT id, edition_id, category_id, 'ranking', $2, now() FROM applications WHERE id = $1`, app, i+1)
	}
	if confirmed {
		de.confirm(t)
	}
	return de
}

func (de *dossierEnv) confirm(t *testing.T) {
	t.Helper()
	dbtest.Exec(t, de.pool, `INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at)
		SELECT $1, id, $2, now() FROM categories WHERE edition_id = $1 AND key = 'tech-innovacity'`, de.ed.ID, de.head)
}

func (de *dossierEnv) href(app int64) string {
	return "/council/dossiers/" + strconv.FormatInt(app, 10)
}

// TestDossierAccess: the council and the secretariat of the edition read the dossiers of
// confirmed semi-finalists; before the confirmation, for an entry that is not a semi-finalist
// and for the council of another edition they are 404; evaluators who are not council members
// and applicants get 403.
func TestDossierAccess(t *testing.T) {
	t.Parallel()
	de := newDossierEnv(t, false)
	council := de.signedInClient(t, de.council)
	wantStatus(t, "before confirmation", council.get(de.href(de.alpha)), 404)
	wantStatus(t, "PDF before confirmation", council.get(de.href(de.alpha)+".pdf"), 404)
	list := council.get("/council/dossiers")
	wantStatus(t, "list before confirmation", list, 200)
	if strings.Contains(list.body, "Alpha Mobility") || !strings.Contains(list.body, "not confirmed the semi-finalists") {
		t.Errorf("list before confirmation shows entries or no note:\n%s", list.body)
	}
	de.confirm(t)
	for name, id := range map[string]int64{"council": de.council, "secretariat": de.secretariat} {
		c := de.signedInClient(t, id)
		r := c.get("/council/dossiers?edition=" + strconv.FormatInt(de.ed.ID, 10))
		wantStatus(t, name+" list", r, 200)
		if !strings.Contains(r.body, "Alpha Mobility") || !strings.Contains(r.body, "Beta Welfare") || strings.Contains(r.body, "Gamma Grid") {
			t.Errorf("%s list:\n%s", name, r.body)
		}
		wantStatus(t, name+" dossier", c.get(de.href(de.alpha)), 200)
		wantStatus(t, name+" non-semi-finalist", c.get(de.href(de.gamma)), 404)
	}
	wantStatus(t, "other edition's council", de.signedInClient(t, de.otherEdCouncil).get(de.href(de.alpha)), 404)
	wantStatus(t, "other edition's council, another edition's list", de.signedInClient(t, de.otherEdCouncil).get("/council/dossiers?edition="+strconv.FormatInt(de.ed.ID, 10)), 403)
	for name, id := range map[string]int64{"evaluator": de.ev1, "head": de.head, "applicant": de.applicant} {
		c := de.signedInClient(t, id)
		for _, p := range []string{"/council/dossiers", de.href(de.alpha), de.href(de.alpha) + ".pdf", de.href(de.alpha) + "/files/1"} {
			wantStatus(t, name+" "+p, c.get(p), 403)
		}
	}
	// a council member who is also an evaluator reads it
	dbtest.Exec(t, de.pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'council', $2)`, de.ev2, de.ed.ID)
	wantStatus(t, "evaluator on the council", de.signedInClient(t, de.ev2).get(de.href(de.alpha)), 200)
}

// TestDossierContent: the page shows the scores per criterion with their spread, the comments
// without the evaluators' names, the chart with its text alternative and the comparison table;
// the PDF is a PDF with the entry's title.
func TestDossierContent(t *testing.T) {
	t.Parallel()
	de := newDossierEnv(t, true)
	c := de.signedInClient(t, de.council)
	r := c.get(de.href(de.alpha))
	wantStatus(t, "dossier", r, 200)
	for _, want := range []string{
		"Alpha Mobility", "Org alpha",
		// relevance: a fifth of the weights; sheets 3 (=(4+2)/2) and 5: mean 4 (weighted 0.80),
		// range 3–5, sd 1
		"<td>20%</td><td>4.00</td><td>0.80</td><td>3.00–5.00</td><td>1.00</td><td>2</td>",
		// the overall score under the head's method (the default, mean: Alpha 4, Beta 2, Gamma 1)
		"Overall score (Weighted mean, the method the committee head chose):</strong> 4.00, rank 1 of 3 scored entries",
		"<th scope=\"row\">Median</th><td>4.00, rank 1 of 3 scored entries</td>", "Overall (Weighted mean)",
		de.alphaComment, de.alphaOverall,
		"<svg", "role=\"img\"", "Mean score on Relevance to the Theme out of",
		"Beta Welfare: 2.00", "(this entry)",
		"Download the dossier as a PDF",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("dossier lacks %q", want)
		}
	}
	for _, name := range []string{"Evaluator ev1", "Evaluator ev2", "Gamma Grid"} {
		if strings.Contains(r.body, name) {
			t.Errorf("dossier shows %q", name)
		}
	}
	pdf := c.get(de.href(de.alpha) + ".pdf")
	wantStatus(t, "pdf", pdf, 200)
	if !strings.HasPrefix(pdf.body, "%PDF") {
		t.Fatalf("not a PDF: %.40q", pdf.body)
	}
	if !strings.Contains(pdf.body, "/Title ("+dossierPDFText("Alpha Mobility")+")") {
		t.Error("the PDF does not carry the entry's title")
	}
}

// TestMentionRecording: the secretariat records special mentions within each award's count,
// with field errors for bad input, and every change is audited; others are refused.
func TestMentionRecording(t *testing.T) {
	t.Parallel()
	de := newDossierEnv(t, true)
	sec := de.signedInClient(t, de.secretariat)
	path := "/secretariat/special-mentions?edition=" + strconv.FormatInt(de.ed.ID, 10)
	r := sec.get(path)
	wantStatus(t, "page", r, 200)
	if !strings.Contains(r.body, "International organization partner") || !strings.Contains(r.body, "0 of 2 recorded") {
		t.Fatalf("page lacks the awards:\n%s", r.body)
	}
	// missing recipient, partner and citation
	r = sec.post(path, url.Values{"award": {"Smart City Index"}})
	wantStatus(t, "invalid", r, 422)
	for _, want := range []string{"Enter the name of the city or organisation", "Enter the partner organisation", "Enter the citation."} {
		if !strings.Contains(r.body, want) {
			t.Errorf("invalid form lacks %q", want)
		}
	}
	// to an application of the edition
	r = sec.post(path, url.Values{"award": {"International organization partner"}, "application": {strconv.FormatInt(de.alpha, 10)},
		"partner": {"UN-Habitat"}, "citation": {"For mobility that serves everyone."}})
	wantStatus(t, "to an application", r, 303)
	// the award is given once
	r = sec.post(path, url.Values{"award": {"International organization partner"}, "name": {"Lisbon"},
		"partner": {"UN-Habitat"}, "citation": {"x"}})
	wantStatus(t, "over the count", r, 422)
	if !strings.Contains(r.body, "is given once in this edition and every one is recorded") {
		t.Errorf("no clear message over the count:\n%s", r.body)
	}
	// to cities that did not apply
	for _, city := range []string{"Tallinn", "Busan"} {
		r = sec.post(path, url.Values{"award": {"Smart City Index"}, "name": {"City of " + city}, "city": {city}, "country": {"EE"},
			"partner": {"WeGO Smart City Index Research"}, "citation": {"Leads the index."}})
		wantStatus(t, city, r, 303)
	}
	r = sec.get(path)
	if !strings.Contains(r.body, "Org alpha") || !strings.Contains(r.body, "City of Tallinn") || !strings.Contains(r.body, "2 of 2 recorded") ||
		!strings.Contains(r.body, "Every award is given as many times") {
		t.Errorf("page after recording:\n%s", r.body)
	}
	var id int64
	if err := de.pool.QueryRow(context.Background(), `SELECT id FROM special_mentions WHERE recipient_name = 'City of Busan'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	edit := "/secretariat/special-mentions/" + strconv.FormatInt(id, 10)
	wantStatus(t, "edit page", sec.get(edit), 200)
	r = sec.post(edit, url.Values{"award": {"Smart City Index"}, "name": {"City of Busan"}, "city": {"Busan"}, "country": {"KR"},
		"partner": {"WeGO"}, "citation": {"Second in the index."}})
	wantStatus(t, "edit", r, 303)
	wantStatus(t, "delete", sec.post(edit+"/delete", url.Values{"confirm": {"yes"}}), 303)
	for _, action := range []string{"mention.create", "mention.update", "mention.delete"} {
		n := dbtest.Count(t, de.pool, `SELECT count(*) FROM audit_log WHERE action = $1`, action)
		want := map[string]int{"mention.create": 3, "mention.update": 1, "mention.delete": 1}[action]
		if n != want {
			t.Errorf("%s audited %d times, want %d", action, n, want)
		}
	}
	// others: the council and evaluators are refused; another edition's id is 404
	for name, id := range map[string]int64{"council": de.council, "evaluator": de.ev1} {
		wantStatus(t, name, de.signedInClient(t, id).get(path), 403)
	}
}

// dossierPDFText encodes ASCII s as a PDF text string (byte-order mark and UTF-16BE), as the
// PDF's document title is written.
func dossierPDFText(s string) string {
	var b strings.Builder
	b.WriteString("\xfe\xff")
	for _, c := range []byte(s) {
		b.WriteByte(0)
		b.WriteByte(c)
	}
	return b.String()
}

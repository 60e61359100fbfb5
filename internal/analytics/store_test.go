package analytics_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/analytics"
	"prizeportal/internal/authz"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/i18n"
	rt "prizeportal/internal/ranking/rankingtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// world is seoul-2023 with three Tech-InnovaCity entries (T1 from a city of Korea, T2 from a
// company in Germany, T3 added by exception without sheets), one Human-CentriCity entry (H1,
// Korea), a withdrawn and a draft application (never counted), and the staff.
//
// Sheets (Tech-InnovaCity): ev1 on T1 scores relevance-to-the-theme 5 and 2 (criterion score
// 3.5) and every other indicator 3; ev2 on T1 every indicator 5; ev1 on T2 every indicator 2;
// the head's draft on T2 (every indicator 1) does not count.
type world struct {
	pool                           *pgxpool.Pool
	ed                             *edition.Edition
	t1, t2, t3, h1                 int64
	sec, head, council, ev1, ev2   int64
	tech, human, leadership, relev int64
}

func exec(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	dbtest.Exec(t, pool, sql, args...)
}

func answers(t *testing.T, pool *pgxpool.Pool, app int64, raw string) {
	t.Helper()
	exec(t, pool, `UPDATE application_versions SET answers = answers || $2::jsonb WHERE application_id = $1`, app, raw)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	pool, ed := editiontest.Seoul2023(t)
	w := &world{pool: pool, ed: ed}
	w.t1 = rt.Entry(t, pool, ed.ID, "tech-innovacity", "t1", "Project T1")
	w.t2 = rt.Entry(t, pool, ed.ID, "tech-innovacity", "t2", "Project T2")
	w.t3 = rt.Entry(t, pool, ed.ID, "tech-innovacity", "t3", "Project T3")
	w.h1 = rt.Entry(t, pool, ed.ID, "human-centricity", "h1", "Project H1")
	withdrawn := rt.Entry(t, pool, ed.ID, "tech-innovacity", "wd", "Withdrawn")
	draft := rt.Entry(t, pool, ed.ID, "human-centricity", "dr", "Draft")
	exec(t, pool, `UPDATE applications SET status = 'withdrawn' WHERE id = $1`, withdrawn)
	exec(t, pool, `UPDATE applications SET status = 'draft' WHERE id = $1`, draft)
	exec(t, pool, `UPDATE users SET country = 'DE', entity_type = 'company' WHERE id = (SELECT user_id FROM applications WHERE id = $1)`, w.t2)

	answers(t, pool, w.t1, `{"stage": {"text": "completed"}, "sectors": {"choices": ["mobility", "safety"]},
		"budget": {"text": "1,000", "number": 1000}, "people_reached": {"text": "50", "number": 50}}`)
	answers(t, pool, w.t2, `{"stage": {"text": "planning"}, "sectors": {"choices": ["mobility"]}, "budget": {"text": "3000", "number": 3000},
		"people_reached": {"text": "many"}}`)
	answers(t, pool, w.h1, `{"stage": {"text": "completed"}, "sectors": {"choices": ["welfare"]}, "budget": {"text": "500", "number": 500}}`)
	for _, app := range []int64{withdrawn, draft} {
		answers(t, pool, app, `{"stage": {"text": "planning"}, "sectors": {"choices": ["energy"]}, "budget": {"text": "99999", "number": 99999}}`)
	}

	w.sec = rt.Evaluator(t, pool, ed.ID, "sec", "secretariat")
	w.head = rt.Evaluator(t, pool, ed.ID, "head", "committee_head")
	w.council = rt.Evaluator(t, pool, ed.ID, "council", "council")
	w.ev1 = rt.Evaluator(t, pool, ed.ID, "ev1", "evaluator")
	w.ev2 = rt.Evaluator(t, pool, ed.ID, "ev2", "evaluator")
	rt.Sheet(t, pool, w.t1, w.ev1, rt.Scores{"relevance-to-the-theme": {5, 2}, "*": {3}}, true)
	rt.Sheet(t, pool, w.t1, w.ev2, rt.All(5), true)
	rt.Sheet(t, pool, w.t2, w.ev1, rt.All(2), true)
	rt.Sheet(t, pool, w.t2, w.head, rt.All(1), false)

	for _, c := range ed.Categories {
		switch c.Key {
		case "tech-innovacity":
			w.tech = c.ID
			for _, cr := range c.Criteria {
				if cr.Key == "relevance-to-the-theme" {
					w.relev = cr.ID
				}
			}
		case "human-centricity":
			w.human = c.ID
		case "leadership":
			w.leadership = c.ID
		}
	}
	// the semi-finalists: T1 and T2 by rank and T3 by exception in Tech-InnovaCity (confirmed by
	// closeRound), H1 in Human-CentriCity (never confirmed)
	exec(t, pool, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
		SELECT id, edition_id, category_id, 'ranking', $2, now() FROM applications WHERE id = $1`, w.t1, 1)
	exec(t, pool, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
		SELECT id, edition_id, category_id, 'ranking', $2, now() FROM applications WHERE id = $1`, w.t2, 2)
	exec(t, pool, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, reason, added_at)
		SELECT id, edition_id, category_id, 'addition', 'Noteworthy', now() FROM applications WHERE id = $1`, w.t3)
	exec(t, pool, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
		SELECT id, edition_id, category_id, 'ranking', 1, now() FROM applications WHERE id = $1`, w.h1)
	return w
}

// closeRound unseals the scores and confirms the Tech-InnovaCity list.
func (w *world) closeRound(t *testing.T) {
	t.Helper()
	exec(t, w.pool, `INSERT INTO scoring_rounds (edition_id, method_set_at, closed_at) VALUES ($1, now(), now())`, w.ed.ID)
	exec(t, w.pool, `INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at) VALUES ($1, $2, $3, now())`,
		w.ed.ID, w.tech, w.head)
}

func TestSubmissions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	want := []analytics.Count{
		{"category", "tech-innovacity", "Tech-InnovaCity", 3},
		{"category", "human-centricity", "Human-CentriCity", 1},
		{"category", "leadership", "Leadership", 0},
		{"entity_type", "city", "City", 3},
		{"entity_type", "company", "Company", 1},
		{"entity_type", "institution", "Institution", 0},
		{"entity_type", "individual", "Individual", 0},
		{"country", "KR", "KR", 3},
		{"country", "DE", "DE", 1},
		{"region", "142", "Asia", 3},
		{"region", "150", "Europe", 1},
	}
	for name, viewer := range map[string]int64{"secretariat": w.sec, "head": w.head, "council": w.council} {
		got, err := analytics.Submissions(ctx, w.pool, viewer, w.ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: submissions\n got %v\nwant %v", name, got, want)
		}
	}
	got, err := analytics.Submissions(ctx, w.pool, w.ev1, w.ed.ID)
	if err != nil || len(got) != 0 {
		t.Errorf("an evaluator reads %v, %v", got, err)
	}
}

func TestChoices(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	got, err := analytics.Choices(context.Background(), w.pool, w.council, w.ed.ID, []string{"stage", "sectors", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	want := []analytics.ChoiceCount{
		{"sectors", "", 3}, {"sectors", "mobility", 2}, {"sectors", "safety", 1}, {"sectors", "welfare", 1},
		{"stage", "", 3}, {"stage", "completed", 2}, {"stage", "planning", 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("choices\n got %v\nwant %v", got, want)
	}
	if got, err := analytics.Choices(context.Background(), w.pool, w.ev1, w.ed.ID, []string{"stage"}); err != nil || len(got) != 0 {
		t.Errorf("an evaluator reads %v, %v", got, err)
	}
}

func TestNumbers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	qs := []analytics.NumberQuestion{{w.tech, "budget"}, {w.tech, "people_reached"}, {w.human, "budget"}}
	vals, sums, err := analytics.Numbers(context.Background(), w.pool, w.sec, w.ed.ID, qs)
	if err != nil {
		t.Fatal(err)
	}
	wantVals := []analytics.NumberValue{
		{w.tech, "budget", w.t2, "Project T2", 3000},
		{w.tech, "budget", w.t1, "Project T1", 1000},
		{w.tech, "people_reached", w.t1, "Project T1", 50},
		{w.human, "budget", w.h1, "Project H1", 500},
	}
	if w.human < w.tech {
		wantVals = append(wantVals[3:], wantVals[:3]...)
	}
	if !reflect.DeepEqual(vals, wantVals) {
		t.Errorf("values\n got %v\nwant %v", vals, wantVals)
	}
	wantSums := []analytics.NumberSummary{
		{w.tech, "budget", 2, 1000, 2000, 3000, 2000},
		{w.tech, "people_reached", 1, 50, 50, 50, 50},
		{w.human, "budget", 1, 500, 500, 500, 500},
	}
	if w.human < w.tech {
		wantSums = append(wantSums[2:], wantSums[:2]...)
	}
	if !reflect.DeepEqual(sums, wantSums) {
		t.Errorf("summaries\n got %v\nwant %v", sums, wantSums)
	}
	if vals, sums, err := analytics.Numbers(context.Background(), w.pool, w.ev2, w.ed.ID, qs); err != nil || len(vals)+len(sums) != 0 {
		t.Errorf("an evaluator reads %v %v, %v", vals, sums, err)
	}
}

func same(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func sameDist(a, b analytics.Distribution) bool {
	return a.CategoryID == b.CategoryID && a.CriterionID == b.CriterionID && a.EvaluatorID == b.EvaluatorID && a.Name == b.Name &&
		a.N == b.N && same(a.Min, b.Min) && same(a.Q1, b.Q1) && same(a.Median, b.Median) && same(a.Q3, b.Q3) &&
		same(a.Max, b.Max) && same(a.Mean, b.Mean)
}

// TestScores: sealed until the round is closed; then per criterion and per evaluator, with
// interpolated quartiles. Criterion scores of relevance-to-the-theme: 3.5 (ev1, T1), 5 (ev2, T1),
// 2 (ev1, T2); of every other criterion 3, 5, 2. ev1's ten criterion scores are 3.5, 3, 3, 3, 3
// and 2 five times; ev2's five are 5.
func TestScores(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	crit, evs, err := analytics.Scores(ctx, w.pool, w.head, w.ed.ID)
	if err != nil || len(crit)+len(evs) != 0 {
		t.Fatalf("sealed scores read: %v %v, %v", crit, evs, err)
	}
	w.closeRound(t)
	crit, evs, err = analytics.Scores(ctx, w.pool, w.head, w.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	var tech *edition.Category
	for i := range w.ed.Categories {
		if w.ed.Categories[i].ID == w.tech {
			tech = &w.ed.Categories[i]
		}
	}
	if len(crit) != len(tech.Criteria) {
		t.Fatalf("%d criterion rows, want %d: %v", len(crit), len(tech.Criteria), crit)
	}
	for i, cr := range tech.Criteria {
		want := analytics.Distribution{CategoryID: w.tech, CriterionID: cr.ID, Name: cr.Name, N: 3, Min: 2, Q1: 2.5, Median: 3, Q3: 4, Max: 5, Mean: 10.0 / 3}
		if cr.ID == w.relev {
			want.Q1, want.Median, want.Q3, want.Mean = 2.75, 3.5, 4.25, 3.5
		}
		if !sameDist(crit[i], want) {
			t.Errorf("criterion %s:\n got %+v\nwant %+v", cr.Key, crit[i], want)
		}
	}
	wantEv := []analytics.Distribution{
		{CategoryID: w.tech, EvaluatorID: w.ev2, Name: "Evaluator ev2", N: 5, Min: 5, Q1: 5, Median: 5, Q3: 5, Max: 5, Mean: 5},
		{CategoryID: w.tech, EvaluatorID: w.ev1, Name: "Evaluator ev1", N: 10, Min: 2, Q1: 2, Median: 2.5, Q3: 3, Max: 3.5, Mean: 2.55},
	}
	if len(evs) != 2 || !sameDist(evs[0], wantEv[0]) || !sameDist(evs[1], wantEv[1]) {
		t.Errorf("evaluators\n got %+v\nwant %+v", evs, wantEv)
	}
	for name, viewer := range map[string]int64{"secretariat": w.sec, "council": w.council} {
		c, e, err := analytics.Scores(ctx, w.pool, viewer, w.ed.ID)
		if err != nil || len(c) != len(crit) || len(e) != 2 {
			t.Errorf("%s reads %d and %d rows, %v", name, len(c), len(e), err)
		}
	}
	if c, e, err := analytics.Scores(ctx, w.pool, w.ev1, w.ed.ID); err != nil || len(c)+len(e) != 0 {
		t.Errorf("an evaluator reads %v %v, %v", c, e, err)
	}
}

// TestProfiles: the confirmed semi-finalists with their criterion means; T3 has no sheet; H1's
// list is not confirmed.
func TestProfiles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	if got, err := analytics.Profiles(ctx, w.pool, w.council, w.ed.ID); err != nil || len(got) != 0 {
		t.Fatalf("sealed profiles: %v, %v", got, err)
	}
	w.closeRound(t)
	got, err := analytics.Profiles(ctx, w.pool, w.council, w.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].AppID != w.t1 || got[1].AppID != w.t2 || got[2].AppID != w.t3 {
		t.Fatalf("profiles %+v", got)
	}
	var tech *edition.Category
	for i := range w.ed.Categories {
		if w.ed.Categories[i].ID == w.tech {
			tech = &w.ed.Categories[i]
		}
	}
	p1, p2, p3 := got[0], got[1], got[2]
	if p1.Title != "Project T1" || p1.Rank != 1 || p1.Source != "ranking" || p1.Sheets != 2 || len(p1.Means) != len(tech.Criteria) {
		t.Fatalf("T1: %+v", p1)
	}
	for i, cr := range tech.Criteria {
		want := 4.0
		if cr.ID == w.relev {
			want = 4.25
		}
		if p1.Means[i].CriterionID != cr.ID || !same(p1.Means[i].Mean, want) {
			t.Errorf("T1 %s: %+v, want %v", cr.Key, p1.Means[i], want)
		}
		if !same(p2.Means[i].Mean, 2) {
			t.Errorf("T2 %s: %+v, want 2", cr.Key, p2.Means[i])
		}
	}
	if p2.Sheets != 1 || p3.Rank != 0 || p3.Source != "addition" || len(p3.Means) != 0 || p3.Sheets != 0 {
		t.Errorf("T2 %+v, T3 %+v", p2, p3)
	}
	for name, viewer := range map[string]int64{"secretariat": w.sec, "head": w.head} {
		if got, err := analytics.Profiles(ctx, w.pool, viewer, w.ed.ID); err != nil || len(got) != 3 {
			t.Errorf("%s reads %d profiles, %v", name, len(got), err)
		}
	}
	if got, err := analytics.Profiles(ctx, w.pool, w.ev1, w.ed.ID); err != nil || len(got) != 0 {
		t.Errorf("an evaluator reads %v, %v", got, err)
	}
}

// TestLoadProfileSets: Load reads the edition's questions with the data; the profile sets give
// each confirmed semi-finalist's means per criterion (NaN for none) and the mean of the
// semi-finalists per criterion, computed in SQL; H1's list is not confirmed.
func TestLoadProfileSets(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.closeRound(t)
	d, err := analytics.Load(context.Background(), w.pool, w.council, w.ed)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.ChoiceQs) != len(analytics.ChoiceQuestions(w.ed)) || len(d.NumberQs) != len(analytics.NumericQuestions(w.ed)) || len(d.Tallies()) != len(d.ChoiceQs) {
		t.Fatalf("questions %d %d", len(d.ChoiceQs), len(d.NumberQs))
	}
	sets, unconfirmed := d.ProfileSets(w.ed)
	if len(sets) != 1 || sets[0].Category.ID != w.tech || len(unconfirmed) != len(w.ed.Categories)-1 {
		t.Fatalf("sets %d, unconfirmed %v", len(sets), unconfirmed)
	}
	ps := sets[0]
	if len(ps.Entries) != 3 || len(ps.Values) != 3 || len(ps.Axes) != len(ps.Category.Criteria) {
		t.Fatalf("set %+v", ps)
	}
	for j, cr := range ps.Category.Criteria {
		t1 := 4.0
		if cr.ID == w.relev {
			t1 = 4.25
		}
		if !same(ps.Values[0][j], t1) || !same(ps.Values[1][j], 2) || !math.IsNaN(ps.Values[2][j]) || !same(ps.Mean[j], (t1+2)/2) {
			t.Errorf("%s: %v %v %v, mean %v", cr.Key, ps.Values[0][j], ps.Values[1][j], ps.Values[2][j], ps.Mean[j])
		}
	}
}

// TestEvaluatorsReadTheirCategoriesOnceClosed: an evaluator who is neither secretariat, head nor
// council reads nothing while round 2 is open (the report says why); once it is closed, the
// analysis of the categories they score (here Tech-InnovaCity), never another category's, and
// the evaluators numbered, never named. An evaluator without a category reads nothing.
func TestEvaluatorsReadTheirCategoriesOnceClosed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	exec(t, w.pool, `INSERT INTO evaluator_categories (user_id, category_id) VALUES ($1, $2)`, w.ev1, w.tech)
	ev1 := authz.Actor{UserID: w.ev1, Grants: []authz.Grant{{Role: authz.RoleEvaluator, EditionID: w.ed.ID}}}
	if subs, err := analytics.Submissions(ctx, w.pool, w.ev1, w.ed.ID); err != nil || len(subs) != 0 {
		t.Fatalf("an evaluator reads the submissions before the close: %v, %v", subs, err)
	}
	sections, err := analytics.LoadReport(ctx, w.pool, ev1, w.ed)
	if err != nil || len(sections) != 1 || sections[0].Note != analytics.SealedForEvaluators {
		t.Fatalf("the report before the close: %+v, %v", sections, err)
	}

	w.closeRound(t)
	subs, err := analytics.Submissions(ctx, w.pool, w.ev1, w.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range subs {
		if c.Dimension == analytics.ByCategory && c.Key != "tech-innovacity" {
			t.Errorf("the evaluator reads the category %s", c.Key)
		}
		if c.Dimension == analytics.ByCategory && c.N != 3 {
			t.Errorf("Tech-InnovaCity counts %d entries, want 3", c.N)
		}
	}
	crit, evs, err := analytics.Scores(ctx, w.pool, w.ev1, w.ed.ID)
	if err != nil || len(crit) != 5 || len(evs) != 2 {
		t.Errorf("the evaluator's scores: %d criteria, %d evaluators, %v; want 5 and 2", len(crit), len(evs), err)
	}
	if p, err := analytics.Profiles(ctx, w.pool, w.ev1, w.ed.ID); err != nil || len(p) != 3 {
		t.Errorf("the evaluator's profiles: %+v, %v; want T1, T2 and T3", p, err)
	}
	sections, err = analytics.LoadReport(ctx, w.pool, ev1, w.ed)
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprintf("%+v", sections)
	// the labels are carried texts (Evaluator {{.Number}}): the table cells as English shows them
	for _, sec := range sections {
		for _, c := range sec.Charts {
			for _, row := range c.Table.Rows {
				for _, cell := range row {
					text += " " + i18n.English(cell)
				}
			}
		}
	}
	for _, leak := range []string{"Evaluator ev1", "Evaluator ev2", "Human-CentriCity", "Project H1"} {
		if strings.Contains(text, leak) {
			t.Errorf("the evaluator's report shows %q", leak)
		}
	}
	for _, want := range []string{"Evaluator 1", "Evaluator 2", "Project T1", "Tech-InnovaCity"} {
		if !strings.Contains(text, want) {
			t.Errorf("the evaluator's report lacks %q", want)
		}
	}
	if subs, err := analytics.Submissions(ctx, w.pool, w.ev2, w.ed.ID); err != nil || len(subs) != 0 {
		t.Errorf("an evaluator without a category reads %v, %v", subs, err)
	}
}

package dossier_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	rt "prizeportal/internal/ranking/rankingtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.6f, want %.6f", what, got, want)
	}
}

func exec(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	dbtest.Exec(t, pool, sql, args...)
}

// semiFinalist makes app a semi-finalist of its category with rank.
func semiFinalist(t *testing.T, pool *pgxpool.Pool, app int64, rank int) {
	t.Helper()
	exec(t, pool, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
		SELECT id, edition_id, category_id, 'ranking', $2, now() FROM applications WHERE id = $1`, app, rank)
}

// confirm confirms the list of category catKey by head.
func confirm(t *testing.T, pool *pgxpool.Pool, ed *edition.Edition, catKey string, head int64) {
	t.Helper()
	exec(t, pool, `INSERT INTO semi_finalist_lists (edition_id, category_id, confirmed_by, confirmed_at)
		SELECT $1, id, $3, now() FROM categories WHERE edition_id = $1 AND key = $2`, ed.ID, catKey, head)
}

type fixture struct {
	pool           *pgxpool.Pool
	ed             *edition.Edition
	a, b, other    int64 // two semi-finalists and an entry that is not one
	council, secr  int64
	ev1, ev2, head int64
}

// setup seeds two tech-innovacity semi-finalists with hand-computable sheets: on entry a,
// evaluator 1 scores relevance-to-the-theme (2 indicators) 4 and 2 and every other indicator 3;
// evaluator 2 scores every indicator 5; the head's sheet (every indicator 1) is a draft and does
// not count.
func setup(t *testing.T) fixture {
	t.Helper()
	pool, ed := editiontest.Seoul2023(t)
	f := fixture{pool: pool, ed: ed}
	f.a = rt.Entry(t, pool, ed.ID, "tech-innovacity", "a", "Alpha")
	f.b = rt.Entry(t, pool, ed.ID, "tech-innovacity", "b", "Beta")
	f.other = rt.Entry(t, pool, ed.ID, "tech-innovacity", "c", "Gamma")
	f.ev1 = rt.Evaluator(t, pool, ed.ID, "ev1", "evaluator")
	f.ev2 = rt.Evaluator(t, pool, ed.ID, "ev2", "evaluator")
	f.head = rt.Evaluator(t, pool, ed.ID, "head", "committee_head")
	f.council = rt.Evaluator(t, pool, ed.ID, "council", "council")
	f.secr = rt.Evaluator(t, pool, ed.ID, "secr", "secretariat")
	s1 := rt.Sheet(t, pool, f.a, f.ev1, rt.Scores{"relevance-to-the-theme": {4, 2}, "*": {3}}, true)
	s2 := rt.Sheet(t, pool, f.a, f.ev2, rt.All(5), true)
	s3 := rt.Sheet(t, pool, f.a, f.head, rt.All(1), false)
	rt.Sheet(t, pool, f.b, f.ev1, rt.All(2), true)
	exec(t, pool, `UPDATE score_sheets SET criterion_comments = '{"governance": "Clear rules, evaluator one."}', overall_comment = 'Strong overall.' WHERE id = $1`, s1)
	exec(t, pool, `UPDATE score_sheets SET criterion_comments = '{"governance": "Weak monitoring.", "aim-of-efficiency": "  "}', overall_comment = '' WHERE id = $1`, s2)
	exec(t, pool, `UPDATE score_sheets SET criterion_comments = '{"governance": "Draft words."}', overall_comment = 'Draft overall.' WHERE id = $1`, s3)
	semiFinalist(t, pool, f.a, 1)
	semiFinalist(t, pool, f.b, 2)
	return f
}

func TestDossierOnlyAfterConfirmationForCouncilAndSecretariat(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	if list, err := dossier.List(ctx, f.pool, f.council, f.ed.ID); err != nil || len(list) != 0 {
		t.Fatalf("before confirmation: %v, %v; want none", list, err)
	}
	if _, err := dossier.Get(ctx, f.pool, f.council, f.a); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("Get before confirmation: %v, want ErrNotFound", err)
	}
	confirm(t, f.pool, f.ed, "tech-innovacity", f.head)
	for _, viewer := range []int64{f.council, f.secr} {
		list, err := dossier.List(ctx, f.pool, viewer, f.ed.ID)
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, e := range list {
			titles = append(titles, e.Title)
		}
		if !slices.Equal(titles, []string{"Alpha", "Beta"}) {
			t.Errorf("viewer %d: list %v, want Alpha, Beta", viewer, titles)
		}
		e, err := dossier.Get(ctx, f.pool, viewer, f.a)
		if err != nil || e.Organisation != "Org a" || e.Rank != 1 || e.Country != "KR" {
			t.Errorf("Get: %+v, %v", e, err)
		}
	}
	// the committee (not council) and a non-semi-finalist: not found
	for _, viewer := range []int64{f.ev1, f.head} {
		if _, err := dossier.Get(ctx, f.pool, viewer, f.a); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("viewer %d: %v, want ErrNotFound", viewer, err)
		}
	}
	if _, err := dossier.Get(ctx, f.pool, f.council, f.other); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("not a semi-finalist: %v, want ErrNotFound", err)
	}
}

func TestDossierScoresPerCriterion(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	confirm(t, f.pool, f.ed, "tech-innovacity", f.head)
	scores, err := dossier.CategoryScores(ctx, f.pool, f.council, f.ed.Categories[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	cat := f.ed.Categories[0]
	if cat.Key != "tech-innovacity" {
		t.Fatalf("first category %s", cat.Key)
	}
	a := scores[f.a]
	if len(a) != len(cat.Criteria) {
		t.Fatalf("entry a: %d criteria, want %d", len(a), len(cat.Criteria))
	}
	// relevance: sheet 1 = (4+2)/2 = 3, sheet 2 = 5 (the draft's 1 does not count):
	// mean 4, range 3–5, population standard deviation 1.
	rel := a[0]
	if rel.Key != "relevance-to-the-theme" || rel.Sheets != 2 {
		t.Fatalf("first criterion %+v", rel)
	}
	near(t, "relevance mean", rel.Mean, 4)
	near(t, "relevance min", rel.Min, 3)
	near(t, "relevance max", rel.Max, 5)
	near(t, "relevance sd", rel.StdDev, 1)
	// every other criterion: 3 and 5: mean 4, sd 1
	gov := a[2]
	if gov.Key != "governance" {
		t.Fatalf("third criterion %s", gov.Key)
	}
	near(t, "governance mean", gov.Mean, 4)
	near(t, "governance sd", gov.StdDev, 1)
	// entry b: one sheet of 2s: mean 2, spread 0
	b := scores[f.b]
	near(t, "b mean", b[0].Mean, 2)
	near(t, "b sd", b[0].StdDev, 0)
	if b[0].Sheets != 1 {
		t.Errorf("b sheets %d, want 1", b[0].Sheets)
	}
	// not for the committee
	if s, err := dossier.CategoryScores(ctx, f.pool, f.ev1, cat.ID); err != nil || len(s) != 0 {
		t.Errorf("evaluator sees %v, %v", s, err)
	}
}

func TestDossierCommentsWithoutNames(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	confirm(t, f.pool, f.ed, "tech-innovacity", f.head)
	c, err := dossier.CommentsOf(ctx, f.pool, f.council, f.a)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.ByCriterion["governance"]; !slices.Equal(got, []string{"Clear rules, evaluator one.", "Weak monitoring."}) {
		t.Errorf("governance comments %q", got)
	}
	if _, blank := c.ByCriterion["aim-of-efficiency"]; blank {
		t.Error("a blank comment is listed")
	}
	if !slices.Equal(c.Overall, []string{"Strong overall."}) {
		t.Errorf("overall %q (the draft's must not show)", c.Overall)
	}
	all := strings.Join(append(c.Overall, c.ByCriterion["governance"]...), " ")
	for _, name := range []string{"Evaluator ev1", "Evaluator ev2", "Draft"} {
		if strings.Contains(all, name) {
			t.Errorf("comments contain %q", name)
		}
	}
	if c, err := dossier.CommentsOf(ctx, f.pool, f.ev2, f.a); err != nil || len(c.Overall)+len(c.ByCriterion) != 0 {
		t.Errorf("evaluator reads comments: %+v, %v", c, err)
	}
}

func TestDossierFileCheckedInSQL(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	confirm(t, f.pool, f.ed, "tech-innovacity", f.head)
	var fileA, fileOther int64
	for _, x := range []struct {
		app int64
		id  *int64
	}{{f.a, &fileA}, {f.other, &fileOther}} {
		if err := f.pool.QueryRow(ctx, `INSERT INTO files (storage_key, original_name, size, content_type, sha256, created_at)
			VALUES (md5(random()::text), 'plan.pdf', 4, 'application/pdf', repeat('a', 64), now()) RETURNING id`).Scan(x.id); err != nil {
			t.Fatal(err)
		}
		exec(t, f.pool, `INSERT INTO application_files (application_id, file_id, question) VALUES ($1, $2, 'plan')`, x.app, *x.id)
	}
	if got, err := dossier.File(ctx, f.pool, f.council, f.a, fileA); err != nil || got.ID != fileA {
		t.Errorf("own file: %v, %v", got.ID, err)
	}
	for _, c := range []struct{ viewer, app, file int64 }{
		{f.council, f.a, fileOther}, {f.council, f.other, fileOther}, {f.ev1, f.a, fileA},
	} {
		if _, err := dossier.File(ctx, f.pool, c.viewer, c.app, c.file); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%+v: %v, want ErrNotFound", c, err)
		}
	}
}

// TestDossierOverallUnderTheChosenMethod: the dossier gives each semi-finalist's overall score
// under the method the head chose (here the z-score), with its rank, the other methods beside
// it, and each criterion's weight and weighted part. Entry a's sheets score 3 (evaluator 1) and
// 5 (evaluator 2), b's 2 (evaluator 1): evaluator 1's mean is 2.5 and spread 0.5, so a's z is 1
// and b's -1, evaluator 2's single sheet 0; a's mean z 0.5 rescales to 3 + 0.5 × 4/6.
func TestDossierOverallUnderTheChosenMethod(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	confirm(t, f.pool, f.ed, "tech-innovacity", f.head)
	exec(t, f.pool, `INSERT INTO scoring_rounds (edition_id, method, method_set_by, method_set_at, closed_at, closed_by)
		VALUES ($1, 'zscore', $2, now(), now(), $2)`, f.ed.ID, f.head)
	d, err := dossier.Load(ctx, f.pool, f.council, f.a)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := d.Overall(f.a, d.Method)
	if !ok || v.Rank != 1 {
		t.Fatalf("overall of a = %+v, %v", v, ok)
	}
	near(t, "a's z-score", v.Value, 3+0.5*4.0/6)
	facts := map[string]string{}
	for _, x := range d.Facts() {
		facts[x.Label] = x.Value
	}
	if got := facts["Overall score (Z-score normalised, the method the committee head chose)"]; got != "3.33, rank 1 of 2 scored entries" {
		t.Errorf("overall fact = %q (facts %v)", got, facts)
	}
	methods := d.MethodsTable()
	if len(methods.Rows) != 4 || methods.Rows[0][1] != "4.00, rank 1 of 2 scored entries" || methods.Rows[3][0] != "Z-score normalised (chosen by the committee head)" {
		t.Errorf("methods = %v", methods.Rows)
	}
	head, rows := d.Comparison()
	if head[len(head)-1] != "Overall (Z-score normalised)" || len(rows) != 2 || rows[0].Cells[len(rows[0].Cells)-1] != "3.33" || rows[1].Cells[len(rows[1].Cells)-1] != "2.33" {
		t.Errorf("comparison %v %+v", head, rows)
	}
	gov, _ := d.Score(f.a, "governance")
	if w := d.CriterionWeighted(d.Category.Criteria[2], gov); w.Share != "20%" || w.Part != "0.80" {
		t.Errorf("governance weighted = %+v, want 20%% and 0.80 (a fifth of 4)", w)
	}
}

// TestDossierNamesTheCoNominators: a Leadership semi-finalist's dossier names its nominator and
// the nominators of the repeat nominations merged into it.
func TestDossierNamesTheCoNominators(t *testing.T) {
	t.Parallel()
	f := setup(t)
	exec(t, f.pool, `
		WITH u AS (
			INSERT INTO users (login_id, email, name, password_hash) VALUES ('ana', 'ana@example.org', 'Ana', 'x'), ('ben', 'ben@example.org', 'Ben', 'x')
			RETURNING id, login_id),
		a AS (
			INSERT INTO applications (user_id, edition_id, category_id, kind, status, submitted_version, submitted_at)
			SELECT u.id, $1, c.id, 'nomination', 'submitted', 1, now() FROM u, categories c
			WHERE c.edition_id = $1 AND c.key = 'leadership' RETURNING id, user_id)
		INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, created_at)
		SELECT a.id, a.user_id, $1, false, 'Cand Kim', 'kim@example.org', now() FROM a`, f.ed.ID)
	exec(t, f.pool, `UPDATE applications b SET status = 'merged', merged_into = a.id, merged_at = now()
		FROM applications a JOIN users au ON au.id = a.user_id, users bu
		WHERE a.edition_id = $1 AND b.edition_id = $1 AND au.login_id = 'ana' AND bu.id = b.user_id AND bu.login_id = 'ben'`, f.ed.ID)
	exec(t, f.pool, `INSERT INTO semi_finalists (application_id, edition_id, category_id, source, rank, added_at)
		SELECT a.id, a.edition_id, a.category_id, 'ranking', 1, now() FROM applications a JOIN users u ON u.id = a.user_id WHERE u.login_id = 'ana'`)
	confirm(t, f.pool, f.ed, "leadership", f.head)
	list, err := dossier.List(context.Background(), f.pool, f.council, f.ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range list {
		got[e.Title] = e.Nominators
	}
	if got["Nomination of Cand Kim"] != "Ana (co-nominated by Ben)" || len(list) != 1 {
		t.Fatalf("nominators: %v", got)
	}
}

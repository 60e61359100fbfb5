package dashboard_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/dashboard"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/nomination"
	"prizeportal/internal/scoring"
	"prizeportal/internal/screening"
)

// glanceWorld builds entries of seoul-2023 in different states and returns the edition's ids.
type glanceWorld struct {
	pool                     *pgxpool.Pool
	edition, tech, human, ld int64
	staff                    int64
	n                        int
}

func (w *glanceWorld) user(t *testing.T, cat int64) int64 {
	t.Helper()
	w.n++
	var id int64
	var category any
	if cat != 0 {
		category = cat
	}
	if err := w.pool.QueryRow(context.Background(), `INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id)
		VALUES ($1, $1 || '@example.org', $1, 'x', $2, $3) RETURNING id`,
		fmt.Sprintf("u%d", w.n), w.edition, category).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// app inserts an application of a new account in cat with status ('draft', 'submitted',
// 'withdrawn') and kind.
func (w *glanceWorld) app(t *testing.T, cat int64, status, kind string) (user, id int64) {
	t.Helper()
	user = w.user(t, cat)
	if err := w.pool.QueryRow(context.Background(), `INSERT INTO applications (user_id, edition_id, category_id, status, kind, submitted_at, withdrawn_at)
		VALUES ($1, $2, $3, $4, $5, CASE WHEN $4 <> 'draft' THEN now() END, CASE WHEN $4 = 'withdrawn' THEN now() END) RETURNING id`,
		user, w.edition, cat, status, kind).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return user, id
}

// TestGlanceOf: the counts of an edition with entries in every state, each asserted exactly, and
// the action counts agree with the lists they link to (the screening queue's and the nominations
// list's filters).
func TestGlanceOf(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, ed := editiontest.Seoul2023(t)
	tech, _ := ed.Category("tech-innovacity")
	human, _ := ed.Category("human-centricity")
	lead, _ := ed.Category("leadership")
	w := &glanceWorld{pool: pool, edition: ed.ID, tech: tech.ID, human: human.ID, ld: lead.ID}
	w.staff = w.user(t, 0)
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, w.staff, ed.ID)
	now := ed.Schedule.Screening.Start.Add(48 * time.Hour)

	// Tech: an account without an application, two drafts, a withdrawn one, four submitted: one
	// eligible, one ineligible, one asked for clarification (still open), one undecided with a
	// clarification overdue.
	w.user(t, tech.ID)
	w.app(t, tech.ID, "draft", "project")
	w.app(t, tech.ID, "draft", "project")
	w.app(t, tech.ID, "withdrawn", "project")
	_, eligible := w.app(t, tech.ID, "submitted", "project")
	_, ineligible := w.app(t, tech.ID, "submitted", "project")
	_, asked := w.app(t, tech.ID, "submitted", "project")
	_, late := w.app(t, tech.ID, "submitted", "project")
	decide := `INSERT INTO screening_decisions (application_id, decision, reason_key, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5)`
	dbtest.Exec(t, pool, decide, eligible, "eligible", "", w.staff, now)
	dbtest.Exec(t, pool, decide, ineligible, "ineligible", "incomplete", w.staff, now)
	dbtest.Exec(t, pool, decide, asked, "clarification", "", w.staff, now)
	clarify := `INSERT INTO clarifications (application_id, question, deadline, asked_by, asked_at) VALUES ($1, 'Why?', $2, $3, $4)`
	dbtest.Exec(t, pool, clarify, asked, now.Add(24*time.Hour), w.staff, now.Add(-time.Hour))
	dbtest.Exec(t, pool, clarify, late, now.Add(-time.Hour), w.staff, now.Add(-48*time.Hour))
	// an answered clarification is neither open nor overdue
	dbtest.Exec(t, pool, clarify, eligible, now.Add(-time.Hour), w.staff, now.Add(-48*time.Hour))
	dbtest.Exec(t, pool, `UPDATE clarifications SET answered_at = $2, answered_by = $3, answer_text = 'Because.' WHERE application_id = $1`,
		eligible, now.Add(-2*time.Hour), w.staff)

	// Round 2 in Tech: two evaluators, three active assignments (one sheet submitted, one draft,
	// one not opened) and an ended one; evaluator b is behind, a is not.
	evA, evB := w.user(t, 0), w.user(t, 0)
	for _, ev := range []int64{evA, evB} {
		dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'evaluator', $2)`, ev, ed.ID)
	}
	assign := `INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at) VALUES ($1, $2, $3, $4)`
	dbtest.Exec(t, pool, assign, eligible, evA, ed.ID, now)
	dbtest.Exec(t, pool, assign, eligible, evB, ed.ID, now)
	dbtest.Exec(t, pool, assign, ineligible, evB, ed.ID, now)
	dbtest.Exec(t, pool, `INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at, ended_at, end_kind)
		VALUES ($1, $2, $3, $4, $4, 'recused')`, ineligible, evA, ed.ID, now)
	sheet := `INSERT INTO score_sheets (application_id, evaluator_id, edition_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`
	dbtest.Exec(t, pool, sheet, eligible, evA, ed.ID, "submitted", now)
	dbtest.Exec(t, pool, sheet, eligible, evB, ed.ID, "draft", now)

	// Human: one submitted, undecided.
	w.app(t, human.ID, "submitted", "project")

	// Leadership: a self-nomination submitted with neither letter nor endorsements (missing
	// letter), a third-party one waiting for consent, a withdrawn one waiting for consent (not
	// counted), and a draft. The two submitted ones are entries of round 1, incomplete and
	// waiting for a decision.
	nominate := func(status string, self bool, consent string) {
		user, id := w.app(t, lead.ID, status, "nomination")
		dbtest.Exec(t, pool, `INSERT INTO nominations (application_id, user_id, edition_id, self, candidate_name, candidate_email, consent, created_at)
			VALUES ($1, $2, $3, $4, 'Candidate', $7, $5, $6)`, id, user, ed.ID, self, consent, now, fmt.Sprintf("c%d@example.org", id))
	}
	nominate("submitted", true, "none")
	nominate("submitted", false, "requested")
	nominate("withdrawn", false, "none")
	nominate("draft", false, "given")

	// Round 3: a council of three, two ballots in Tech.
	var council []int64
	for range 3 {
		id := w.user(t, 0)
		council = append(council, id)
		dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'council', $2)`, id, ed.ID)
	}
	for _, m := range council[:2] {
		dbtest.Exec(t, pool, `INSERT INTO ballots (edition_id, category_id, member_id, cast_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
			ed.ID, tech.ID, m, now)
	}

	g, err := dashboard.GlanceOf(ctx, pool, ed, now)
	if err != nil {
		t.Fatal(err)
	}
	// On 3 June round 1 is open (decisions from submission), rounds 2 and 3 not started.
	if r := g.Rounds; r.Screening.Phase != edition.PhaseOpen || r.Scoring.Phase != edition.PhaseUpcoming || r.Voting.Phase != edition.PhaseUpcoming {
		t.Errorf("the rounds on 3 June: %v %v %v", r.Screening.Phase, r.Scoring.Phase, r.Voting.Phase)
	}
	if g.CouncilSize != 3 || g.MissingConsent != 1 || g.MissingLetter != 2 || g.EvaluatorsBehind != 1 {
		t.Errorf("edition counts: council %d, missing consent %d, missing letter %d, evaluators behind %d; want 3, 1, 2, 1",
			g.CouncilSize, g.MissingConsent, g.MissingLetter, g.EvaluatorsBehind)
	}
	want := []dashboard.CategoryCounts{
		{ID: tech.ID, Key: "tech-innovacity", Name: tech.Name, Registered: 8, Drafts: 2, Submitted: 4, Entries: 4, Decided: 2,
			Undecided: 1, Overdue: 1, ClarificationsOpen: 1, SheetsAssigned: 3, SheetsDone: 1, BallotsCast: 2},
		{ID: human.ID, Key: "human-centricity", Name: human.Name, Registered: 1, Submitted: 1, Entries: 1, Undecided: 1},
		{ID: lead.ID, Key: "leadership", Name: lead.Name, Registered: 4, Drafts: 1, Submitted: 2, Entries: 2, Undecided: 2},
	}
	if len(g.Categories) != len(want) {
		t.Fatalf("categories %+v", g.Categories)
	}
	for i := range want {
		if g.Categories[i] != want[i] {
			t.Errorf("category %d:\n got %+v\nwant %+v", i, g.Categories[i], want[i])
		}
	}

	// The links' lists show as many as the counts say.
	for status, n := range map[string]int{"undecided": 1, "overdue": 1} {
		q, err := screening.ListQueue(ctx, pool, w.staff, screening.Filter{EditionID: ed.ID, CategoryID: tech.ID, Status: status, Now: now})
		if err != nil || q.Total != n {
			t.Errorf("queue %s: %d entries (%v), want %d", status, q.Total, err, n)
		}
	}
	if l, err := scoring.Evaluators(ctx, pool, w.staff, ed.ID, true, 1); err != nil || l.Total != 1 || l.Rows[0].ID != evB {
		t.Errorf("evaluators behind: %+v (%v), want %d alone", l, err, evB)
	}
	for missing, n := range map[string]int{"consent": 1, "letter": 2, "": 4} {
		l, err := nomination.ListForSecretariat(ctx, pool, w.staff, ed.ID, missing, 1)
		if err != nil || l.Total != n {
			t.Errorf("nominations missing %q: %d (%v), want %d", missing, l.Total, err, n)
		}
	}
}

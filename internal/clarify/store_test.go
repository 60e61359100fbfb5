package clarify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/clarify"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/files"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// now is in round 1 of seoul-2023 (screening in June 2023; scoring from 1 July, Seoul time).
var now = time.Date(2023, 6, 5, 3, 0, 0, 0, time.UTC)

type world struct {
	pool                      *pgxpool.Pool
	ed                        *edition.Edition
	staff, evaluator, council int64
	kim, lee                  int64
	kimApp, leeApp            int64
}

func user(t *testing.T, pool *pgxpool.Pool, login, role string, ed *edition.Edition, category int64) int64 {
	t.Helper()
	ctx := context.Background()
	var cat *int64
	if category != 0 {
		cat = &category
	}
	var id int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id)
		VALUES ($1, $1 || '@example.org', 'User ' || $1, 'x', $2, $3) RETURNING id`, login, ed.ID, cat).Scan(&id); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, $2, $3)`, id, role, ed.ID)
	return id
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	pool, ed := editiontest.Seoul2023(t)
	tech, _ := ed.Category("tech-innovacity")
	w := &world{pool: pool, ed: ed}
	w.staff = user(t, pool, "sec", "secretariat", ed, 0)
	w.evaluator = user(t, pool, "eva", "evaluator", ed, 0)
	w.council = user(t, pool, "cou", "council", ed, 0)
	w.kim = user(t, pool, "kim", "applicant", ed, tech.ID)
	w.lee = user(t, pool, "lee", "applicant", ed, tech.ID)
	for _, p := range []struct {
		owner int64
		id    *int64
	}{{w.kim, &w.kimApp}, {w.lee, &w.leeApp}} {
		a, err := application.Load(ctx, pool, p.owner)
		if err != nil {
			t.Fatal(err)
		}
		answers := form.Answers{"project_title": {Text: "Smart bus stops"}, "summary": {Text: "First summary"}}
		id, v, err := application.Save(ctx, pool, a, 0, answers, now)
		if err != nil {
			t.Fatal(err)
		}
		a.ID, a.Version = id, v
		if _, err := application.Submit(ctx, pool, a, v, answers, now); err != nil {
			t.Fatal(err)
		}
		*p.id = id
	}
	return w
}

func (w *world) ask(t *testing.T, app int64, deadline time.Time, keys ...string) int64 {
	t.Helper()
	id, owner, err := clarify.Ask(context.Background(), w.pool, w.staff, app, clarify.Request{Question: "Which city runs the project?",
		Deadline: deadline, Keys: keys}, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[int64]int64{w.kimApp: w.kim, w.leeApp: w.lee}[app]; owner != want {
		t.Fatalf("owner %d, want %d", owner, want)
	}
	return id
}

func TestDraftParse(t *testing.T) {
	t.Parallel()
	loc, _ := time.LoadLocation("Asia/Seoul")
	f := &form.Form{Sections: []form.Section{{Key: "s", Title: "S", Questions: []form.Question{{Key: "summary", Label: "Summary", Type: form.LongText}}}}}
	r, errs := clarify.Draft{Question: " Why? \r\n", Deadline: "2023-06-15T18:00", Keys: []string{"summary", "summary", ""}}.Parse(f, loc, now)
	if errs.Any() || r.Question != "Why?" || len(r.Keys) != 1 || !r.Deadline.Equal(time.Date(2023, 6, 15, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("valid draft: %+v %v", r, errs)
	}
	_, errs = clarify.Draft{Deadline: "2023-06-05T11:59", Keys: []string{"nope"}}.Parse(f, loc, now)
	for _, k := range []string{"question", "deadline", "keys"} {
		if errs.Get(k) == "" {
			t.Errorf("no problem for %s: %v", k, errs)
		}
	}
	if _, errs := (clarify.Draft{Question: "Q", Deadline: "15 June"}).Parse(f, loc, now); errs.Get("deadline") == "" {
		t.Error("a malformed deadline must be refused")
	}
}

func TestAskThreadAndVisibility(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	deadline := now.Add(7 * 24 * time.Hour)
	first := w.ask(t, w.kimApp, deadline)
	second := w.ask(t, w.kimApp, deadline.Add(time.Hour), "summary")
	if _, _, err := clarify.Ask(ctx, w.pool, w.evaluator, w.kimApp, clarify.Request{Question: "Q", Deadline: deadline}, now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an evaluator asks: %v, want ErrNotFound", err)
	}
	thread, err := clarify.Thread(ctx, w.pool, w.staff, w.kimApp, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(thread) != 2 || thread[0].ID != first || thread[1].ID != second || thread[1].QuestionKeys[0] != "summary" ||
		thread[0].AskedByName != "User sec" || thread[0].State(now) != clarify.Open || len(thread[0].Documents) != 0 {
		t.Fatalf("thread: %+v", thread)
	}
	// The council sees it from round 2 (scoring) on, an evaluator from then on only while the
	// entry is assigned to them; others never.
	scoring := w.ed.Schedule.Scoring.Start
	type viewCase struct {
		viewer int64
		at     time.Time
		want   int
	}
	check := func(cases ...viewCase) {
		t.Helper()
		for _, c := range cases {
			got, err := clarify.Thread(ctx, w.pool, c.viewer, w.kimApp, c.at)
			if err != nil || len(got) != c.want {
				t.Errorf("viewer %d at %v: %d clarifications (%v), want %d", c.viewer, c.at, len(got), err, c.want)
			}
		}
	}
	check(viewCase{w.evaluator, now, 0}, viewCase{w.council, scoring.Add(-time.Second), 0}, viewCase{w.evaluator, scoring, 0},
		viewCase{w.council, scoring, 2}, viewCase{w.kim, scoring, 0}, viewCase{w.staff, scoring, 2})
	if _, err := w.pool.Exec(ctx, `INSERT INTO assignments (application_id, evaluator_id, edition_id, assigned_at) VALUES ($1, $2, $3, now())`,
		w.kimApp, w.evaluator, w.ed.ID); err != nil {
		t.Fatal(err)
	}
	check(viewCase{w.evaluator, now, 0}, viewCase{w.evaluator, scoring, 2})
	dbtest.Exec(t, w.pool, `UPDATE assignments SET ended_at = now(), end_kind = 'recused' WHERE evaluator_id = $1`, w.evaluator)
	check(viewCase{w.evaluator, scoring, 0})
	// A council member (or committee head) in conflict with the entry no longer reads it; the
	// secretariat still does.
	dbtest.Exec(t, w.pool, `INSERT INTO conflict_declarations (edition_id, evaluator_id, kind, name, created_at)
		SELECT $1, $2, 'person', u.name, now() FROM applications a JOIN users u ON u.id = a.user_id WHERE a.id = $3`,
		w.ed.ID, w.council, w.kimApp)
	check(viewCase{w.council, scoring, 0}, viewCase{w.staff, scoring, 2})
	tech, _ := w.ed.Category("tech-innovacity")
	if ed, cat, err := clarify.EntryOf(ctx, w.pool, w.kimApp); err != nil || ed != w.ed.ID || cat != tech.ID {
		t.Fatalf("entry: %d %d %v", ed, cat, err)
	}
	if _, _, err := clarify.EntryOf(ctx, w.pool, -1); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("edition of nothing: %v", err)
	}
}

func TestAnswerOwnerDeadlineAndDocuments(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	deadline := now.Add(48 * time.Hour)
	id := w.ask(t, w.kimApp, deadline)
	late := w.ask(t, w.kimApp, now.Add(time.Hour))
	w.ask(t, w.leeApp, deadline)

	list, err := clarify.ListForOwner(ctx, w.pool, w.kim)
	if err != nil || len(list) != 2 || list[0].ID != late || list[0].Title != "Smart bus stops" || list[0].Kind != "project" {
		t.Fatalf("kim's list: %+v %v", list, err)
	}
	if n, _ := clarify.OpenCount(ctx, w.pool, w.kim, w.ed.ID, now); n != 2 {
		t.Fatalf("open: %d, want 2", n)
	}
	if _, err := clarify.ForOwner(ctx, w.pool, w.lee, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("lee opens kim's: %v", err)
	}

	answer := func(owner, id int64, at time.Time, r clarify.Response) error {
		return db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
			if _, err := clarify.Lock(ctx, tx, owner, id, at); err != nil {
				return err
			}
			return clarify.Answer(ctx, tx, owner, id, r, at)
		})
	}
	if err := answer(w.lee, id, now, clarify.Response{Text: "x"}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("lee answers kim's: %v", err)
	}
	// The deadline is exclusive, to the second.
	if err := answer(w.kim, late, now.Add(time.Hour), clarify.Response{Text: "late"}); !errors.Is(err, clarify.ErrLate) {
		t.Fatalf("late answer: %v, want ErrLate", err)
	}
	var fileID int64
	err = db.InTx(ctx, w.pool, func(tx pgx.Tx) error {
		f, err := files.Record(ctx, tx, files.Stored{Key: files.NewKey(), Name: "proof.pdf", Size: 10, ContentType: "application/pdf",
			SHA256: "0000000000000000000000000000000000000000000000000000000000000000"}, w.kim, now)
		fileID = f.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	v := 2
	if err := answer(w.kim, id, deadline.Add(-time.Second), clarify.Response{Text: "  Seoul runs it.  ", FileIDs: []int64{fileID}, AmendedVersion: &v}); err != nil {
		t.Fatal(err)
	}
	if err := answer(w.kim, id, now, clarify.Response{Text: "again"}); !errors.Is(err, clarify.ErrAnswered) {
		t.Fatalf("second answer: %v, want ErrAnswered", err)
	}
	got, err := clarify.ForOwner(ctx, w.pool, w.kim, id)
	if err != nil || got.Answer != "Seoul runs it." || got.AnsweredAt == nil || len(got.Documents) != 1 || got.Documents[0].Name != "proof.pdf" ||
		got.AmendedVersion == nil || *got.AmendedVersion != 2 || got.State(now) != clarify.Answered {
		t.Fatalf("answered: %+v %v", got, err)
	}
	if n, _ := clarify.OpenCount(ctx, w.pool, w.kim, w.ed.ID, now); n != 1 {
		t.Fatalf("open after answering: %d, want 1 (the late one until its deadline)", n)
	}
	if n, _ := clarify.OpenCount(ctx, w.pool, w.kim, w.ed.ID, now.Add(time.Hour)); n != 0 {
		t.Fatalf("open after the deadline: %d, want 0", n)
	}
	// Documents: the owner and the secretariat, nobody else.
	if _, err := clarify.OwnerDocument(ctx, w.pool, w.kim, id, fileID); err != nil {
		t.Fatal(err)
	}
	if _, err := clarify.OwnerDocument(ctx, w.pool, w.lee, id, fileID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("lee's document: %v", err)
	}
	if f, err := clarify.ViewerDocument(ctx, w.pool, w.staff, w.kimApp, fileID, now); err != nil || f.Name != "proof.pdf" {
		t.Fatalf("secretariat's document: %+v %v", f, err)
	}
	if _, err := clarify.ViewerDocument(ctx, w.pool, w.evaluator, w.kimApp, fileID, now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("evaluator's document in round 1: %v", err)
	}
	if _, err := clarify.ViewerDocument(ctx, w.pool, w.staff, w.leeApp, fileID, now); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("document through another entry: %v", err)
	}
}

func TestAmendKeepsSubmittedAndAddsVersion(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	a, err := application.LoadEntry(ctx, w.pool, w.kim, w.kimApp)
	if err != nil {
		t.Fatal(err)
	}
	edited := form.Answers{"project_title": {Text: "Smart bus stops"}, "summary": {Text: "Clarified summary"}}
	if _, err := application.Amend(ctx, w.pool, a, a.Version+1, edited, edited, now); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("amend from a stale version: %v", err)
	}
	n, err := application.Amend(ctx, w.pool, a, a.Version, edited, edited, now)
	if err != nil || n != 2 {
		t.Fatalf("amend: %d %v", n, err)
	}
	b, _ := application.LoadEntry(ctx, w.pool, w.kim, w.kimApp)
	last, _ := application.LastVersion(ctx, w.pool, w.kim, w.kimApp)
	if b.Status != application.Submitted || b.Changed() || b.Submissions != 2 || last.Answers["summary"].Text != "Clarified summary" {
		t.Fatalf("after amend: %+v, last %+v", b, last)
	}
}

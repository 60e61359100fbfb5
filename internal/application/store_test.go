package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/files"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 5, 10, 3, 0, 0, 0, time.UTC)

// applicant creates an account registered for the Tech-InnovaCity category of seoul-2023.
func applicant(t *testing.T, pool *pgxpool.Pool, login string) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(), `
		INSERT INTO users (login_id, email, name, password_hash, edition_id, category_id)
		SELECT $1, $1 || '@example.org', $1, 'x', e.id, c.id
		FROM editions e JOIN categories c ON c.edition_id = e.id
		WHERE e.slug = 'seoul-2023' AND c.key = 'tech-innovacity' RETURNING id`, login).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func setup(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := dbtest.New(t)
	editiontest.Import(t, pool, "seoul-2023")
	return pool
}

func TestSaveVersionsAndOwnerFilter(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	ctx := context.Background()
	kim, lee := applicant(t, pool, "kim"), applicant(t, pool, "lee")

	a, err := application.Load(ctx, pool, kim)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != 0 || a.Version != 0 || a.Status != application.Draft {
		t.Fatalf("new application = %+v, want an unsaved draft", a)
	}
	id, v1, err := application.Save(ctx, pool, a, 0, form.Answers{"project_title": {Text: "Seoul Talk"}}, now)
	if err != nil || v1 != 1 || id == 0 {
		t.Fatalf("first save = %d, %v; want version 1", v1, err)
	}
	// A second tab that loaded the unsaved draft cannot create another application.
	if _, _, err := application.Save(ctx, pool, a, 0, form.Answers{"project_title": {Text: "Other"}}, now); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("second first save: %v, want db.ErrConflict", err)
	}
	a.ID = id
	_, v2, err := application.Save(ctx, pool, a, 1, form.Answers{"project_title": {Text: "Seoul Talk 2"}}, now)
	if err != nil || v2 != 2 {
		t.Fatalf("save from version 1 = %d, %v; want 2", v2, err)
	}
	// A tab still at version 1 must not overwrite version 2.
	if _, _, err := application.Save(ctx, pool, a, 1, form.Answers{"project_title": {Text: "stale"}}, now); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("stale save: %v, want db.ErrConflict", err)
	}
	got, err := application.Load(ctx, pool, kim)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || application.Title(got.Answers) != "Seoul Talk 2" {
		t.Fatalf("stored = version %d %q; want version 2 \"Seoul Talk 2\"", got.Version, application.Title(got.Answers))
	}

	// Lee sees his own empty draft, never Kim's, and cannot reach Kim's files.
	other, err := application.Load(ctx, pool, lee)
	if err != nil || other.ID != 0 || len(other.Answers) != 0 {
		t.Fatalf("lee's application = %+v, %v; want an unsaved draft of his own", other, err)
	}
	f, err := files.Record(ctx, pool, files.Stored{Key: files.NewKey(), Name: "plan.pdf", Size: 10, Type: files.PDF,
		ContentType: "application/pdf", SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}, kim, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := application.AttachFile(ctx, pool, kim, id, f.ID, "documents"); err != nil {
		t.Fatal(err)
	}
	if _, err := application.File(ctx, pool, kim, id, f.ID); err != nil {
		t.Fatalf("owner's file: %v", err)
	}
	if _, err := application.File(ctx, pool, lee, id, f.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another applicant's file: %v, want db.ErrNotFound", err)
	}
	if _, _, err := application.DetachFile(ctx, pool, lee, id, f.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("detach another applicant's file: %v, want db.ErrNotFound", err)
	}
	if _, err := application.Load(ctx, pool, 0); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("no such user: %v, want db.ErrNotFound", err)
	}
}

// draft is the application of a new applicant login, saved once at now with the project title
// title: the applicant, the application as loaded before the save, and its id.
func draft(t *testing.T, pool *pgxpool.Pool, login, title string) (int64, application.Application, int64) {
	t.Helper()
	owner := applicant(t, pool, login)
	a, err := application.Load(context.Background(), pool, owner)
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := application.Save(context.Background(), pool, a, 0, form.Answers{"project_title": {Text: title}}, now)
	if err != nil {
		t.Fatal(err)
	}
	return owner, a, id
}

func TestSubmitKeepsVersions(t *testing.T) {
	t.Parallel()
	pool := setup(t)
	ctx := context.Background()
	kim, a, id := draft(t, pool, "kim", "First")
	a.ID = id
	if _, err := application.Submit(ctx, pool, a, 2, form.Answers{}, now); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("submit at a version not stored: %v, want db.ErrConflict", err)
	}
	n, err := application.Submit(ctx, pool, a, 1, form.Answers{"project_title": {Text: "First"}}, now)
	if err != nil || n != 1 {
		t.Fatalf("submit = %d, %v; want version 1", n, err)
	}
	// Editing after submission keeps the submitted version for the committee.
	if _, _, err := application.Save(ctx, pool, a, 1, form.Answers{"project_title": {Text: "Second"}}, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ := application.Load(ctx, pool, kim)
	if got.Status != application.Submitted || !got.Changed() {
		t.Fatalf("after editing: status %s changed %v; want submitted with changes", got.Status, got.Changed())
	}
	last, err := application.LastVersion(ctx, pool, kim, id)
	if err != nil || application.Title(last.Answers) != "First" {
		t.Fatalf("last version = %+v, %v; want the first submission", last, err)
	}
	n, err = application.Submit(ctx, pool, a, 2, form.Answers{"project_title": {Text: "Second"}}, now.Add(2*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("re-submit = %d, %v; want version 2", n, err)
	}
	last, _ = application.LastVersion(ctx, pool, kim, id)
	if last.Number != 2 || application.Title(last.Answers) != "Second" {
		t.Fatalf("last version = %+v; want submission 2", last)
	}
	if err := application.Withdraw(ctx, pool, a, now.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := application.Withdraw(ctx, pool, a, now.Add(3*time.Hour)); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("withdraw twice: %v, want db.ErrNotFound", err)
	}
	got, _ = application.Load(ctx, pool, kim)
	if got.Status != application.Withdrawn || got.Submissions != 2 {
		t.Fatalf("after withdrawal: %+v", got)
	}
}

func TestOpenAtTheSecond(t *testing.T) {
	deadline := time.Date(2023, 5, 31, 9, 0, 0, 0, time.UTC)
	if !application.Open(deadline.Add(-time.Second), deadline) {
		t.Error("one second before the deadline: closed, want open")
	}
	if application.Open(deadline, deadline) {
		t.Error("at the deadline: open, want closed")
	}
}

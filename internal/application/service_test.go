package application_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/files"
	"prizeportal/internal/files/filestest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

type svcWorld struct {
	pool    *pgxpool.Pool
	svc     *application.Service
	storage files.Storage
	ed      *edition.Edition
	cat     *edition.Category
	kim     authz.Actor
}

func newSvcWorld(t *testing.T) *svcWorld {
	t.Helper()
	pool := setup(t)
	ed := editiontest.BySlug(t, pool, "seoul-2023")
	cat, _ := ed.Category("tech-innovacity")
	storage := filestest.NewLocal(t)
	kim := applicant(t, pool, "kim")
	return &svcWorld{pool: pool, storage: storage, ed: ed, cat: cat,
		svc: application.NewService(pool, notify.NewOutbox(pool), emails.Site{BaseURL: "https://prize.example"},
			func() time.Time { return now }, storage),
		kim: authz.Actor{UserID: kim, EmailVerified: true}}
}

// upload puts content in storage as a file received for question key.
func (w *svcWorld) upload(t *testing.T, key, name string) files.Stored {
	t.Helper()
	st := files.Stored{Field: form.FieldName(key), Key: "k-" + name, Name: name, Size: 3, Type: "pdf",
		ContentType: "application/pdf", SHA256: strings.Repeat("0", 64)}
	if err := w.storage.Put(context.Background(), st.Key, strings.NewReader("pdf"), 3); err != nil {
		t.Fatal(err)
	}
	return st
}

func (w *svcWorld) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, w.pool, sql, args...)
}

// fileQuestion is the key of a file question of the category's form.
func (w *svcWorld) fileQuestion(t *testing.T) string {
	t.Helper()
	for _, q := range w.cat.Form.Questions() {
		if q.Type == form.File {
			return q.Key
		}
	}
	t.Fatal("no file question in the form")
	return ""
}

func TestServiceSaveSection(t *testing.T) {
	t.Parallel()
	w := newSvcWorld(t)
	ctx := context.Background()
	fq := w.fileQuestion(t)
	a, err := application.Load(ctx, w.pool, w.kim.UserID)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := w.svc.SaveSection(ctx, w.kim, a, w.ed.Schedule, 0, application.Edit{
		Answers: form.Answers{"project_title": {Text: "Seoul Talk"}}, Uploads: []files.Stored{w.upload(t, fq, "plan.pdf")}})
	if err != nil {
		t.Fatal(err)
	}
	refs := saved.Answers[fq].Files
	if saved.ID == 0 || saved.Version != 1 || saved.Answers["project_title"].Text != "Seoul Talk" || len(refs) != 1 || refs[0].Name != "plan.pdf" {
		t.Fatalf("saved = %+v", saved)
	}
	if n := w.count(t, `SELECT count(*) FROM application_files WHERE application_id = $1 AND question = $2`, saved.ID, fq); n != 1 {
		t.Fatalf("%d attached files, want 1", n)
	}
	// A page loaded at version 0 no longer saves.
	if _, err := w.svc.SaveSection(ctx, w.kim, a, w.ed.Schedule, 0, application.Edit{Answers: form.Answers{}}); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("stale save: %v, want db.ErrConflict", err)
	}
	// Removing the file of a draft deletes it, from storage too.
	answers := saved.Answers.Clone()
	delete(answers, fq)
	again, err := w.svc.SaveSection(ctx, w.kim, saved, w.ed.Schedule, saved.Version, application.Edit{Answers: answers, Removed: refs})
	if err != nil || again.Version != 2 || len(again.Answers[fq].Files) != 0 {
		t.Fatalf("remove = %+v, %v", again, err)
	}
	if n := w.count(t, `SELECT count(*) FROM files`); n != 0 {
		t.Fatalf("%d files left, want 0", n)
	}
	if rc, _, err := w.storage.Open(ctx, "k-plan.pdf"); err == nil {
		rc.Close()
		t.Fatal("the removed file's object is still stored")
	}
	// After the deadline nothing is saved.
	late := application.NewService(w.pool, notify.NewOutbox(w.pool), emails.Site{}, func() time.Time { return w.ed.Schedule.ApplicationDeadline.Add(48 * time.Hour) }, w.storage)
	if _, err := late.SaveSection(ctx, w.kim, again, w.ed.Schedule, again.Version, application.Edit{Answers: answers}); !errors.Is(err, application.ErrClosed) {
		t.Fatalf("late save: %v, want ErrClosed", err)
	}
}

func TestServiceSubmitOneWinsAndWithdraw(t *testing.T) {
	t.Parallel()
	w := newSvcWorld(t)
	ctx := context.Background()
	a, _ := w.completed(t)
	entry, err := w.svc.Project(ctx, w.kim.UserID)
	if err != nil || entry.App.ID != a.ID || entry.Category.ID != w.cat.ID || entry.Owner.Email != "kim@example.org" {
		t.Fatalf("project = %+v, %v", entry, err)
	}
	entry.Home = "/application"
	if _, err := w.svc.Submit(ctx, authz.Actor{UserID: w.kim.UserID}, entry, a.Version); !errors.Is(err, application.ErrUnverified) {
		t.Fatalf("unverified submit: %v", err)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins []int
	)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := w.svc.Submit(ctx, w.kim, entry, a.Version)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins = append(wins, n)
			case !errors.Is(err, db.ErrConflict):
				t.Errorf("submit: %v", err)
			}
		}()
	}
	wg.Wait()
	if len(wins) != 1 || wins[0] != 1 {
		t.Fatalf("winning submits %v, want exactly one, number 1", wins)
	}
	if n := w.count(t, `SELECT count(*) FROM email_outbox WHERE kind = 'application-receipt' AND to_address = 'kim@example.org'
		AND subject LIKE '%was received' AND attachments::text LIKE '%application-1.pdf%'`); n != 1 {
		t.Fatalf("%d receipts, want 1", n)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'application.submit' AND object_id = $1`, strconv.FormatInt(a.ID, 10)); n != 1 {
		t.Fatalf("%d submit audit entries, want 1", n)
	}
	fresh, err := application.LoadEntry(ctx, w.pool, w.kim.UserID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Withdraw(ctx, w.kim, fresh, w.ed.Schedule); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Withdraw(ctx, w.kim, fresh, w.ed.Schedule); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("second withdrawal: %v, want db.ErrNotFound", err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'application.withdraw'`); n != 1 {
		t.Fatalf("%d withdraw audit entries, want 1", n)
	}
}

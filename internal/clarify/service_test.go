package clarify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/clarify"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/files"
	"prizeportal/internal/files/filestest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/screening"
)

func (w *world) service(t *testing.T, at time.Time) (*clarify.Service, files.Storage) {
	t.Helper()
	storage := filestest.NewLocal(t)
	return clarify.NewService(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://prize.example"},
		func() time.Time { return at }, storage), storage
}

func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	return dbtest.Count(t, w.pool, sql, args...)
}

func TestServiceAsk(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	svc, _ := w.service(t, now)
	e, err := screening.Get(ctx, w.pool, w.staff, w.kimApp)
	if err != nil {
		t.Fatal(err)
	}
	staff := authz.Actor{UserID: w.staff}
	var errs field.Errors
	if _, err := svc.Ask(ctx, staff, e, w.ed, clarify.Draft{Deadline: "2023-06-15T18:00"}); !errors.As(err, &errs) || errs.Get("question") == "" {
		t.Fatalf("empty question: %v", err)
	}
	req, err := svc.Ask(ctx, staff, e, w.ed, clarify.Draft{Question: "Who runs it?", Deadline: "2023-06-15T18:00", Keys: []string{"summary"}})
	if err != nil || req.Question != "Who runs it?" {
		t.Fatalf("ask = %+v, %v", req, err)
	}
	if d, err := screening.DecisionOf(ctx, w.pool, w.kimApp); err != nil || d.Decision != screening.Clarification {
		t.Fatalf("decision = %+v, %v; want clarification requested", d, err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'screening.clarification_ask'`); n != 1 {
		t.Fatalf("%d audit entries, want 1", n)
	}
	if n := w.count(t, `SELECT count(*) FROM email_outbox WHERE kind = 'clarification-request' AND to_address = 'kim@example.org'
		AND html_body LIKE '%https://prize.example/clarifications/%'`); n != 1 {
		t.Fatalf("%d request emails, want 1", n)
	}
	if p, err := svc.Panel(ctx, staff, w.kimApp, w.ed); err != nil || len(p.Thread) != 1 || p.Closed {
		t.Fatalf("panel = %+v, %v", p, err)
	}
	// The screening pages load the panel with their own data in one call.
	sec := authz.Actor{UserID: w.staff, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: w.ed.ID}}}
	st, err := screening.LoadStaffed(ctx, w.pool, sec, w.kimApp)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := svc.EntryPage(ctx, sec, st); err != nil || p.Entry.ID != w.kimApp || len(p.Panel.Thread) != 1 || p.Decision == nil {
		t.Fatalf("entry page = %+v, %v", p, err)
	}
	if p, err := svc.RoundPage(ctx, sec, w.ed); err != nil || p.OpenClarifications != 1 {
		t.Fatalf("round page = %+v, %v; want 1 open clarification", p, err)
	}
	if sc, err := svc.Screening(ctx, staff, w.kimApp); err != nil || sc.Entry.ID != w.kimApp || sc.Edition.ID != w.ed.ID || len(sc.Thread) != 1 {
		t.Fatalf("screening = %+v, %v", sc, err)
	}
	if _, err := svc.Screening(ctx, authz.Actor{UserID: w.evaluator}, w.kimApp); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("evaluator's screening entry: %v, want db.ErrNotFound", err)
	}
	// Someone outside the secretariat asks nothing.
	if _, err := svc.Ask(ctx, authz.Actor{UserID: w.evaluator}, e, w.ed, clarify.Draft{Question: "Q", Deadline: "2023-06-15T18:00"}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("evaluator asks: %v, want db.ErrNotFound", err)
	}
}

func TestServiceAnswerAmendsNamedQuestions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	id := w.ask(t, w.kimApp, now.Add(48*time.Hour), "summary")
	svc, _ := w.service(t, now.Add(time.Hour))
	kim := authz.Actor{UserID: w.kim}

	if _, err := svc.Target(ctx, w.lee, id); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("another applicant's target: %v", err)
	}
	tg, err := svc.Target(ctx, w.kim, id)
	if err != nil {
		t.Fatal(err)
	}
	if tg.Named == nil || tg.Submitted["summary"].Text != "First summary" {
		t.Fatalf("target = %+v", tg)
	}
	var errs field.Errors
	if _, err := svc.Answer(ctx, kim, tg, clarify.Reply{Edit: application.Edit{Answers: tg.Submitted}}); !errors.As(err, &errs) || errs.Get("answer") == "" {
		t.Fatalf("empty answer: %v", err)
	}
	edited := tg.Submitted.Clone()
	edited["summary"] = form.Answer{Text: "A better summary"}
	doc := files.Stored{Field: "documents", Key: "doc-1", Name: "minutes.pdf", Size: 3, Type: "pdf",
		ContentType: "application/pdf", SHA256: strings.Repeat("0", 64)}
	amended, err := svc.Answer(ctx, kim, tg, clarify.Reply{Text: " The city of Seoul. ", Documents: []files.Stored{doc},
		Edit: application.Edit{Answers: edited}})
	if err != nil || amended == nil || *amended != 2 {
		t.Fatalf("answer = %v, %v; want submission 2", amended, err)
	}
	v, err := application.LastVersion(ctx, w.pool, w.kim, w.kimApp)
	if err != nil || v.Number != 2 || v.Answers["summary"].Text != "A better summary" {
		t.Fatalf("last version = %+v, %v", v, err)
	}
	thread, err := clarify.Thread(ctx, w.pool, w.staff, w.kimApp, now.Add(time.Hour))
	if err != nil || len(thread) != 1 || thread[0].Answer != "The city of Seoul." || len(thread[0].Documents) != 1 {
		t.Fatalf("thread = %+v, %v", thread, err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'screening.clarification_answer'`); n != 1 {
		t.Fatalf("%d audit entries, want 1", n)
	}
	if w.ed.ContactEmail != "" {
		if n := w.count(t, `SELECT count(*) FROM email_outbox WHERE kind = 'clarification-answer' AND to_address = $1`, w.ed.ContactEmail); n != 1 {
			t.Fatalf("%d answer emails, want 1", n)
		}
	}
	// Answered once only.
	if _, err := svc.Answer(ctx, kim, tg, clarify.Reply{Text: "Again", Edit: application.Edit{Answers: edited}}); !errors.Is(err, clarify.ErrAnswered) {
		t.Fatalf("second answer: %v, want ErrAnswered", err)
	}
	// From the deadline on, no answer.
	late := w.ask(t, w.leeApp, now.Add(2*time.Hour))
	lateSvc, _ := w.service(t, now.Add(2*time.Hour))
	lt, err := lateSvc.Target(ctx, w.lee, late)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lateSvc.Answer(ctx, authz.Actor{UserID: w.lee}, lt, clarify.Reply{Text: "Late"}); !errors.Is(err, clarify.ErrLate) {
		t.Fatalf("late answer: %v, want ErrLate", err)
	}
}

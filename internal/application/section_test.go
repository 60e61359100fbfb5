package application_test

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/files"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// posted is a section as a form posts it: the version the page was loaded at and one text answer.
func posted(version int, q *form.Question, text string) *files.Result {
	return &files.Result{Values: url.Values{"version": {strconv.Itoa(version)}, q.FieldName(): {text}}}
}

// projectWorld is a world whose applicant kim has a project application not saved yet.
func projectWorld(t *testing.T) (*svcWorld, application.Entry) {
	t.Parallel()
	w := newSvcWorld(t)
	e, err := w.svc.Project(context.Background(), w.kim.UserID)
	if err != nil {
		t.Fatal(err)
	}
	return w, e
}

func TestServiceSavePostedDecodesMergesAndShowsConflicts(t *testing.T) {
	w, e := projectWorld(t)
	ctx := context.Background()
	q, _ := w.cat.Form.Question("project_title")
	var sec *form.Section
	for i := range w.cat.Form.Sections {
		for _, sq := range w.cat.Form.Sections[i].Questions {
			if sq.Key == q.Key {
				sec = &w.cat.Form.Sections[i]
			}
		}
	}
	saved, errs, err := w.svc.SavePosted(ctx, w.kim, e, sec, posted(0, q, "Seoul Talk"))
	if err != nil || saved.Version != 1 || saved.Answers["project_title"].Text != "Seoul Talk" {
		t.Fatalf("save = %+v, %v, %v", saved, errs, err)
	}
	// The same page posted again (loaded at version 0) saves nothing and shows both texts.
	_, _, err = w.svc.SavePosted(ctx, w.kim, e, sec, posted(0, q, "Seoul Walk"))
	var conflict *application.ConflictError
	if !errors.As(err, &conflict) || !errors.Is(err, db.ErrConflict) {
		t.Fatalf("stale save: %v, want a *ConflictError", err)
	}
	if conflict.Current.Version != 1 || conflict.Shown["project_title"].Text != "Seoul Walk" ||
		len(conflict.Conflicts) != 1 || conflict.Conflicts[0].Theirs[0] != "Seoul Talk" {
		t.Fatalf("conflict = %+v", conflict)
	}
	if n := w.count(t, `SELECT version FROM applications WHERE id = $1`, saved.ID); n != 1 {
		t.Fatalf("version %d after a stale save, want 1", n)
	}
	// After the deadline nothing is saved, and the refusal names the deadline.
	late := application.NewService(w.pool, notify.NewOutbox(w.pool), emails.Site{},
		func() time.Time { return w.ed.Schedule.ApplicationDeadline.Add(48 * time.Hour) }, w.storage)
	e.App = saved
	_, _, err = late.SavePosted(ctx, w.kim, e, sec, posted(1, q, "Too late"))
	if f, ok := fault.As(err); !errors.Is(err, application.ErrClosed) || !ok || !strings.HasPrefix(f.Message, "The deadline passed on ") {
		t.Fatalf("late save: %v, want ErrClosed with the deadline", err)
	}
}

func TestServiceSubmitSaysWhyNot(t *testing.T) {
	w, e := projectWorld(t)
	ctx := context.Background()
	e.Home = "/application"
	var problems *application.ProblemsError
	if _, err := w.svc.Submit(ctx, w.kim, e, 0); !errors.As(err, &problems) || len(problems.Problems) == 0 {
		t.Fatalf("empty submit: %v, want the problems", err)
	}
	q, _ := w.cat.Form.Question("project_title")
	sec, _ := w.cat.Form.Section(w.cat.Form.Sections[0].Key)
	var err error
	if e.App, _, err = w.svc.SavePosted(ctx, w.kim, e, sec, posted(0, q, "Seoul Talk")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Submit(ctx, w.kim, e, 0); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("submit from an old page: %v, want db.ErrConflict", err)
	}
	if _, err := w.svc.Submit(ctx, w.kim, e, e.App.Version); !errors.As(err, &problems) || problems.Problems[0].Section == "" {
		t.Fatalf("incomplete submit: %v, want the problems with their sections", err)
	}
	e.Unconsented = true
	if _, err := w.svc.Submit(ctx, w.kim, e, e.App.Version); err == nil || !strings.Contains(err.Error(), "not consented") {
		t.Fatalf("submit without consent: %v", err)
	}
	if n := w.count(t, `SELECT count(*) FROM audit_log WHERE action = 'application.submit'`); n != 0 {
		t.Fatalf("%d submissions, want none", n)
	}
}

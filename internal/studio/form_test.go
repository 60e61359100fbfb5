package studio_test

import (
	"errors"
	"testing"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/studio"
)

// manager is a new user who manages edition id, as the studio's By.
func (w *world) manager(t *testing.T, login string, id int64) studio.By {
	t.Helper()
	uid := w.user(t, login)
	dbtest.Exec(t, w.pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'manager', $2)`, uid, id)
	return studio.By{Actor: authz.Actor{UserID: uid, Grants: []authz.Grant{{Role: authz.RoleManager, EditionID: id}}}, Label: login}
}

func TestChangeFormStoresTheChangedFormAndRefusesAnInvalidOne(t *testing.T) {
	w := newWorld(t)
	ed := w.edition(t, "seoul-2023")
	mara := w.manager(t, "mara", ed.ID)
	q := form.Question{Key: "smart_city_index", Label: "Is the city in a smart-city index?", Type: form.YesNo}
	cond := form.Question{Key: "index_name", Label: "Which index?", Type: form.ShortText, MaxLength: 100,
		ShowIf: &form.Condition{Question: "smart_city_index", Equals: "yes"}}
	add := func(f *form.Form) error {
		if err := f.AddQuestion("project", q); err != nil {
			return err
		}
		return f.AddQuestion("project", cond)
	}
	_, err := w.svc.ChangeForm(w.ctx, mara, ed.Slug, ed.Version, "tech-innovacity", func(f *form.Form) error {
		if err := add(f); err != nil {
			return err
		}
		return f.MoveQuestion("index_name", -1) // before the question it depends on
	})
	problemAt(t, err, "categories[0].form.sections[0].questions[9].show_if.question")
	if _, ok := w.edition(t, "seoul-2023").Categories[0].Form.Question("index_name"); ok {
		t.Fatal("the refused change was stored")
	}

	res, err := w.svc.ChangeForm(w.ctx, mara, ed.Slug, ed.Version, "tech-innovacity", add)
	if err != nil {
		t.Fatal(err)
	}
	stored := w.edition(t, "seoul-2023")
	got, ok := stored.Categories[0].Form.Question("index_name")
	if !ok || got.ShowIf == nil || got.ShowIf.Equals != "yes" || got.MaxLength != 100 {
		t.Fatalf("stored question: %+v", got)
	}
	if res.Version != ed.Version+1 || stored.Version != res.Version || len(res.Changes) == 0 {
		t.Fatalf("result %+v, stored version %d", res, stored.Version)
	}
	if n := dbtest.Count(t, w.pool, `SELECT count(*) FROM audit_log WHERE action = 'edition.change' AND actor_id = $1`, mara.Actor.UserID); n != 1 {
		t.Fatalf("%d audit entries by the manager, want 1", n)
	}
	// The page rendered before that change is out of date.
	_, err = w.svc.ChangeForm(w.ctx, mara, ed.Slug, ed.Version, "tech-innovacity", func(f *form.Form) error { return f.MoveQuestion("summary", 1) })
	if !errors.Is(err, studio.ErrVersion) {
		t.Fatalf("an old version: %v", err)
	}
	// A negative word limit is the form engine's to refuse, at its path.
	_, err = w.svc.ChangeForm(w.ctx, mara, ed.Slug, res.Version, "tech-innovacity", func(f *form.Form) error {
		s, _ := f.Question("summary")
		changed := *s
		changed.MaxWords = -5
		return f.UpdateQuestion("summary", changed)
	})
	problemAt(t, err, "categories[0].form.sections[0].questions[1].max_words")
}

func TestChangeFormIsForTheEditionsManagersOnly(t *testing.T) {
	w := newWorld(t)
	ed := w.edition(t, "seoul-2023")
	noop := func(*form.Form) error { return nil }
	secretariat := studio.By{Actor: authz.Actor{UserID: w.user(t, "sam"), Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: ed.ID}}}}
	if _, err := w.svc.ChangeForm(w.ctx, secretariat, ed.Slug, ed.Version, "tech-innovacity", noop); !errors.Is(err, studio.ErrNotManager) {
		t.Fatalf("the secretariat: got %v", err)
	}
	elsewhere := studio.By{Actor: authz.Actor{UserID: w.user(t, "other"), Grants: []authz.Grant{{Role: authz.RoleManager, EditionID: ed.ID + 100}}}}
	if _, err := w.svc.ChangeForm(w.ctx, elsewhere, ed.Slug, ed.Version, "tech-innovacity", noop); !errors.Is(err, studio.ErrNotManager) {
		t.Fatalf("a manager of another edition: got %v", err)
	}
	mara := w.manager(t, "mara", ed.ID)
	if _, err := w.svc.ChangeForm(w.ctx, mara, ed.Slug, ed.Version, "nope", noop); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an unknown category: got %v", err)
	}
	if _, err := w.svc.ChangeForm(w.ctx, mara, ed.Slug, ed.Version, "tech-innovacity", func(f *form.Form) error {
		return f.RemoveQuestion("nope")
	}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an unknown question: got %v", err)
	}
	if _, err := w.svc.ChangeForm(w.ctx, mara, ed.Slug, ed.Version, "tech-innovacity", func(f *form.Form) error {
		return f.AddSection(form.Section{Key: "project", Title: "Again"})
	}); !errors.Is(err, form.ErrDuplicateKey) {
		t.Fatalf("a second section project: got %v", err)
	}
	// A question with answers cannot be removed (the studio's safety rule).
	w.draftEntry(t, "kim", "tech-innovacity", "summary")
	_, err := w.svc.ChangeForm(w.ctx, mara, ed.Slug, ed.Version, "tech-innovacity", func(f *form.Form) error { return f.RemoveQuestion("summary") })
	problemAt(t, err, "categories[0].form")
	if _, ok := w.edition(t, "seoul-2023").Categories[0].Form.Question("summary"); !ok {
		t.Fatal("the answered question was removed")
	}
}

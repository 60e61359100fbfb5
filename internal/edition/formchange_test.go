package edition_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
)

// manager is a user who manages edition id (authz.RoleManager), as an actor.
func manager(t *testing.T, pool *pgxpool.Pool, id int64) authz.Actor {
	t.Helper()
	var uid int64
	if err := pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash) VALUES ('mara', 'mara@staff.example', 'Mara Manager', 'x') RETURNING id)
		INSERT INTO role_grants (user_id, role, edition_id) SELECT id, 'manager', $1 FROM u RETURNING user_id`, id).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	return authz.Actor{UserID: uid, Name: "Mara Manager", Grants: []authz.Grant{{Role: authz.RoleManager, EditionID: id}}}
}

func TestChangeFormStoresTheChangedFormAndRefusesAnInvalidOne(t *testing.T) {
	ctx := context.Background()
	pool, ed := editiontest.Seoul2023(t)
	mara := manager(t, pool, ed.ID)
	q := form.Question{Key: "smart_city_index", Label: "Is the city in a smart-city index?", Type: form.YesNo}
	cond := form.Question{Key: "index_name", Label: "Which index?", Type: form.ShortText, MaxLength: 100,
		ShowIf: &form.Condition{Question: "smart_city_index", Equals: "yes"}}
	after, err := edition.ChangeForm(ctx, pool, mara, "seoul-2023", "tech-innovacity", func(f *form.Form) error {
		if err := f.AddQuestion("project", q); err != nil {
			return err
		}
		if err := f.AddQuestion("project", cond); err != nil {
			return err
		}
		return f.MoveQuestion("index_name", -1) // before the question it depends on
	})
	var invalid *edition.ValidationError
	if !errors.As(err, &invalid) || !invalid.Has("categories[0].form.sections[0].questions[9].show_if.question") {
		t.Fatalf("a condition on a later question: got %v", err)
	}
	if after != nil {
		t.Fatal("an edition was returned with the error")
	}
	if _, ok := editiontest.BySlug(t, pool, "seoul-2023").Categories[0].Form.Question("index_name"); ok {
		t.Fatal("the refused change was stored")
	}

	after, err = edition.ChangeForm(ctx, pool, mara, "seoul-2023", "tech-innovacity", func(f *form.Form) error {
		if err := f.AddQuestion("project", q); err != nil {
			return err
		}
		return f.AddQuestion("project", cond)
	})
	if err != nil {
		t.Fatal(err)
	}
	stored := editiontest.BySlug(t, pool, "seoul-2023")
	got, ok := stored.Categories[0].Form.Question("index_name")
	if !ok || got.ShowIf == nil || got.ShowIf.Equals != "yes" || got.MaxLength != 100 {
		t.Fatalf("stored question: %+v", got)
	}
	if _, ok := after.Categories[0].Form.Question("smart_city_index"); !ok {
		t.Fatal("the returned edition lacks the new question")
	}
	// The stored YAML is the changed definition: an import of it keeps the question.
	src, err := edition.Source(ctx, pool, "seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	def := parse(t, src)
	if _, ok := def.Categories[0].Form.Question("index_name"); !ok {
		t.Fatal("the stored source lacks the new question")
	}
	if n := dbtest.Count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'edition.import' AND actor_id = $1`, mara.UserID); n != 1 {
		t.Fatalf("%d audit entries by the manager, want 1", n)
	}

	// A negative word limit is the form engine's to refuse, at its path.
	_, err = edition.ChangeForm(ctx, pool, mara, "seoul-2023", "tech-innovacity", func(f *form.Form) error {
		s, _ := f.Question("summary")
		changed := *s
		changed.MaxWords = -5
		return f.UpdateQuestion("summary", changed)
	})
	if !errors.As(err, &invalid) || !invalid.Has("categories[0].form.sections[0].questions[1].max_words") {
		t.Fatalf("max_words -5: got %v", err)
	}
}

func TestChangeFormIsForTheEditionsManagersOnly(t *testing.T) {
	ctx := context.Background()
	pool, ed := editiontest.Seoul2023(t)
	noop := func(*form.Form) error { return nil }
	secretariat := authz.Actor{UserID: 1, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: ed.ID}}}
	if _, err := edition.ChangeForm(ctx, pool, secretariat, "seoul-2023", "tech-innovacity", noop); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("the secretariat: got %v, want forbidden", err)
	}
	elsewhere := authz.Actor{UserID: 1, Grants: []authz.Grant{{Role: authz.RoleManager, EditionID: ed.ID + 1}}}
	if _, err := edition.ChangeForm(ctx, pool, elsewhere, "seoul-2023", "tech-innovacity", noop); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("a manager of another edition: got %v, want forbidden", err)
	}
	mara := manager(t, pool, ed.ID)
	// A change that changes nothing stores the same edition (the definition written out anew
	// reads back as it was).
	same, err := edition.ChangeForm(ctx, pool, mara, "seoul-2023", "tech-innovacity", noop)
	if err != nil {
		t.Fatal(err)
	}
	gotE, gotS := withoutIDs(same)
	wantE, wantS := withoutIDs(ed)
	if !reflect.DeepEqual(gotE, wantE) || !reflect.DeepEqual(instants(gotS), instants(wantS)) {
		t.Errorf("the edition changed:\n got %+v\nwant %+v", gotE, wantE)
	}
	if _, err := edition.ChangeForm(ctx, pool, mara, "seoul-2023", "nope", noop); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an unknown category: got %v", err)
	}
	if _, err := edition.ChangeForm(ctx, pool, mara, "seoul-2023", "tech-innovacity", func(f *form.Form) error {
		return f.RemoveQuestion("nope")
	}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("an unknown question: got %v", err)
	}
	if _, err := edition.ChangeForm(ctx, pool, mara, "seoul-2023", "tech-innovacity", func(f *form.Form) error {
		return f.AddSection(form.Section{Key: "project", Title: "Again"})
	}); !errors.Is(err, form.ErrDuplicateKey) {
		t.Fatalf("a second section project: got %v", err)
	}
}

package studio_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/studio"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type world struct {
	ctx   context.Context
	pool  *pgxpool.Pool
	svc   *studio.Service
	now   time.Time
	admin studio.By
}

// newWorld is a database with seoul-2023 imported with its applications open at now (15 April
// 2026 in Seoul), and the studio at that time.
func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{ctx: context.Background(), pool: dbtest.New(t), now: time.Date(2026, 4, 15, 12, 0, 0, 0, time.UTC)}
	editiontest.ImportOpen(t, w.pool, "seoul-2023", w.now)
	w.svc = studio.New(usecase.New(w.pool, notify.NewOutbox(w.pool), emails.Site{BaseURL: "https://prize.example"},
		func() time.Time { return w.now }))
	w.admin = studio.By{Actor: authz.Actor{UserID: w.user(t, "ada"), Grants: []authz.Grant{{Role: authz.RoleAdmin}}}, Label: "ada"}
	return w
}

func (w *world) user(t *testing.T, login string) int64 {
	t.Helper()
	var id int64
	if err := w.pool.QueryRow(w.ctx, `INSERT INTO users (login_id, email, name, password_hash)
		VALUES ($1, $1 || '@example.org', initcap($1), 'x') RETURNING id`, login).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *world) edition(t *testing.T, slug string) *edition.Edition {
	t.Helper()
	return editiontest.BySlug(t, w.pool, slug)
}

// draftEntry gives a new applicant a draft in the category with an answer to question.
func (w *world) draftEntry(t *testing.T, login, category, question string) {
	t.Helper()
	uid := w.user(t, login)
	ed := w.edition(t, "seoul-2023")
	cat, _ := ed.Category(category)
	if _, err := w.pool.Exec(w.ctx, `INSERT INTO applications (user_id, edition_id, category_id, answers)
		VALUES ($1, $2, $3, jsonb_build_object($4::text, 'an answer'))`, uid, ed.ID, cat.ID, question); err != nil {
		t.Fatal(err)
	}
}

func problemAt(t *testing.T, err error, path string) {
	t.Helper()
	var verr *edition.ValidationError
	if !errors.As(err, &verr) || !verr.Has(path) {
		t.Fatalf("error = %v, want a problem at %s", err, path)
	}
}

func setDeadline(v string) func(*edition.Definition) error {
	return func(d *edition.Definition) error { d.Schedule.ApplicationDeadline = v; return nil }
}

func TestCopyMakesNextYearsDraftForItsManager(t *testing.T) {
	w := newWorld(t)
	src := w.edition(t, "seoul-2023")
	mgr := w.user(t, "mina")
	if _, err := w.pool.Exec(w.ctx, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'manager', $2)`, mgr, src.ID); err != nil {
		t.Fatal(err)
	}
	mina := studio.By{Actor: authz.Actor{UserID: mgr, Grants: []authz.Grant{{Role: authz.RoleManager, EditionID: src.ID}}}, Label: "mina"}

	outsider := studio.By{Actor: authz.Actor{UserID: w.user(t, "olga"), Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: src.ID}}}}
	if _, err := w.svc.Create(w.ctx, outsider, studio.NewEdition{From: "seoul-2023", Slug: "seoul-2024b", Name: "X", Years: 1}); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("a secretariat member who does not manage the edition copied it: %v", err)
	}
	_, err := w.svc.Create(w.ctx, mina, studio.NewEdition{From: "seoul-2023", Slug: "Bad Slug", Name: "", Years: 1})
	problemAt(t, err, "slug")
	problemAt(t, err, "name")
	_, err = w.svc.Create(w.ctx, mina, studio.NewEdition{From: "seoul-2023", Slug: "forms", Name: "Forms", Years: 1})
	problemAt(t, err, "slug")

	cp, err := w.svc.Create(w.ctx, mina, studio.NewEdition{From: "seoul-2023", Slug: "seoul-2027", Name: "Seoul Smart City Prize 2027", Years: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !cp.Draft() || cp.Year != src.Year+1 || cp.Name != "Seoul Smart City Prize 2027" {
		t.Errorf("copy: draft %v, year %d, name %q", cp.Draft(), cp.Year, cp.Name)
	}
	if got, want := cp.Schedule.ApplicationDeadline, src.Schedule.ApplicationDeadline.AddDate(1, 0, 0); !got.Equal(want) {
		t.Errorf("deadline of the copy = %v, want %v", got, want)
	}
	if len(cp.Categories) != len(src.Categories) || cp.Categories[0].Form == nil ||
		len(cp.Categories[0].Form.Questions()) != len(src.Categories[0].Form.Questions()) {
		t.Errorf("the copy lost categories or questions")
	}
	// The copier manages the copy; the draft is invisible to everyone else.
	var held bool
	if err := w.pool.QueryRow(w.ctx, `SELECT EXISTS (SELECT 1 FROM role_grants WHERE user_id = $1 AND role = 'manager' AND edition_id = $2)`,
		mgr, cp.ID).Scan(&held); err != nil || !held {
		t.Errorf("the copier does not manage the copy (%v)", err)
	}
	if cur, err := edition.Current(w.ctx, w.pool); err != nil || cur.Slug != "seoul-2023" {
		t.Errorf("current edition = %v, %v; a draft must never be current", cur, err)
	}
	pub, _ := edition.Published(w.ctx, w.pool)
	for _, p := range pub {
		if p.Slug == "seoul-2027" {
			t.Errorf("the draft is listed as published")
		}
	}
	if _, err := w.svc.Create(w.ctx, mina, studio.NewEdition{From: "seoul-2023", Slug: "seoul-2027", Name: "Again", Years: 1}); !errors.Is(err, studio.ErrSlugTaken) {
		t.Errorf("a second copy to the same address: %v, want ErrSlugTaken", err)
	}
	var action string
	if err := w.pool.QueryRow(w.ctx, `SELECT action FROM audit_log WHERE object_type = 'edition' AND object_id = ($1::bigint)::text ORDER BY id LIMIT 1`,
		cp.ID).Scan(&action); err != nil || action != "edition.copy" {
		t.Errorf("audit of the copy = %q, %v", action, err)
	}
	// Publishing: once, with the version seen, by the copy's manager (a new request sees the new grant).
	mina.Actor.Grants = append(mina.Actor.Grants, authz.Grant{Role: authz.RoleManager, EditionID: cp.ID})
	if err := w.svc.Publish(w.ctx, mina, "seoul-2027", cp.Version+5); !errors.Is(err, studio.ErrVersion) {
		t.Errorf("publish on an old version: %v", err)
	}
	if err := w.svc.Publish(w.ctx, mina, "seoul-2027", cp.Version); err != nil {
		t.Fatal(err)
	}
	if cur, err := edition.Current(w.ctx, w.pool); err != nil || cur.Slug != "seoul-2027" {
		t.Errorf("after publishing, current = %v, %v", cur, err)
	}
	if err := w.svc.Publish(w.ctx, mina, "seoul-2027", cp.Version+1); !errors.Is(err, studio.ErrPublished) {
		t.Errorf("publishing twice: %v", err)
	}
}

func TestBlankEditionIsValidAndFollowsTheYear(t *testing.T) {
	w := newWorld(t)
	e, err := w.svc.Create(w.ctx, w.admin, studio.NewEdition{Slug: "new-prize-2028", Name: "New Prize 2028", Year: 2028})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Draft() || e.Schedule.ApplicationsOpen.Year() != 2028 || len(e.Categories) != 1 {
		t.Errorf("blank edition: draft %v, opens %v, %d categories", e.Draft(), e.Schedule.ApplicationsOpen, len(e.Categories))
	}
}

func TestChangeShowsTheDiffKeepsTheFileAndAudits(t *testing.T) {
	w := newWorld(t)
	cp, err := w.svc.Create(w.ctx, w.admin, studio.NewEdition{From: "seoul-2023", Slug: "seoul-2027", Name: "Seoul 2027", Years: 1})
	if err != nil {
		t.Fatal(err)
	}
	deadline := cp.Schedule.ApplicationDeadline.In(cp.TimeZone).AddDate(0, 0, -7).Format("2006-01-02 15:04")
	change := studio.Change{Slug: "seoul-2027", Version: cp.Version, Edit: func(d *edition.Definition) error {
		d.Schedule.ApplicationDeadline = deadline
		one, two := 2.0, 0.5
		d.Categories[0].Criteria[0].Weight = &one
		d.Categories[0].Criteria[1].Weight = &two
		return nil
	}}
	dry := change
	dry.DryRun = true
	preview, err := w.svc.Change(w.ctx, w.admin, dry)
	if err != nil {
		t.Fatal(err)
	}
	if w.edition(t, "seoul-2027").Version != cp.Version {
		t.Fatal("a dry run stored the change")
	}
	res, err := w.svc.Change(w.ctx, w.admin, change)
	if err != nil {
		t.Fatal(err)
	}
	paths := map[string]edition.Difference{}
	for _, d := range res.Changes {
		paths[d.Path] = d
	}
	if len(res.Changes) != 3 || paths["schedule.application_deadline"].New != deadline ||
		paths["categories[0].criteria[0].weight"].New != "2" || paths["categories[0].criteria[1].weight"].New != "0.5" {
		t.Errorf("changes = %+v", res.Changes)
	}
	if len(preview.Changes) != len(res.Changes) {
		t.Errorf("the preview listed %d changes, the change %d", len(preview.Changes), len(res.Changes))
	}
	got := w.edition(t, "seoul-2027")
	if got.Version != cp.Version+1 || res.Version != got.Version || got.Categories[0].Criteria[0].Weight != 2 {
		t.Errorf("stored: version %d (result %d), weight %v", got.Version, res.Version, got.Categories[0].Criteria[0].Weight)
	}
	src, err := w.svc.Export(w.ctx, w.admin.Actor, "seoul-2027")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte(deadline)) {
		t.Errorf("the stored file lacks the new deadline")
	}
	var details string
	if err := w.pool.QueryRow(w.ctx, `SELECT details::text FROM audit_log WHERE action = 'edition.change' AND object_id = ($1::bigint)::text`,
		got.ID).Scan(&details); err != nil || !strings.Contains(details, "categories[0].criteria[1].weight") {
		t.Errorf("audit details = %s, %v", details, err)
	}
	// A change of values alone keeps the file's comments and layout.
	res, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: "seoul-2027", Version: got.Version, Edit: setDeadline(deadline[:10] + " 18:00")})
	if err != nil {
		t.Fatal(err)
	}
	src, _ = w.svc.Export(w.ctx, w.admin.Actor, "seoul-2027")
	if !bytes.Contains(src, []byte("# §5 and §8.")) || !bytes.Contains(src, []byte("application_deadline: "+deadline[:10]+" 18:00\n")) {
		t.Errorf("the file lost its comments or the new deadline:\n%.2000s", src)
	}
	got = w.edition(t, "seoul-2027")
	// The same change again on the version seen before is a conflict, and stores nothing.
	if _, err := w.svc.Change(w.ctx, w.admin, change); !errors.Is(err, studio.ErrVersion) {
		t.Errorf("a change on an old version: %v, want ErrVersion", err)
	}
	// An invalid value is refused by the importer's validator, at its path.
	_, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: "seoul-2027", Version: got.Version, Edit: setDeadline("31 May")})
	if err == nil {
		t.Fatal("an invalid deadline was stored")
	}
	problemAt(t, err, "schedule.application_deadline")
}

func TestExportImportIsAnIdentityAndImportShowsTheSameDiff(t *testing.T) {
	w := newWorld(t)
	src, err := w.svc.Export(w.ctx, w.admin.Actor, "seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	def, err := edition.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	before := w.edition(t, "seoul-2023")
	res, err := edition.ImportAs(w.ctx, w.pool, def, edition.Actor{Label: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	after := w.edition(t, "seoul-2023")
	if len(res.Changes) != 0 || !after.Schedule.ApplicationDeadline.Equal(before.Schedule.ApplicationDeadline) ||
		len(after.Categories) != len(before.Categories) || after.Version != before.Version+1 {
		t.Errorf("export then import changed the edition: %+v", res.Changes)
	}
	again, _ := w.svc.Export(w.ctx, w.admin.Actor, "seoul-2023")
	if !bytes.Equal(again, src) {
		t.Errorf("export after import differs from the export before")
	}
	// A file changed by hand shows, on import, the diff the studio shows for the same change.
	weight := func(d *edition.Definition) error { v := 3.0; d.Categories[1].Criteria[2].Weight = &v; return nil }
	ui, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: "seoul-2023", Version: after.Version, Edit: weight, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	hand, _ := edition.Parse(src)
	_ = weight(hand)
	hand.Rewrite(def)
	res, err = edition.ImportAs(w.ctx, w.pool, hand, edition.Actor{Label: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 1 || len(ui.Changes) != 1 || res.Changes[0] != ui.Changes[0] {
		t.Errorf("import diff %+v, studio diff %+v", res.Changes, ui.Changes)
	}
}

func TestChangesRefusedOnceEntriesExist(t *testing.T) {
	w := newWorld(t)
	w.draftEntry(t, "kim", "tech-innovacity", "project_title")
	ed := w.edition(t, "seoul-2023")
	loc := ed.TimeZone
	v := ed.Version
	local := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") }

	// A date that has passed cannot move; a future date cannot move into the past.
	_, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: v, Edit: func(d *edition.Definition) error {
		d.Schedule.ApplicationsOpen = local(ed.Schedule.ApplicationsOpen.AddDate(0, 0, -1))
		return nil
	}})
	problemAt(t, err, "schedule.applications_open")
	_, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: v, Edit: setDeadline(local(w.now.Add(-time.Hour)))})
	problemAt(t, err, "schedule.application_deadline")

	// Moving the deadline needs a reason, and emails the applicants with a draft.
	later := local(ed.Schedule.ApplicationDeadline.AddDate(0, 0, -3))
	review, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: v, Edit: setDeadline(later), DryRun: true})
	if err != nil || !review.NeedsReason || len(review.Changes) != 1 {
		t.Fatalf("the review of a deadline move: %+v, %v (it asks for the reason, it does not refuse)", review, err)
	}
	_, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: v, Edit: setDeadline(later)})
	problemAt(t, err, "reason")
	res, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: v, Reason: "Many cities asked for more time.", Edit: setDeadline(later)})
	if err != nil {
		t.Fatal(err)
	}
	var text string
	if err := w.pool.QueryRow(w.ctx, `SELECT text_body FROM email_outbox WHERE kind = 'deadline-moved' AND to_address = 'kim@example.org'`).Scan(&text); err != nil ||
		res.Notified != 1 || !strings.Contains(text, "Asia/Seoul time") {
		t.Errorf("notified %d, email %q, %v", res.Notified, text, err)
	}
	v = res.Version

	// A question with answers cannot be removed; one without can.
	remove := func(key string) func(*edition.Definition) error {
		return func(d *edition.Definition) error {
			for si := range d.Categories[0].Form.Sections {
				s := &d.Categories[0].Form.Sections[si]
				for qi := range s.Questions {
					if s.Questions[qi].Key == key {
						s.Questions = append(s.Questions[:qi], s.Questions[qi+1:]...)
						return nil
					}
				}
			}
			t.Fatalf("no question %s", key)
			return nil
		}
	}
	_, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: v, Edit: remove("project_title")})
	problemAt(t, err, "categories[0].form")

	// Criteria and weights are free before scoring starts, refused after.
	weight := func(d *edition.Definition) error { x := 2.0; d.Categories[0].Criteria[0].Weight = &x; return nil }
	if _, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: v, Edit: weight, DryRun: true}); err != nil {
		t.Errorf("a weight before scoring: %v", err)
	}
	w.now = ed.Schedule.Scoring.Start.Add(time.Hour)
	_, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: v, Edit: weight})
	problemAt(t, err, "categories[0].criteria[0].weight")
}

func TestTermsMakeVersionsThatRegistrationsRecord(t *testing.T) {
	w := newWorld(t)
	terms := func(text string) studio.Change {
		v := w.edition(t, "seoul-2023").Version
		return studio.Change{Slug: "seoul-2023", Version: v, Edit: func(d *edition.Definition) error { d.Terms = text; return nil }}
	}
	if got := w.edition(t, "seoul-2023"); got.TermsVersion != 0 || got.TermsLabel("2023-1") != "2023-1" {
		t.Fatalf("without a text: version %d, label %q", got.TermsVersion, got.TermsLabel("2023-1"))
	}
	for i, text := range []string{"We keep your details.\n\nWe publish the results.", "We keep your details.\n\nWe publish the results.", "New terms."} {
		if _, err := w.svc.Change(w.ctx, w.admin, terms(text)); err != nil {
			t.Fatalf("terms %d: %v", i, err)
		}
	}
	got := w.edition(t, "seoul-2023")
	if got.TermsVersion != 2 || got.Terms != "New terms." || got.TermsLabel("2023-1") != "seoul-2023/2" {
		t.Errorf("after two texts: version %d, text %q, label %q", got.TermsVersion, got.Terms, got.TermsLabel(""))
	}
	var versions int
	if err := w.pool.QueryRow(w.ctx, `SELECT count(*) FROM edition_terms WHERE edition_id = $1`, got.ID).Scan(&versions); err != nil || versions != 2 {
		t.Errorf("stored versions: %d, %v (the same text twice makes one version)", versions, err)
	}
}

// TestMovingARoundWindowTellsItsPeople: once the edition is published, moving the scoring window
// is free while no one is appointed; with evaluators appointed it needs a reason and emails them
// (not the council) the new window with its time zone; moving the voting window emails the
// council.
func TestMovingARoundWindowTellsItsPeople(t *testing.T) {
	w := newWorld(t)
	ed := w.edition(t, "seoul-2023")
	local := func(t time.Time) string { return t.In(ed.TimeZone).Format("2006-01-02 15:04") }
	scoringEnd := func(d *edition.Definition) error {
		d.Schedule.Scoring.End = local(ed.Schedule.Scoring.End.AddDate(0, 0, -2))
		return nil
	}
	review, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: ed.Version, Edit: scoringEnd, DryRun: true})
	if err != nil || review.NeedsReason {
		t.Fatalf("no one appointed: %+v %v", review, err)
	}
	grant := func(login string, role authz.Role) {
		if _, err := w.pool.Exec(w.ctx, `INSERT INTO role_grants (user_id, role, edition_id, granted_at) VALUES ($1, $2, $3, now())`,
			w.user(t, login), string(role), ed.ID); err != nil {
			t.Fatal(err)
		}
	}
	grant("eva", authz.RoleEvaluator)
	grant("hana", authz.RoleCommitteeHead)
	grant("cho", authz.RoleCouncil)
	_, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: ed.Version, Edit: scoringEnd})
	problemAt(t, err, "reason")
	if !strings.Contains(err.Error(), "the Evaluation Committee will be emailed") {
		t.Errorf("the reason asked: %v", err)
	}
	res, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: ed.Version, Reason: "The committee meets later.", Edit: scoringEnd})
	if err != nil || res.Notified != 2 {
		t.Fatalf("scoring window moved: %+v %v", res, err)
	}
	told := func(kind string) []string {
		t.Helper()
		rows, err := w.pool.Query(w.ctx, `SELECT to_address || ': ' || text_body FROM email_outbox WHERE kind = $1 ORDER BY to_address`, kind)
		if err != nil {
			t.Fatal(err)
		}
		list, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	got := told("scoring-window-moved")
	if len(got) != 2 || !strings.HasPrefix(got[0], "eva@example.org") || !strings.HasPrefix(got[1], "hana@example.org") ||
		!strings.Contains(got[0], "(Asia/Seoul time)") || !strings.Contains(got[0], "https://prize.example/scoring") {
		t.Errorf("the committee's emails: %q", got)
	}
	res, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: res.Version, Reason: "The council meets later.",
		Edit: func(d *edition.Definition) error {
			d.Schedule.Voting.Start = local(ed.Schedule.Voting.Start.AddDate(0, 0, 1))
			return nil
		}})
	if got := told("voting-window-moved"); err != nil || res.Notified != 1 || len(got) != 1 || !strings.HasPrefix(got[0], "cho@example.org") {
		t.Errorf("voting window moved: %+v %v %q", res, err, got)
	}
}

// TestADraftsAddressMayChange: a draft moves to a free address (its rows kept, the old address
// gone); a taken or reserved address is refused at "slug"; a published edition keeps its own.
func TestADraftsAddressMayChange(t *testing.T) {
	w := newWorld(t)
	cp, err := w.svc.Create(w.ctx, w.admin, studio.NewEdition{From: "seoul-2023", Slug: "seoul-2024", Name: "Seoul Smart City Prize 2024", Years: 1})
	if err != nil {
		t.Fatal(err)
	}
	to := func(slug string) func(*edition.Definition) error {
		return func(d *edition.Definition) error { d.Slug = slug; return nil }
	}
	for _, bad := range []string{"seoul-2023", "forms"} {
		_, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: cp.Slug, Version: cp.Version, Edit: to(bad)})
		problemAt(t, err, "slug")
	}
	res, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: cp.Slug, Version: cp.Version, Edit: to("smart-seoul-2024")})
	if err != nil || res.Slug != "smart-seoul-2024" {
		t.Fatalf("rename: %+v %v", res, err)
	}
	moved := w.edition(t, "smart-seoul-2024")
	if moved.ID != cp.ID || len(moved.Categories) != len(cp.Categories) || moved.Categories[0].ID != cp.Categories[0].ID {
		t.Errorf("the renamed draft is another edition: %d (was %d)", moved.ID, cp.ID)
	}
	if _, err := edition.BySlug(w.ctx, w.pool, "seoul-2024"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("the old address still answers: %v", err)
	}
	ed := w.edition(t, "seoul-2023")
	_, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: ed.Slug, Version: ed.Version, Edit: to("seoul-first")})
	problemAt(t, err, "slug")
}

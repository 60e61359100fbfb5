package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"prizeportal/internal/conflict"
	"prizeportal/internal/db/dbtest"
	"prizeportal/web/pages"
)

// conflictStaff creates a user holding role in the edition with slug and returns its id.
func conflictStaff(t *testing.T, e *env, login, name, role, slug string) int64 {
	t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, email_verified_at)
		           VALUES ($1, $1 || '@staff.example', $2, 'x', now()) RETURNING id)
		INSERT INTO role_grants (user_id, role, edition_id) SELECT u.id, $3, ed.id FROM u, editions ed WHERE ed.slug = $4
		RETURNING user_id`, login, name, role, slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// conflictEntry creates a submitted Tech-InnovaCity application of seoul-2023 from an applicant
// of organisation org with email, in city (KR), and returns its id.
func conflictEntry(t *testing.T, e *env, login, org, email, city string) int64 {
	t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), `
		WITH u AS (INSERT INTO users (login_id, email, name, password_hash, organisation, city, country, entity_type, edition_id, category_id)
		           SELECT $1, $3, 'Applicant ' || $1, 'x', $2, $4, 'KR', 'city', ed.id, c.id
		           FROM editions ed JOIN categories c ON c.edition_id = ed.id
		           WHERE ed.slug = 'seoul-2023' AND c.key = 'tech-innovacity' RETURNING id, edition_id, category_id)
		INSERT INTO applications (user_id, edition_id, category_id, status, submitted_version, submitted_at)
		SELECT id, edition_id, category_id, 'submitted', 1, now() FROM u RETURNING id`, login, org, email, city).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// conflictFlags returns the details of the entry's flags of kind.
func conflictFlags(t *testing.T, e *env, appID int64, kind string) []string {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), `SELECT detail FROM entry_flags WHERE application_id = $1 AND kind = $2 ORDER BY detail`, appID, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		rows.Scan(&d)
		out = append(out, d)
	}
	return out
}

// conflictAudited reports how many audit entries of action were recorded by actor.
func conflictAudited(t *testing.T, e *env, actor int64, action string) int {
	t.Helper()
	return dbtest.Count(t, e.pool, `SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = $2`, actor, action)
}

func TestConflictRegistryPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023", "seoul-2024")
	ctx := context.Background()
	ed := e.edition(t, "seoul-2023")
	sec := conflictStaff(t, e, "sec", "Sec Retariat", "secretariat", "seoul-2023")
	c := e.signedInClient(t, sec)
	wego := conflictEntry(t, e, "wego", "", "kim@mail.wego-net.org", "Seoul")
	other := conflictEntry(t, e, "other", "Busan Digital Foundation", "park@bdf.example", "Busan")
	list := fmt.Sprintf("/secretariat/conflicts?edition=%d", ed.ID)

	if r := c.get("/secretariat/conflicts"); r.status != 200 || !strings.Contains(r.body, "No organisation is registered") {
		t.Fatalf("empty registry: %d\n%s", r.status, r.body)
	}
	// Bad input: every problem next to its field and in the summary, nothing typed lost.
	r := c.post(list, url.Values{"name": {" "}, "aliases": {"World Smart Sustainable Cities Organization"},
		"domains": {"wego-net.org, not a domain"}, "country": {"KR"}, "note": {"Organiser"}})
	if r.status != 422 {
		t.Fatalf("bad input: %d", r.status)
	}
	for _, want := range []string{`href="#f-name"`, `href="#f-domains"`, `aria-invalid="true"`, "World Smart Sustainable Cities Organization",
		"wego-net.org, not a domain", `<option value="KR" selected`, "Organiser"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the form after an error lacks %q", want)
		}
	}
	r = c.post(list, url.Values{"name": {"WeGO"}, "aliases": {"World Smart Sustainable Cities Organization"},
		"domains": {"wego-net.org"}, "country": {"KR"}, "note": {"Organiser"}})
	if r.status != 303 || r.location != list {
		t.Fatalf("add: %d %q\n%s", r.status, r.location, r.body)
	}
	if f := conflictFlags(t, e, wego, conflict.FlagRegistry); len(f) != 1 || f[0] != "WeGO" {
		t.Errorf("the WeGO entry's flags: %q", f)
	}
	if f := conflictFlags(t, e, other, conflict.FlagRegistry); len(f) != 0 {
		t.Errorf("another organisation's entry is flagged: %q", f)
	}
	if n := conflictAudited(t, e, sec, "conflict.organisation.add"); n != 1 {
		t.Errorf("%d audit entries for the addition", n)
	}
	page := c.get(list)
	if !strings.Contains(page.body, "WeGO was added to the registry") || !strings.Contains(page.body, "wego-net.org") ||
		!strings.Contains(page.body, "Sec Retariat") {
		t.Errorf("the registry does not show the addition:\n%s", page.body)
	}
	var id int64
	e.pool.QueryRow(ctx, `SELECT id FROM conflict_organisations WHERE name = 'WeGO'`).Scan(&id)
	edit := fmt.Sprintf("/secretariat/conflicts/%d", id)
	// The same name again is refused next to the field.
	if r := c.post(list, url.Values{"name": {"the wego"}}); r.status != 422 || !strings.Contains(r.body, "already in the registry") {
		t.Errorf("a second WeGO: %d", r.status)
	}

	if r := c.get(edit); r.status != 200 || !strings.Contains(r.body, `value="WeGO"`) || !strings.Contains(r.body, "Remove WeGO from the registry") {
		t.Fatalf("edit page: %d\n%s", r.status, r.body)
	}
	if r := c.post(edit, url.Values{"name": {"WeGO"}, "domains": {"@@"}, "note": {"kept"}}); r.status != 422 ||
		!strings.Contains(r.body, `href="#f-domains"`) || !strings.Contains(r.body, "kept") {
		t.Errorf("bad change: %d", r.status)
	}
	// Changing the organisation re-flags: without the domain, the entry no longer matches, and
	// Busan Digital Foundation as an alias now does.
	if r := c.post(edit, url.Values{"name": {"WeGO"}, "aliases": {"Busan Digital Foundation"}}); r.status != 303 {
		t.Fatalf("change: %d\n%s", r.status, r.body)
	}
	if len(conflictFlags(t, e, wego, conflict.FlagRegistry)) != 0 || len(conflictFlags(t, e, other, conflict.FlagRegistry)) != 1 {
		t.Error("the flags did not follow the change")
	}
	if n := conflictAudited(t, e, sec, "conflict.organisation.update"); n != 1 {
		t.Errorf("%d audit entries for the change", n)
	}

	// Another edition's secretariat cannot see or change it.
	stranger := e.signedInClient(t, conflictStaff(t, e, "sec2", "Sec Two", "secretariat", "seoul-2024"))
	if r := stranger.get(edit); r.status != 404 {
		t.Errorf("another edition's secretariat opens it: %d", r.status)
	}
	if r := stranger.post(edit+"/delete", url.Values{"confirm": {"yes"}}); r.status != 404 {
		t.Errorf("another edition's secretariat removes it: %d", r.status)
	}
	if r := stranger.get(list); r.status != 403 {
		t.Errorf("another edition's secretariat lists it: %d", r.status)
	}

	// Removal asks first, then removes, audits and unflags.
	if r := c.post(edit+"/delete", url.Values{}); r.status != 200 || !strings.Contains(r.body, "Yes, remove WeGO") ||
		!strings.Contains(r.body, "1 submitted entry is flagged") {
		t.Fatalf("removal confirmation: %d\n%s", r.status, r.body)
	}
	if n := conflictAudited(t, e, sec, "conflict.organisation.delete"); n != 0 {
		t.Fatal("removed before confirmation")
	}
	if r := c.post(edit+"/delete", url.Values{"confirm": {"yes"}}); r.status != 303 || r.location != list {
		t.Fatalf("remove: %d %q", r.status, r.location)
	}
	if n := conflictAudited(t, e, sec, "conflict.organisation.delete"); n != 1 {
		t.Errorf("%d audit entries for the removal", n)
	}
	if len(conflictFlags(t, e, other, conflict.FlagRegistry)) != 0 {
		t.Error("the flag stayed after the removal")
	}
	if r := c.get(edit); r.status != 404 {
		t.Errorf("a removed organisation's page: %d", r.status)
	}
}

func TestConflictDeclarationsPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	lee := conflictStaff(t, e, "lee", "Dr Lee", "evaluator", "seoul-2023")
	head := conflictStaff(t, e, "park", "Prof Park", "committee_head", "seoul-2023")
	c := e.signedInClient(t, lee)
	seoul := conflictEntry(t, e, "seoul", "Seoul Metropolitan Government", "a@seoul.example", " seoul ")
	busan := conflictEntry(t, e, "busan", "Busan", "b@busan.example", "Busan")

	if r := c.get("/evaluator/declarations"); r.status != 200 || !strings.Contains(r.body, "You have declared nothing") {
		t.Fatalf("declarations: %d\n%s", r.status, r.body)
	}
	r := c.post("/evaluator/declarations", url.Values{"action": {"city"}, "city_name": {"Seoul"}, "city_note": {"my home town"}})
	if r.status != 422 || !strings.Contains(r.body, `href="#f-city_country"`) || !strings.Contains(r.body, "my home town") {
		t.Fatalf("a city without its country: %d\n%s", r.status, r.body)
	}
	if r := c.post("/evaluator/declarations", url.Values{"action": {"city"}, "city_name": {"Seoul"}, "city_country": {"KR"},
		"city_note": {"my home town"}}); r.status != 303 {
		t.Fatalf("declare a city: %d\n%s", r.status, r.body)
	}
	if f := conflictFlags(t, e, seoul, conflict.FlagEvaluator); len(f) != 1 || f[0] != "Dr Lee: city Seoul (KR)" {
		t.Errorf("the Seoul entry's flags: %q", f)
	}
	if f := conflictFlags(t, e, busan, conflict.FlagEvaluator); len(f) != 0 {
		t.Errorf("the Busan entry is flagged: %q", f)
	}
	if r := c.post("/evaluator/declarations", url.Values{"action": {"person"}, "person_name": {"Applicant busan"},
		"person_email": {"B@Busan.example"}}); r.status != 303 {
		t.Fatalf("declare a person: %d\n%s", r.status, r.body)
	}
	if r := c.post("/evaluator/declarations", url.Values{"action": {"organisation"}, "organisation_name": {"Seoul Metropolitan Government"},
		"organisation_aliases": {"SMG"}, "organisation_domains": {"seoul.go.kr"}}); r.status != 303 {
		t.Fatalf("declare an organisation: %d\n%s", r.status, r.body)
	}
	page := c.get("/evaluator/declarations")
	for _, want := range []string{"You declared the organisation Seoul Metropolitan Government", "seoul.go.kr", "my home town", "b@busan.example"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the declarations page lacks %q", want)
		}
	}
	if n := conflictAudited(t, e, lee, "conflict.declaration.add"); n != 3 {
		t.Errorf("%d audit entries for 3 declarations", n)
	}
	conflicts, err := conflict.EvaluatorConflicts(context.Background(), e.pool, lee, conflictEditionID(t, e, "seoul-2023"))
	if err != nil || len(conflicts[seoul]) != 2 || len(conflicts[busan]) != 2 {
		t.Errorf("Dr Lee's conflicts: %v %v", conflicts, err)
	}
	var cityID string
	e.pool.QueryRow(context.Background(), `SELECT id::text FROM conflict_declarations WHERE kind = 'city'`).Scan(&cityID)
	// The committee head may declare too, but not remove another's declaration.
	if r := e.signedInClient(t, head).post("/evaluator/declarations", url.Values{"action": {"remove"}, "id": {cityID}}); r.status != 404 {
		t.Errorf("removing another's declaration: %d", r.status)
	}
	if r := c.post("/evaluator/declarations", url.Values{"action": {"remove"}, "id": {cityID}}); r.status != 303 {
		t.Fatalf("remove: %d", r.status)
	}
	if n := conflictAudited(t, e, lee, "conflict.declaration.remove"); n != 1 {
		t.Errorf("%d audit entries for the removal", n)
	}
	if f := conflictFlags(t, e, seoul, conflict.FlagEvaluator); len(f) != 1 || f[0] != "Dr Lee: organisation Seoul Metropolitan Government" {
		t.Errorf("after removing the city, the Seoul entry's flags: %q", f)
	}
	// The secretariat does not declare.
	sec := e.signedInClient(t, conflictStaff(t, e, "sec", "Sec", "secretariat", "seoul-2023"))
	if r := sec.get("/evaluator/declarations"); r.status != 403 {
		t.Errorf("the secretariat's declarations page: %d", r.status)
	}
}

func conflictEditionID(t *testing.T, e *env, slug string) int64 {
	t.Helper()
	ed := e.edition(t, slug)
	return ed.ID
}

// TestConflictFlagOnSubmit: submitting an application from a registered organisation flags it
// (DOMAIN.md "Registration": entities represented among the organisers or evaluators may not apply).
func TestConflictFlagOnSubmit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	ctx := context.Background()
	sec := conflictStaff(t, e, "sec", "Sec", "secretariat", "seoul-2023")
	if r := e.signedInClient(t, sec).post(fmt.Sprintf("/secretariat/conflicts?edition=%d", conflictEditionID(t, e, "seoul-2023")),
		url.Values{"name": {"Seoul Digital Foundation"}, "aliases": {"SDF"}}); r.status != 303 {
		t.Fatalf("add: %d", r.status)
	}
	kim := applicantUser(t, e, "kim", true)
	dbtest.Exec(t, e.pool, `UPDATE users SET organisation = 'The Seoul Digital-Foundation' WHERE id = $1`, kim)
	// From registration on, before any entry exists, the registry page warns of the registrant.
	page := e.signedInClient(t, sec).get(fmt.Sprintf("/secretariat/conflicts?edition=%d", conflictEditionID(t, e, "seoul-2023")))
	if page.status != 200 || !strings.Contains(page.body, "Registered accounts matching the registry") ||
		!strings.Contains(page.body, "organisation (The Seoul Digital-Foundation) matches Seoul Digital Foundation") {
		t.Fatalf("the registry page does not warn of the registrant: %d\n%s", page.status, page.body)
	}
	saveAnswers(t, e, kim, completeAnswers(t, e))
	// The draft's row in the secretariat's applications list says so too.
	apps := e.signedInClient(t, sec).get(fmt.Sprintf("/secretariat/applications?edition=%d", conflictEditionID(t, e, "seoul-2023")))
	if !strings.Contains(apps.body, "Matches the registry: Seoul Digital Foundation") {
		t.Fatalf("the applications list does not flag the draft: %d\n%s", apps.status, apps.body)
	}
	if r := e.signedInClient(t, kim).post("/application/submit", url.Values{"version": {"1"}}); r.status != 303 {
		t.Fatalf("submit: %d\n%s", r.status, r.body)
	}
	a := storedApplication(t, e, kim)
	if f := conflictFlags(t, e, a.ID, conflict.FlagRegistry); len(f) != 1 || f[0] != "Seoul Digital Foundation" {
		t.Fatalf("flags after submission: %q", f)
	}
	if barred, err := conflict.Barred(ctx, e.pool, a.ID); err != nil || !barred {
		t.Errorf("Barred = %v, %v", barred, err)
	}
	ms, err := conflict.Matches(ctx, e.pool, a.ID)
	if err != nil || len(ms) != 1 {
		t.Fatalf("matches %+v, %v", ms, err)
	}
	// The screening view's panel shows what matched, linking to the registry entry.
	var b strings.Builder
	v := pages.ConflictPanelView{Barred: true, Matches: []pages.ConflictMatch{{Source: "Registry", Subject: ms[0].Subject,
		Href: fmt.Sprintf("/secretariat/conflicts/%d", ms[0].SourceID), Field: conflict.FieldLabel(ms[0].Field), Matched: ms[0].Matched}}}
	if err := pages.ConflictPanel(v).Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "the applicant&#39;s organisation (The Seoul Digital-Foundation)") &&
		!strings.Contains(b.String(), "the applicant's organisation (The Seoul Digital-Foundation)") {
		t.Errorf("panel:\n%s", b.String())
	}
}

package studio_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/studio"
)

// onSheet posts values (with the action op, when not empty) on the sheet key of edition slug as
// the admin, at the version it has now: the change a studio page makes.
func (w *world) onSheet(t *testing.T, slug, key, op string, values map[string]string, dry bool) (studio.Result, error) {
	t.Helper()
	e, def, err := w.svc.Definition(w.ctx, w.admin.Actor, slug)
	if err != nil {
		t.Fatal(err)
	}
	sh, ok := studio.SheetOf(def, key)
	if !ok {
		t.Fatalf("no sheet %s", key)
	}
	posted := map[string]string{"op": op}
	for k, v := range values {
		posted[k] = v
	}
	return w.svc.Change(w.ctx, w.admin, studio.Change{Slug: slug, Version: e.Version, Edit: sh.Edit(posted), DryRun: dry})
}

// mustSheet is onSheet that must save.
func (w *world) mustSheet(t *testing.T, slug, key, op string, values map[string]string) studio.Result {
	t.Helper()
	res, err := w.onSheet(t, slug, key, op, values, false)
	if err != nil {
		t.Fatalf("%s %s: %v", key, op, err)
	}
	if len(res.Changes) == 0 {
		t.Fatalf("%s %s changed nothing", key, op)
	}
	return res
}

func leadershipIndex(t *testing.T, e *edition.Edition) int {
	t.Helper()
	i := slices.IndexFunc(e.Categories, func(c edition.Category) bool { return c.Kind == edition.KindLeadership })
	if i < 0 {
		t.Fatal("no leadership category")
	}
	return i
}

func TestSheetsAddAndRemoveTheListsOfADraft(t *testing.T) {
	w := newWorld(t)
	cp, err := w.svc.Create(w.ctx, w.admin, studio.NewEdition{From: "seoul-2023", Slug: "seoul-2027", Name: "Seoul 2027", Years: 1})
	if err != nil {
		t.Fatal(err)
	}
	const slug = "seoul-2027"
	n := len(cp.EntityTypes)

	// Entity types: a new one is added, changed and removed; one a category lists stays.
	add := map[string]string{fmt.Sprintf("entity_types[%d].key", n): "university", fmt.Sprintf("entity_types[%d].name", n): "University"}
	_, err = w.onSheet(t, slug, "entities", "add entity_types", map[string]string{fmt.Sprintf("entity_types[%d].name", n): "University"}, true)
	problemAt(t, err, fmt.Sprintf("entity_types[%d].key", n))
	review, err := w.onSheet(t, slug, "entities", "add entity_types", add, true)
	if err != nil || len(review.Changes) != 2 || review.Changes[0].Path != fmt.Sprintf("entity_types[%d].key", n) || review.Changes[0].New != "university" {
		t.Fatalf("the review of a new entity type: %+v, %v", review.Changes, err)
	}
	w.mustSheet(t, slug, "entities", "add entity_types", add)
	if got := w.edition(t, slug).EntityTypes; len(got) != n+1 || got[n].Key != "university" || got[n].Name != "University" {
		t.Fatalf("entity types after the addition: %+v", got)
	}
	w.mustSheet(t, slug, "entities", "", map[string]string{fmt.Sprintf("entity_types[%d].description", n): "Universities and colleges."})
	_, err = w.onSheet(t, slug, "entities", "remove entity_types[0]", nil, false)
	problemAt(t, err, "entity_types[0]")
	if !strings.Contains(err.Error(), "Tech-InnovaCity") {
		t.Errorf("the refusal does not say which category lists the type: %v", err)
	}
	w.mustSheet(t, slug, "entities", fmt.Sprintf("remove entity_types[%d]", n), nil)
	if got := w.edition(t, slug).EntityTypes; len(got) != n {
		t.Fatalf("the added entity type was not removed: %+v", got)
	}

	// Categories: a new project category starts valid, as a copy of the first project category.
	nc := len(cp.Categories)
	p := fmt.Sprintf("categories[%d].", nc)
	w.mustSheet(t, slug, "categories", "add categories", map[string]string{p + "key": "green-city", p + "name": "Green City", p + "kind": "project"})
	ed := w.edition(t, slug)
	green, ok := ed.Category("green-city")
	if !ok || green.Name != "Green City" || green.Kind != edition.KindProject || green.Form == nil || len(green.Criteria) != len(ed.Categories[0].Criteria) {
		t.Fatalf("the new category: %+v", green)
	}
	l := leadershipIndex(t, ed)
	lp := fmt.Sprintf("categories[%d].", nc+1)
	_, err = w.onSheet(t, slug, "categories", "add categories", map[string]string{lp + "key": "Not a key", lp + "name": "X", lp + "kind": "project"}, true)
	problemAt(t, err, lp+"key")
	w.mustSheet(t, slug, "categories", "add categories", map[string]string{lp + "key": "young-leaders", lp + "name": "Young Leaders", lp + "kind": "leadership"})
	young, ok := w.edition(t, slug).Category("young-leaders")
	if !ok || young.Nominations == nil || len(young.Nominations.NominatorCategories) != len(ed.Categories[l].Nominations.NominatorCategories) {
		t.Fatalf("the new leadership category: %+v", young)
	}
	w.mustSheet(t, slug, "categories", fmt.Sprintf("remove categories[%d]", nc+1), nil)
	w.mustSheet(t, slug, "categories", fmt.Sprintf("remove categories[%d]", nc), nil)
	if got := len(w.edition(t, slug).Categories); got != nc {
		t.Fatalf("%d categories after removing the two added, want %d", got, nc)
	}

	// Nominator categories of the leadership category: added, changed, removed.
	ed = w.edition(t, slug)
	nn := len(ed.Categories[l].Nominations.NominatorCategories)
	np := fmt.Sprintf("categories[%d].nominations.nominator_categories[%d].", l, nn)
	w.mustSheet(t, slug, "categories", fmt.Sprintf("add categories[%d].nominations.nominator_categories", l),
		map[string]string{np + "key": "school-head", np + "name": "Head of a school", np + "head": "yes"})
	w.mustSheet(t, slug, "categories", "", map[string]string{np + "head": "no"})
	got := w.edition(t, slug).Categories[l].Nominations.NominatorCategories
	if len(got) != nn+1 || got[nn].Key != "school-head" || got[nn].Head {
		t.Fatalf("nominator categories: %+v", got)
	}
	w.mustSheet(t, slug, "categories", fmt.Sprintf("remove categories[%d].nominations.nominator_categories[%d]", l, nn), nil)
	if got := w.edition(t, slug).Categories[l].Nominations.NominatorCategories; len(got) != nn {
		t.Fatalf("the nominator category was not removed: %+v", got)
	}

	// A criterion with its indicators, one per line; then its indicators changed; then removed.
	ncr := len(ed.Categories[0].Criteria)
	cp0 := fmt.Sprintf("categories[0].criteria[%d].", ncr)
	res := w.mustSheet(t, slug, "criteria", "add categories[0].criteria", map[string]string{
		cp0 + "name": "Resilience", cp0 + "description": "How the project withstands shocks.", cp0 + "indicators": "Floods\r\n\r\nHeat waves\n", cp0 + "key": ""})
	if d := res.Changes[0]; d.Path != cp0+"key" || d.New != "resilience" {
		t.Errorf("the first difference of the new criterion: %+v", d)
	}
	cr := w.edition(t, slug).Categories[0].Criteria[ncr]
	if cr.Key != "resilience" || cr.Description != "How the project withstands shocks." || len(cr.Indicators) != 2 || cr.Indicators[1].Name != "Heat waves" {
		t.Fatalf("the new criterion: %+v", cr)
	}
	w.mustSheet(t, slug, "criteria", "", map[string]string{cp0 + "indicators": "Floods\nDroughts"})
	if ins := w.edition(t, slug).Categories[0].Criteria[ncr].Indicators; len(ins) != 2 || ins[0].Key != cr.Indicators[0].Key || ins[1].Name != "Droughts" {
		t.Errorf("the indicators after a change: %+v", ins)
	}
	_, err = w.onSheet(t, slug, "criteria", "add categories[0].criteria", map[string]string{
		fmt.Sprintf("categories[0].criteria[%d].name", ncr+1): "No indicator"}, true)
	problemAt(t, err, fmt.Sprintf("categories[0].criteria[%d].indicators", ncr+1))
	w.mustSheet(t, slug, "criteria", fmt.Sprintf("remove categories[0].criteria[%d]", ncr), nil)
	if got := len(w.edition(t, slug).Categories[0].Criteria); got != ncr {
		t.Fatalf("%d criteria after the removal, want %d", got, ncr)
	}

	// Prizes: a place taken twice is refused at the new prize's field; a new place is added and removed.
	np0 := len(ed.Categories[0].Prizes)
	pp := fmt.Sprintf("categories[0].prizes[%d].", np0)
	_, err = w.onSheet(t, slug, "criteria", "add categories[0].prizes", map[string]string{pp + "place": "1", pp + "name": "Again", pp + "count": "1"}, true)
	problemAt(t, err, pp+"place")
	_, err = w.onSheet(t, slug, "criteria", "add categories[0].prizes", map[string]string{pp + "place": "four", pp + "name": "Fourth", pp + "count": "1"}, true)
	problemAt(t, err, pp+"place")
	w.mustSheet(t, slug, "criteria", "add categories[0].prizes", map[string]string{pp + "place": "4", pp + "name": "Honourable Prize", pp + "count": "1"})
	if got := w.edition(t, slug).Categories[0].Prizes; len(got) != np0+1 || got[np0].Place != 4 || got[np0].Name != "Honourable Prize" {
		t.Fatalf("prizes after the addition: %+v", got)
	}
	res = w.mustSheet(t, slug, "criteria", "remove categories[0].prizes[0]", nil)
	if got := w.edition(t, slug).Categories[0].Prizes; len(got) != np0 || got[0].Place != 2 {
		t.Fatalf("prizes after removing the first: %+v", got)
	}
	if !slices.ContainsFunc(res.Changes, func(d edition.Difference) bool { return d.Old == "First Prize" }) {
		t.Errorf("the diff of the removal does not show the removed prize: %+v", res.Changes)
	}
	// The history names an indicator by its name.
	_, def, err := w.svc.Definition(w.ctx, w.admin.Actor, slug)
	if err != nil {
		t.Fatal(err)
	}
	if in := def.Categories[0].Criteria[0].Indicators[0].Name; !strings.HasSuffix(studio.Describe(def, "categories[0].criteria[0].indicators[0].name"), in+" › name") {
		t.Errorf("an indicator is described as %q", studio.Describe(def, "categories[0].criteria[0].indicators[0].name"))
	}
	// An action that is not the sheet's changes nothing.
	if res, err := w.onSheet(t, slug, "criteria", "remove categories[0].prizes[99]", nil, true); err != nil || len(res.Changes) != 0 {
		t.Errorf("an unknown action: %+v, %v", res, err)
	}
}

func TestSheetsRefuseToRemoveWhatTheDataUses(t *testing.T) {
	w := newWorld(t)
	const slug = "seoul-2023"
	ed := w.edition(t, slug)
	l := leadershipIndex(t, ed)
	w.draftEntry(t, "kim", ed.Categories[0].Key, "project_title")

	// A category with an entry stays; one without entries or registrations may go.
	_, err := w.onSheet(t, slug, "categories", "remove categories[0]", nil, true)
	problemAt(t, err, "categories[0]")
	if _, err := w.onSheet(t, slug, "categories", fmt.Sprintf("remove categories[%d]", l), nil, true); err != nil {
		t.Errorf("removing a category without entries: %v", err)
	}

	// A registrant's entity type stays even once no category lists it.
	if _, err := w.pool.Exec(w.ctx, `UPDATE users SET edition_id = $1, category_id = $2, entity_type = 'individual' WHERE login_id = 'kim'`,
		ed.ID, ed.Categories[0].ID); err != nil {
		t.Fatal(err)
	}
	dropIndividual := func(d *edition.Definition) error {
		d.EntityTypes = slices.DeleteFunc(d.EntityTypes, func(t edition.EntityTypeDef) bool { return t.Key == "individual" })
		for i := range d.Categories {
			d.Categories[i].EligibleEntityTypes = slices.DeleteFunc(d.Categories[i].EligibleEntityTypes, func(k string) bool { return k == "individual" })
			if len(d.Categories[i].EligibleEntityTypes) == 0 {
				d.Categories[i].EligibleEntityTypes = []string{"city"}
			}
		}
		return nil
	}
	_, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: slug, Version: ed.Version, Edit: dropIndividual, DryRun: true})
	problemAt(t, err, "entity_types[3]")

	// A nominator category that a nomination names stays.
	nom := ed.Categories[l].Nominations.NominatorCategories[0]
	lead := ed.Categories[l]
	lena := w.user(t, "lena")
	var app int64
	if err := w.pool.QueryRow(w.ctx, `INSERT INTO applications (user_id, edition_id, category_id) VALUES ($1, $2, $3) RETURNING id`,
		lena, ed.ID, lead.ID).Scan(&app); err != nil {
		t.Fatal(err)
	}
	if _, err := w.pool.Exec(w.ctx, `INSERT INTO nominations (application_id, user_id, edition_id, self, nominator_category, candidate_name, candidate_email, created_at)
		VALUES ($1, $2, $3, false, $4, 'Lee', 'lee@example.org', now())`, app, lena, ed.ID, nom.Key); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("categories[%d].nominations.nominator_categories[0]", l)
	_, err = w.onSheet(t, slug, "categories", "remove "+path, nil, true)
	problemAt(t, err, path)
	if _, err := w.onSheet(t, slug, "categories", fmt.Sprintf("remove categories[%d].nominations.nominator_categories[1]", l), nil, true); err != nil {
		t.Errorf("removing a nominator category no nomination names: %v", err)
	}

	// Criteria are added and removed until scoring starts, not after.
	n := len(ed.Categories[0].Criteria)
	p := fmt.Sprintf("categories[0].criteria[%d].", n)
	newCriterion := map[string]string{p + "name": "Resilience", p + "indicators": "Floods"}
	if _, err := w.onSheet(t, slug, "criteria", "add categories[0].criteria", newCriterion, true); err != nil {
		t.Errorf("a criterion added before scoring: %v", err)
	}
	w.now = ed.Schedule.Scoring.Start.Add(time.Hour)
	_, err = w.onSheet(t, slug, "criteria", "add categories[0].criteria", newCriterion, true)
	problemAt(t, err, p+"name")
	_, err = w.onSheet(t, slug, "criteria", fmt.Sprintf("remove categories[0].criteria[%d]", n-1), nil, true)
	problemAt(t, err, fmt.Sprintf("categories[0].criteria[%d]", n-1)) // a question of the form is linked to it
	unlinked := func(d *edition.Definition) error {
		for si := range d.Categories[0].Form.Sections {
			for qi := range d.Categories[0].Form.Sections[si].Questions {
				d.Categories[0].Form.Sections[si].Questions[qi].Criterion = ""
			}
		}
		d.Categories[0].Criteria = d.Categories[0].Criteria[:n-1]
		return nil
	}
	_, err = w.svc.Change(w.ctx, w.admin, studio.Change{Slug: slug, Version: ed.Version, Edit: unlinked, DryRun: true})
	problemAt(t, err, fmt.Sprintf("categories[0].criteria[%d].name", n-1))
}

package edition_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

// TestNominationsProblemsHavePaths checks the validation of the nominations block (DOMAIN.md "Leadership nominations"):
// each problem is reported at the path of its key, with its line.
func TestNominationsProblemsHavePaths(t *testing.T) {
	t.Parallel()
	const n = "categories[1].nominations"
	block := minimal[strings.Index(minimal, "    nominations:\n"):]
	tests := []struct {
		name, old, new, path, message string
	}{
		{"missing on leadership", block, "", n, `is required for a category of kind "leadership"`},
		{"present on project", "  - key: people\n", block + "  - key: people\n", "categories[0].nominations", `applies only to a category of kind "leadership"`},
		{"no head category", "head: true}", "head: false}", n + ".nominator_categories", `at least one category must have "head: true"`},
		{"no nominator category", "      nominator_categories:\n        - {key: peer, name: Peer}\n        - {key: head, name: Head of an organisation, head: true}\n", "      nominator_categories: []\n", n + ".nominator_categories", "at least one nominator category is required"},
		{"duplicate key", "{key: peer, name: Peer}", "{key: head, name: Peer}", n + ".nominator_categories[1].key", `duplicate key "head" (also at ` + n + `.nominator_categories[0].key)`},
		{"malformed key", "{key: peer, name: Peer}", "{key: Peer_1, name: Peer}", n + ".nominator_categories[0].key", "must be a lowercase key"},
		{"missing name", "{key: peer, name: Peer}", "{key: peer}", n + ".nominator_categories[0].name", "is required"},
		{"head not a boolean", "head: true}", "head: yes}", n + ".nominator_categories[1].head", `must be true or false, got "yes"`},
		{"unknown key", "      endorsements_more_than: 10\n", "      endorsements_more_than: 10\n      signatures: 30\n", n + ".signatures", "unknown key"},
		{"negative threshold", "endorsements_more_than: 10", "endorsements_more_than: -1", n + ".endorsements_more_than", "must be at least 0, got -1"},
		{"threshold not a number", "endorsements_more_than: 10", "endorsements_more_than: thirty", n + ".endorsements_more_than", "must be a whole number"},
		{"missing threshold", "      endorsements_more_than: 10\n", "", n + ".endorsements_more_than", "is required"},
		{"letters before the application deadline", "endorsements_more_than: 10\n", "endorsements_more_than: 10\n      letter_deadline: 2030-02-27\n", n + ".letter_deadline", "must not be before schedule.application_deadline"},
		{"letters at scoring start", "endorsements_more_than: 10\n", "endorsements_more_than: 10\n      letter_deadline: 2030-03-16 00:00\n", n + ".letter_deadline", "must be before schedule.scoring.start"},
		{"letters on the day scoring starts", "endorsements_more_than: 10\n", "endorsements_more_than: 10\n      letter_deadline: 2030-03-16\n", n + ".letter_deadline", "must be before schedule.scoring.start"},
		{"letter deadline not a date", "endorsements_more_than: 10\n", "endorsements_more_than: 10\n      letter_deadline: soon\n", n + ".letter_deadline", `must be a local date-time "2006-01-02 15:04" or a date "2006-01-02", got "soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, tt.old, tt.new, "\n"+tt.path+": "+tt.message)
		})
	}
}

func TestNominationsResolved(t *testing.T) {
	t.Parallel()
	paris, _ := time.LoadLocation("Europe/Paris")
	tests := []struct {
		name, letterDeadline string
		want                 time.Time
	}{
		{"default: the application deadline", "", time.Date(2030, 3, 1, 0, 0, 0, 0, paris)},
		{"at the application deadline", "2030-02-28", time.Date(2030, 3, 1, 0, 0, 0, 0, paris)},
		{"a date: the end of that day", "2030-03-05", time.Date(2030, 3, 6, 0, 0, 0, 0, paris)},
		{"a date-time", "2030-03-15 18:00", time.Date(2030, 3, 15, 18, 0, 0, 0, paris)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := minimal
			if tt.letterDeadline != "" {
				src = edit(t, src, "endorsements_more_than: 10\n", "endorsements_more_than: 10\n      letter_deadline: "+tt.letterDeadline+"\n")
			}
			_, e := mustResolve(t, []byte(src))
			projects, _ := e.Category("projects")
			if projects.Nominations != nil {
				t.Errorf("project category has nominations %+v", projects.Nominations)
			}
			people, _ := e.Category("people")
			n := people.Nominations
			if n == nil {
				t.Fatal("leadership category without nominations")
			}
			if !n.LetterDeadline.Equal(tt.want) {
				t.Errorf("letter deadline = %v, want %v", n.LetterDeadline, tt.want)
			}
			want := []edition.NominatorCategory{{Key: "peer", Name: "Peer"}, {Key: "head", Name: "Head of an organisation", Head: true}}
			if !reflect.DeepEqual(n.NominatorCategories, want) || n.EndorsementsMoreThan != 10 {
				t.Errorf("nominations = %+v", n)
			}
		})
	}

	// A threshold of 0: a single endorsement qualifies.
	_, e := mustResolve(t, []byte(edit(t, minimal, "endorsements_more_than: 10", "endorsements_more_than: 0")))
	people, _ := e.Category("people")
	if people.Nominations.Qualifies(0) || !people.Nominations.Qualifies(1) {
		t.Errorf("threshold 0: Qualifies(0) = %v, Qualifies(1) = %v", people.Nominations.Qualifies(0), people.Nominations.Qualifies(1))
	}
}

// TestReferenceNominations checks the shipped nominations against DOMAIN.md "Leadership
// nominations" and the guidelines (§4).
func TestReferenceNominations(t *testing.T) {
	t.Parallel()
	seoul, _ := time.LoadLocation("Asia/Seoul")
	letters := map[string]time.Time{
		"seoul-2023": time.Date(2023, 6, 8, 0, 0, 0, 0, seoul), // the end of 7 June
		"seoul-2024": time.Date(2024, 6, 8, 0, 0, 0, 0, seoul),
	}
	for _, name := range edition.BuiltinNames() {
		t.Run(name, func(t *testing.T) {
			_, e := mustResolve(t, builtin(t, name))
			for _, c := range e.Categories {
				if (c.Nominations != nil) != (c.Kind == edition.KindLeadership) {
					t.Errorf("%s (%s) nominations = %+v", c.Key, c.Kind, c.Nominations)
				}
			}
			c, _ := e.Category("leadership")
			n := c.Nominations
			var all, heads []string
			for _, nc := range n.NominatorCategories {
				all = append(all, nc.Key)
			}
			for _, nc := range n.HeadCategories() {
				heads = append(heads, nc.Key)
			}
			if want := "smart-city-professional city-head business-head civil-society-head academic-head"; strings.Join(all, " ") != want {
				t.Errorf("nominator categories = %v, want %s", all, want)
			}
			if want := "city-head business-head civil-society-head academic-head"; strings.Join(heads, " ") != want {
				t.Errorf("head categories = %v, want %s", heads, want)
			}
			if nc, ok := n.Category("city-head"); !ok || !nc.Head || !strings.HasPrefix(nc.Name, "Mayor or head of city offices") {
				t.Errorf("Category(city-head) = %+v, %v", nc, ok)
			}
			if nc, ok := n.Category("smart-city-professional"); !ok || nc.Head {
				t.Errorf("Category(smart-city-professional) = %+v, %v", nc, ok)
			}
			if _, ok := n.Category("nobody"); ok {
				t.Error("Category(nobody) found")
			}
			// "Signature from more than 30 citizens can replace the letter of recommendation."
			if n.EndorsementsMoreThan != 30 || n.Qualifies(30) || !n.Qualifies(31) {
				t.Errorf("threshold %d: Qualifies(30) = %v, Qualifies(31) = %v", n.EndorsementsMoreThan, n.Qualifies(30), n.Qualifies(31))
			}
			if want := letters[name]; !n.LetterDeadline.Equal(want) {
				t.Errorf("letter deadline = %v, want %v", n.LetterDeadline, want)
			}
			if !n.LetterDeadline.After(e.Schedule.ApplicationDeadline) || !n.LetterDeadline.Before(e.Schedule.Scoring.Start) {
				t.Errorf("letter deadline %v outside [%v, %v)", n.LetterDeadline, e.Schedule.ApplicationDeadline, e.Schedule.Scoring.Start)
			}
		})
	}
}

// TestOpenOnShiftsTheLetterDeadline checks that the letter deadline moves with the schedule.
func TestOpenOnShiftsTheLetterDeadline(t *testing.T) {
	t.Parallel()
	d, before := mustResolve(t, builtin(t, "seoul-2023"))
	if err := d.OpenOn(time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	_, after := mustResolve(t, d.Source()) // the source text was edited too
	bl, _ := before.Category("leadership")
	al, _ := after.Category("leadership")
	was := wallDiff(before.Schedule.ApplicationDeadline, bl.Nominations.LetterDeadline)
	now := wallDiff(after.Schedule.ApplicationDeadline, al.Nominations.LetterDeadline)
	if was != now || al.Nominations.LetterDeadline.Year() != 2026 {
		t.Errorf("letters due %v after the deadline before the shift, %v after (%v)", was, now, al.Nominations.LetterDeadline)
	}
}

// loadedNominations imports src into pool and returns the nominations of the stored category.
func loadedNominations(t *testing.T, ctx context.Context, pool *pgxpool.Pool, src, category string) (*edition.Edition, *edition.Nominations) {
	t.Helper()
	e := importSource(t, pool, src)
	c, ok := e.Category(category)
	if !ok {
		t.Fatalf("no category %s", category)
	}
	return e, c.Nominations
}

func TestNominationsStoredAndReimported(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)

	src := edit(t, minimal, "endorsements_more_than: 10\n", "endorsements_more_than: 10\n      letter_deadline: 2030-03-05 18:00\n")
	_, want := mustResolve(t, []byte(src))
	wl, _ := want.Category("people")
	e, got := loadedNominations(t, ctx, pool, src, "people")
	if got == nil {
		t.Fatal("no nominations stored")
	}
	if !got.LetterDeadline.Equal(wl.Nominations.LetterDeadline) || got.LetterDeadline.Location().String() != "Europe/Paris" {
		t.Errorf("letter deadline = %v, want %v", got.LetterDeadline, wl.Nominations.LetterDeadline)
	}
	if !reflect.DeepEqual(got.NominatorCategories, wl.Nominations.NominatorCategories) || got.EndorsementsMoreThan != 10 {
		t.Errorf("loaded nominations = %+v, want %+v", got, wl.Nominations)
	}
	if projects, _ := e.Category("projects"); projects.Nominations != nil {
		t.Errorf("project category loaded with nominations %+v", projects.Nominations)
	}

	// Re-importing a changed file replaces the rules; without letter_deadline the letters are
	// due at the application deadline.
	src = edit(t, minimal, "        - {key: peer, name: Peer}\n", "        - {key: peer, name: Peer in the field}\n        - {key: mayor, name: Mayor, head: true}\n")
	src = edit(t, src, "endorsements_more_than: 10", "endorsements_more_than: 50")
	e, got = loadedNominations(t, ctx, pool, src, "people")
	wantCats := []edition.NominatorCategory{
		{Key: "peer", Name: "Peer in the field"},
		{Key: "mayor", Name: "Mayor", Head: true},
		{Key: "head", Name: "Head of an organisation", Head: true},
	}
	if !reflect.DeepEqual(got.NominatorCategories, wantCats) || got.EndorsementsMoreThan != 50 || got.Qualifies(50) || !got.Qualifies(51) {
		t.Errorf("re-imported nominations = %+v", got)
	}
	if !got.LetterDeadline.Equal(e.Schedule.ApplicationDeadline) {
		t.Errorf("letter deadline = %v, want the application deadline %v", got.LetterDeadline, e.Schedule.ApplicationDeadline)
	}
	if heads := got.HeadCategories(); len(heads) != 2 || heads[0].Key != "mayor" {
		t.Errorf("head categories = %+v", heads)
	}

	// The database holds nominations only on leadership categories.
	_, err := pool.Exec(ctx, `UPDATE categories SET nominations = '{}' WHERE edition_id = $1 AND kind = 'project'`, e.ID)
	if err == nil || !strings.Contains(err.Error(), "categories_nominations_leadership_only") {
		t.Errorf("nominations on a project category: %v", err)
	}
}

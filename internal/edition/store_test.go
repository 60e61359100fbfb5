package edition_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"

	"github.com/jackc/pgx/v5/pgxpool"
)

func parse(t *testing.T, src []byte) *edition.Definition {
	t.Helper()
	d, err := edition.Parse(src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return d
}

// importSource imports the definition src into pool and returns the stored edition.
func importSource(t *testing.T, pool *pgxpool.Pool, src string) *edition.Edition {
	t.Helper()
	res, err := edition.Import(context.Background(), pool, parse(t, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	e, err := edition.ByID(context.Background(), pool, res.EditionID)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// withoutIDs returns a copy of e with every database id and UpdatedAt cleared and the schedule
// taken out (times are compared with Equal), for comparing a loaded edition with a resolved one.
func withoutIDs(e *edition.Edition) (edition.Edition, edition.Schedule) {
	c := *e
	c.ID, c.UpdatedAt, c.TimeZone = 0, time.Time{}, nil
	c.Status, c.Version = "", 0 // stored state, not part of the definition
	s := c.Schedule
	c.Schedule = edition.Schedule{}
	c.EntityTypes = append([]edition.EntityType(nil), e.EntityTypes...)
	for i := range c.EntityTypes {
		c.EntityTypes[i].ID = 0
	}
	c.Categories = append([]edition.Category(nil), e.Categories...)
	for i := range c.Categories {
		cat := &c.Categories[i]
		cat.ID = 0
		cat.Prizes = append([]edition.Prize(nil), cat.Prizes...)
		for j := range cat.Prizes {
			cat.Prizes[j].ID = 0
		}
		cat.Criteria = append([]edition.Criterion(nil), cat.Criteria...)
		for j := range cat.Criteria {
			cr := &cat.Criteria[j]
			cr.ID = 0
			cr.Indicators = append([]edition.Indicator(nil), cr.Indicators...)
			for k := range cr.Indicators {
				cr.Indicators[k].ID = 0
			}
		}
	}
	return c, s
}

func TestImportRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	for _, name := range edition.BuiltinNames() {
		t.Run(name, func(t *testing.T) {
			d := parse(t, builtin(t, name))
			want, err := d.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			res, err := edition.Import(ctx, pool, d)
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			if !res.Created || res.EditionID == 0 {
				t.Errorf("Import = %+v, want a created edition", res)
			}
			got, err := edition.BySlug(ctx, pool, name)
			if err != nil {
				t.Fatalf("BySlug: %v", err)
			}
			if got.ID != res.EditionID || got.UpdatedAt.IsZero() {
				t.Errorf("loaded id %d, updated %v", got.ID, got.UpdatedAt)
			}
			if got.Status != edition.StatusPublished || got.Version != 1 || res.Version != 1 {
				t.Errorf("imported edition: status %q, version %d (result %d), want published, 1", got.Status, got.Version, res.Version)
			}
			if got.TimeZone == nil || got.TimeZone.String() != want.TimeZone.String() {
				t.Fatalf("time zone = %v, want %v", got.TimeZone, want.TimeZone)
			}
			gotE, gotS := withoutIDs(got)
			wantE, wantS := withoutIDs(want)
			if !reflect.DeepEqual(gotE, wantE) {
				t.Errorf("loaded edition differs:\n got %+v\nwant %+v", gotE, wantE)
			}
			g, w := instants(gotS), instants(wantS)
			for i := range g {
				if !g[i].Equal(w[i]) || g[i].Location() != got.TimeZone {
					t.Errorf("schedule instant %d = %v, want %v in %v", i, g[i], w[i], got.TimeZone)
				}
			}
			for _, c := range got.Categories {
				if c.ID == 0 {
					t.Errorf("category %s has no id", c.Key)
				}
				for _, cr := range c.Criteria {
					for _, in := range cr.Indicators {
						if cr.ID == 0 || in.ID == 0 {
							t.Errorf("criterion %s/%s or an indicator has no id", c.Key, cr.Key)
						}
					}
				}
			}
			src, err := edition.Source(ctx, pool, name)
			if err != nil || string(src) != string(builtin(t, name)) {
				t.Errorf("Source = %d bytes, %v; want the file as imported", len(src), err)
			}
		})
	}

	e, err := edition.BySlug(ctx, pool, "seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	seoul, _ := time.LoadLocation("Asia/Seoul")
	if want := time.Date(2023, 5, 31, 23, 59, 0, 0, seoul); !e.Schedule.ApplicationDeadline.Equal(want) ||
		e.Schedule.ApplicationDeadline.Format("2006-01-02 15:04 MST") != "2023-05-31 23:59 KST" {
		t.Errorf("deadline = %v, want %v", e.Schedule.ApplicationDeadline, want)
	}
	var action, details string
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*), min(action), min(details->>'slug') FROM audit_log
		WHERE action = 'edition.import' AND details->>'slug' = 'seoul-2023'`).Scan(&n, &action, &details); err != nil || n != 1 {
		t.Errorf("audit rows = %d (%v), want 1", n, err)
	}
}

func TestReimportUpsertsByKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)

	first, err := edition.Import(ctx, pool, parse(t, []byte(minimal)))
	if err != nil {
		t.Fatal(err)
	}
	before, err := edition.BySlug(ctx, pool, "test-2030")
	if err != nil {
		t.Fatal(err)
	}

	// Rename and reweigh a criterion, drop an indicator, add one, reorder the criteria, drop the
	// second prize, rename the edition.
	src := minimal
	src = edit(t, src, "name: Test Prize 2030", "name: Test Prize 2030 (revised)")
	src = edit(t, src, `      - key: impact
        name: Impact
        weight: 2
        indicators: [Reach, Depth, {key: cost, name: Cost effectiveness}]
      - key: novelty
        name: Novelty
        indicators: [Originality]`, `      - key: novelty
        name: Novelty
        indicators: [Originality, Surprise]
      - key: impact
        name: Impact on people
        weight: 1.5
        indicators: [{key: cost, name: Cost effectiveness}, Reach]`)
	src = edit(t, src, "      - {place: 2, name: Silver, count: 1}\n", "")
	second, err := edition.Import(ctx, pool, parse(t, []byte(src)))
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if second.Created || second.EditionID != first.EditionID {
		t.Fatalf("re-import = %+v, want an update of edition %d", second, first.EditionID)
	}
	after, err := edition.BySlug(ctx, pool, "test-2030")
	if err != nil {
		t.Fatal(err)
	}
	if after.Name != "Test Prize 2030 (revised)" || !after.UpdatedAt.After(before.UpdatedAt) {
		t.Errorf("edition = %q updated %v (was %v)", after.Name, after.UpdatedAt, before.UpdatedAt)
	}

	bp, _ := before.Category("projects")
	ap, _ := after.Category("projects")
	if ap.ID != bp.ID {
		t.Errorf("category id changed: %d -> %d", bp.ID, ap.ID)
	}
	bImpact, _ := bp.Criterion("impact")
	bNovelty, _ := bp.Criterion("novelty")
	if ap.Criteria[0].Key != "novelty" || ap.Criteria[1].Key != "impact" {
		t.Fatalf("criteria order = %s, %s; want novelty, impact", ap.Criteria[0].Key, ap.Criteria[1].Key)
	}
	novelty, impact := ap.Criteria[0], ap.Criteria[1]
	if impact.ID != bImpact.ID || novelty.ID != bNovelty.ID {
		t.Errorf("criterion ids changed: impact %d -> %d, novelty %d -> %d", bImpact.ID, impact.ID, bNovelty.ID, novelty.ID)
	}
	if impact.Name != "Impact on people" || impact.Weight != 1.5 {
		t.Errorf("impact = %q weight %v, want the new name and 1.5", impact.Name, impact.Weight)
	}
	ids := func(c edition.Criterion) map[string]int64 {
		m := map[string]int64{}
		for _, in := range c.Indicators {
			m[in.Key] = in.ID
		}
		return m
	}
	was, now := ids(*bImpact), ids(impact)
	if now["cost"] != was["cost"] || now["reach"] != was["reach"] {
		t.Errorf("indicator ids changed: %v -> %v", was, now)
	}
	if _, ok := now["depth"]; ok || len(now) != 2 {
		t.Errorf("impact indicators = %v, want depth removed", now)
	}
	if impact.Indicators[0].Key != "cost" || impact.Indicators[1].Key != "reach" {
		t.Errorf("indicator order = %v", impact.Indicators)
	}
	if len(novelty.Indicators) != 2 || novelty.Indicators[1].Key != "surprise" || novelty.Indicators[0].ID != bNovelty.Indicators[0].ID {
		t.Errorf("novelty indicators = %v", novelty.Indicators)
	}
	if len(ap.Prizes) != 1 || ap.Prizes[0].ID != bp.Prizes[0].ID {
		t.Errorf("prizes = %v, want the first kept", ap.Prizes)
	}
	var indicators, prizes int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM indicators), (SELECT count(*) FROM prizes)`).Scan(&indicators, &prizes); err != nil {
		t.Fatal(err)
	}
	if indicators != 5 || prizes != 2 {
		t.Errorf("%d indicators and %d prizes stored, want 5 and 2", indicators, prizes)
	}

	// Dropping a category and an entity type deletes them and everything under them.
	src = edit(t, src, "  - {key: person, name: Person}\n", "")
	src = src[:strings.Index(src, "  - key: people")]
	if _, err := edition.Import(ctx, pool, parse(t, []byte(src))); err != nil {
		t.Fatalf("re-import without a category: %v", err)
	}
	last, err := edition.BySlug(ctx, pool, "test-2030")
	if err != nil {
		t.Fatal(err)
	}
	if len(last.Categories) != 1 || len(last.EntityTypes) != 1 {
		t.Errorf("categories %d, entity types %d; want 1 and 1", len(last.Categories), len(last.EntityTypes))
	}
	var criteria int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM criteria`).Scan(&criteria); err != nil || criteria != 2 {
		t.Errorf("%d criteria stored (%v), want 2", criteria, err)
	}
	var audits int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'edition.import'`).Scan(&audits); err != nil || audits != 3 {
		t.Errorf("%d audit rows (%v), want 3", audits, err)
	}
}

// TestReimportCannotRemoveReferencedRows plays a later table (score sheets) that refers to an
// indicator: removing that indicator must fail clearly and change nothing.
func TestReimportCannotRemoveReferencedRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	if _, err := edition.Import(ctx, pool, parse(t, []byte(minimal))); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, pool, `
		CREATE TABLE score_items (indicator_id BIGINT NOT NULL REFERENCES indicators (id));
		INSERT INTO score_items SELECT id FROM indicators WHERE key = 'depth'`)
	src := edit(t, minimal, "[Reach, Depth, {key: cost, name: Cost effectiveness}]", "[Reach, {key: cost, name: Cost effectiveness}]")
	src = edit(t, src, "name: Test Prize 2030", "name: Renamed")
	_, err := edition.Import(ctx, pool, parse(t, []byte(src)))
	if !errors.Is(err, db.ErrConflict) {
		t.Fatalf("Import = %v, want db.ErrConflict", err)
	}
	for _, want := range []string{"edition: import test-2030: cannot remove indicator projects/impact/depth", `"score_items"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	e, err := edition.BySlug(ctx, pool, "test-2030")
	if err != nil {
		t.Fatal(err)
	}
	if e.Name != "Test Prize 2030" {
		t.Errorf("name = %q: the failed import was not rolled back", e.Name)
	}
}

func TestImportRejectsInvalidDefinition(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	d, _ := edition.Parse([]byte(bad))
	_, err := edition.Import(ctx, pool, d)
	var ve *edition.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Import = %v, want a *ValidationError", err)
	}
	if n, err := edition.Count(ctx, pool); err != nil || n != 0 {
		t.Errorf("Count = %d, %v; want 0", n, err)
	}
}

func TestListCurrentCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)

	if _, err := edition.Current(ctx, pool); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Current on an empty database = %v, want db.ErrNotFound", err)
	}
	if _, err := edition.BySlug(ctx, pool, "nope"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("BySlug(nope) = %v, want db.ErrNotFound", err)
	}
	if _, err := edition.Source(ctx, pool, "nope"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Source(nope) = %v, want db.ErrNotFound", err)
	}

	// Import the newest year first, so that "current" cannot be "last imported".
	for _, src := range [][]byte{builtin(t, "seoul-2024"), builtin(t, "seoul-2023"), []byte(minimal)} {
		if _, err := edition.Import(ctx, pool, parse(t, src)); err != nil {
			t.Fatal(err)
		}
	}
	list, err := edition.List(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, s := range list {
		slugs = append(slugs, s.Slug)
	}
	if strings.Join(slugs, ",") != "test-2030,seoul-2024,seoul-2023" {
		t.Errorf("List order = %v", slugs)
	}
	if list[0].Categories != 2 || list[1].Categories != 3 || list[1].Year != 2024 || list[1].Name != "Seoul Smart City Prize 2024" || list[1].UpdatedAt.IsZero() {
		t.Errorf("List = %+v", list)
	}
	if n, err := edition.Count(ctx, pool); err != nil || n != 3 {
		t.Errorf("Count = %d, %v; want 3", n, err)
	}
	cur, err := edition.Current(ctx, pool)
	if err != nil || cur.Slug != "test-2030" {
		t.Fatalf("Current = %v, %v; want test-2030", cur, err)
	}
	byID, err := edition.ByID(ctx, pool, cur.ID)
	if err != nil || byID.Slug != cur.Slug {
		t.Errorf("ByID = %v, %v", byID, err)
	}

	// Ties on the year go to the most recently updated edition.
	other := edit(t, minimal, "slug: test-2030", "slug: other-2030")
	if _, err := edition.Import(ctx, pool, parse(t, []byte(other))); err != nil {
		t.Fatal(err)
	}
	if cur, err := edition.Current(ctx, pool); err != nil || cur.Slug != "other-2030" {
		t.Errorf("Current after a newer import of the same year = %v, %v; want other-2030", cur, err)
	}
}

func TestImportShiftedDemoEdition(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	d := parse(t, builtin(t, "seoul-2023"))
	now := time.Now()
	if err := d.OpenOn(now); err != nil {
		t.Fatal(err)
	}
	if _, err := edition.Import(ctx, pool, d); err != nil {
		t.Fatal(err)
	}
	e, err := edition.Current(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if e.Schedule.ApplicationsOpen.After(now) || !e.Schedule.ApplicationDeadline.After(now) {
		t.Errorf("stored schedule %v to %v is not open now", e.Schedule.ApplicationsOpen, e.Schedule.ApplicationDeadline)
	}
	src, err := edition.Source(ctx, pool, "seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	if _, again := mustResolve(t, src); !again.Schedule.ApplicationDeadline.Equal(e.Schedule.ApplicationDeadline) {
		t.Errorf("stored source does not match the stored schedule")
	}
}

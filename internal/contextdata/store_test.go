package contextdata_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/contextdata"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var now = time.Date(2023, 6, 5, 3, 0, 0, 0, time.UTC)

// world is a database with seoul-2023 and seoul-2024, a secretariat member of 2023 and one of
// 2024.
type world struct {
	pool           *pgxpool.Pool
	ed, other      int64
	staff, outside int64
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{pool: dbtest.New(t)}
	for i, ed := range editiontest.Import(t, w.pool, "seoul-2023", "seoul-2024") {
		login := []string{"sec", "sec24"}[i]
		var id int64
		if err := w.pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash) VALUES ($1, $1 || '@example.org', 'Staff ' || $1, 'x') RETURNING id`, login).Scan(&id); err != nil {
			t.Fatal(err)
		}
		dbtest.Exec(t, w.pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, id, ed.ID)
		if i == 0 {
			w.ed, w.staff = ed.ID, id
		} else {
			w.other, w.outside = ed.ID, id
		}
	}
	return w
}

// entry creates an applicant of edition ed from country and city with a submitted
// Tech-InnovaCity application and returns the application's id.
func (w *world) entry(t *testing.T, ed int64, login, country, city string) int64 {
	t.Helper()
	var id int64
	if err := w.pool.QueryRow(context.Background(), `
		WITH u AS (
			INSERT INTO users (login_id, email, name, password_hash, country, city, edition_id, category_id)
			SELECT $1, $1 || '@example.org', $1, 'x', $2, $3, $4, c.id FROM categories c
			WHERE c.edition_id = $4 AND c.key = 'tech-innovacity' RETURNING id, edition_id, category_id)
		INSERT INTO applications (user_id, edition_id, category_id, status)
		SELECT id, edition_id, category_id, 'submitted' FROM u RETURNING id`, login, country, city, ed).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (w *world) importCSV(t *testing.T, staff, ed int64, csv string, at time.Time) (contextdata.Result, error) {
	t.Helper()
	rows, err := contextdata.Parse(strings.NewReader(csv), contextdata.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	var res contextdata.Result
	err = db.InTx(context.Background(), w.pool, func(tx pgx.Tx) error {
		var err error
		res, err = contextdata.Import(context.Background(), tx, staff, ed, rows, at)
		return err
	})
	return res, err
}

func TestImportAndReimport(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	res, err := w.importCSV(t, w.staff, w.ed, header+
		"KR,,population,51628117,people,2022,World Bank WDI\n"+
		"KR,Seoul,population,9411260,people,2022,Statistics Korea\n"+
		"NP,,population,30034989,people,2022,World Bank WDI\n"+
		"NP,,internet_use,51.6,% of population,2021,ITU\n", now)
	if err != nil {
		t.Fatal(err)
	}
	if res != (contextdata.Result{Inserted: 4}) {
		t.Errorf("first import: %+v", res)
	}
	// Again, a day later: Seoul spelt in capitals replaces its row, one value changes, one row is new.
	res, err = w.importCSV(t, w.staff, w.ed, header+
		"KR,SEOUL,population,9400000,people,2022,Statistics Korea\n"+
		"NP,,internet_use,51.6,%,2021,ITU\n"+
		"NP,,internet_use,55.2,%,2022,ITU\n", now.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res != (contextdata.Result{Inserted: 1, Replaced: 2}) {
		t.Errorf("second import: %+v", res)
	}
	var n int
	var city, value string
	w.pool.QueryRow(ctx, `SELECT count(*) FROM context_data WHERE edition_id = $1`, w.ed).Scan(&n)
	w.pool.QueryRow(ctx, `SELECT city, value::text FROM context_data WHERE lower(city) = 'seoul'`).Scan(&city, &value)
	if n != 5 || city != "SEOUL" || value != "9400000" {
		t.Errorf("%d rows, Seoul is %q = %s", n, city, value)
	}

	sum, err := contextdata.Summarize(ctx, w.pool, w.staff, w.ed, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Total != 2 || sum.Rows != 5 || sum.Countries != 2 || sum.Cities != 1 || sum.Pages != 1 || len(sum.Indicators) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	want := []contextdata.IndicatorSummary{
		{Indicator: "internet_use", Countries: 1, Rows: 2, FirstYear: 2021, LastYear: 2022, Units: []string{"%"},
			Sources: []string{"ITU"}, ImportedAt: now.Add(24 * time.Hour), ImportedBy: "Staff sec"},
		{Indicator: "population", Countries: 2, Cities: 1, Rows: 3, FirstYear: 2022, LastYear: 2022, Units: []string{"people"},
			Sources: []string{"Statistics Korea", "World Bank WDI"}, ImportedAt: now.Add(24 * time.Hour), ImportedBy: "Staff sec"},
	}
	for i := range sum.Indicators {
		sum.Indicators[i].ImportedAt = sum.Indicators[i].ImportedAt.UTC()
	}
	if !reflect.DeepEqual(sum.Indicators, want) {
		t.Errorf("summary:\n got %+v\nwant %+v", sum.Indicators, want)
	}

	// Another edition's secretariat neither sees nor writes nor clears this edition's data.
	if sum, err := contextdata.Summarize(ctx, w.pool, w.outside, w.ed, 1); err != nil || sum.Rows != 0 || len(sum.Indicators) != 0 {
		t.Errorf("outsider's summary %+v, %v", sum, err)
	}
	if _, err := w.importCSV(t, w.outside, w.ed, header+"FR,,population,1,,2022,X\n", now); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("outsider's import: %v", err)
	}
	if _, err := contextdata.Clear(ctx, w.pool, w.outside, w.ed); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("outsider's clear: %v", err)
	}

	// The 2024 edition has data of its own; clearing 2023 leaves it.
	if _, err := w.importCSV(t, w.outside, w.other, header+"KR,,population,1,,2023,X\n", now); err != nil {
		t.Fatal(err)
	}
	if n, err := contextdata.Clear(ctx, w.pool, w.staff, w.ed); err != nil || n != 5 {
		t.Errorf("clear: %d, %v", n, err)
	}
	w.pool.QueryRow(ctx, `SELECT count(*) FROM context_data`).Scan(&n)
	if n != 1 {
		t.Errorf("%d rows left, want the other edition's 1", n)
	}
}

func TestForEntry(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.importCSV(t, w.staff, w.ed, header+
		"KR,,population,51000000,people,2020,WB\n"+
		"KR,,population,51628117,people,2022,World Bank WDI\n"+ // the most recent country value
		"KR,,population,51700000,people,2021,WB\n"+
		"KR,,internet_use,97.2,%,2021,ITU\n"+
		"KR,Seoul,population,9411260,people,2022,Statistics Korea\n"+
		"KR,Seoul,population,9500000,people,2019,Statistics Korea\n"+
		"KR,Busan,population,3300000,people,2022,Statistics Korea\n"+
		"KR,São Paulo,population,1,people,2022,X\n"+ // a city of the same name elsewhere does not match
		"NP,,population,30034989,people,2022,World Bank WDI\n", now); err != nil {
		t.Fatal(err)
	}
	if _, err := w.importCSV(t, w.outside, w.other, header+"KR,,population,99,people,2023,X\n", now); err != nil {
		t.Fatal(err)
	}
	seoul := w.entry(t, w.ed, "seoul", "KR", "  seoul ")
	incheon := w.entry(t, w.ed, "incheon", "KR", "Incheon")
	nowhere := w.entry(t, w.ed, "nowhere", "FR", "Paris")
	nocity := w.entry(t, w.ed, "nocity", "NP", "")
	sp := w.entry(t, w.ed, "sp", "BR", "São  Paulo")

	country := func(ind, v, unit string, year int, src string) contextdata.Indicator {
		return contextdata.Indicator{Level: contextdata.LevelCountry, Country: "KR", Indicator: ind, Value: v, Unit: unit, Year: year, Source: src}
	}
	for _, c := range []struct {
		name string
		id   int64
		want []contextdata.Indicator
	}{
		{"Seoul", seoul, []contextdata.Indicator{
			country("internet_use", "97.2", "%", 2021, "ITU"),
			country("population", "51628117", "people", 2022, "World Bank WDI"),
			{Level: contextdata.LevelCity, Country: "KR", City: "Seoul", Indicator: "population", Value: "9411260", Unit: "people", Year: 2022, Source: "Statistics Korea"},
		}},
		{"a city without data", incheon, []contextdata.Indicator{
			country("internet_use", "97.2", "%", 2021, "ITU"),
			country("population", "51628117", "people", 2022, "World Bank WDI"),
		}},
		{"a country without data", nowhere, nil},
		{"no city given", nocity, []contextdata.Indicator{
			{Level: contextdata.LevelCountry, Country: "NP", Indicator: "population", Value: "30034989", Unit: "people", Year: 2022, Source: "World Bank WDI"},
		}},
		{"the same city name in another country", sp, nil},
	} {
		got, err := contextdata.ForEntry(ctx, w.pool, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
	if got := (contextdata.Indicator{Value: "97.2"}).Float(); got != 97.2 {
		t.Errorf("Float %v", got)
	}

	// An entry of 2024 gets 2024's data only.
	other := w.entry(t, w.other, "seoul24", "KR", "Seoul")
	got, err := contextdata.ForEntry(ctx, w.pool, other)
	if err != nil || len(got) != 1 || got[0].Value != "99" {
		t.Errorf("2024 entry: %+v, %v", got, err)
	}
}

package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition/editiontest"
	"prizeportal/web/views"
)

// TestContextPanel: the screening view's context panel shows the indicators of the applicant's
// country and city (the most recent year of each, numbers grouped, with their units), and is
// nil for an entry without context data.
func TestContextPanel(t *testing.T) {
	t.Parallel()
	_, pool := outboxServer(t, nil)
	ctx := context.Background()
	ed := editiontest.Import(t, pool, "seoul-2023")[0]
	var staff int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash) VALUES ('sec', 'sec@example.org', 'Sec', 'x') RETURNING id`).Scan(&staff); err != nil {
		t.Fatal(err)
	}
	dbtest.Exec(t, pool, `INSERT INTO role_grants (user_id, role, edition_id) VALUES ($1, 'secretariat', $2)`, staff, ed.ID)
	rows, err := contextdata.Parse(strings.NewReader("country,city,indicator,value,unit,year,source\n"+
		"KR,,population,51628117,people,2022,World Bank WDI\n"+
		"KR,,population,50000000,people,2019,World Bank WDI\n"+
		"KR,Seoul,population,9411260,people,2022,Statistics Korea\n"+
		"KR,,gdp_per_capita,-32422.574,USD,2022,World Bank WDI\n"), contextdata.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := contextdata.Import(ctx, tx, staff, ed.ID, rows, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	entry := func(login, country, city string) int64 {
		var id int64
		if err := pool.QueryRow(ctx, `
			WITH u AS (
				INSERT INTO users (login_id, email, name, password_hash, country, city, edition_id, category_id)
				SELECT $1, $1 || '@example.org', $1, 'x', $2, $3, c.edition_id, c.id FROM categories c
				WHERE c.edition_id = $4 AND c.key = 'tech-innovacity' RETURNING id, edition_id, category_id)
			INSERT INTO applications (user_id, edition_id, category_id, status)
			SELECT id, edition_id, category_id, 'submitted' FROM u RETURNING id`, login, country, city, ed.ID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	seoul, paris := entry("seoul", "KR", "seoul"), entry("paris", "FR", "Paris")
	panel := func(id int64) (templ.Component, error) {
		list, err := contextdata.ForEntry(ctx, pool, id)
		return views.ContextPanelOf(list, ed), err
	}

	c, err := panel(seoul)
	if err != nil || c == nil {
		t.Fatalf("panel: %v, %v", c, err)
	}
	var b strings.Builder
	if err := c.Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Context data", "Korea (South)", "Seoul, Korea (South)", "51,628,117 people", "9,411,260 people",
		"-32,422.574 USD", "Statistics Korea", "gdp_per_capita", "/secretariat/context?edition=",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("panel lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "50,000,000") || strings.Contains(out, "2019") {
		t.Errorf("panel shows an older year\n%s", out)
	}
	if c, err := panel(paris); err != nil || c != nil {
		t.Errorf("entry without data: %v, %v; want nil", c, err)
	}
}

func TestDecimalText(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "999": "999", "1000": "1,000", "51628117": "51,628,117", "-1234.50": "-1,234.50", "0.001": "0.001",
		"123456.7": "123,456.7",
	} {
		if got := numfmt.Decimal(in); got != want {
			t.Errorf("numfmt.Decimal(%q) = %q, want %q", in, got, want)
		}
	}
}

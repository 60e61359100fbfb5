package contextdata

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// staffFilter is the SQL form of authz.CanManageApplications for the edition @edition: the
// secretariat's queries repeat the handler's check.
const staffFilter = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff
	AND g.role = 'secretariat' AND g.edition_id = @edition)`

// Result is what an import did.
type Result struct {
	// Inserted rows are new; Replaced rows had the same country, city, indicator and year and
	// now hold the file's value, unit and source.
	Inserted int
	Replaced int
}

// Import upserts rows into the context data of an edition, as the secretariat member staff at
// now (key: edition, country, city case-insensitively, indicator, year). Run it in the
// transaction of its audit entry: a file is imported whole or not at all. db.ErrNotFound means
// staff is not of the edition's secretariat.
func Import(ctx context.Context, q db.DBTX, staff, editionID int64, rows []Row, now time.Time) (Result, error) {
	n := len(rows)
	countries, cities, indicators, values := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	units, sources, years := make([]string, n), make([]string, n), make([]int32, n)
	for i, r := range rows {
		countries[i], cities[i], indicators[i], values[i] = r.Country, r.City, r.Indicator, r.Value
		units[i], sources[i], years[i] = r.Unit, r.Source, int32(r.Year)
	}
	var res Result
	err := q.QueryRow(ctx, `
		WITH up AS (
			INSERT INTO context_data AS c (edition_id, country, city, indicator, value, unit, year, source, imported_at, imported_by)
			SELECT @edition, r.country, r.city, r.indicator, r.value::numeric, r.unit, r.year, r.source, @now, @staff
			FROM unnest(@countries::text[], @cities::text[], @indicators::text[], @values::text[], @units::text[],
			            @years::int[], @sources::text[]) AS r (country, city, indicator, value, unit, year, source)
			WHERE `+staffFilter+`
			ON CONFLICT (edition_id, country, lower(city), indicator, year) DO UPDATE
			SET city = excluded.city, value = excluded.value, unit = excluded.unit, source = excluded.source,
			    imported_at = excluded.imported_at, imported_by = excluded.imported_by
			RETURNING xmax = 0 AS inserted)
		SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up`,
		pgx.NamedArgs{"edition": editionID, "staff": staff, "now": now, "countries": countries, "cities": cities,
			"indicators": indicators, "values": values, "units": units, "years": years, "sources": sources},
	).Scan(&res.Inserted, &res.Replaced)
	if err != nil {
		return Result{}, fmt.Errorf("contextdata: import: %w", err)
	}
	if n > 0 && res.Inserted+res.Replaced == 0 {
		return Result{}, fmt.Errorf("contextdata: import: %w", db.ErrNotFound)
	}
	return res, nil
}

// Clear deletes the context data of an edition and returns how many rows it held. db.ErrNotFound
// means staff is not of the edition's secretariat.
func Clear(ctx context.Context, q db.DBTX, staff, editionID int64) (int64, error) {
	var allowed bool
	if err := q.QueryRow(ctx, `SELECT `+staffFilter, pgx.NamedArgs{"staff": staff, "edition": editionID}).Scan(&allowed); err != nil {
		return 0, fmt.Errorf("contextdata: clear: %w", err)
	}
	if !allowed {
		return 0, fmt.Errorf("contextdata: clear: %w", db.ErrNotFound)
	}
	tag, err := q.Exec(ctx, `DELETE FROM context_data WHERE edition_id = $1`, editionID)
	if err != nil {
		return 0, fmt.Errorf("contextdata: clear: %w", err)
	}
	return tag.RowsAffected(), nil
}

// IndicatorSummary is what an edition holds of one indicator.
type IndicatorSummary struct {
	Indicator string
	// Countries is the number of countries with a country-level value; Cities the number of
	// cities with a city-level value.
	Countries int
	Cities    int
	Rows      int
	FirstYear int
	LastYear  int
	Units     []string
	Sources   []string
	// ImportedAt and ImportedBy are the last import that wrote a value of the indicator
	// (ImportedBy "" when that account was erased).
	ImportedAt time.Time
	ImportedBy string
}

// SummaryPerPage is how many indicators a summary page lists.
const SummaryPerPage = 50

// Summary is one page of an edition's context data, per indicator, with the edition's totals.
type Summary struct {
	Indicators []IndicatorSummary
	// Total is the number of indicators; Rows, Countries and Cities count the edition's values,
	// the countries with any value and the cities with any value.
	Total     int
	Rows      int
	Countries int
	Cities    int
	Page      int
	Pages     int
}

// Summarize aggregates the context data of an edition per indicator (page from 1), for the
// secretariat member staff; a member of another edition's secretariat sees none.
func Summarize(ctx context.Context, q db.DBTX, staff, editionID int64, page int) (Summary, error) {
	args := pgx.NamedArgs{"staff": staff, "edition": editionID}
	out := Summary{Page: max(page, 1)}
	if err := q.QueryRow(ctx, `
		SELECT count(DISTINCT c.indicator), count(*), count(DISTINCT c.country),
		       count(DISTINCT c.country || '/' || lower(c.city)) FILTER (WHERE c.city <> '')
		FROM context_data c WHERE c.edition_id = @edition AND `+staffFilter, args,
	).Scan(&out.Total, &out.Rows, &out.Countries, &out.Cities); err != nil {
		return Summary{}, fmt.Errorf("contextdata: summary: %w", err)
	}
	out.Pages = db.PageCount(out.Total, SummaryPerPage)
	args["limit"], args["offset"] = SummaryPerPage, (out.Page-1)*SummaryPerPage
	var err error
	out.Indicators, err = db.List(ctx, q, "contextdata: summary", func(row pgx.CollectableRow) (IndicatorSummary, error) {
		var s IndicatorSummary
		err := row.Scan(&s.Indicator, &s.Countries, &s.Cities, &s.Rows, &s.FirstYear, &s.LastYear, &s.Units,
			&s.Sources, &s.ImportedAt, &s.ImportedBy)
		return s, err
	}, `
		SELECT c.indicator,
		       count(DISTINCT c.country) FILTER (WHERE c.city = ''),
		       count(DISTINCT c.country || '/' || lower(c.city)) FILTER (WHERE c.city <> ''),
		       count(*), min(c.year), max(c.year),
		       coalesce(array_agg(DISTINCT c.unit) FILTER (WHERE c.unit <> ''), '{}'),
		       array_agg(DISTINCT c.source),
		       max(c.imported_at),
		       (array_agg(coalesce(u.name, '') ORDER BY c.imported_at DESC, c.id DESC))[1]
		FROM context_data c LEFT JOIN users u ON u.id = c.imported_by
		WHERE c.edition_id = @edition AND `+staffFilter+`
		GROUP BY c.indicator
		ORDER BY c.indicator
		LIMIT @limit OFFSET @offset`, args)
	if err != nil {
		return Summary{}, err
	}
	return out, nil
}

// The levels of an indicator.
const (
	LevelCountry = "country"
	LevelCity    = "city"
)

// Indicator is one context value matched to an entry.
type Indicator struct {
	Level     string // LevelCountry or LevelCity
	Country   string
	City      string // "" at country level
	Indicator string
	// Value is the number exactly as stored (a decimal, e.g. "51628117" or "34.98").
	Value  string
	Unit   string
	Year   int
	Source string
}

// Float is the value as a float64, for the analysis.
func (i Indicator) Float() float64 {
	f, _ := strconv.ParseFloat(i.Value, 64)
	return f
}

// ForEntry returns the context data of an entry (application appID): the indicators of its
// participant's country (entry_participants: the applicant's, or a nomination's candidate's) and,
// when the participant's city (compared trimmed and case-insensitively) has values of its own,
// the city's; for each level and
// indicator the most recent year. Country-level indicators come first, each level by indicator.
// It returns nil when nothing matches. It does not check who asks: callers show it only to those
// who may see the entry.
func ForEntry(ctx context.Context, q db.DBTX, appID int64) ([]Indicator, error) {
	out, err := db.List(ctx, q, "contextdata: for entry", func(row pgx.CollectableRow) (Indicator, error) {
		var i Indicator
		err := row.Scan(&i.Level, &i.Country, &i.City, &i.Indicator, &i.Value, &i.Unit, &i.Year, &i.Source)
		return i, err
	}, `
		SELECT DISTINCT ON (c.city <> '', c.indicator)
		       CASE WHEN c.city = '' THEN 'country' ELSE 'city' END,
		       c.country, c.city, c.indicator, c.value::text, c.unit, c.year, c.source
		FROM applications a
		JOIN entry_participants p ON p.application_id = a.id
		JOIN context_data c ON c.edition_id = a.edition_id AND c.country = upper(btrim(p.country))
		     AND lower(c.city) IN ('', lower(regexp_replace(btrim(p.city), '\s+', ' ', 'g')))
		WHERE a.id = $1
		ORDER BY c.city <> '', c.indicator, c.year DESC`, appID)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

package repository

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// PerPage is the number of cases on a page of the repository.
const PerPage = 20

// HideAction and UnhideAction are the audit actions of the secretariat's decisions (object: the
// application).
const (
	HideAction   = "repository.hide"
	UnhideAction = "repository.unhide"
)

// sourceQuery selects what Build needs for the submitted entries chosen by the where clause on
// applications a: the last submitted version, the category's form, the participant's country and
// the nomination's candidate.
const sourceQuery = `
	SELECT a.id, a.edition_id, a.category_id, a.kind, cat.form, coalesce(p.country, ''),
	       coalesce(n.candidate_name, ''), coalesce(n.candidate_organisation, ''), v.answers, v.submitted_at
	FROM applications a
	JOIN categories cat ON cat.id = a.category_id
	JOIN entry_participants p ON p.application_id = a.id
	LEFT JOIN nominations n ON n.application_id = a.id
	JOIN LATERAL (SELECT x.answers, x.submitted_at FROM application_versions x
	              WHERE x.application_id = a.id ORDER BY x.number DESC LIMIT 1) v ON true
	WHERE a.status = 'submitted' AND `

// load reads the sources chosen by where (see sourceQuery).
func load(ctx context.Context, q db.DBTX, where string, args ...any) ([]Source, map[int64]*form.Form, error) {
	rows, err := q.Query(ctx, sourceQuery+where, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	forms := map[int64]*form.Form{}
	var out []Source
	for rows.Next() {
		var (
			s               Source
			rawForm, rawAns []byte
		)
		if err := rows.Scan(&s.ApplicationID, &s.EditionID, &s.CategoryID, &s.Kind, &rawForm, &s.Country,
			&s.CandidateName, &s.CandidateOrganisation, &rawAns, &s.SubmittedAt); err != nil {
			return nil, nil, err
		}
		if err := json.Unmarshal(rawAns, &s.Answers); err != nil {
			return nil, nil, fmt.Errorf("answers of %d: %w", s.ApplicationID, err)
		}
		if _, ok := forms[s.CategoryID]; !ok {
			var f *form.Form
			if rawForm != nil {
				f = new(form.Form)
				if err := json.Unmarshal(rawForm, f); err != nil {
					return nil, nil, fmt.Errorf("form of category %d: %w", s.CategoryID, err)
				}
			}
			forms[s.CategoryID] = f
		}
		out = append(out, s)
	}
	return out, forms, rows.Err()
}

// upsertQuery stores rows given as one JSON array.
const upsertQuery = `
	INSERT INTO repository_cases (application_id, edition_id, category_id, kind, title, summary, body, organisation,
	                              country, stage, sectors, target_groups, answers, submitted_at)
	SELECT x.application_id, x.edition_id, x.category_id, x.kind, x.title, x.summary, x.body, x.organisation,
	       x.country, x.stage, x.sectors, x.target_groups, x.answers, x.submitted_at
	FROM jsonb_to_recordset($1::jsonb) AS x(application_id bigint, edition_id bigint, category_id bigint, kind text,
	     title text, summary text, body text, organisation text, country text, stage text, sectors text[],
	     target_groups text[], answers jsonb, submitted_at timestamptz)
	ON CONFLICT (application_id) DO UPDATE SET edition_id = excluded.edition_id, category_id = excluded.category_id,
	     kind = excluded.kind, title = excluded.title, summary = excluded.summary, body = excluded.body,
	     organisation = excluded.organisation, country = excluded.country, stage = excluded.stage,
	     sectors = excluded.sectors, target_groups = excluded.target_groups, answers = excluded.answers,
	     submitted_at = excluded.submitted_at`

// upsertChunk is how many rows one statement stores.
const upsertChunk = 500

func upsert(ctx context.Context, q db.DBTX, rows []Row) error {
	for len(rows) > 0 {
		n := min(len(rows), upsertChunk)
		raw, err := json.Marshal(rows[:n])
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx, upsertQuery, raw); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// Refresh brings the case of application appID up to date, in the caller's transaction: its
// last submitted version when the entry is submitted and consents to publication, else no case
// at all (a withdrawal removes it). The server calls it with every submission, amendment and
// withdrawal.
func Refresh(ctx context.Context, q db.DBTX, appID int64) error {
	srcs, forms, err := load(ctx, q, `a.id = $1`, appID)
	if err != nil {
		return fmt.Errorf("repository: refresh %d: %w", appID, err)
	}
	var rows []Row
	for _, s := range srcs {
		if r, ok := Build(forms[s.CategoryID], s); ok {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		if _, err := q.Exec(ctx, `DELETE FROM repository_cases WHERE application_id = $1`, appID); err != nil {
			return fmt.Errorf("repository: refresh %d: %w", appID, err)
		}
		return nil
	}
	if err := upsert(ctx, q, rows); err != nil {
		return fmt.Errorf("repository: refresh %d: %w", appID, err)
	}
	return nil
}

// rebuildBatch is how many entries Rebuild reads at a time, so that memory stays bounded.
const rebuildBatch = 500

// Rebuild makes the cases of editionID again from the submitted entries (run it in a
// transaction) and returns how many there are. The secretariat's hidden cases stay hidden.
func Rebuild(ctx context.Context, q db.DBTX, editionID int64) (int, error) {
	ids := []int64{} // never nil: "<> ALL(NULL)" would keep every stale row
	for after := int64(0); ; {
		srcs, forms, err := load(ctx, q, `a.edition_id = $1 AND a.id > $2 ORDER BY a.id LIMIT $3`, editionID, after, rebuildBatch)
		if err != nil {
			return 0, fmt.Errorf("repository: rebuild %d: %w", editionID, err)
		}
		rows := make([]Row, 0, len(srcs))
		for _, s := range srcs {
			after = s.ApplicationID
			if r, ok := Build(forms[s.CategoryID], s); ok {
				rows = append(rows, r)
				ids = append(ids, r.ApplicationID)
			}
		}
		if err := upsert(ctx, q, rows); err != nil {
			return 0, fmt.Errorf("repository: rebuild %d: %w", editionID, err)
		}
		if len(srcs) < rebuildBatch {
			break
		}
	}
	if _, err := q.Exec(ctx, `DELETE FROM repository_cases WHERE edition_id = $1 AND application_id <> ALL($2)`, editionID, ids); err != nil {
		return 0, fmt.Errorf("repository: rebuild %d: %w", editionID, err)
	}
	return len(ids), nil
}

// Filter is a search of the repository; empty fields do not filter. Edition is an edition's
// slug; Category a category key (the same key in several editions is one choice); Sector,
// TargetGroup and Stage option keys of the forms; Country an ISO code.
type Filter struct {
	Query       string
	Edition     string
	Category    string
	Sector      string
	TargetGroup string
	Country     string
	Stage       string
	// Page counts from 1.
	Page int
}

// Hit is one case of a result page.
type Hit struct {
	Case
	// Snippet is the summary and other published text around the words found, with the
	// matching words marked; for a listing without words, the start of the summary.
	Snippet []Part
	Rank    float64
}

// Results is one page of a search.
type Results struct {
	Total int
	Page  int
	Pages int
	Hits  []Hit
}

// publicCond says that case c of edition e is public at @now: its edition's winners are
// announced, the secretariat has not hidden it, and its edition's publication settings let it in
// (publication.repository: every consented entry, only the winners and the semi-finalists of a
// confirmed list, or none).
const publicCond = `e.winners_announced <= @now
	AND NOT EXISTS (SELECT 1 FROM repository_hidden h WHERE h.application_id = c.application_id)
	AND (e.repository_scope = 'all' OR e.repository_scope = 'finalists' AND (
		EXISTS (SELECT 1 FROM awards pw WHERE pw.application_id = c.application_id AND pw.status = 'confirmed')
		OR EXISTS (SELECT 1 FROM semi_finalists ps JOIN semi_finalist_lists pl ON pl.edition_id = ps.edition_id
			AND pl.category_id = ps.category_id WHERE ps.application_id = c.application_id)))`

// where builds the conditions of a search on repository_cases c joined with editions e and
// categories cat: public cases at now (publicCond) and the filter. The SQL is made of fixed
// pieces; every value is an argument.
func where(f Filter, now time.Time) (string, pgx.NamedArgs) {
	conds := []string{publicCond}
	args := pgx.NamedArgs{"now": now}
	add := func(cond, name, value string) {
		if value != "" {
			conds = append(conds, cond)
			args[name] = value
		}
	}
	query, _ := searchQuery(strings.TrimSpace(f.Query))
	add(`c.document @@ repository_query(@query)`, "query", query)
	add(`e.slug = @edition`, "edition", f.Edition)
	add(`cat.key = @category`, "category", f.Category)
	add(`c.sectors @> ARRAY[@sector::text]`, "sector", f.Sector)
	add(`c.target_groups @> ARRAY[@target_group::text]`, "target_group", f.TargetGroup)
	add(`c.country = @country`, "country", strings.ToUpper(f.Country))
	add(`c.stage = @stage`, "stage", f.Stage)
	return strings.Join(conds, " AND "), args
}

const searchFrom = `
	FROM repository_cases c
	JOIN editions e ON e.id = c.edition_id
	JOIN categories cat ON cat.id = c.category_id
	LEFT JOIN awards w ON w.application_id = c.application_id AND w.status = 'confirmed'
	LEFT JOIN semi_finalists sf ON sf.application_id = c.application_id
	     AND EXISTS (SELECT 1 FROM semi_finalist_lists l WHERE l.edition_id = sf.edition_id AND l.category_id = sf.category_id)`

// SearchQuery is the SQL of one page of a search, with the number of matches, and its
// arguments (for Search, and for the tests that check the plan). Matches are ordered by ts_rank_cd, the best first; a listing
// without words by edition (newest first), then winners, finalists and the others, then title.
// The snippet's marks are the sentinels start and stop.
func SearchQuery(f Filter, now time.Time, start, stop string) (string, pgx.NamedArgs) {
	cond, args := where(f, now)
	page := max(f.Page, 1)
	args["limit"], args["offset"] = PerPage, (page-1)*PerPage
	rank, order, snippet := `0::float8`, `year DESC, edition_id DESC, outcome, title, application_id`, `''`
	if _, ok := args["query"]; ok {
		rank = `ts_rank_cd(c.document, repository_query(@query))`
		order = `rank DESC, application_id`
		args["headline"] = "StartSel=" + start + ", StopSel=" + stop +
			`, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`
		snippet = `ts_headline('english', c.summary || E'\n' || c.body, repository_query(@query), @headline)`
		if _, marks := searchQuery(f.Query); marks != "" {
			delete(args, "headline")
			args["marks"], args["start"], args["stop"] = marks, start, stop
			snippet = cjkSnippet
		}
	}
	// The matches are ranked and counted narrow (ids and sort keys); the wide columns and the
	// snippets are read for the page's rows only.
	return `
		SELECT c.application_id, c.edition_id, e.slug, e.name, c.category_id, cat.key, cat.name, c.kind, c.title,
		       c.summary, c.organisation, c.country, c.stage, c.sectors, c.target_groups, p.place, p.prize,
		       p.finalist, p.rank, p.total, ` + snippet + `
		FROM (
			SELECT c.application_id, c.edition_id, e.year, c.title, coalesce(w.place, 0) AS place,
			       coalesce(w.prize_name, '') AS prize, sf.application_id IS NOT NULL AS finalist,
			       CASE WHEN w.id IS NOT NULL THEN 0 WHEN sf.application_id IS NOT NULL THEN 1 ELSE 2 END AS outcome,
			       ` + rank + ` AS rank, count(*) OVER () AS total` + searchFrom + `
			WHERE ` + cond + `
			ORDER BY ` + order + `
			LIMIT @limit OFFSET @offset) p
		JOIN repository_cases c ON c.application_id = p.application_id
		JOIN editions e ON e.id = c.edition_id
		JOIN categories cat ON cat.id = c.category_id
		ORDER BY ` + strings.NewReplacer("year", "p.year", "edition_id", "p.edition_id", "outcome", "p.outcome",
		"title", "p.title", "application_id", "p.application_id", "rank", "p.rank").Replace(order), args
}

// cjk reports whether r is a Hangul, kana or Han character: the ranges of repository_bigrams,
// which the search document splits in two-character pieces (migrations/00052).
func cjk(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x11ff, r >= 0x3040 && r <= 0x30ff, r >= 0x3130 && r <= 0x318f,
		r >= 0x3400 && r <= 0x4dbf, r >= 0x4e00 && r <= 0x9fff, r >= 0xac00 && r <= 0xd7af,
		r >= 0xf900 && r <= 0xfaff:
		return true
	}
	return false
}

// searchQuery returns query for repository_query (websearch syntax) with every run of Hangul, kana and Han
// characters replaced by the phrase of its overlapping two-character pieces, as the search
// document holds them ("서울시" becomes "서울 울시", found in "서울시는"; repository_query makes
// a run of one character a prefix, "물" found in "물을"): English words keep
// their stemming and the websearch syntax (quotes, OR, minus) applies to both. It also returns
// the runs not excluded by a minus, as a regular expression for the snippet's marks ("" when
// there are none); a run holds no regular expression syntax.
func searchQuery(query string) (string, string) {
	var b strings.Builder
	var marks []string
	quoted := false
	rs := []rune(query)
	word := func(i int) bool { return i >= 0 && i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i])) }
	for i := 0; i < len(rs); {
		if !cjk(rs[i]) {
			if rs[i] == '"' {
				quoted = !quoted
			}
			b.WriteRune(rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && cjk(rs[j]) {
			j++
		}
		run := rs[i:j]
		if quoted || i == 0 || rs[i-1] != '-' {
			marks = append(marks, string(run))
		}
		pieces := []string{string(run)}
		if len(run) > 1 {
			pieces = pieces[:0]
			for k := 0; k+1 < len(run); k++ {
				pieces = append(pieces, string(run[k:k+2]))
			}
		}
		if word(i - 1) {
			b.WriteByte(' ')
		}
		if quoted {
			b.WriteString(strings.Join(pieces, " "))
		} else {
			b.WriteString(`"` + strings.Join(pieces, " ") + `"`)
		}
		if word(j) {
			b.WriteByte(' ')
		}
		i = j
	}
	return b.String(), strings.Join(marks, "|")
}

// cjkSnippet is the snippet of a search with Korean, Chinese or Japanese words (ts_headline
// parses a Hangul phrase as one word and would mark nothing): 160 characters of the summary and
// the body from a little before the first of the words found, each occurrence of the words
// (the regular expression @marks) between the sentinels @start and @stop.
const cjkSnippet = `(
	SELECT CASE WHEN x.at > 1 THEN '… ' ELSE '' END ||
	       regexp_replace(substr(x.t, x.at, 160), @marks, @start || '\&' || @stop, 'g') ||
	       CASE WHEN x.at + 160 <= char_length(x.t) THEN ' …' ELSE '' END
	FROM (SELECT y.t, greatest(coalesce(strpos(y.t, substring(y.t FROM @marks)), 1) - 40, 1) AS at
	      FROM (SELECT c.summary || E'\n' || c.body AS t) y) x)`

// CountQuery is the SQL counting the matches of a search.
func CountQuery(f Filter, now time.Time) (string, pgx.NamedArgs) {
	cond, args := where(f, now)
	return `SELECT count(*) FROM repository_cases c JOIN editions e ON e.id = c.edition_id
		JOIN categories cat ON cat.id = c.category_id WHERE ` + cond, args
}

// sentinel returns a random marker that no published text contains.
func sentinel(prefix string) string {
	return prefix + strings.ToLower(rand.Text()[:16])
}

// SearchPage is what the repository page of a search shows: the filters' options and one page
// of results.
type SearchPage struct {
	Options Options
	Results Results
}

// LoadSearchPage loads the repository page of search f at now: LoadOptions and Search.
func LoadSearchPage(ctx context.Context, q db.DBTX, f Filter, now time.Time) (SearchPage, error) {
	var p SearchPage
	var err error
	if p.Options, err = LoadOptions(ctx, q, now); err != nil {
		return p, err
	}
	p.Results, err = Search(ctx, q, f, now)
	return p, err
}

// Search returns one page of the public cases matching f at now. The page query counts the
// matches too (a window count), so the search document is read once; a page past the last one
// counts them apart.
func Search(ctx context.Context, q db.DBTX, f Filter, now time.Time) (Results, error) {
	res := Results{Page: max(f.Page, 1)}
	start, stop := sentinel("qqmarkstart"), sentinel("qqmarkstop")
	sql, args := SearchQuery(f, now, start, stop)
	var err error
	res.Hits, err = db.List(ctx, q, "repository: search", func(r pgx.CollectableRow) (Hit, error) {
		var h Hit
		var snippet string
		err := r.Scan(&h.ApplicationID, &h.EditionID, &h.EditionSlug, &h.EditionName, &h.CategoryID, &h.CategoryKey,
			&h.CategoryName, &h.Kind, &h.Title, &h.Summary, &h.Organisation, &h.Country, &h.Stage, &h.Sectors,
			&h.TargetGroups, &h.Outcome.Place, &h.Outcome.Prize, &h.Outcome.Finalist, &h.Rank, &res.Total, &snippet)
		if snippet != "" {
			h.Snippet = splitMarks(snippet, start, stop)
		} else if h.Summary != "" {
			h.Snippet = []Part{{Text: Excerpt(h.Summary, 40)}}
		}
		h.Outcome.Finalist = h.Outcome.Finalist || h.Outcome.Place > 0
		return h, err
	}, sql, args)
	if err != nil {
		return res, err
	}
	if len(res.Hits) == 0 && res.Page > 1 {
		sql, args := CountQuery(f, now)
		if err := q.QueryRow(ctx, sql, args).Scan(&res.Total); err != nil {
			return res, fmt.Errorf("repository: search: %w", err)
		}
	}
	res.Pages = (res.Total + PerPage - 1) / PerPage
	return res, nil
}

// caseQuery selects one case with its answers, outcome and hidden state.
const caseQuery = `
	SELECT c.application_id, c.edition_id, e.slug, e.name, c.category_id, cat.key, cat.name, c.kind, c.title,
	       c.summary, c.organisation, c.country, c.stage, c.sectors, c.target_groups, c.answers,
	       coalesce(w.place, 0), coalesce(w.prize_name, ''), sf.application_id IS NOT NULL,
	       h.reason, coalesce(hu.name, ''), h.hidden_at` + searchFrom + `
	LEFT JOIN repository_hidden h ON h.application_id = c.application_id
	LEFT JOIN users hu ON hu.id = h.hidden_by
	WHERE c.application_id = @id AND `

func getCase(ctx context.Context, q db.DBTX, cond string, args pgx.NamedArgs) (Case, error) {
	var (
		c      Case
		raw    []byte
		reason *string
		at     *time.Time
		by     string
	)
	err := q.QueryRow(ctx, caseQuery+cond, args).Scan(&c.ApplicationID, &c.EditionID, &c.EditionSlug, &c.EditionName,
		&c.CategoryID, &c.CategoryKey, &c.CategoryName, &c.Kind, &c.Title, &c.Summary, &c.Organisation, &c.Country,
		&c.Stage, &c.Sectors, &c.TargetGroups, &raw, &c.Outcome.Place, &c.Outcome.Prize, &c.Outcome.Finalist,
		&reason, &by, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return Case{}, db.ErrNotFound
	}
	if err != nil {
		return Case{}, err
	}
	if err := json.Unmarshal(raw, &c.Answers); err != nil {
		return Case{}, err
	}
	c.Outcome.Finalist = c.Outcome.Finalist || c.Outcome.Place > 0
	if reason != nil {
		c.Hidden = &Hidden{Reason: *reason, By: by, At: *at}
	}
	return c, nil
}

// Get returns public case id at now: db.ErrNotFound when there is none, it is hidden, its
// edition's winners are not announced yet, or its edition does not publish it (publicCond).
func Get(ctx context.Context, q db.DBTX, id int64, now time.Time) (Case, error) {
	c, err := getCase(ctx, q, publicCond, pgx.NamedArgs{"id": id, "now": now})
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return c, fmt.Errorf("repository: get %d: %w", id, err)
	}
	return c, err
}

// secretariatCond limits a query on repository_cases c to the editions where staff is the
// secretariat (authz.CanManageApplications, repeated in SQL).
const secretariatCond = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @staff AND g.role = 'secretariat' AND g.edition_id = c.edition_id)`

// ForSecretariat returns case id, hidden or not, before the announcement too, for staff, a
// member of the secretariat of its edition; db.ErrNotFound otherwise.
func ForSecretariat(ctx context.Context, q db.DBTX, staff, id int64) (Case, error) {
	c, err := getCase(ctx, q, secretariatCond, pgx.NamedArgs{"id": id, "staff": staff})
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return c, fmt.Errorf("repository: case %d: %w", id, err)
	}
	return c, err
}

// Hide keeps case id out of the public repository with reason (not empty), by staff (of its
// edition's secretariat) at now; hiding a hidden case replaces its reason. db.ErrNotFound when
// staff may not.
func Hide(ctx context.Context, q db.DBTX, staff, id int64, reason string, now time.Time) error {
	tag, err := q.Exec(ctx, `
		INSERT INTO repository_hidden (application_id, reason, hidden_by, hidden_at)
		SELECT c.application_id, @reason, @staff, @now FROM repository_cases c WHERE c.application_id = @id AND `+secretariatCond+`
		ON CONFLICT (application_id) DO UPDATE SET reason = excluded.reason, hidden_by = excluded.hidden_by, hidden_at = excluded.hidden_at`,
		pgx.NamedArgs{"id": id, "staff": staff, "reason": strings.TrimSpace(reason), "now": now})
	if err != nil {
		return fmt.Errorf("repository: hide %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return db.ErrNotFound
	}
	return nil
}

// Unhide puts hidden case id back in the public repository, by staff (of its edition's
// secretariat); it reports false when the case was not hidden.
func Unhide(ctx context.Context, q db.DBTX, staff, id int64) (bool, error) {
	tag, err := q.Exec(ctx, `
		DELETE FROM repository_hidden h USING repository_cases c
		WHERE h.application_id = @id AND c.application_id = h.application_id AND `+secretariatCond,
		pgx.NamedArgs{"id": id, "staff": staff})
	if err != nil {
		return false, fmt.Errorf("repository: unhide %d: %w", id, err)
	}
	return tag.RowsAffected() > 0, nil
}

// HiddenCase is a hidden case in the secretariat's list.
type HiddenCase struct {
	ApplicationID int64
	Title         string
	Category      string
	Hidden
}

// HiddenList lists the hidden cases of editionID for staff (of its secretariat), the latest
// first.
func HiddenList(ctx context.Context, q db.DBTX, staff, editionID int64) ([]HiddenCase, error) {
	return db.List(ctx, q, "repository: hidden", func(r pgx.CollectableRow) (HiddenCase, error) {
		var x HiddenCase
		return x, r.Scan(&x.ApplicationID, &x.Title, &x.Category, &x.Reason, &x.By, &x.At)
	}, `
		SELECT c.application_id, c.title, cat.name, h.reason, coalesce(u.name, ''), h.hidden_at
		FROM repository_hidden h
		JOIN repository_cases c ON c.application_id = h.application_id
		JOIN categories cat ON cat.id = c.category_id
		LEFT JOIN users u ON u.id = h.hidden_by
		WHERE c.edition_id = @edition AND `+secretariatCond+`
		ORDER BY h.hidden_at DESC, c.application_id`, pgx.NamedArgs{"edition": editionID, "staff": staff})
}

// Choice is one option of a filter.
type Choice struct {
	Value string
	Label string
}

// Options are the choices of the filters at now: the editions whose winners are announced and
// that publish entries in the repository, their categories, the sectors, target groups and
// stages their forms offer (labels from the newest edition's form), and the countries of the
// public cases.
type Options struct {
	Editions     []Choice
	Categories   []Choice
	Sectors      []Choice
	TargetGroups []Choice
	Stages       []Choice
	Countries    []Choice
}

// Label returns the label of value among choices, or value itself.
func Label(choices []Choice, value string) string {
	for _, c := range choices {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}

// LoadOptions reads the filter choices at now.
func LoadOptions(ctx context.Context, q db.DBTX, now time.Time) (Options, error) {
	var o Options
	rows, err := q.Query(ctx, `
		SELECT e.slug, e.name, c.key, c.name, c.form
		FROM editions e JOIN categories c ON c.edition_id = e.id
		WHERE e.winners_announced <= $1 AND e.repository_scope <> 'none'
		ORDER BY e.year DESC, e.id DESC, c.position, c.id`, now)
	if err != nil {
		return o, fmt.Errorf("repository: options: %w", err)
	}
	seen := map[string]bool{}
	addChoice := func(list *[]Choice, kind, value, label string) {
		if !seen[kind+"\x00"+value] {
			seen[kind+"\x00"+value] = true
			*list = append(*list, Choice{Value: value, Label: label})
		}
	}
	var slug, name, key, catName string
	var raw []byte
	_, err = pgx.ForEachRow(rows, []any{&slug, &name, &key, &catName, &raw}, func() error {
		addChoice(&o.Editions, "e", slug, name)
		addChoice(&o.Categories, "c", key, catName)
		if raw == nil {
			return nil
		}
		var f form.Form
		if err := json.Unmarshal(raw, &f); err != nil {
			return err
		}
		for _, facet := range []struct {
			key  string
			list *[]Choice
		}{{SectorsKey, &o.Sectors}, {TargetGroupsKey, &o.TargetGroups}, {StageKey, &o.Stages}} {
			if qn, ok := f.Question(facet.key); ok && qn.Published {
				for _, opt := range qn.Options {
					addChoice(facet.list, facet.key, opt.Key, opt.Label)
				}
			}
		}
		return nil
	})
	if err != nil {
		return o, fmt.Errorf("repository: options: %w", err)
	}
	codes, err := q.Query(ctx, `
		SELECT DISTINCT c.country FROM repository_cases c JOIN editions e ON e.id = c.edition_id
		WHERE c.country <> '' AND `+publicCond, pgx.NamedArgs{"now": now})
	if err != nil {
		return o, fmt.Errorf("repository: countries: %w", err)
	}
	list, err := pgx.CollectRows(codes, pgx.RowTo[string])
	if err != nil {
		return o, fmt.Errorf("repository: countries: %w", err)
	}
	// in the order of the English names; the page names and orders them in the reader's language
	sort.Slice(list, func(i, j int) bool {
		return cmp.Or(country.Name(list[i]), list[i]) < cmp.Or(country.Name(list[j]), list[j])
	})
	for _, code := range list {
		label := code
		if country.Valid(code) {
			label = i18n.Country(code)
		}
		o.Countries = append(o.Countries, Choice{Value: code, Label: label})
	}
	return o, nil
}

// Visible returns the public cases among ids at now, with the slug of each one's address (for
// links from the results archive).
func Visible(ctx context.Context, q db.DBTX, ids []int64, now time.Time) (map[int64]string, error) {
	rows, err := q.Query(ctx, `
		SELECT c.application_id, c.title FROM repository_cases c JOIN editions e ON e.id = c.edition_id
		WHERE c.application_id = ANY(@ids) AND `+publicCond, pgx.NamedArgs{"ids": ids, "now": now})
	if err != nil {
		return nil, fmt.Errorf("repository: visible: %w", err)
	}
	out := map[int64]string{}
	var id int64
	var title string
	if _, err := pgx.ForEachRow(rows, []any{&id, &title}, func() error { out[id] = Slug(title); return nil }); err != nil {
		return nil, fmt.Errorf("repository: visible: %w", err)
	}
	return out, nil
}

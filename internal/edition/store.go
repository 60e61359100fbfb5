package edition

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/audit"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
)

// ImportResult tells what Import did.
type ImportResult struct {
	EditionID int64
	Created   bool // false when an edition with the same slug was updated
	// Version is the edition's version after the import (1 when created; one more at each change).
	Version int
	// Changes are the values that differ from the definition stored before (none when created).
	Changes []Difference
}

// Actor names who imports a definition, for the audit log.
type Actor struct {
	UserID int64  // 0 when the import is not done by a user (command line, seeding)
	Label  string // shown in the audit log, e.g. the login ID or "cli"
}

// The statuses of an edition: a draft is visible only to its managers until it is published.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
)

// Summary is one line of the list of editions.
type Summary struct {
	ID         int64     `db:"id"`
	Slug       string    `db:"slug"`
	Name       string    `db:"name"`
	Year       int       `db:"year"`
	Categories int       `db:"categories"`
	UpdatedAt  time.Time `db:"updated_at"`
	Status     string    `db:"status"`
}

// Draft reports whether the edition is a draft, visible only to its managers.
func (s Summary) Draft() bool { return s.Status == StatusDraft }

// Import validates def and stores it in one transaction with an audit entry (action
// "edition.import"), as Actor "system". See ImportAs.
func Import(ctx context.Context, pool *pgxpool.Pool, def *Definition) (ImportResult, error) {
	return ImportAs(ctx, pool, def, Actor{Label: "system"})
}

// ImportAs validates def and stores it in one transaction with an audit entry that lists the
// values changed (Diff). A new edition is published at once (an import is the engineer's way);
// an edition with the same slug is updated in place and keeps its status. See Save for how the
// rows are matched.
func ImportAs(ctx context.Context, pool *pgxpool.Pool, def *Definition, actor Actor) (ImportResult, error) {
	var res ImportResult
	err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
		prev, _, err := StoredTx(ctx, tx, def.Slug)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		res, err = Save(ctx, tx, def, SaveAs{Actor: actor, Action: "edition.import", Status: StatusPublished, Was: prev})
		return err
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("edition: import %s: %w", def.Slug, err)
	}
	return res, nil
}

// SaveAs says who stores a definition and how the audit log names it.
type SaveAs struct {
	Actor Actor
	// Action is the audit action, such as "edition.import" or "edition.change".
	Action string
	// Status is the status of an edition created by the save; an existing edition keeps its own.
	Status string
	// Was is the definition stored before (nil for a new edition): the audit entry lists the
	// values that differ from it.
	Was *Definition
	// Details are added to the audit entry (the reason of a change, ...).
	Details map[string]any
}

// Save validates def and stores it in tx, with an audit entry. An edition with the same slug is
// updated in place: entity types, categories, criteria, indicators and prizes are matched by key
// (prizes by place), so their ids stay stable; their names, weights and positions are updated,
// and rows whose key left the file are deleted. When a row to delete is still referenced by other
// data (applications, scores), the error wraps db.ErrConflict and names the row. An invalid
// definition gives a *ValidationError. Each save raises the edition's version by one.
func Save(ctx context.Context, tx pgx.Tx, def *Definition, as SaveAs) (ImportResult, error) {
	e, err := def.Resolve()
	if err != nil {
		return ImportResult{}, err
	}
	res, err := importTx(ctx, tx, e, def.Source(), as)
	if err != nil {
		return ImportResult{}, err
	}
	if !res.Created {
		res.Changes = Diff(as.Was, def)
	}
	details := map[string]any{"slug": e.Slug, "created": res.Created, "version": res.Version}
	if len(res.Changes) > 0 {
		details["changes"] = res.Changes
	}
	for k, v := range as.Details {
		details[k] = v
	}
	if err := audit.Record(ctx, tx, audit.Entry{ActorID: as.Actor.UserID, ActorLabel: as.Actor.Label,
		Action: as.Action, ObjectType: "edition", ObjectID: fmt.Sprint(res.EditionID), Details: details}); err != nil {
		return res, err
	}
	return res, nil
}

// StoredTx reads the definition edition slug was last stored from, with its version, locking the
// edition's row for the rest of tx; db.ErrNotFound when there is none. A stored text that no
// longer passes the validator (the rules grew since) is still returned as far as it reads.
func StoredTx(ctx context.Context, tx pgx.Tx, slug string) (*Definition, int, error) {
	var (
		src     string
		version int
	)
	err := tx.QueryRow(ctx, `SELECT source, version FROM editions WHERE slug = $1 FOR UPDATE`, slug).Scan(&src, &version)
	if err = db.Found(err, "edition: stored "+slug); err != nil {
		return nil, 0, err
	}
	def, err := Parse([]byte(src))
	if def == nil {
		return nil, 0, fmt.Errorf("edition: stored %s: %w", slug, err)
	}
	return def, version, nil
}

// specialMentionsJSON is the stored form of SpecialMentions.
type specialMentionsJSON struct {
	Description string               `json:"description,omitempty"`
	Awards      []specialMentionJSON `json:"awards,omitempty"`
}

type specialMentionJSON struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Count       int    `json:"count"`
}

func encodeSpecialMentions(sm SpecialMentions) ([]byte, error) {
	j := specialMentionsJSON{Description: sm.Description}
	for _, a := range sm.Awards {
		j.Awards = append(j.Awards, specialMentionJSON{Name: a.Name, Description: a.Description, Count: a.Count})
	}
	return json.Marshal(j)
}

func decodeSpecialMentions(data []byte) (SpecialMentions, error) {
	var j specialMentionsJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return SpecialMentions{}, err
	}
	sm := SpecialMentions{Description: j.Description}
	for _, a := range j.Awards {
		sm.Awards = append(sm.Awards, SpecialMention{Name: a.Name, Description: a.Description, Count: a.Count})
	}
	return sm, nil
}

// scoringJSON is the stored form of Scoring (column editions.scoring, migration 00022). The
// assignment's SQL reads country_conflicts from it.
type scoringJSON struct {
	EvaluatorsPerEntry        int    `json:"evaluators_per_entry"`
	CriterionCommentsRequired bool   `json:"criterion_comments_required"`
	CountryConflicts          bool   `json:"country_conflicts"`
	Method                    string `json:"method,omitempty"`
}

func encodeScoring(s Scoring) ([]byte, error) {
	return json.Marshal(scoringJSON{EvaluatorsPerEntry: s.EvaluatorsPerEntry,
		CriterionCommentsRequired: s.CriterionCommentsRequired, CountryConflicts: s.CountryConflicts, Method: s.Method})
}

// decodeScoring reads the stored settings; missing values (an edition stored before the
// settings existed) take their defaults.
func decodeScoring(data []byte) (Scoring, error) {
	j := scoringJSON{EvaluatorsPerEntry: DefaultEvaluatorsPerEntry}
	if len(data) > 0 {
		if err := json.Unmarshal(data, &j); err != nil {
			return Scoring{}, err
		}
	}
	if j.EvaluatorsPerEntry < 1 {
		j.EvaluatorsPerEntry = DefaultEvaluatorsPerEntry
	}
	if !slices.Contains(AggregationMethods, j.Method) {
		j.Method = DefaultAggregationMethod
	}
	return Scoring{EvaluatorsPerEntry: j.EvaluatorsPerEntry, CriterionCommentsRequired: j.CriterionCommentsRequired,
		CountryConflicts: j.CountryConflicts, Method: j.Method}, nil
}

// votingJSON is the stored form of Voting (column editions.voting, migration 00023).
type votingJSON struct {
	Method             string     `json:"method"`
	Quorum             int        `json:"quorum"`
	AttendanceDeadline *time.Time `json:"attendance_deadline,omitempty"`
}

func encodeVoting(v Voting) ([]byte, error) {
	j := votingJSON{Method: v.Method, Quorum: v.Quorum}
	if !v.AttendanceDeadline.IsZero() {
		j.AttendanceDeadline = &v.AttendanceDeadline
	}
	return json.Marshal(j)
}

// decodeVoting reads the stored settings; missing values (an edition stored before the settings
// existed) take their defaults.
func decodeVoting(data []byte) (Voting, error) {
	var j votingJSON
	if len(data) > 0 {
		if err := json.Unmarshal(data, &j); err != nil {
			return Voting{}, err
		}
	}
	v := DefaultVoting()
	if j.Method == VotingBorda {
		v.Method = VotingBorda
	}
	if j.Quorum > 0 {
		v.Quorum = j.Quorum
	}
	if j.AttendanceDeadline != nil {
		v.AttendanceDeadline = *j.AttendanceDeadline
	}
	return v, nil
}

// ScoringOf returns the round 2 settings of edition id without loading the whole edition;
// db.ErrNotFound when there is no such edition.
func ScoringOf(ctx context.Context, q db.DBTX, id int64) (Scoring, error) {
	var data []byte
	err := q.QueryRow(ctx, `SELECT scoring FROM editions WHERE id = $1`, id).Scan(&data)
	if err = db.Found(err, "edition: scoring"); err != nil {
		return Scoring{}, err
	}
	s, err := decodeScoring(data)
	if err != nil {
		return Scoring{}, fmt.Errorf("edition: scoring: %w", err)
	}
	return s, nil
}

// nominationsJSON is the stored form of Nominations (column categories.nominations).
type nominationsJSON struct {
	NominatorCategories  []nominatorCategoryJSON `json:"nominator_categories"`
	EndorsementsMoreThan int                     `json:"endorsements_more_than"`
	LetterDeadline       time.Time               `json:"letter_deadline"`
}

type nominatorCategoryJSON struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Head bool   `json:"head,omitempty"`
}

// encodeNominations returns the JSON of n, or nil for a category without nominations.
func encodeNominations(n *Nominations) (*string, error) {
	if n == nil {
		return nil, nil
	}
	j := nominationsJSON{EndorsementsMoreThan: n.EndorsementsMoreThan, LetterDeadline: n.LetterDeadline.UTC()}
	for _, c := range n.NominatorCategories {
		j.NominatorCategories = append(j.NominatorCategories, nominatorCategoryJSON{Key: c.Key, Name: c.Name, Head: c.Head})
	}
	data, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	s := string(data)
	return &s, nil
}

// decodeNominations reads the stored JSON (nil for none), with the letter deadline in loc.
func decodeNominations(data []byte, loc *time.Location) (*Nominations, error) {
	if data == nil {
		return nil, nil
	}
	var j nominationsJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, err
	}
	n := &Nominations{EndorsementsMoreThan: j.EndorsementsMoreThan, LetterDeadline: j.LetterDeadline.In(loc)}
	for _, c := range j.NominatorCategories {
		n.NominatorCategories = append(n.NominatorCategories, NominatorCategory{Key: c.Key, Name: c.Name, Head: c.Head})
	}
	return n, nil
}

// importTx upserts every level with one statement each (unnest of arrays), then deletes the rows
// that were not upserted, from the bottom up so that a conflict names the most specific row.
func importTx(ctx context.Context, tx pgx.Tx, e *Edition, source []byte, as SaveAs) (ImportResult, error) {
	var res ImportResult
	sm, err := encodeSpecialMentions(e.SpecialMentions)
	if err != nil {
		return res, fmt.Errorf("special mentions: %w", err)
	}
	scoring, err := encodeScoring(e.Scoring)
	if err != nil {
		return res, fmt.Errorf("scoring: %w", err)
	}
	voting, err := encodeVoting(e.Voting)
	if err != nil {
		return res, fmt.Errorf("voting: %w", err)
	}
	tr := e.Translations
	if tr == nil {
		tr = map[string]map[string]string{}
	}
	translations, err := json.Marshal(tr)
	if err != nil {
		return res, fmt.Errorf("translations: %w", err)
	}
	s := e.Schedule
	err = tx.QueryRow(ctx, `
		INSERT INTO editions (slug, name, year, theme, intro, contact_email, time_zone,
			applications_open, application_deadline, screening_start, screening_end,
			scoring_start, scoring_end, semi_finalists_announced, voting_start, voting_end,
			winners_announced, ceremony_start, ceremony_end, grace_period_seconds, special_mentions, scoring, voting, retention_years, source,
			repository_scope, semi_finalists_public, status, published_at, language, translations)
		VALUES (@slug, @name, @year, @theme, @intro, @contact_email, @time_zone,
			@applications_open, @application_deadline, @screening_start, @screening_end,
			@scoring_start, @scoring_end, @semi_finalists_announced, @voting_start, @voting_end,
			@winners_announced, @ceremony_start, @ceremony_end, @grace_period_seconds, @special_mentions, @scoring, @voting, @retention_years, @source,
			@repository_scope, @semi_finalists_public, @status, CASE WHEN @status = 'published' THEN now() END, @language, @translations)
		ON CONFLICT (slug) DO UPDATE SET
			name = EXCLUDED.name, year = EXCLUDED.year, theme = EXCLUDED.theme,
			intro = EXCLUDED.intro, contact_email = EXCLUDED.contact_email,
			time_zone = EXCLUDED.time_zone, applications_open = EXCLUDED.applications_open,
			application_deadline = EXCLUDED.application_deadline,
			screening_start = EXCLUDED.screening_start, screening_end = EXCLUDED.screening_end,
			scoring_start = EXCLUDED.scoring_start, scoring_end = EXCLUDED.scoring_end,
			semi_finalists_announced = EXCLUDED.semi_finalists_announced,
			voting_start = EXCLUDED.voting_start, voting_end = EXCLUDED.voting_end,
			winners_announced = EXCLUDED.winners_announced,
			ceremony_start = EXCLUDED.ceremony_start, ceremony_end = EXCLUDED.ceremony_end,
			grace_period_seconds = EXCLUDED.grace_period_seconds,
			special_mentions = EXCLUDED.special_mentions, scoring = EXCLUDED.scoring,
			voting = EXCLUDED.voting, retention_years = EXCLUDED.retention_years, source = EXCLUDED.source,
			repository_scope = EXCLUDED.repository_scope, semi_finalists_public = EXCLUDED.semi_finalists_public,
			language = EXCLUDED.language, translations = EXCLUDED.translations,
			updated_at = now(), version = editions.version + 1
		RETURNING id, (xmax = 0), version`,
		pgx.NamedArgs{
			"slug":                     e.Slug,
			"name":                     e.Name,
			"year":                     e.Year,
			"theme":                    e.Theme,
			"intro":                    e.Intro,
			"contact_email":            e.ContactEmail,
			"time_zone":                e.TimeZone.String(),
			"applications_open":        s.ApplicationsOpen,
			"application_deadline":     s.ApplicationDeadline,
			"screening_start":          s.Screening.Start,
			"screening_end":            s.Screening.End,
			"scoring_start":            s.Scoring.Start,
			"scoring_end":              s.Scoring.End,
			"semi_finalists_announced": s.SemiFinalistsAnnounced,
			"voting_start":             s.Voting.Start,
			"voting_end":               s.Voting.End,
			"winners_announced":        s.WinnersAnnounced,
			"ceremony_start":           s.Ceremony.Start,
			"ceremony_end":             s.Ceremony.End,
			"grace_period_seconds":     int64(s.GracePeriod / time.Second),
			"special_mentions":         sm,
			"scoring":                  scoring,
			"voting":                   voting,
			"retention_years":          e.RetentionYears,
			"source":                   string(source),
			"repository_scope":         e.Publication.Repository,
			"semi_finalists_public":    e.Publication.SemiFinalistsList,
			"status":                   cmp.Or(as.Status, StatusPublished),
			"language":                 cmp.Or(e.Language, DefaultLanguage),
			"translations":             translations,
		}).Scan(&res.EditionID, &res.Created, &res.Version)
	if err != nil {
		return res, fmt.Errorf("upsert edition: %w", err)
	}
	id := res.EditionID

	// Terms and conditions: a new text is the next version.
	if e.Terms != "" {
		if _, err := tx.Exec(ctx, `
			INSERT INTO edition_terms (edition_id, version, text)
			SELECT $1, coalesce(max(version), 0) + 1, $2 FROM edition_terms WHERE edition_id = $1
			HAVING $2 IS DISTINCT FROM (SELECT text FROM edition_terms WHERE edition_id = $1 ORDER BY version DESC LIMIT 1)`,
			id, e.Terms); err != nil {
			return res, fmt.Errorf("terms: %w", err)
		}
	}

	// Entity types.
	var etKeys, etNames, etDescs []string
	for _, t := range e.EntityTypes {
		etKeys, etNames, etDescs = append(etKeys, t.Key), append(etNames, t.Name), append(etDescs, t.Description)
	}
	entityTypeIDs, err := upsertKeyed(ctx, tx, `
		INSERT INTO entity_types (edition_id, key, name, description, position)
		SELECT @edition_id, t.key, t.name, t.description, t.position
		FROM unnest(@keys::text[], @names::text[], @descriptions::text[]) WITH ORDINALITY
			AS t(key, name, description, position)
		ON CONFLICT (edition_id, key) DO UPDATE SET
			name = EXCLUDED.name, description = EXCLUDED.description, position = EXCLUDED.position
		RETURNING id, 0::bigint, key`,
		pgx.NamedArgs{"edition_id": id, "keys": etKeys, "names": etNames, "descriptions": etDescs})
	if err != nil {
		return res, fmt.Errorf("upsert entity types: %w", err)
	}

	// Categories.
	var (
		cKeys, cNames, cKinds, cDescs, cValues []string
		cMins, cMaxs, cSemis                   []int32
		cForms                                 []*string // JSON; nil for a category without a form
		cNominations                           []*string // JSON; nil but for a leadership category
	)
	for _, c := range e.Categories {
		cKeys, cNames, cKinds = append(cKeys, c.Key), append(cNames, c.Name), append(cKinds, string(c.Kind))
		cDescs, cValues = append(cDescs, c.Description), append(cValues, c.CoreValue)
		cMins, cMaxs, cSemis = append(cMins, int32(c.Scale.Min)), append(cMaxs, int32(c.Scale.Max)), append(cSemis, int32(c.SemiFinalists))
		var f *string
		if c.Form != nil {
			data, err := json.Marshal(c.Form)
			if err != nil {
				return res, fmt.Errorf("form of category %s: %w", c.Key, err)
			}
			s := string(data)
			f = &s
		}
		cForms = append(cForms, f)
		nom, err := encodeNominations(c.Nominations)
		if err != nil {
			return res, fmt.Errorf("nominations of category %s: %w", c.Key, err)
		}
		cNominations = append(cNominations, nom)
	}
	categoryIDs, err := upsertKeyed(ctx, tx, `
		INSERT INTO categories (edition_id, key, name, kind, description, core_value,
			scale_min, scale_max, semi_finalists, form, nominations, position)
		SELECT @edition_id, c.key, c.name, c.kind, c.description, c.core_value,
			c.scale_min, c.scale_max, c.semi_finalists, c.form::jsonb, c.nominations::jsonb, c.position
		FROM unnest(@keys::text[], @names::text[], @kinds::text[], @descriptions::text[],
			@core_values::text[], @scale_mins::int[], @scale_maxs::int[], @semi_finalists::int[],
			@forms::text[], @nominations::text[])
			WITH ORDINALITY AS c(key, name, kind, description, core_value, scale_min, scale_max,
				semi_finalists, form, nominations, position)
		ON CONFLICT (edition_id, key) DO UPDATE SET
			name = EXCLUDED.name, kind = EXCLUDED.kind, description = EXCLUDED.description,
			core_value = EXCLUDED.core_value, scale_min = EXCLUDED.scale_min,
			scale_max = EXCLUDED.scale_max, semi_finalists = EXCLUDED.semi_finalists,
			form = EXCLUDED.form, nominations = EXCLUDED.nominations, position = EXCLUDED.position
		RETURNING id, 0::bigint, key`,
		pgx.NamedArgs{"edition_id": id, "keys": cKeys, "names": cNames, "kinds": cKinds,
			"descriptions": cDescs, "core_values": cValues, "scale_mins": cMins, "scale_maxs": cMaxs,
			"semi_finalists": cSemis, "forms": cForms, "nominations": cNominations})
	if err != nil {
		return res, fmt.Errorf("upsert categories: %w", err)
	}

	// Eligibility: the pairs carry no id worth keeping, so they are replaced.
	var eligCats, eligTypes []int64
	var eligPos []int32
	for _, c := range e.Categories {
		for i, k := range c.EligibleTypes {
			eligCats = append(eligCats, categoryIDs[idKey{0, c.Key}])
			eligTypes = append(eligTypes, entityTypeIDs[idKey{0, k}])
			eligPos = append(eligPos, int32(i+1))
		}
	}
	if _, err := tx.Exec(ctx, `
		DELETE FROM category_entity_types
		WHERE category_id IN (SELECT id FROM categories WHERE edition_id = $1)`, id); err != nil {
		return res, fmt.Errorf("clear eligibility: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO category_entity_types (category_id, entity_type_id, position)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[])`,
		eligCats, eligTypes, eligPos); err != nil {
		return res, fmt.Errorf("insert eligibility: %w", err)
	}

	// Criteria.
	var (
		crCats                   []int64
		crKeys, crNames, crDescs []string
		crWeights                []float64
		crPos                    []int32
	)
	for _, c := range e.Categories {
		for i, cr := range c.Criteria {
			crCats, crKeys, crNames = append(crCats, categoryIDs[idKey{0, c.Key}]), append(crKeys, cr.Key), append(crNames, cr.Name)
			crDescs, crWeights, crPos = append(crDescs, cr.Description), append(crWeights, cr.Weight), append(crPos, int32(i+1))
		}
	}
	criterionIDs, err := upsertKeyed(ctx, tx, `
		INSERT INTO criteria (category_id, key, name, description, weight, position)
		SELECT * FROM unnest(@category_ids::bigint[], @keys::text[], @names::text[],
			@descriptions::text[], @weights::float8[], @positions::int[])
		ON CONFLICT (category_id, key) DO UPDATE SET
			name = EXCLUDED.name, description = EXCLUDED.description, weight = EXCLUDED.weight,
			position = EXCLUDED.position
		RETURNING id, category_id, key`,
		pgx.NamedArgs{"category_ids": crCats, "keys": crKeys, "names": crNames,
			"descriptions": crDescs, "weights": crWeights, "positions": crPos})
	if err != nil {
		return res, fmt.Errorf("upsert criteria: %w", err)
	}

	// Indicators.
	var (
		inCrit          []int64
		inKeys, inNames []string
		inPos           []int32
	)
	for _, c := range e.Categories {
		for _, cr := range c.Criteria {
			crID := criterionIDs[idKey{categoryIDs[idKey{0, c.Key}], cr.Key}]
			for i, in := range cr.Indicators {
				inCrit, inKeys, inNames, inPos = append(inCrit, crID), append(inKeys, in.Key), append(inNames, in.Name), append(inPos, int32(i+1))
			}
		}
	}
	indicatorIDs, err := upsertKeyed(ctx, tx, `
		INSERT INTO indicators (criterion_id, key, name, position)
		SELECT * FROM unnest(@criterion_ids::bigint[], @keys::text[], @names::text[], @positions::int[])
		ON CONFLICT (criterion_id, key) DO UPDATE SET name = EXCLUDED.name, position = EXCLUDED.position
		RETURNING id, criterion_id, key`,
		pgx.NamedArgs{"criterion_ids": inCrit, "keys": inKeys, "names": inNames, "positions": inPos})
	if err != nil {
		return res, fmt.Errorf("upsert indicators: %w", err)
	}

	// Prizes, matched by place.
	var (
		pCats            []int64
		pPlaces, pCounts []int32
		pNames           []string
	)
	for _, c := range e.Categories {
		for _, p := range c.Prizes {
			pCats, pPlaces = append(pCats, categoryIDs[idKey{0, c.Key}]), append(pPlaces, int32(p.Place))
			pNames, pCounts = append(pNames, p.Name), append(pCounts, int32(p.Count))
		}
	}
	prizeIDs, err := upsertKeyed(ctx, tx, `
		INSERT INTO prizes (category_id, place, name, count)
		SELECT * FROM unnest(@category_ids::bigint[], @places::int[], @names::text[], @counts::int[])
		ON CONFLICT (category_id, place) DO UPDATE SET name = EXCLUDED.name, count = EXCLUDED.count
		RETURNING id, category_id, place::text`,
		pgx.NamedArgs{"category_ids": pCats, "places": pPlaces, "names": pNames, "counts": pCounts})
	if err != nil {
		return res, fmt.Errorf("upsert prizes: %w", err)
	}

	// Rows that left the definition, most specific first.
	removals := []struct {
		what, query string
		keep        map[idKey]int64
	}{
		{"indicator", `
			SELECT i.id, cat.key || '/' || c.key || '/' || i.key
			FROM indicators i JOIN criteria c ON c.id = i.criterion_id
				JOIN categories cat ON cat.id = c.category_id
			WHERE cat.edition_id = $1 AND i.id <> ALL($2)`, indicatorIDs},
		{"criterion", `
			SELECT c.id, cat.key || '/' || c.key
			FROM criteria c JOIN categories cat ON cat.id = c.category_id
			WHERE cat.edition_id = $1 AND c.id <> ALL($2)`, criterionIDs},
		{"prize", `
			SELECT p.id, cat.key || '/place ' || p.place
			FROM prizes p JOIN categories cat ON cat.id = p.category_id
			WHERE cat.edition_id = $1 AND p.id <> ALL($2)`, prizeIDs},
		{"category", `
			SELECT id, key FROM categories WHERE edition_id = $1 AND id <> ALL($2)`, categoryIDs},
		{"entity type", `
			SELECT id, key FROM entity_types WHERE edition_id = $1 AND id <> ALL($2)`, entityTypeIDs},
	}
	table := map[string]string{"indicator": "indicators", "criterion": "criteria", "prize": "prizes",
		"category": "categories", "entity type": "entity_types"}
	for _, r := range removals {
		if err := removeObsolete(ctx, tx, r.what, table[r.what], r.query, id, r.keep); err != nil {
			return res, err
		}
	}

	return res, nil
}

// idKey identifies a child row by its parent id (0 for rows of the edition) and its key.
type idKey struct {
	parent int64
	key    string
}

// upsertKeyed runs an upsert returning (id, parent id, key) and maps each row's key to its id.
func upsertKeyed(ctx context.Context, tx pgx.Tx, sql string, args pgx.NamedArgs) (map[idKey]int64, error) {
	rows, err := tx.Query(ctx, sql, args)
	if err != nil {
		return nil, err
	}
	ids := map[idKey]int64{}
	var id int64
	var k idKey
	_, err = pgx.ForEachRow(rows, []any{&id, &k.parent, &k.key}, func() error {
		ids[k] = id
		return nil
	})
	return ids, err
}

// removeObsolete deletes the rows that query finds outside keep. A row still referenced from
// another table is a db.ErrConflict naming the row.
func removeObsolete(ctx context.Context, tx pgx.Tx, what, table, query string, editionID int64, keep map[idKey]int64) error {
	kept := make([]int64, 0, len(keep))
	for _, id := range keep {
		kept = append(kept, id)
	}
	rows, err := tx.Query(ctx, query, editionID, kept)
	if err != nil {
		return fmt.Errorf("find removed %s rows: %w", what, err)
	}
	type gone struct {
		id    int64
		label string
	}
	var obsolete []gone
	var g gone
	if _, err := pgx.ForEachRow(rows, []any{&g.id, &g.label}, func() error {
		obsolete = append(obsolete, g)
		return nil
	}); err != nil {
		return fmt.Errorf("find removed %s rows: %w", what, err)
	}
	if len(obsolete) == 0 {
		return nil
	}
	ids := make([]int64, len(obsolete))
	labels := make([]string, len(obsolete))
	for i, o := range obsolete {
		ids[i], labels[i] = o.id, o.label
	}
	_, err = tx.Exec(ctx, "DELETE FROM "+table+" WHERE id = ANY($1)", ids)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" { // foreign_key_violation
		return fmt.Errorf("cannot remove %s %s, which left the definition: it is still in use (%s); keep its key or remove what uses it first: %w",
			what, strings.Join(labels, ", "), pgErr.Detail, db.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("remove %s rows: %w", what, err)
	}
	return nil
}

// List returns a summary of every edition, drafts included, the latest year first.
func List(ctx context.Context, q db.DBTX) ([]Summary, error) { return list(ctx, q, "") }

// Published returns a summary of every published edition (the ones the public, applicants and
// staff other than the edition's managers see), the latest year first.
func Published(ctx context.Context, q db.DBTX) ([]Summary, error) {
	return list(ctx, q, "WHERE e.status = 'published'")
}

func list(ctx context.Context, q db.DBTX, where string) ([]Summary, error) {
	return db.List(ctx, q, "edition: list", pgx.RowToStructByName[Summary], `
		SELECT e.id, e.slug, e.name, e.year,
			(SELECT count(*) FROM categories c WHERE c.edition_id = e.id)::int AS categories,
			e.updated_at, e.status
		FROM editions e `+where+`
		ORDER BY e.year DESC, e.updated_at DESC, e.id DESC`)
}

// Count returns the number of editions.
func Count(ctx context.Context, q db.DBTX) (int, error) {
	var n int
	if err := q.QueryRow(ctx, `SELECT count(*) FROM editions`).Scan(&n); err != nil {
		return 0, fmt.Errorf("edition: count: %w", err)
	}
	return n, nil
}

// BySlug loads the edition with the given slug, with its entity types, categories (with their
// forms and nomination rules), criteria, indicators and prizes in order. A missing edition is db.ErrNotFound. The parts are read with
// a few queries; pass a pgx.Tx in REPEATABLE READ to read them from one snapshot. Outside a
// transaction the edition may be one kept from an earlier call (its rows unchanged since): it is
// shared, so never modify it (this holds for ByID and Current too).
func BySlug(ctx context.Context, q db.DBTX, slug string) (*Edition, error) {
	e, err := load(ctx, q, "slug = $1", slug)
	if err != nil {
		return nil, fmt.Errorf("edition: by slug %q: %w", slug, err)
	}
	return e, nil
}

// ByID loads the edition with the given id, like BySlug.
func ByID(ctx context.Context, q db.DBTX, id int64) (*Edition, error) {
	e, err := load(ctx, q, "id = $1", id)
	if err != nil {
		return nil, fmt.Errorf("edition: by id %d: %w", id, err)
	}
	return e, nil
}

// Current loads the current edition: the published one with the highest year, the most recently
// updated among editions of the same year (a draft is never current). With no published edition
// it returns db.ErrNotFound.
func Current(ctx context.Context, q db.DBTX) (*Edition, error) {
	e, err := load(ctx, q, `id = (SELECT id FROM editions WHERE status = 'published'
		ORDER BY year DESC, updated_at DESC, id DESC LIMIT 1)`)
	if err != nil {
		return nil, fmt.Errorf("edition: current: %w", err)
	}
	return e, nil
}

// Source returns the YAML text the edition was last imported from.
func Source(ctx context.Context, q db.DBTX, slug string) ([]byte, error) {
	var src string
	err := q.QueryRow(ctx, `SELECT source FROM editions WHERE slug = $1`, slug).Scan(&src)
	if errors.Is(err, pgx.ErrNoRows) {
		err = db.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("edition: source %q: %w", slug, err)
	}
	return []byte(src), nil
}

type categoryRow struct {
	ID            int64    `db:"id"`
	Key           string   `db:"key"`
	Name          string   `db:"name"`
	Kind          string   `db:"kind"`
	Description   string   `db:"description"`
	CoreValue     string   `db:"core_value"`
	ScaleMin      int      `db:"scale_min"`
	ScaleMax      int      `db:"scale_max"`
	SemiFinalists int      `db:"semi_finalists"`
	Eligible      []string `db:"eligible"`
	Form          []byte   `db:"form"`
	Nominations   []byte   `db:"nominations"`
}

type criterionRow struct {
	ID          int64   `db:"id"`
	CategoryID  int64   `db:"category_id"`
	Key         string  `db:"key"`
	Name        string  `db:"name"`
	Description string  `db:"description"`
	Weight      float64 `db:"weight"`
}

type indicatorRow struct {
	ID          int64  `db:"id"`
	CriterionID int64  `db:"criterion_id"`
	Key         string `db:"key"`
	Name        string `db:"name"`
}

type prizeRow struct {
	ID         int64  `db:"id"`
	CategoryID int64  `db:"category_id"`
	Place      int    `db:"place"`
	Name       string `db:"name"`
	Count      int    `db:"count"`
}

// load reads one edition (chosen by the where clause on editions, whose table is named e) and
// its parts. Outside a transaction an edition read before is returned when its rows have not
// changed since (see cache.go): one query instead of six; it is given in the language of ctx's
// reader (Edition.In, made once per version and language), unless ctx is AsWritten. In a
// transaction (a change being made) the edition is as written.
func load(ctx context.Context, q db.DBTX, where string, args ...any) (*Edition, error) {
	if _, inTx := q.(pgx.Tx); inTx {
		return loadAll(ctx, q, where, args...)
	}
	var (
		id          int64
		fingerprint string
	)
	err := q.QueryRow(ctx, `SELECT e.id, `+fingerprintColumn+` FROM editions e WHERE `+where, args...).Scan(&id, &fingerprint)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	lang := readerLanguage(ctx)
	if e, ok := cache.get(id, fingerprint, lang); ok {
		return e, nil
	}
	e, ok := cache.get(id, fingerprint, "")
	if !ok {
		if e, err = loadAll(ctx, q, "id = $1", id); err != nil {
			return nil, err
		}
		cache.put(id, fingerprint, "", e)
	}
	if lang != "" && lang != e.Language && len(e.Translations[lang]) > 0 {
		e = e.In(lang)
		cache.put(id, fingerprint, lang, e)
	}
	return e, nil
}

// loadAll reads one edition (chosen by the where clause on editions) and its parts in six queries.
func loadAll(ctx context.Context, q db.DBTX, where string, args ...any) (*Edition, error) {
	var (
		e            Edition
		s            = &e.Schedule
		tz           string
		grace        int64
		mentions     []byte
		scoring      []byte
		voting       []byte
		translations []byte
	)
	err := q.QueryRow(ctx, `
		SELECT id, slug, name, year, theme, intro, contact_email, time_zone,
			applications_open, application_deadline, screening_start, screening_end,
			scoring_start, scoring_end, semi_finalists_announced, voting_start, voting_end,
			winners_announced, ceremony_start, ceremony_end, grace_period_seconds, special_mentions, scoring, voting, retention_years, updated_at,
			status, version, repository_scope, semi_finalists_public, language, translations,
			coalesce((SELECT t.text FROM edition_terms t WHERE t.edition_id = editions.id ORDER BY t.version DESC LIMIT 1), ''),
			coalesce((SELECT max(t.version) FROM edition_terms t WHERE t.edition_id = editions.id), 0)
		FROM editions WHERE `+where, args...).Scan(
		&e.ID, &e.Slug, &e.Name, &e.Year, &e.Theme, &e.Intro, &e.ContactEmail, &tz,
		&s.ApplicationsOpen, &s.ApplicationDeadline, &s.Screening.Start, &s.Screening.End,
		&s.Scoring.Start, &s.Scoring.End, &s.SemiFinalistsAnnounced, &s.Voting.Start, &s.Voting.End,
		&s.WinnersAnnounced, &s.Ceremony.Start, &s.Ceremony.End, &grace, &mentions, &scoring, &voting, &e.RetentionYears, &e.UpdatedAt,
		&e.Status, &e.Version, &e.Publication.Repository, &e.Publication.SemiFinalistsList, &e.Language, &translations, &e.Terms, &e.TermsVersion)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if e.TimeZone, err = time.LoadLocation(tz); err != nil {
		return nil, fmt.Errorf("time zone: %w", err)
	}
	s.GracePeriod = time.Duration(grace) * time.Second
	for _, t := range []*time.Time{&s.ApplicationsOpen, &s.ApplicationDeadline, &s.Screening.Start,
		&s.Screening.End, &s.Scoring.Start, &s.Scoring.End, &s.SemiFinalistsAnnounced,
		&s.Voting.Start, &s.Voting.End, &s.WinnersAnnounced, &s.Ceremony.Start, &s.Ceremony.End} {
		*t = t.In(e.TimeZone)
	}
	if e.SpecialMentions, err = decodeSpecialMentions(mentions); err != nil {
		return nil, fmt.Errorf("special mentions: %w", err)
	}
	if e.Scoring, err = decodeScoring(scoring); err != nil {
		return nil, fmt.Errorf("scoring: %w", err)
	}
	if e.Voting, err = decodeVoting(voting); err != nil {
		return nil, fmt.Errorf("voting: %w", err)
	}
	if err := json.Unmarshal(translations, &e.Translations); err != nil {
		return nil, fmt.Errorf("translations: %w", err)
	}
	if len(e.Translations) == 0 {
		e.Translations = nil
	}

	rows, _ := q.Query(ctx, `
		SELECT id, key, name, description FROM entity_types
		WHERE edition_id = $1 ORDER BY position, id`, e.ID)
	if e.EntityTypes, err = pgx.CollectRows(rows, pgx.RowToStructByName[EntityType]); err != nil {
		return nil, fmt.Errorf("entity types: %w", err)
	}

	rows, _ = q.Query(ctx, `
		SELECT c.id, c.key, c.name, c.kind, c.description, c.core_value, c.scale_min, c.scale_max,
			c.semi_finalists, c.form, c.nominations,
			ARRAY(SELECT et.key FROM category_entity_types cet
				JOIN entity_types et ON et.id = cet.entity_type_id
				WHERE cet.category_id = c.id ORDER BY cet.position) AS eligible
		FROM categories c WHERE c.edition_id = $1 ORDER BY c.position, c.id`, e.ID)
	cats, err := pgx.CollectRows(rows, pgx.RowToStructByName[categoryRow])
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	catIndex := map[int64]int{}
	for i, c := range cats {
		catIndex[c.ID] = i
		var f *form.Form
		if c.Form != nil {
			f = new(form.Form)
			if err := json.Unmarshal(c.Form, f); err != nil {
				return nil, fmt.Errorf("form of category %s: %w", c.Key, err)
			}
		}
		nom, err := decodeNominations(c.Nominations, e.TimeZone)
		if err != nil {
			return nil, fmt.Errorf("nominations of category %s: %w", c.Key, err)
		}
		e.Categories = append(e.Categories, Category{
			ID: c.ID, Key: c.Key, Name: c.Name, Kind: Kind(c.Kind), Description: c.Description,
			CoreValue: c.CoreValue, EligibleTypes: c.Eligible, SemiFinalists: c.SemiFinalists,
			Scale: Scale{Min: c.ScaleMin, Max: c.ScaleMax}, Form: f, Nominations: nom,
		})
	}

	rows, _ = q.Query(ctx, `
		SELECT cr.id, cr.category_id, cr.key, cr.name, cr.description, cr.weight::float8 AS weight
		FROM criteria cr JOIN categories c ON c.id = cr.category_id
		WHERE c.edition_id = $1 ORDER BY cr.position, cr.id`, e.ID)
	crits, err := pgx.CollectRows(rows, pgx.RowToStructByName[criterionRow])
	if err != nil {
		return nil, fmt.Errorf("criteria: %w", err)
	}
	type pos struct{ cat, crit int }
	critIndex := map[int64]pos{}
	for _, cr := range crits {
		ci := catIndex[cr.CategoryID]
		c := &e.Categories[ci]
		critIndex[cr.ID] = pos{ci, len(c.Criteria)}
		c.Criteria = append(c.Criteria, Criterion{ID: cr.ID, Key: cr.Key, Name: cr.Name, Description: cr.Description, Weight: cr.Weight})
	}

	rows, _ = q.Query(ctx, `
		SELECT i.id, i.criterion_id, i.key, i.name
		FROM indicators i JOIN criteria cr ON cr.id = i.criterion_id
			JOIN categories c ON c.id = cr.category_id
		WHERE c.edition_id = $1 ORDER BY i.position, i.id`, e.ID)
	inds, err := pgx.CollectRows(rows, pgx.RowToStructByName[indicatorRow])
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	for _, in := range inds {
		p := critIndex[in.CriterionID]
		cr := &e.Categories[p.cat].Criteria[p.crit]
		cr.Indicators = append(cr.Indicators, Indicator{ID: in.ID, Key: in.Key, Name: in.Name})
	}

	rows, _ = q.Query(ctx, `
		SELECT p.id, p.category_id, p.place, p.name, p.count
		FROM prizes p JOIN categories c ON c.id = p.category_id
		WHERE c.edition_id = $1 ORDER BY p.place, p.id`, e.ID)
	prizes, err := pgx.CollectRows(rows, pgx.RowToStructByName[prizeRow])
	if err != nil {
		return nil, fmt.Errorf("prizes: %w", err)
	}
	for _, p := range prizes {
		c := &e.Categories[catIndex[p.CategoryID]]
		c.Prizes = append(c.Prizes, Prize{ID: p.ID, Place: p.Place, Name: p.Name, Count: p.Count})
	}
	return &e, nil
}

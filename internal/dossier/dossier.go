// Package dossier gathers what the Prize Council reads about each semi-finalist before round 3
// (DOMAIN.md "Round 3"): the entry, the committee's scores per criterion
// (aggregate and spread) and the committee's comments without the evaluators' names. A dossier
// exists for a semi-finalist of a category whose list the committee head has confirmed
// (semi_finalist_lists), and only the council and the secretariat of its edition may read it:
// every query repeats that filter in SQL, so anything else is db.ErrNotFound.
package dossier

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/files"
)

// visible is the SQL filter on semi_finalists sf: the viewer (@viewer) is a council member or
// the secretariat of the edition, and the category's list is confirmed.
const visible = `EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = @viewer AND g.edition_id = sf.edition_id
		AND g.role IN ('council', 'secretariat'))
	AND EXISTS (SELECT 1 FROM semi_finalist_lists l WHERE l.edition_id = sf.edition_id AND l.category_id = sf.category_id)`

// Entry is a confirmed semi-finalist.
type Entry struct {
	ID         int64 // the application id
	EditionID  int64
	CategoryID int64
	Kind       string // project | nomination
	// Title is the project's title, or "Nomination of" the candidate.
	Title        string
	Organisation string
	City         string
	Country      string // ISO code
	Source       string // ranking | tie | addition (semi_finalists.source)
	Rank         int    // the committee's rank; 0 for an addition
	// Nominators names a nomination's nominator and its co-nominators (the nominators of the
	// nominations merged into it); "" for a project.
	Nominators string
}

const entrySelect = `SELECT a.id, a.edition_id, a.category_id, a.kind,
		CASE WHEN a.kind = 'nomination' THEN 'Nomination of ' || coalesce(n.candidate_name, '')
		ELSE coalesce(a.answers->'project_title'->>'text', '') END,
		coalesce(p.organisation, ''), coalesce(p.city, ''), coalesce(p.country, ''), sf.source, coalesce(sf.rank, 0),
		CASE WHEN a.kind = 'nomination' THEN (SELECT u.name FROM users u WHERE u.id = a.user_id) || coalesce(' (co-nominated by ' ||
		     (SELECT string_agg(mu.name, ', ' ORDER BY m.merged_at, m.id) FROM applications m JOIN users mu ON mu.id = m.user_id
		      WHERE m.merged_into = a.id) || ')', '') ELSE '' END
	FROM semi_finalists sf
	JOIN applications a ON a.id = sf.application_id
	JOIN entry_participants p ON p.application_id = a.id
	JOIN categories c ON c.id = sf.category_id
	LEFT JOIN nominations n ON n.application_id = a.id`

// scanEntry reads a row of entrySelect.
func scanEntry(row pgx.CollectableRow) (Entry, error) {
	var e Entry
	err := row.Scan(&e.ID, &e.EditionID, &e.CategoryID, &e.Kind, &e.Title, &e.Organisation, &e.City, &e.Country, &e.Source, &e.Rank, &e.Nominators)
	return e, err
}

// List returns the confirmed semi-finalists of edition editionID that viewer may read, by
// category (the edition's order), then the committee's rank (additions last).
func List(ctx context.Context, q db.DBTX, viewer, editionID int64) ([]Entry, error) {
	return db.List(ctx, q, "dossier: list", scanEntry, entrySelect+` WHERE sf.edition_id = @edition AND `+visible+`
		ORDER BY c.position, c.id, sf.rank NULLS LAST, a.id`, pgx.NamedArgs{"viewer": viewer, "edition": editionID})
}

// Get returns semi-finalist app for viewer; db.ErrNotFound when it is none, its category's list
// is not confirmed, or viewer is neither council nor secretariat of its edition.
func Get(ctx context.Context, q db.DBTX, viewer, app int64) (Entry, error) {
	list, err := db.List(ctx, q, "dossier: get", scanEntry, entrySelect+` WHERE sf.application_id = @app AND `+visible, pgx.NamedArgs{"viewer": viewer, "app": app})
	if err != nil {
		return Entry{}, err
	}
	if len(list) == 0 {
		return Entry{}, db.ErrNotFound
	}
	return list[0], nil
}

// CriterionScore is the committee's scoring of one entry on one criterion. A sheet's score on a
// criterion is the mean of its indicator scores in that criterion; the aggregate is the mean of
// those over the entry's submitted sheets, the spread their lowest, highest and population
// standard deviation.
type CriterionScore struct {
	Key    string // the criterion's key
	Sheets int    // submitted sheets scoring it
	Mean   float64
	Min    float64
	Max    float64
	StdDev float64
}

// CategoryScores returns the committee's scores per criterion (in the criteria's order) of every
// confirmed semi-finalist of category categoryID that viewer may read, by application id.
// Only submitted sheets count; an entry without any is missing.
func CategoryScores(ctx context.Context, q db.DBTX, viewer, categoryID int64) (map[int64][]CriterionScore, error) {
	rows, err := q.Query(ctx, `
		WITH per_sheet AS (
			SELECT s.id AS sheet_id, s.application_id, i.criterion_id, avg(ss.score)::float8 AS score
			FROM semi_finalists sf
			JOIN score_sheets s ON s.application_id = sf.application_id AND s.status = 'submitted'
			JOIN sheet_scores ss ON ss.sheet_id = s.id
			JOIN indicators i ON i.id = ss.indicator_id
			WHERE sf.category_id = @category AND `+visible+`
			GROUP BY s.id, s.application_id, i.criterion_id)
		SELECT p.application_id, cr.key, count(*)::int, avg(p.score)::float8, min(p.score), max(p.score),
			coalesce(stddev_pop(p.score), 0)::float8
		FROM per_sheet p JOIN criteria cr ON cr.id = p.criterion_id
		GROUP BY p.application_id, cr.id, cr.key, cr.position
		ORDER BY p.application_id, cr.position, cr.id`, pgx.NamedArgs{"viewer": viewer, "category": categoryID})
	if err != nil {
		return nil, fmt.Errorf("dossier: scores: %w", err)
	}
	defer rows.Close()
	out := map[int64][]CriterionScore{}
	for rows.Next() {
		var app int64
		var c CriterionScore
		if err := rows.Scan(&app, &c.Key, &c.Sheets, &c.Mean, &c.Min, &c.Max, &c.StdDev); err != nil {
			return nil, fmt.Errorf("dossier: scores: %w", err)
		}
		out[app] = append(out[app], c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("dossier: scores: %w", err)
	}
	return out, nil
}

// Comments are the committee's comments on an entry from its submitted sheets, without who
// wrote them: per criterion key, and the overall comments. Blank comments are left out; each
// list is in the order the sheets were submitted.
type Comments struct {
	ByCriterion map[string][]string
	Overall     []string
}

// CommentsOf returns the comments of semi-finalist app for viewer (empty when viewer may not
// read its dossier).
func CommentsOf(ctx context.Context, q db.DBTX, viewer, app int64) (Comments, error) {
	out := Comments{ByCriterion: map[string][]string{}}
	rows, err := q.Query(ctx, `
		SELECT x.criterion, x.text FROM (
			SELECT c.key AS criterion, c.value AS text, s.submitted_at, s.id, 0 AS part
			FROM semi_finalists sf
			JOIN score_sheets s ON s.application_id = sf.application_id AND s.status = 'submitted'
			CROSS JOIN LATERAL jsonb_each_text(s.criterion_comments) c
			WHERE sf.application_id = @app AND `+visible+`
			UNION ALL
			SELECT '', s.overall_comment, s.submitted_at, s.id, 1
			FROM semi_finalists sf
			JOIN score_sheets s ON s.application_id = sf.application_id AND s.status = 'submitted'
			WHERE sf.application_id = @app AND `+visible+`) x
		WHERE btrim(x.text) <> ''
		ORDER BY x.part, x.submitted_at, x.id`, pgx.NamedArgs{"viewer": viewer, "app": app})
	if err != nil {
		return out, fmt.Errorf("dossier: comments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, text string
		if err := rows.Scan(&key, &text); err != nil {
			return out, fmt.Errorf("dossier: comments: %w", err)
		}
		if key == "" {
			out.Overall = append(out.Overall, text)
		} else {
			out.ByCriterion[key] = append(out.ByCriterion[key], text)
		}
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("dossier: comments: %w", err)
	}
	return out, nil
}

// File returns document file of semi-finalist app for viewer; db.ErrNotFound when the file is
// not the application's or viewer may not read its dossier.
func File(ctx context.Context, q db.DBTX, viewer, app, file int64) (files.File, error) {
	var f files.File
	err := q.QueryRow(ctx, `
		SELECT f.id, f.storage_key, f.original_name, f.size, f.content_type, f.sha256, f.uploaded_by, f.created_at
		FROM semi_finalists sf
		JOIN application_files af ON af.application_id = sf.application_id
		JOIN files f ON f.id = af.file_id
		WHERE sf.application_id = @app AND f.id = @file AND `+visible,
		pgx.NamedArgs{"viewer": viewer, "app": app, "file": file}).Scan(&f.ID, &f.Key, &f.Name, &f.Size,
		&f.ContentType, &f.SHA256, &f.UploadedBy, &f.CreatedAt)
	return db.One(f, err, "dossier: file")
}

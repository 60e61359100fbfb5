package dashboard

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/nomination"
	"prizeportal/internal/scoring"
	"prizeportal/internal/screening"
)

// Glance is an edition at a glance for its managers and secretariat: the counts per category and
// state, and what needs action now. Every number comes from one aggregate query (GlanceOf).
type Glance struct {
	// Rounds is where the edition's three rounds stand (edition.Round), the model every rule of
	// the rounds reads.
	Rounds     edition.Rounds
	Categories []CategoryCounts
	// CouncilSize is the number of Prize Council members of the edition (DOMAIN.md "Round 3").
	CouncilSize int
	// What needs action now: third-party nominations waiting for their candidate's consent,
	// nominations with consent but no letter that counts nor enough endorsements
	// (nomination.MissingConsentSQL, MissingLetterSQL), and the committee members with an active
	// assignment whose sheet is not submitted (scoring.BehindSQL; DOMAIN.md "Round 2").
	MissingConsent, MissingLetter, EvaluatorsBehind int
}

// CategoryCounts are the counts of one category of the edition.
type CategoryCounts struct {
	ID   int64
	Key  string
	Name string
	// Registered counts the accounts registered for the category; Drafts and Submitted its
	// applications and nominations in those states (withdrawn ones count in neither).
	Registered, Drafts, Submitted int
	// Entries counts the entries of round 1 (screening.EntriesSQL), Decided those found eligible
	// or ineligible, Undecided those without a decision (screening.UndecidedSQL: the queue's
	// "undecided" filter), Overdue those with a clarification unanswered past its deadline
	// (screening.OverdueSQL: the queue's "overdue" filter).
	Entries, Decided, Undecided, Overdue int
	// ClarificationsOpen counts the clarifications asked and not answered yet, deadline not passed.
	ClarificationsOpen int
	// SheetsAssigned counts the active assignments of round 2, SheetsDone those whose sheet is
	// submitted.
	SheetsAssigned, SheetsDone int
	// BallotsCast counts the council's ballots of round 3 in the category.
	BallotsCast int
}

// glanceSQL counts everything in one statement, each table read once and grouped by category.
const glanceSQL = `
WITH apps AS (
	SELECT a.category_id,
	       count(*) FILTER (WHERE a.status = 'draft')::int AS drafts,
	       count(*) FILTER (WHERE a.status = 'submitted')::int AS submitted,
	       count(*) FILTER (WHERE ` + screening.EntriesSQL + `)::int AS entries,
	       count(*) FILTER (WHERE ` + screening.EntriesSQL + ` AND d.decision IN ('eligible', 'ineligible'))::int AS decided,
	       count(*) FILTER (WHERE ` + screening.EntriesSQL + ` AND ` + screening.UndecidedSQL + `)::int AS undecided,
	       count(*) FILTER (WHERE ` + screening.EntriesSQL + ` AND ` + screening.OverdueSQL + `)::int AS overdue
	FROM applications a LEFT JOIN screening_decisions d ON d.application_id = a.id
	WHERE a.edition_id = @edition
	GROUP BY a.category_id),
accounts AS (
	SELECT g.category_id, count(*)::int AS registered FROM edition_registrations g
	WHERE g.edition_id = @edition GROUP BY g.category_id),
open AS (
	SELECT a.category_id, count(*)::int AS open FROM clarifications k JOIN applications a ON a.id = k.application_id
	WHERE a.edition_id = @edition AND k.answered_at IS NULL AND k.deadline > @now GROUP BY a.category_id),
sheets AS (
	SELECT a.category_id, count(*)::int AS assigned, count(*) FILTER (WHERE sh.status = 'submitted')::int AS done
	FROM assignments x JOIN applications a ON a.id = x.application_id
	LEFT JOIN score_sheets sh ON sh.application_id = x.application_id AND sh.evaluator_id = x.evaluator_id
	WHERE x.edition_id = @edition AND x.ended_at IS NULL GROUP BY a.category_id),
votes AS (
	SELECT b.category_id, count(*)::int AS cast FROM ballots b WHERE b.edition_id = @edition GROUP BY b.category_id)
SELECT c.id, c.key, c.name, coalesce(r.registered, 0), coalesce(p.drafts, 0), coalesce(p.submitted, 0),
       coalesce(p.entries, 0), coalesce(p.decided, 0), coalesce(p.undecided, 0), coalesce(p.overdue, 0),
       coalesce(o.open, 0), coalesce(s.assigned, 0), coalesce(s.done, 0), coalesce(v.cast, 0),
       (SELECT count(*)::int FROM role_grants g WHERE g.role = 'council' AND g.edition_id = @edition),
       (SELECT count(*)::int FROM nominations n WHERE n.edition_id = @edition AND ` + nomination.MissingConsentSQL + `),
       (SELECT count(*)::int FROM nominations n WHERE n.edition_id = @edition AND ` + nomination.MissingLetterSQL + `),
       (SELECT count(*)::int FROM users u WHERE ` + scoring.BehindSQL + `)
FROM categories c
LEFT JOIN apps p ON p.category_id = c.id
LEFT JOIN accounts r ON r.category_id = c.id
LEFT JOIN open o ON o.category_id = c.id
LEFT JOIN sheets s ON s.category_id = c.id
LEFT JOIN votes v ON v.category_id = c.id
WHERE c.edition_id = @edition
ORDER BY c.position, c.id`

// GlanceOf is edition ed at a glance at now. It reads only counts, no entry's content, and the
// rounds' closings; the route that shows it is the edition's managers' and secretariat's
// (authz.EditionStaff).
func GlanceOf(ctx context.Context, q db.DBTX, ed *edition.Edition, now time.Time) (Glance, error) {
	var g Glance
	var err error
	if g.Rounds, err = ed.LoadRounds(ctx, q, now); err != nil {
		return g, err
	}
	rows, err := q.Query(ctx, glanceSQL, pgx.NamedArgs{"edition": ed.ID, "now": now})
	if err != nil {
		return g, fmt.Errorf("dashboard: glance: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c CategoryCounts
		if err := rows.Scan(&c.ID, &c.Key, &c.Name, &c.Registered, &c.Drafts, &c.Submitted, &c.Entries, &c.Decided, &c.Undecided,
			&c.Overdue, &c.ClarificationsOpen, &c.SheetsAssigned, &c.SheetsDone, &c.BallotsCast,
			&g.CouncilSize, &g.MissingConsent, &g.MissingLetter, &g.EvaluatorsBehind); err != nil {
			return g, fmt.Errorf("dashboard: glance: %w", err)
		}
		g.Categories = append(g.Categories, c)
	}
	if err := rows.Err(); err != nil {
		return g, fmt.Errorf("dashboard: glance: %w", err)
	}
	return g, nil
}

package results

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// entryColumns are the title, organisation, city and country of application a (p its
// participant: a nomination's candidate, never the nominator; nominations n its nomination if
// any), as the results show them.
const entryColumns = `
	CASE WHEN a.kind = 'nomination' THEN coalesce(n.candidate_name, '')
	     ELSE coalesce(a.answers -> 'project_title' ->> 'text', '') END,
	coalesce(p.organisation, ''), coalesce(p.city, ''), coalesce(p.country, '')`

// Winners lists the current winners of editionID (confirmed awards) by category, place, then
// the vote's final order, with the published summary unless it is marked confidential.
func Winners(ctx context.Context, q db.DBTX, editionID int64) ([]Winner, error) {
	return db.List(ctx, q, "results: winners", func(r pgx.CollectableRow) (Winner, error) {
		var x Winner
		err := r.Scan(&x.AwardID, &x.ApplicationID, &x.CategoryID, &x.Place, &x.Prize, &x.Kind,
			&x.Title, &x.Organisation, &x.City, &x.Country, &x.Summary)
		return x, err
	}, `
		SELECT w.id, w.application_id, w.category_id, w.place, w.prize_name, a.kind, `+entryColumns+`,
		       CASE WHEN coalesce(a.answers -> s.key ->> 'confidential', 'false') = 'true' THEN ''
		            ELSE coalesce(a.answers -> s.key ->> 'text', '') END
		FROM awards w
		JOIN applications a ON a.id = w.application_id
		JOIN entry_participants p ON p.application_id = a.id
		LEFT JOIN nominations n ON n.application_id = a.id
		LEFT JOIN vote_results v ON v.category_id = w.category_id
		CROSS JOIN LATERAL (SELECT CASE WHEN a.kind = 'nomination' THEN 'achievements_summary' ELSE 'summary' END AS key) s
		WHERE w.edition_id = $1 AND w.status = 'confirmed'
		ORDER BY w.category_id, w.place, array_position(v.final_order, w.application_id), w.id`, editionID)
}

// Outcome tells whether application appID is among the current winners, with the prize's name:
// nil while its category is not decided (no award recorded), else true or false. The caller
// shows it only from the announcement (application.Timeline does).
func Outcome(ctx context.Context, q db.DBTX, appID int64) (*bool, string, error) {
	var decided bool
	var prize *string
	err := q.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM awards x WHERE x.category_id = a.category_id),
		       (SELECT w.prize_name FROM awards w WHERE w.application_id = a.id AND w.status = 'confirmed' LIMIT 1)
		FROM applications a WHERE a.id = $1`, appID).Scan(&decided, &prize)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && !decided) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("results: outcome: %w", err)
	}
	won := prize != nil
	if won {
		return &won, *prize, nil
	}
	return &won, "", nil
}

// Pending lists the decided categories of editionID whose results were not emailed yet.
func Pending(ctx context.Context, q db.DBTX, editionID int64) ([]int64, error) {
	return db.List(ctx, q, "results: pending", pgx.RowTo[int64], `
		SELECT DISTINCT w.category_id FROM awards w
		WHERE w.edition_id = $1 AND NOT EXISTS (SELECT 1 FROM results_announcements r WHERE r.category_id = w.category_id)
		ORDER BY 1`, editionID)
}

// Claim records in tx that the results of categoryID are announced at now and reports whether
// this call did it: false when they already were (a concurrent run waits for the first to
// commit, then finds the row). The caller queues the emails in the same transaction and then
// records their number with SetEmails.
func Claim(ctx context.Context, tx pgx.Tx, editionID, categoryID int64, now time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO results_announcements (category_id, edition_id, announced_at, emails)
		VALUES ($1, $2, $3, 0) ON CONFLICT (category_id) DO NOTHING`, categoryID, editionID, now)
	if err != nil {
		return false, fmt.Errorf("results: claim: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// SetEmails records how many emails the announcement of categoryID queued.
func SetEmails(ctx context.Context, tx pgx.Tx, categoryID int64, n int) error {
	if _, err := tx.Exec(ctx, `UPDATE results_announcements SET emails = $2 WHERE category_id = $1`, categoryID, n); err != nil {
		return fmt.Errorf("results: set emails: %w", err)
	}
	return nil
}

// recipientColumns select a Recipient from semi_finalists s (or awards w) joined as in
// Recipients.
const recipientColumns = `a.id, coalesce(r.user_id, 0), r.name, r.email, r.candidate, r.co_nominator, a.kind,
	CASE WHEN a.kind = 'nomination' THEN coalesce(n.candidate_name, '')
	     ELSE coalesce(a.answers -> 'project_title' ->> 'text', '') END,
	coalesce(w.id, 0), coalesce(w.place, 0), coalesce(w.prize_name, '')`

func scanRecipient(r pgx.CollectableRow) (Recipient, error) {
	var x Recipient
	err := r.Scan(&x.ApplicationID, &x.UserID, &x.Name, &x.Email, &x.Candidate, &x.CoNominator, &x.Kind, &x.Title, &x.AwardID, &x.Place, &x.Prize)
	return x, err
}

// Recipients lists the confirmed semi-finalists of categoryID (on its confirmed list, still
// submitted, with an active account), each with its current award if any: one row for the
// account, then one for a nomination's candidate (entry_addressees; the candidate is the
// participant and is told too).
func Recipients(ctx context.Context, q db.DBTX, categoryID int64) ([]Recipient, error) {
	return db.List(ctx, q, "results: recipients", scanRecipient, `
		SELECT `+recipientColumns+`
		FROM semi_finalists s
		JOIN semi_finalist_lists l ON l.edition_id = s.edition_id AND l.category_id = s.category_id
		JOIN applications a ON a.id = s.application_id
		JOIN users u ON u.id = a.user_id
		JOIN entry_addressees r ON r.application_id = a.id
		LEFT JOIN nominations n ON n.application_id = a.id
		LEFT JOIN awards w ON w.application_id = a.id AND w.status = 'confirmed'
		WHERE s.category_id = $1 AND a.status = 'submitted' AND u.deactivated_at IS NULL
		ORDER BY w.place NULLS LAST, a.id, r.candidate, r.co_nominator`, categoryID)
}

// DueVideoEmails lists the video emails due in editionID at now, for the video deadline
// deadline (VideoDeadline): nothing from the deadline on; the request to every current winner
// of an announced category who has none (a successor, or a winner whose category was announced
// without it); and the reminder to winners without a video whose request went out at least a
// day before, at Stage1Day within the last day before the deadline and Stage3Days within the
// three days before, each stage once (a winner reached only in the last day gets the one-day
// reminder alone). Each email is listed once per addressee (entry_addressees: the account, then
// a nomination's candidate), in a row.
func DueVideoEmails(ctx context.Context, q db.DBTX, editionID int64, deadline, now time.Time) ([]VideoDue, error) {
	if !now.Before(deadline) {
		return nil, nil
	}
	stage := ""
	switch {
	case !now.Before(deadline.Add(-24 * time.Hour)):
		stage = Stage1Day
	case !now.Before(deadline.Add(-72 * time.Hour)):
		stage = Stage3Days
	}
	return db.List(ctx, q, "results: due video emails", func(r pgx.CollectableRow) (VideoDue, error) {
		var x VideoDue
		err := r.Scan(&x.ApplicationID, &x.UserID, &x.Name, &x.Email, &x.Candidate, &x.Kind, &x.Title, &x.AwardID, &x.Place, &x.Prize,
			&x.CategoryID, &x.Stage)
		return x, err
	}, `
		WITH winners AS (
			SELECT w.*, x.stage
			FROM awards w
			CROSS JOIN LATERAL (
				SELECT 'request' AS stage
				WHERE NOT EXISTS (SELECT 1 FROM video_emails e WHERE e.award_id = w.id AND e.stage = 'request')
				UNION ALL
				SELECT @stage::text WHERE @stage::text <> ''
				  AND NOT EXISTS (SELECT 1 FROM ceremony_videos c WHERE c.award_id = w.id)
				  AND EXISTS (SELECT 1 FROM video_emails e WHERE e.award_id = w.id AND e.stage = 'request' AND e.sent_at <= @now::timestamptz - interval '1 day')
				  AND NOT EXISTS (SELECT 1 FROM video_emails e WHERE e.award_id = w.id AND e.stage IN (@stage::text, CASE WHEN @stage::text = '3d' THEN '1d' END))
			) x
			WHERE w.edition_id = @edition AND w.status = 'confirmed'
			  AND EXISTS (SELECT 1 FROM results_announcements r WHERE r.category_id = w.category_id))
		SELECT a.id, coalesce(r.user_id, 0), r.name, r.email, r.candidate, a.kind,
		       CASE WHEN a.kind = 'nomination' THEN coalesce(n.candidate_name, '')
		            ELSE coalesce(a.answers -> 'project_title' ->> 'text', '') END,
		       w.id, w.place, w.prize_name, w.category_id, w.stage
		FROM winners w
		JOIN applications a ON a.id = w.application_id
		JOIN users u ON u.id = a.user_id
		JOIN entry_addressees r ON r.application_id = a.id AND NOT r.co_nominator
		LEFT JOIN nominations n ON n.application_id = a.id
		WHERE u.deactivated_at IS NULL
		ORDER BY w.id, w.stage = 'request' DESC, r.candidate`, pgx.NamedArgs{"edition": editionID, "stage": stage, "now": now})
}

// ClaimVideoEmail records in tx that the video email of awardID at stage is sent at now and
// reports whether this call did it (false: already sent, by a concurrent run).
func ClaimVideoEmail(ctx context.Context, tx pgx.Tx, awardID int64, stage string, now time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO video_emails (award_id, stage, sent_at) VALUES ($1, $2, $3)
		ON CONFLICT (award_id, stage) DO NOTHING`, awardID, stage, now)
	if err != nil {
		return false, fmt.Errorf("results: claim video email: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// awardQuery selects a current Award from awards w (a its application); the caller adds the
// filter of who may see it.
const awardQuery = `
	SELECT w.id, w.application_id, w.edition_id, w.category_id, w.place, w.prize_name, a.kind,
	       CASE WHEN a.kind = 'nomination' THEN coalesce(n.candidate_name, '')
	            ELSE coalesce(a.answers -> 'project_title' ->> 'text', '') END,
	       c.url, c.submitted_at, c.updated_at, coalesce(su.name, c.submitted_by_candidate, ''), c.submitted_by_candidate IS NOT NULL
	FROM awards w
	JOIN applications a ON a.id = w.application_id
	LEFT JOIN nominations n ON n.application_id = a.id
	LEFT JOIN ceremony_videos c ON c.award_id = w.id
	LEFT JOIN users su ON su.id = c.submitted_by
	WHERE w.status = 'confirmed'`

func scanAward(r pgx.CollectableRow) (Award, error) {
	var x Award
	var u *string
	var sub, upd *time.Time
	var by string
	var byCandidate bool
	if err := r.Scan(&x.ID, &x.ApplicationID, &x.EditionID, &x.CategoryID, &x.Place, &x.Prize, &x.Kind, &x.Title, &u, &sub, &upd, &by, &byCandidate); err != nil {
		return x, err
	}
	if u != nil {
		x.Video = &Video{URL: *u, SubmittedAt: *sub, UpdatedAt: *upd, By: by, ByCandidate: byCandidate}
	}
	return x, nil
}

// OwnAward loads current award awardID when it is userID's (the account of the application:
// for a nomination the nominator): db.ErrNotFound for anyone else and for an award that is no
// longer current.
func OwnAward(ctx context.Context, q db.DBTX, userID, awardID int64) (*Award, error) {
	return oneAward(ctx, q, awardQuery+` AND a.user_id = @user AND w.id = @award`, pgx.NamedArgs{"user": userID, "award": awardID})
}

// CandidateAward loads current award awardID for the candidate of its nomination (the caller
// opened their private link to it, OpenCandidateLink): db.ErrNotFound for an award that is no
// longer current.
func CandidateAward(ctx context.Context, q db.DBTX, awardID int64) (*Award, error) {
	return oneAward(ctx, q, awardQuery+` AND a.kind = 'nomination' AND w.id = @award`, pgx.NamedArgs{"award": awardID})
}

func oneAward(ctx context.Context, q db.DBTX, sql string, args pgx.NamedArgs) (*Award, error) {
	rows, err := q.Query(ctx, sql, args)
	if err != nil {
		return nil, fmt.Errorf("results: award: %w", err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAward)
	return db.One(&a, err, "results: award")
}

// OwnAwards lists userID's current awards in editionID.
func OwnAwards(ctx context.Context, q db.DBTX, userID, editionID int64) ([]Award, error) {
	return db.List(ctx, q, "results: awards", scanAward, awardQuery+` AND a.user_id = @user AND w.edition_id = @edition ORDER BY w.id`, pgx.NamedArgs{"user": userID, "edition": editionID})
}

// SaveVideo records (or replaces) the video link of award awardID, given by by (the account, or
// the candidate through their link) at now. The caller checks the link (CheckVideoURL), who may
// give it (OwnAward, OpenCandidateLink) and the deadline.
func SaveVideo(ctx context.Context, tx pgx.Tx, awardID int64, by By, link string, now time.Time) error {
	user, candidate := by.Columns()
	_, err := tx.Exec(ctx, `
		INSERT INTO ceremony_videos (award_id, url, submitted_by, submitted_by_candidate, submitted_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
		ON CONFLICT (award_id) DO UPDATE SET url = excluded.url, submitted_by = excluded.submitted_by,
			submitted_by_candidate = excluded.submitted_by_candidate, updated_at = excluded.updated_at`,
		awardID, link, user, candidate, now)
	if err != nil {
		return fmt.Errorf("results: save video: %w", err)
	}
	return nil
}

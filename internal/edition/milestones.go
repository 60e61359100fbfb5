package edition

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
)

// Announcement names an announcement step of an edition's schedule (DOMAIN.md "Schedule"): the
// instant an outcome becomes public, on the status timeline and the public pages, and its emails
// go out.
type Announcement string

// The announcement steps: round 1's outcome at the end of the screening window, round 2's
// semi-finalists, round 3's winners.
const (
	ScreeningEnd           Announcement = "screening_end"
	SemiFinalistsAnnounced Announcement = "semi_finalists_announced"
	WinnersAnnounced       Announcement = "winners_announced"
)

// At is the instant of milestone m in s; the zero time for an unknown milestone.
func (s Schedule) At(m Announcement) time.Time {
	switch m {
	case ScreeningEnd:
		return s.Screening.End
	case SemiFinalistsAnnounced:
		return s.SemiFinalistsAnnounced
	case WinnersAnnounced:
		return s.WinnersAnnounced
	}
	return time.Time{}
}

// MilestoneAtSQL is the SQL of the instant of the milestone in column milestone of the row
// aliased row, read from the editions row aliased ed: the schedule as it stands when the
// statement runs.
func MilestoneAtSQL(row, ed string) string {
	return fmt.Sprintf(`CASE %[1]s.milestone WHEN 'screening_end' THEN %[2]s.screening_end
		WHEN 'semi_finalists_announced' THEN %[2]s.semi_finalists_announced
		WHEN 'winners_announced' THEN %[2]s.winners_announced END`, row, ed)
}

// RecordMilestones records in q, for every edition, the milestones whose instant has come at now,
// each at its instant as the schedule says it now; a milestone already recorded keeps its first
// record (the applicant's status timeline shows the steps passed as they happened).
func RecordMilestones(ctx context.Context, q db.DBTX, now time.Time) error {
	_, err := q.Exec(ctx, `
		INSERT INTO edition_milestones (edition_id, milestone, reached_at)
		SELECT e.id, m.milestone, m.at FROM editions e
		CROSS JOIN LATERAL (VALUES ('screening_end', e.screening_end),
			('semi_finalists_announced', e.semi_finalists_announced),
			('winners_announced', e.winners_announced)) m (milestone, at)
		WHERE m.at <= $1
		ON CONFLICT (edition_id, milestone) DO NOTHING`, now)
	if err != nil {
		return fmt.Errorf("edition: record milestones: %w", err)
	}
	return nil
}

// Reached is when each milestone of an edition came, as recorded when it came (RecordMilestones);
// a milestone not recorded yet is missing.
type Reached map[Announcement]time.Time

// MilestonesReached returns the milestones of edition id recorded as reached.
func MilestonesReached(ctx context.Context, q db.DBTX, id int64) (Reached, error) {
	type row struct {
		Milestone Announcement `db:"milestone"`
		ReachedAt time.Time    `db:"reached_at"`
	}
	rows, err := db.List(ctx, q, "edition: milestones reached", pgx.RowToStructByName[row],
		`SELECT milestone, reached_at FROM edition_milestones WHERE edition_id = $1`, id)
	if err != nil {
		return nil, err
	}
	out := Reached{}
	for _, r := range rows {
		out[r.Milestone] = r.ReachedAt
	}
	return out, nil
}

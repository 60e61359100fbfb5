package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
)

// Release sends the messages whose milestone has come at now (Message.Announces): in one
// transaction it records the editions' milestones reached (edition.RecordMilestones, which the
// status timeline reads), marks every waiting message whose milestone's instant, read from its
// edition now, is not after now as released, and queues their send jobs. It returns how many it
// released. A message whose date moved is released at the new date, without any rescheduling:
// the date is read here, at release time. Safe to repeat and to run on several instances (a
// message locked by another run is left to it).
func (o *Outbox) Release(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := db.InTx(ctx, o.pool, func(tx pgx.Tx) error {
		if err := edition.RecordMilestones(ctx, tx, now); err != nil {
			return err
		}
		ids, err := db.List(ctx, tx, "notify: release", pgx.RowTo[int64], `
			UPDATE email_outbox SET released_at = $1
			WHERE id IN (
				SELECT o.id FROM email_outbox o JOIN editions e ON e.id = o.edition_id
				WHERE o.milestone IS NOT NULL AND o.released_at IS NULL AND o.sent_at IS NULL
				  AND `+edition.MilestoneAtSQL("o", "e")+` <= $1
				FOR UPDATE OF o SKIP LOCKED)
			RETURNING id`, now)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		jobs := make([]river.InsertManyParams, len(ids))
		for i, id := range ids {
			jobs[i] = river.InsertManyParams{Args: sendArgs{OutboxID: id}}
		}
		if _, err := o.river.InsertManyTx(ctx, tx, jobs); err != nil {
			return fmt.Errorf("notify: release: jobs: %w", err)
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// ReleaseTask is the periodic task "outbox-release" (Release at now()), every minute: an
// announcement email goes out within a minute of its milestone.
func (o *Outbox) ReleaseTask(now func() time.Time) Task {
	return Task{Name: "outbox-release", Every: time.Minute, Run: func(ctx context.Context) error {
		_, err := o.Release(ctx, now())
		return err
	}}
}

package throttle

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// Quota is one limit Take counts against: at most Policy.Max events of Policy.Kind for Key
// within Policy.Window.
type Quota struct {
	Policy Policy
	Key    string
}

// LimitError means a quota is used up: Quota names it, Count is how many events it holds, and
// Wait is how long until the oldest of them leaves the window.
type LimitError struct {
	Quota Quota
	Count int
	Wait  time.Duration
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("throttle: %s limit of %d reached", e.Quota.Policy.Kind, e.Quota.Policy.Max)
}

// Take records one event under every quota at now, or none: when a quota already holds its
// Max events within its Window, Take records nothing and returns a *LimitError for the first
// such quota in the order given. Quotas without a Max are only recorded.
//
// Take is atomic under parallel requests and across instances: before counting, it takes a
// transaction-level advisory lock on each (kind, key), in one fixed order so that two Takes never
// wait for each other in a circle. A simultaneous Take on the same key waits until tx ends and
// then, its count being a new statement, sees the events tx recorded. The events count once tx
// commits; a rolled-back tx (a refusal further on, an error) records nothing.
func Take(ctx context.Context, tx pgx.Tx, now time.Time, quotas ...Quota) error {
	locks := slices.Clone(quotas)
	slices.SortFunc(locks, func(a, b Quota) int {
		return cmp.Or(cmp.Compare(a.Policy.Kind, b.Policy.Kind), cmp.Compare(a.Key, b.Key))
	})
	for _, q := range slices.Compact(locks) {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('throttle ' || $1 || ' ' || $2, 0))`,
			q.Policy.Kind, q.Key); err != nil {
			return fmt.Errorf("throttle: lock %s: %w", q.Policy.Kind, err)
		}
	}
	for _, q := range quotas {
		if q.Policy.Max <= 0 {
			continue
		}
		var (
			n      int
			oldest *time.Time
		)
		if err := tx.QueryRow(ctx, `SELECT count(*), min(at) FROM throttle_events WHERE kind = $1 AND key = $2 AND at > $3`,
			q.Policy.Kind, q.Key, now.Add(-q.Policy.Window)).Scan(&n, &oldest); err != nil {
			return fmt.Errorf("throttle: count %s: %w", q.Policy.Kind, err)
		}
		if n >= q.Policy.Max {
			wait := q.Policy.Window
			if oldest != nil {
				wait = max(oldest.Add(q.Policy.Window).Sub(now), 0)
			}
			return &LimitError{Quota: q, Count: n, Wait: wait}
		}
	}
	for _, q := range quotas {
		if _, err := tx.Exec(ctx, `DELETE FROM throttle_events WHERE kind = $1 AND key = $2 AND at <= $3`,
			q.Policy.Kind, q.Key, now.Add(-q.Policy.Window)); err != nil {
			return fmt.Errorf("throttle: prune %s: %w", q.Policy.Kind, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO throttle_events (kind, key, at) VALUES ($1, $2, $3)`, q.Policy.Kind, q.Key, now); err != nil {
			return fmt.Errorf("throttle: take %s: %w", q.Policy.Kind, err)
		}
	}
	return nil
}

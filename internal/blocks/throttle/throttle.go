// Package throttle limits abuse (password guessing, mass registration, reset floods) with counts
// kept in Postgres, so a limit holds across every instance of the portal.
package throttle

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/i18n"
)

// Policy limits events of one kind per key (an account, an IP address).
//
// Within Window, the first Free events pass freely; after that each further attempt must wait a
// delay that doubles from one second up to MaxDelay after the latest event; from LockAfter events
// on, the key is locked for LockFor after the latest event; and no more than Max events are
// allowed in Window at all (0: no such cap).
type Policy struct {
	Kind      string
	Window    time.Duration
	Free      int
	MaxDelay  time.Duration
	LockAfter int
	LockFor   time.Duration
	Max       int
}

// The portal's limits.
var (
	// SignInAccount counts failed sign-ins per account.
	SignInAccount = Policy{Kind: "signin-account", Window: 15 * time.Minute, Free: 3, MaxDelay: time.Minute, LockAfter: 10, LockFor: 15 * time.Minute}
	// SignInIP counts failed sign-ins per client address, across accounts.
	SignInIP = Policy{Kind: "signin-ip", Window: 15 * time.Minute, Free: 10, MaxDelay: time.Minute, LockAfter: 50, LockFor: 15 * time.Minute}
	// TwoFactor counts wrong second-factor codes per account.
	TwoFactor = Policy{Kind: "two-factor", Window: 15 * time.Minute, Free: 3, MaxDelay: time.Minute, LockAfter: 10, LockFor: 15 * time.Minute}
	// Register counts registration attempts per client address, whatever their outcome.
	Register = Policy{Kind: "register", Window: time.Hour, Max: 10}
	// RegisterNotice counts the emails telling the owner of an address that someone tried to
	// register with it, per account.
	RegisterNotice = Policy{Kind: "register-notice", Window: 24 * time.Hour, Max: 3}
	// ResetRequest counts password-reset requests per client address.
	ResetRequest = Policy{Kind: "reset-request", Window: time.Hour, Max: 5}
)

// Check returns how long key must wait before its next attempt under p (0: it may go now).
func Check(ctx context.Context, q db.DBTX, p Policy, key string, now time.Time) (time.Duration, error) {
	_, wait, err := check(ctx, q, p, key, now)
	return wait, err
}

// check returns how many events key has under p within its window, and how long it must wait.
func check(ctx context.Context, q db.DBTX, p Policy, key string, now time.Time) (int, time.Duration, error) {
	var (
		n              int
		oldest, latest *time.Time
	)
	err := q.QueryRow(ctx, `
		SELECT count(*), min(at), max(at) FROM throttle_events
		WHERE kind = $1 AND key = $2 AND at > $3`, p.Kind, key, now.Add(-p.Window)).Scan(&n, &oldest, &latest)
	if err != nil {
		return 0, 0, fmt.Errorf("throttle: check %s: %w", p.Kind, err)
	}
	var wait time.Duration
	if p.Max > 0 && n >= p.Max && oldest != nil {
		wait = max(wait, oldest.Add(p.Window).Sub(now))
	}
	if p.LockAfter > 0 && n >= p.LockAfter && latest != nil {
		wait = max(wait, latest.Add(p.LockFor).Sub(now))
	} else if p.Free > 0 && n >= p.Free && latest != nil {
		delay := time.Duration(math.Pow(2, float64(n-p.Free))) * time.Second
		if p.MaxDelay > 0 && delay > p.MaxDelay {
			delay = p.MaxDelay
		}
		wait = max(wait, latest.Add(delay).Sub(now))
	}
	return n, max(wait, 0), nil
}

// Limit is a policy applied to one key.
type Limit struct {
	Policy Policy
	Key    string
}

// Attempt is one attempt counted by Take: its event under each limit.
type Attempt struct {
	events map[string]int64 // policy kind -> throttle_events.id
}

// Take counts one attempt under every limit as one atomic step, before the caller does the work
// the limits guard (checking a password, creating an account), so that parallel attempts see each
// other: it locks each (kind, key) with a transaction-scoped advisory lock, checks them all, and
// when none asks to wait records one event under each and commits. When a limit asks to wait,
// it records nothing and returns the longest wait.
//
// q is the pool, so the attempt is committed at once; in a transaction the locks and the events
// are held until that transaction ends (a rolled-back transaction records nothing).
func Take(ctx context.Context, q beginner, now time.Time, limits ...Limit) (Attempt, time.Duration, error) {
	a, _, wait, err := take(ctx, q, now, limits)
	return a, wait, err
}

// LimitError means a limit asks to wait: Limit is the first such limit in the order given to
// TakeAll, Count the events it holds within its window, and Wait how long until it lets the
// next one go.
type LimitError struct {
	Limit Limit
	Count int
	Wait  time.Duration
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("throttle: %s limit reached (%d events)", e.Limit.Policy.Kind, e.Count)
}

// TakeAll is Take for a caller inside transaction tx that must say which limit refused: it
// returns a *LimitError naming the first limit, in the order given, that asks to wait.
func TakeAll(ctx context.Context, tx pgx.Tx, now time.Time, limits ...Limit) error {
	_, refused, _, err := take(ctx, tx, now, limits)
	if err != nil {
		return err
	}
	if refused != nil {
		return refused
	}
	return nil
}

type beginner interface {
	Begin(context.Context) (pgx.Tx, error)
}

// take is Take and TakeAll: the attempt, the first limit in the given order that asks to wait,
// and the longest wait.
func take(ctx context.Context, q beginner, now time.Time, limits []Limit) (Attempt, *LimitError, time.Duration, error) {
	// Lock in one order (kind, key) so two attempts that share limits cannot deadlock.
	sorted := slices.SortedFunc(slices.Values(limits), func(a, b Limit) int {
		return cmp.Or(cmp.Compare(a.Policy.Kind, b.Policy.Kind), cmp.Compare(a.Key, b.Key))
	})
	a := Attempt{events: make(map[string]int64, len(sorted))}
	var (
		wait    time.Duration
		refused *LimitError
	)
	err := pgx.BeginFunc(ctx, q, func(tx pgx.Tx) error {
		for _, l := range slices.Compact(slices.Clone(sorted)) {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1 || chr(31) || $2, 0))`, l.Policy.Kind, l.Key); err != nil {
				return fmt.Errorf("throttle: lock %s: %w", l.Policy.Kind, err)
			}
		}
		for _, l := range limits {
			n, w, err := check(ctx, tx, l.Policy, l.Key, now)
			if err != nil {
				return err
			}
			if w > 0 && refused == nil {
				refused = &LimitError{Limit: l, Count: n, Wait: w}
			}
			wait = max(wait, w)
		}
		if wait > 0 {
			return nil
		}
		for _, l := range sorted {
			if _, err := tx.Exec(ctx, `DELETE FROM throttle_events WHERE kind = $1 AND key = $2 AND at <= $3`, l.Policy.Kind, l.Key, now.Add(-l.Policy.Window)); err != nil {
				return fmt.Errorf("throttle: prune %s: %w", l.Policy.Kind, err)
			}
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO throttle_events (kind, key, at) VALUES ($1, $2, $3) RETURNING id`, l.Policy.Kind, l.Key, now).Scan(&id); err != nil {
				return fmt.Errorf("throttle: take %s: %w", l.Policy.Kind, err)
			}
			a.events[l.Policy.Kind] = id
		}
		return nil
	})
	if err != nil {
		return Attempt{}, nil, 0, err
	}
	if wait > 0 {
		return Attempt{}, refused, wait, nil
	}
	return a, nil, 0, nil
}

// Forget uncounts the attempt under p: the attempt turned out not to be one p limits (a right
// password does not count as a failed sign-in).
func (a Attempt) Forget(ctx context.Context, q db.DBTX, p Policy) error {
	id, ok := a.events[p.Kind]
	if !ok {
		return nil
	}
	if _, err := q.Exec(ctx, `DELETE FROM throttle_events WHERE id = $1`, id); err != nil {
		return fmt.Errorf("throttle: forget %s: %w", p.Kind, err)
	}
	return nil
}

// Hit counts one event of p's kind for key, and forgets this key's events older than the window.
func Hit(ctx context.Context, q db.DBTX, p Policy, key string, now time.Time) error {
	if _, err := q.Exec(ctx, `DELETE FROM throttle_events WHERE kind = $1 AND key = $2 AND at <= $3`, p.Kind, key, now.Add(-p.Window)); err != nil {
		return fmt.Errorf("throttle: prune %s: %w", p.Kind, err)
	}
	if _, err := q.Exec(ctx, `INSERT INTO throttle_events (kind, key, at) VALUES ($1, $2, $3)`, p.Kind, key, now); err != nil {
		return fmt.Errorf("throttle: hit %s: %w", p.Kind, err)
	}
	return nil
}

// Clear forgets key's events of p's kind (after a successful sign-in, for example).
func Clear(ctx context.Context, q db.DBTX, p Policy, key string) error {
	if _, err := q.Exec(ctx, `DELETE FROM throttle_events WHERE kind = $1 AND key = $2`, p.Kind, key); err != nil {
		return fmt.Errorf("throttle: clear %s: %w", p.Kind, err)
	}
	return nil
}

// Phrase turns a wait into words for the user ("in 1 minute", "in 14 minutes", "in 8 seconds"),
// carried to where it is shown (i18n.Msg): a sentence saying when to try again takes it as a
// value, and the reader's language words both ("1분 후에").
func Phrase(wait time.Duration) string {
	switch {
	case wait <= time.Second:
		return i18n.M("in a second")
	case wait < time.Minute:
		return i18n.Msg("in {{.Seconds}} seconds", "Seconds", int(math.Ceil(wait.Seconds())))
	case wait < 2*time.Minute:
		return i18n.M("in 1 minute")
	default:
		return i18n.Msg("in {{.Minutes}} minutes", "Minutes", int(math.Ceil(wait.Minutes())))
	}
}

package throttle_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/throttle"
)

// TestTakeParallel: of many simultaneous Takes, exactly Max succeed.
func TestTakeParallel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	p := throttle.Policy{Kind: "t-take", Window: time.Hour, Max: 5}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		ok, lim int
	)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
				return throttle.TakeAll(ctx, tx, now, throttle.Limit{Policy: p, Key: "k"})
			})
			var le *throttle.LimitError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.As(err, &le):
				lim++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != 5 || lim != 15 {
		t.Fatalf("%d taken, %d refused; want 5 and 15", ok, lim)
	}
}

// TestTakeAllOrNothing: a refusal on one quota records nothing on the others, and names the
// first used-up quota with how long until it frees.
func TestTakeAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	one := throttle.Limit{Policy: throttle.Policy{Kind: "t-one", Window: time.Hour, Max: 1}, Key: "a"}
	many := throttle.Limit{Policy: throttle.Policy{Kind: "t-many", Window: time.Hour, Max: 5}, Key: "a"}
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	take := func(at time.Time, qs ...throttle.Limit) error {
		return db.InTx(ctx, pool, func(tx pgx.Tx) error { return throttle.TakeAll(ctx, tx, at, qs...) })
	}
	if err := take(now, one, many); err != nil {
		t.Fatal(err)
	}
	err := take(now.Add(10*time.Minute), many, one)
	var le *throttle.LimitError
	if !errors.As(err, &le) || le.Limit != one || le.Count != 1 || le.Wait != 50*time.Minute {
		t.Fatalf("second take: %v (%+v), want the limit of one, 50 minutes to wait", err, le)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM throttle_events WHERE kind = 't-many'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("t-many holds %d events (%v), want 1", n, err)
	}
	if err := take(now.Add(time.Hour), one, many); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
)

// TestJobConfigurationChecked: a job without a name or function, or given twice, is refused
// when the worker is built.
func TestJobConfigurationChecked(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	run := func(context.Context, int64, int, bool) error { return nil }
	for _, jobs := range [][]notify.Job{
		{{Name: "", Run: run}},
		{{Name: "x"}},
		{{Name: "x", Run: run}, {Name: "x", Run: run}},
	} {
		cfg := notifytest.FastWorkerConfig(nil)
		cfg.Jobs = jobs
		if _, err := notify.NewWorker(pool, cfg); err == nil || !strings.Contains(err.Error(), "job") {
			t.Errorf("jobs %+v: err %v", jobs, err)
		}
	}
}

// TestJobRetried: a queued job runs with its id; a failed attempt is retried (attempt 2), and
// only the last attempt is told it is the last.
func TestJobRetried(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	type call struct {
		id      int64
		attempt int
		last    bool
	}
	calls := make(chan call, 10)
	cfg := notifytest.FastWorkerConfig(nil)
	cfg.Jobs = []notify.Job{{Name: "flaky", Run: func(_ context.Context, id int64, attempt int, last bool) error {
		calls <- call{id, attempt, last}
		if attempt == 1 {
			return errors.New("the first attempt fails")
		}
		return nil
	}}}
	w, err := notify.NewWorker(pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := notify.NewOutbox(pool).QueueJob(ctx, tx, "flaky", 42); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	notifytest.StartWorker(t, w)
	for want := 1; want <= 2; want++ {
		select {
		case c := <-calls:
			if c.id != 42 || c.attempt != want || c.last {
				t.Fatalf("call %d: %+v", want, c)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("attempt %d did not run", want)
		}
	}
}

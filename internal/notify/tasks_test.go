package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/notifytest"
)

// TestPeriodicTaskRuns: a task given to the worker runs soon after the worker starts (River's
// leader schedules it) and again every period; a failing run does not stop later ones.
func TestPeriodicTaskRuns(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	var runs atomic.Int32
	cfg := notifytest.FastWorkerConfig(nil)
	cfg.Tasks = []notify.Task{{Name: "count", Every: 500 * time.Millisecond, Run: func(ctx context.Context) error {
		if runs.Add(1) == 1 {
			return errors.New("the first run fails")
		}
		return nil
	}}}
	w, err := notify.NewWorker(pool, cfg)
	if err != nil {
		t.Fatal(err)
	}
	notifytest.StartWorker(t, w)
	deadline := time.Now().Add(30 * time.Second)
	for runs.Load() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("the task ran %d times in 30s; want at least 3", runs.Load())
		}
		time.Sleep(50 * time.Millisecond)
	}
	var kinds int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'task' AND queue = $1 AND args->>'name' = 'count'`,
		notify.TaskQueue).Scan(&kinds); err != nil || kinds < 3 {
		t.Fatalf("task jobs: %d, %v", kinds, err)
	}
}

// TestTaskConfigurationChecked: a task without a name, function or period, or given twice, is
// refused when the worker is built.
func TestTaskConfigurationChecked(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	run := func(context.Context) error { return nil }
	for _, tasks := range [][]notify.Task{
		{{Name: "", Every: time.Hour, Run: run}},
		{{Name: "x", Every: 0, Run: run}},
		{{Name: "x", Every: time.Hour}},
		{{Name: "x", Every: time.Hour, Run: run}, {Name: "x", Every: time.Minute, Run: run}},
	} {
		cfg := notifytest.FastWorkerConfig(nil)
		cfg.Tasks = tasks
		if _, err := notify.NewWorker(pool, cfg); err == nil || !strings.Contains(err.Error(), "task") {
			t.Errorf("tasks %+v: err %v", tasks, err)
		}
	}
}

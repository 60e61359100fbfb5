package app_test

import (
	"testing"
	"time"

	"prizeportal/internal/app"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/export"
	"prizeportal/internal/notify/emails"
)

// TestTasks: the worker gets every domain's periodic task under its name and period.
func TestTasks(t *testing.T) {
	t.Parallel()
	want := map[string]time.Duration{"letter-reminders": 30 * time.Minute, "scoring-reminders": 30 * time.Minute,
		"results-announcement": 30 * time.Minute, "repository-rebuild": 6 * time.Hour, "personal-data-retention": 6 * time.Hour,
		"outbox-release": time.Minute}
	tasks := app.Tasks(usecase.New(nil, nil, emails.Site{}, nil), nil, nil)
	if len(tasks) != len(want) {
		t.Fatalf("%d tasks, want %d", len(tasks), len(want))
	}
	for _, task := range tasks {
		if every, ok := want[task.Name]; !ok || task.Every != every || task.Run == nil {
			t.Errorf("task %q every %v", task.Name, task.Every)
		}
	}
	if jobs := app.Jobs(usecase.New(nil, nil, emails.Site{}, nil), nil, nil); len(jobs) != 1 || jobs[0].Name != export.JobName {
		t.Errorf("jobs: %+v", jobs)
	}
}

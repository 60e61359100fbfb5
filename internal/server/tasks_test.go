package server_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"prizeportal/internal/app"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
)

// runTask runs the periodic task name once, as internal/app registers it (app.Tasks), on e's
// database at the time now tells, with links under the default public address.
func (e *env) runTask(t *testing.T, name string, now func() time.Time) {
	t.Helper()
	d := usecase.New(e.pool, notify.NewOutbox(e.pool), emails.Site{BaseURL: "http://127.0.0.1:8080"}, now)
	for _, task := range app.Tasks(d, nil, slog.New(slog.NewTextHandler(io.Discard, nil))) {
		if task.Name == name {
			if err := task.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no periodic task %q", name)
}

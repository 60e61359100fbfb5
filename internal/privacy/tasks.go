package privacy

import (
	"context"
	"time"

	"prizeportal/internal/notify"
)

// RetentionTask is the periodic task "personal-data-retention" (Retain at the time now tells),
// every six hours, for the worker.
func (s *Service) RetentionTask(now func() time.Time) notify.Task {
	return notify.Task{Name: "personal-data-retention", Every: 6 * time.Hour, Run: func(ctx context.Context) error {
		_, err := s.Retain(ctx, now())
		return err
	}}
}

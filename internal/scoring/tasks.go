package scoring

import (
	"time"

	"prizeportal/internal/notify"
)

// ReminderTask is the periodic task "scoring-reminders" (SendReminders), every half hour, for
// the worker.
func (s *Service) ReminderTask() notify.Task {
	return notify.Task{Name: "scoring-reminders", Every: 30 * time.Minute, Run: s.SendReminders}
}

package app

import (
	"log/slog"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/export"
	"prizeportal/internal/files"
	"prizeportal/internal/nomination"
	"prizeportal/internal/notify"
	"prizeportal/internal/privacy"
	"prizeportal/internal/repository"
	"prizeportal/internal/results"
	"prizeportal/internal/scoring"
)

// Tasks are the portal's periodic tasks, for the worker (notify.WorkerConfig.Tasks), each built
// by its domain on d (the database, the outbox, the public address for links, the clock), the
// file storage and the logger: the release of the announcement emails at their milestones, the
// letter reminders, the scoring reminders, the announcement of the results, the rebuild of the
// best-practice repository and the retention of personal data.
// River's elected leader schedules each, so one instance at a time runs it.
func Tasks(d usecase.Deps, store files.Storage, log *slog.Logger) []notify.Task {
	retention := &privacy.Service{Pool: d.Pool, Files: store, Log: log}
	return []notify.Task{
		d.Outbox.ReleaseTask(d.Now),
		(&nomination.Service{Deps: d}).LetterReminderTask(),
		(&scoring.Service{Deps: d}).ReminderTask(),
		(&results.Service{Deps: d}).AnnouncementTask(),
		repository.RebuildTask(d.Pool),
		retention.RetentionTask(d.Now),
	}
}

// Jobs are the portal's on-demand jobs, for the worker (notify.WorkerConfig.Jobs): the exports,
// with the documents their domains render (export.DomainDocuments).
func Jobs(d usecase.Deps, store files.Storage, log *slog.Logger) []notify.Job {
	return []notify.Job{export.NewJob(export.JobDeps{Pool: d.Pool, Files: store, Logger: log, Now: d.Now,
		Documents: export.DomainDocuments(d.Pool, d.Now)})}
}

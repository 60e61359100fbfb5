package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Job is work queued on demand that must not be lost, such as an export: QueueJob inserts it in
// the transaction that records the request, so it exists if and only if the request commits;
// the Worker runs it on one instance, and a failed run is retried with backoff (River's policy,
// or WorkerConfig.RetryDelay) up to JobMaxAttempts times, also after a restart. Run receives the
// id given to QueueJob, the attempt (1, 2, ...) and whether it is the last one; it must be safe to
// repeat.
type Job struct {
	// Name identifies the job (unique among the jobs of a worker).
	Name string
	Run  func(ctx context.Context, id int64, attempt int, last bool) error
}

// JobQueue is the River queue of on-demand jobs, apart from the email and task queues.
const JobQueue = "job"

// JobMaxAttempts is how many times a job is run before it is given up.
const JobMaxAttempts = 5

// jobTimeout bounds one run of a job (a large export).
const jobTimeout = 30 * time.Minute

// jobArgs is the River job that runs one Job for one id.
type jobArgs struct {
	Name string `json:"name"`
	ID   int64  `json:"id"`
}

// Kind is the River job kind.
func (jobArgs) Kind() string { return "job" }

// InsertOpts puts the job in the job queue with its attempt limit.
func (jobArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: JobQueue, MaxAttempts: JobMaxAttempts}
}

var _ rivertype.JobArgs = jobArgs{}

// QueueJob queues job name for id in tx (see Job).
func (o *Outbox) QueueJob(ctx context.Context, tx pgx.Tx, name string, id int64) error {
	if _, err := o.river.InsertTx(ctx, tx, jobArgs{Name: name, ID: id}, nil); err != nil {
		return fmt.Errorf("notify: queue job %s %d: %w", name, id, err)
	}
	return nil
}

// jobWorker runs the Job a River job names.
type jobWorker struct {
	river.WorkerDefaults[jobArgs]
	jobs       map[string]Job
	log        *slog.Logger
	retryDelay func(attempt int) time.Duration
}

// Timeout bounds a run.
func (w *jobWorker) Timeout(*river.Job[jobArgs]) time.Duration { return jobTimeout }

// NextRetry applies the configured delay; the zero time means River's policy.
func (w *jobWorker) NextRetry(job *river.Job[jobArgs]) time.Time {
	if w.retryDelay == nil {
		return time.Time{}
	}
	return time.Now().Add(w.retryDelay(job.Attempt))
}

// Work runs the job. A job naming a Job this worker does not know is cancelled.
func (w *jobWorker) Work(ctx context.Context, job *river.Job[jobArgs]) error {
	j, ok := w.jobs[job.Args.Name]
	if !ok {
		return river.JobCancel(fmt.Errorf("notify: unknown job %q", job.Args.Name))
	}
	last := job.Attempt >= job.MaxAttempts
	if err := j.Run(ctx, job.Args.ID, job.Attempt, last); err != nil {
		if last {
			w.log.Error("job failed; giving up", "job", j.Name, "id", job.Args.ID, "attempt", job.Attempt, "err", err)
		} else {
			w.log.Warn("job failed; will retry", "job", j.Name, "id", job.Args.ID, "attempt", job.Attempt, "err", err)
		}
		return fmt.Errorf("notify: job %s %d: %w", j.Name, job.Args.ID, err)
	}
	return nil
}

// addJobs registers the job worker and its queue in rc.
func addJobs(rc *river.Config, workers *river.Workers, jobs []Job, log *slog.Logger, retryDelay func(int) time.Duration) error {
	if len(jobs) == 0 {
		return nil
	}
	byName := map[string]Job{}
	for _, j := range jobs {
		switch {
		case j.Name == "" || j.Run == nil:
			return errors.New("notify: a job needs a name and a function")
		case byName[j.Name].Name != "":
			return fmt.Errorf("notify: job %q given twice", j.Name)
		}
		byName[j.Name] = j
	}
	if err := river.AddWorkerSafely(workers, &jobWorker{jobs: byName, log: log, retryDelay: retryDelay}); err != nil {
		return fmt.Errorf("notify: worker: %w", err)
	}
	rc.Queues[JobQueue] = river.QueueConfig{MaxWorkers: 2}
	return nil
}

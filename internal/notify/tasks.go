package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Task is work the Worker runs periodically, such as reminder emails: Run is called about every
// Every, on one instance at a time (River's elected leader schedules it), and once soon after
// the worker starts. Run must be safe to repeat: a run that fails is not retried until the next
// period, and a run may overlap a slow previous one on another instance.
type Task struct {
	// Name identifies the task (unique among the tasks of a worker); it is the job's argument.
	Name  string
	Every time.Duration
	Run   func(context.Context) error
}

// TaskQueue is the River queue of periodic tasks, apart from the email queue so a slow task
// never holds up sending.
const TaskQueue = "task"

// taskTimeout bounds one run of a task.
const taskTimeout = 10 * time.Minute

// taskArgs is the River job that runs one task.
type taskArgs struct {
	Name string `json:"name"`
}

// Kind is the River job kind.
func (taskArgs) Kind() string { return "task" }

// InsertOpts puts the job in the task queue; a failed run waits for the next period.
func (taskArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: TaskQueue, MaxAttempts: 1}
}

var _ rivertype.JobArgs = taskArgs{}

// taskWorker runs the task a job names.
type taskWorker struct {
	river.WorkerDefaults[taskArgs]
	tasks map[string]Task
	log   *slog.Logger
}

// Timeout bounds a run.
func (w *taskWorker) Timeout(*river.Job[taskArgs]) time.Duration { return taskTimeout }

// Work runs the task. A job naming a task this worker does not know (left by another version of
// the portal) is cancelled.
func (w *taskWorker) Work(ctx context.Context, job *river.Job[taskArgs]) error {
	t, ok := w.tasks[job.Args.Name]
	if !ok {
		return river.JobCancel(fmt.Errorf("notify: unknown task %q", job.Args.Name))
	}
	if err := t.Run(ctx); err != nil {
		w.log.Error("periodic task failed; it runs again at its next period", "task", t.Name, "err", err)
		return fmt.Errorf("notify: task %s: %w", t.Name, err)
	}
	return nil
}

// addTasks registers the task worker and the periodic jobs of tasks in rc.
func addTasks(rc *river.Config, workers *river.Workers, tasks []Task, log *slog.Logger) error {
	if len(tasks) == 0 {
		return nil
	}
	byName := map[string]Task{}
	for _, t := range tasks {
		switch {
		case t.Name == "" || t.Run == nil || t.Every <= 0:
			return errors.New("notify: a task needs a name, a function and a period")
		case byName[t.Name].Name != "":
			return fmt.Errorf("notify: task %q given twice", t.Name)
		}
		byName[t.Name] = t
		args := taskArgs{Name: t.Name}
		rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(t.Every),
			func() (river.JobArgs, *river.InsertOpts) { return args, nil },
			&river.PeriodicJobOpts{ID: "task:" + t.Name, RunOnStart: true}))
	}
	if err := river.AddWorkerSafely(workers, &taskWorker{tasks: byName, log: log}); err != nil {
		return fmt.Errorf("notify: worker: %w", err)
	}
	rc.Queues[TaskQueue] = river.QueueConfig{MaxWorkers: 1}
	return nil
}

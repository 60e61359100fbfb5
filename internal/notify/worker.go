package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"prizeportal/internal/blocks/link"
	"prizeportal/internal/db"
)

// WorkerConfig configures a Worker.
type WorkerConfig struct {
	// Sender delivers the messages; nil means a LogSender on Logger.
	Sender Sender
	// Logger receives the worker's warnings and errors (and the LogSender's messages).
	Logger *slog.Logger
	// Concurrency is how many messages one instance sends at once (default 4). Each send holds a
	// database connection while it talks to the mail server.
	Concurrency int
	// RetryDelay returns how long to wait after the given failed attempt (1, 2, ...) before the
	// next one. Nil means River's default backoff (attempt⁴ seconds, with jitter). Tests use a
	// short constant delay.
	RetryDelay func(attempt int) time.Duration
	// PollInterval is how often the worker looks for due messages when no notification wakes it
	// (default 1s). New messages normally wake it at once through LISTEN/NOTIFY.
	PollInterval time.Duration
	// Tasks are run periodically (see Task), in their own queue.
	Tasks []Task
	// Jobs are run on demand (see Job and Outbox.QueueJob), in their own queue.
	Jobs []Job
}

// Worker sends the outbox: a River client working the email queue. Run one per instance; several
// workers on one database share the work and still send each message once.
type Worker struct {
	client *river.Client[pgx.Tx]
	log    *slog.Logger
}

// NewWorker returns a worker on pool; call Start to begin sending.
func NewWorker(pool *pgxpool.Pool, cfg WorkerConfig) (*Worker, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sender := cfg.Sender
	if sender == nil {
		sender = LogSender{Logger: log}
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &sendWorker{pool: pool, sender: sender, log: log, retryDelay: cfg.RetryDelay}); err != nil {
		return nil, fmt.Errorf("notify: worker: %w", err)
	}
	concurrency := cfg.Concurrency
	if concurrency <= 0 {
		concurrency = 4
	}
	rc := &river.Config{
		Logger:      slog.New(warnOnly{log.Handler()}),
		Queues:      map[string]river.QueueConfig{QueueName: {MaxWorkers: concurrency}},
		Workers:     workers,
		JobTimeout:  2 * smtpTimeout,
		MaxAttempts: MaxAttempts,
	}
	if err := addTasks(rc, workers, cfg.Tasks, log); err != nil {
		return nil, err
	}
	if err := addJobs(rc, workers, cfg.Jobs, log, cfg.RetryDelay); err != nil {
		return nil, err
	}
	if cfg.PollInterval > 0 {
		rc.FetchPollInterval = cfg.PollInterval
		rc.FetchCooldown = min(cfg.PollInterval, river.FetchCooldownDefault)
	}
	c, err := river.NewClient(riverpgxv5.New(pool), rc)
	if err != nil {
		return nil, fmt.Errorf("notify: worker: %w", err)
	}
	return &Worker{client: c, log: log}, nil
}

// Start begins sending in the background. The worker keeps running until Stop, whatever
// happens to ctx afterwards.
func (w *Worker) Start(ctx context.Context) error {
	if err := w.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("notify: start worker: %w", err)
	}
	return nil
}

// Stop stops fetching messages and waits for the sends in flight until ctx is done; then it
// cancels them (their jobs are retried later, by this or another instance).
func (w *Worker) Stop(ctx context.Context) error {
	err := w.client.Stop(ctx)
	if err == nil {
		return nil
	}
	w.log.Warn("email worker: sends still in flight at the shutdown deadline; cancelling them", "err", err)
	hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := w.client.StopAndCancel(hard); err != nil {
		return fmt.Errorf("notify: stop worker: %w", err)
	}
	return nil
}

// warnOnly passes on warnings and errors only: River's info messages are noise in the portal's log.
type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

// sendWorker sends one outbox row per job.
type sendWorker struct {
	river.WorkerDefaults[sendArgs]
	pool       *pgxpool.Pool
	sender     Sender
	log        *slog.Logger
	retryDelay func(attempt int) time.Duration
}

// NextRetry applies the configured delay; the zero time means River's policy.
func (w *sendWorker) NextRetry(job *river.Job[sendArgs]) time.Time {
	if w.retryDelay == nil {
		return time.Time{}
	}
	return time.Now().Add(w.retryDelay(job.Attempt))
}

// maxErrorLen caps the stored error text.
const maxErrorLen = 2000

// Work sends the row of job. The row stays locked while it is sent, so a second job for the same
// row (which River never creates, but a rescued stuck job could be one) waits and then skips it.
// Success marks the row sent and completes the job in one transaction.
func (w *sendWorker) Work(ctx context.Context, job *river.Job[sendArgs]) error {
	id := job.Args.OutboxID
	tx, err := w.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("notify: send %d: %w", id, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	e, err := emailByID(ctx, tx, id, "FOR UPDATE OF o")
	if errors.Is(err, db.ErrNotFound) {
		// The row is gone (its user was erased): nothing to send, ever.
		return river.JobCancel(fmt.Errorf("notify: send %d: %w", id, err))
	}
	if err != nil {
		return fmt.Errorf("notify: send %d: %w", id, err)
	}
	if e.Sent() {
		return nil
	}
	if e.Milestone != "" && e.PlannedAt.After(time.Now()) {
		// Its date was postponed after the release: it waits again (Outbox.Release), so it never
		// goes before the outcome it announces is public.
		if _, err := tx.Exec(ctx, `UPDATE email_outbox SET released_at = NULL WHERE id = $1`, id); err != nil {
			return fmt.Errorf("notify: send %d: hold: %w", id, err)
		}
		if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx, job); err != nil {
			return fmt.Errorf("notify: send %d: hold: %w", id, err)
		}
		return tx.Commit(ctx)
	}
	if sendErr := w.sender.Send(ctx, e); sendErr != nil {
		// Record the failure even when ctx was cancelled by a shutdown.
		bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		msg := truncate(sendErr.Error(), maxErrorLen)
		giveUp := job.Attempt >= job.MaxAttempts
		// A message given up is never sent: like a sent one, it keeps no usable link.
		if _, err := tx.Exec(bg, `
			UPDATE email_outbox SET attempts = attempts + 1, last_error = $2,
			       text_body = CASE WHEN $3 THEN $4 ELSE text_body END,
			       html_body = CASE WHEN $3 THEN $5 ELSE html_body END
			WHERE id = $1`, id, msg, giveUp, link.Redact(e.Text), link.Redact(e.HTML)); err != nil {
			return fmt.Errorf("notify: send %d: record failure: %w (send: %w)", id, err, sendErr)
		}
		if err := tx.Commit(bg); err != nil {
			return fmt.Errorf("notify: send %d: record failure: %w (send: %w)", id, err, sendErr)
		}
		if giveUp {
			w.log.Error("email not sent; giving up", "outbox_id", id, "to", e.To, "kind", e.Kind, "attempts", job.Attempt, "err", sendErr)
		} else {
			w.log.Warn("email not sent; will retry", "outbox_id", id, "attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", sendErr)
		}
		return fmt.Errorf("notify: send %d: %w", id, sendErr)
	}
	// The message is out: record it even if ctx ends now, or it would be sent again. Its stored
	// bodies lose the tokens of their private links in the same statement: the recipient has the
	// working links, and the outbox (read by admins, kept until the retention purge, copied into
	// backups) must not hold a credential to someone else's account or nomination.
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if _, err := tx.Exec(bg, `
		UPDATE email_outbox SET attempts = attempts + 1, sent_at = now(), last_error = '', text_body = $2, html_body = $3
		WHERE id = $1`, id, link.Redact(e.Text), link.Redact(e.HTML)); err != nil {
		return fmt.Errorf("notify: send %d: mark sent: %w", id, err)
	}
	if _, err := river.JobCompleteTx[*riverpgxv5.Driver](bg, tx, job); err != nil {
		return fmt.Errorf("notify: send %d: complete job: %w", id, err)
	}
	if err := tx.Commit(bg); err != nil {
		return fmt.Errorf("notify: send %d: mark sent: %w", id, err)
	}
	return nil
}

// truncate shortens s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

var _ rivertype.JobArgs = sendArgs{}

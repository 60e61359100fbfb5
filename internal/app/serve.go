package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/account"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/config"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/server"
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "portal serve", stdout)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	// Listen first: a taken port is reported before anything is started.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on PORTAL_ADDR %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	if cfg.PprofAddr != "" {
		_, stopPprof, err := startPprof(cfg.PprofAddr, log)
		if err != nil {
			return err
		}
		defer stopPprof()
	}

	d, err := openDatabase(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer d.Close()
	if cfg.Local() {
		if err := prepareLocal(ctx, cfg, d, log, stdout); err != nil {
			return err
		}
	}

	keys, err := openKeyring(cfg, stdout)
	if err != nil {
		return err
	}
	if err := sealSecrets(ctx, d.pool, keys, log); err != nil {
		return err
	}

	store, err := files.FromConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("cannot open the file storage: %w", err)
	}
	sessions, stopCleanup := server.NewSessions(cfg, d.pool)
	defer stopCleanup()
	outbox := notify.NewOutbox(d.pool)
	portal := server.New(server.Deps{Config: cfg, Pool: d.pool, Logger: log, Sessions: sessions, Outbox: outbox, Files: store, Secrets: keys})
	uc := usecase.New(d.pool, outbox, emails.Site{BaseURL: cfg.BaseURL.String()}, time.Now)
	worker, err := startMailWorker(ctx, cfg, d.pool, log, Tasks(uc, store, log), Jobs(uc, store, log))
	if err != nil {
		return err
	}
	// The worker stops after the HTTP server (no request can queue more) and before the pool closes.
	stopWorker := sync.OnceValue(func() error {
		stopCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		return worker.Stop(stopCtx)
	})
	defer stopWorker()

	srv := &http.Server{
		Handler:           portal,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "Prize Portal is serving on %s (listening on %s). Press Ctrl-C to stop.\n", cfg.BaseURL, ln.Addr())

	var clusterExited <-chan struct{}
	if d.cluster != nil {
		clusterExited = d.cluster.Exited()
	}
	select {
	case err := <-served:
		return fmt.Errorf("http server: %w", err)
	case <-clusterExited:
		log.Error("the local Postgres stopped unexpectedly; shutting down")
	case <-ctx.Done():
		log.Info("shutting down: finishing requests in flight", "timeout", cfg.ShutdownTimeout)
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := stopWorker(); err != nil {
		log.Warn("email worker stopped with an error", "err", err)
	}
	fmt.Fprintln(stdout, "Prize Portal stopped.")
	return nil
}

// startMailWorker starts the email outbox worker: it sends through PORTAL_SMTP_URL or, when that
// is unset, writes each message to the log. It also runs the portal's periodic tasks (reminders)
// and its on-demand jobs (exports).
func startMailWorker(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, log *slog.Logger, tasks []notify.Task, jobs []notify.Job) (*notify.Worker, error) {
	var sender notify.Sender = notify.LogSender{Logger: log, Redact: cfg.Env == "production"}
	if cfg.SMTPURL != "" {
		s, err := notify.NewSMTPSender(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			return nil, err
		}
		sender = s
	} else if cfg.Env == "production" {
		log.Warn("PORTAL_SMTP_URL is unset: emails are written to the log (private links redacted), not sent")
	}
	w, err := notify.NewWorker(pool, notify.WorkerConfig{Sender: sender, Logger: log, Tasks: tasks, Jobs: jobs,
		RetryDelay: retryDelay(cfg.MailRetryMaxDelay)})
	if err != nil {
		return nil, err
	}
	if err := w.Start(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

// retryDelay is the wait after a failed send attempt (1, 2, ...): River's backoff (attempt⁴
// seconds) capped at limit (PORTAL_MAIL_RETRY_MAX_DELAY); nil, River's own policy, when limit is 0.
func retryDelay(limit time.Duration) func(attempt int) time.Duration {
	if limit <= 0 {
		return nil
	}
	return func(attempt int) time.Duration {
		if attempt >= 200 { // far beyond any cap, and attempt⁴ seconds would soon overflow
			return limit
		}
		return min(time.Duration(attempt*attempt*attempt*attempt)*time.Second, limit)
	}
}

// prepareLocal makes a fresh local installation usable at once: the demo edition (opened for
// applications today) when there is no edition, and a first admin when there is none.
func prepareLocal(ctx context.Context, cfg config.Config, d *database, log *slog.Logger, stdout io.Writer) error {
	if cfg.DemoEdition != "" {
		n, err := edition.Count(ctx, d.pool)
		if err != nil {
			return err
		}
		if n == 0 {
			e, err := importBuiltin(ctx, d, cfg.DemoEdition, true)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Imported the edition %q with its schedule moved so that applications are open today.\n", e)
		}
	}
	n, err := account.AdminCount(ctx, d.pool)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	admin, err := account.CreateAdmin(ctx, d.pool, cfg.AdminEmail, account.DefaultHashParams)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nCreated the first admin account.\n  login:    %s\n  password: %s\n(one-time password: you will be asked to change it at first sign-in)\n\n", admin.LoginID, admin.Password)
	log.Info("first admin created", "login", admin.LoginID)
	return nil
}

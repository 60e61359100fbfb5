// Package app wires the portal together (config -> database -> migrations -> sessions -> server)
// and implements the subcommands of the `portal` binary.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/config"
	"prizeportal/internal/db"
	"prizeportal/internal/tools/localpg"
)

// Version is set at build time (-ldflags "-X prizeportal/internal/app.Version=...").
var Version = "dev"

const usage = `Prize Portal: applications, screening, scoring and voting for a recurring prize.

Usage:
  portal [serve]                      start the web portal (the default)
  portal migrate                      apply database migrations and exit
  portal edition import FILE|NAME [--open-now] [--reason TEXT] [--force]
                                      validate an edition definition (YAML) and store it;
                                      NAME is a built-in edition (seoul-2023, seoul-2024)
  portal edition list                 list stored editions
  portal admin create --email EMAIL   create an admin and print a one-time password
  portal version                      print the version

Run "portal serve --help" for the configuration variables.
`

// Run executes the command in args and returns the process exit code.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = runServe(ctx, args, getenv, stdout, stderr)
	case "migrate":
		err = runMigrate(ctx, args, getenv, stdout, stderr)
	case "edition":
		err = runEdition(ctx, args, getenv, stdout, stderr)
	case "admin":
		err = runAdmin(ctx, args, getenv, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "portal", Version)
	case "help", "--help", "-help", "-h":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "portal: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintln(stderr, "portal:", err)
		return 1
	}
}

var errUsage = errors.New("usage")

// newFlags returns a flag set whose --help also lists the configuration variables.
func newFlags(name, synopsis string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: %s\n\n", synopsis)
		fs.PrintDefaults()
		fmt.Fprintln(stdout)
		config.WriteHelp(stdout)
	}
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// database is an open pool plus, in local mode, the cluster that serves it.
type database struct {
	pool    *pgxpool.Pool
	cluster *localpg.Cluster
}

func (d *database) Close() {
	if d.pool != nil {
		d.pool.Close()
	}
	if d.cluster != nil {
		_ = d.cluster.Stop()
	}
}

// openDatabase connects to DATABASE_URL or, when it is unset, starts the local cluster under
// PORTAL_DATA_DIR. When migrate is true the migrations are applied.
func openDatabase(ctx context.Context, cfg config.Config, log *slog.Logger, migrate bool) (*database, error) {
	d := &database{}
	url := cfg.DatabaseURL
	if cfg.Local() {
		dataDir := filepath.Join(cfg.DataDir, "pgdata")
		log.Info("starting the local Postgres (DATABASE_URL is unset)", "data_dir", dataDir)
		c, err := localpg.Start(ctx, localpg.Options{DataDir: dataDir, Database: "prizeportal"})
		if err != nil {
			return nil, err
		}
		d.cluster = c
		url = c.URL("")
		if c.Relocated() {
			if abs, err := filepath.Abs(dataDir); err == nil {
				dataDir = abs
			}
			log.Info(fmt.Sprintf("the local Postgres keeps its data in %s, because the postgres user (which runs it) may not enter PORTAL_DATA_DIR; %s links there. To delete it, stop the portal and run: rm -rf %s %s",
				c.DataDir(), dataDir, filepath.Dir(c.DataDir()), dataDir), "data_dir", c.DataDir())
		}
		if kept := c.SetAside(); kept != "" {
			log.Warn(fmt.Sprintf("the local Postgres of an earlier start from this folder (its link in %s was deleted) was kept in %s, and this start begins with a new database. To go back to the earlier one, stop the portal and run: rm -rf %s && mv %s %s. To free its space: rm -rf %s",
				dataDir, kept, c.DataDir(), kept, c.DataDir(), kept), "kept", kept)
		}
	}
	pool, err := db.Open(ctx, url, cfg.DBMaxConns)
	if err != nil {
		d.Close()
		return nil, err
	}
	d.pool = pool
	if migrate {
		applied, err := db.Migrate(ctx, pool, log)
		if err != nil {
			d.Close()
			return nil, err
		}
		if len(applied) > 0 {
			log.Info("migrations applied", "count", len(applied))
		}
	}
	return d, nil
}

// openFromEnv loads the configuration and opens the database for a one-shot subcommand.
func openFromEnv(ctx context.Context, getenv func(string) string, stderr io.Writer, migrate bool) (*database, *slog.Logger, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, nil, err
	}
	log := newLogger(cfg, stderr)
	d, err := openDatabase(ctx, cfg, log, migrate)
	return d, log, err
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "portal migrate", stdout)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	d, log, err := openFromEnv(ctx, getenv, stderr, false)
	if err != nil {
		return err
	}
	defer d.Close()
	applied, err := db.Migrate(ctx, d.pool, log)
	if err != nil {
		return err
	}
	for _, a := range applied {
		fmt.Fprintln(stdout, "applied", filepath.Base(a))
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "database is up to date")
	}
	return nil
}

package load

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/tools/localpg"
)

const usage = `load: drive a running Prize Portal like its users and report throughput, latency
percentiles (p50, p95, p99, max), errors and the server's memory.

Usage:
  load seed   (-database-url URL | -data-dir DIR) [-manifest FILE] [-applicants N] [-prefix P]
              write the scenarios' data: applicants of the open edition, a round-2 edition with
              1,000 entries, an evaluator with 100 of them, a secretariat member, a sealed entry
              with 3 sheets and its committee head; idempotent
  load surge  -url URL -manifest FILE [-window 60s] [-database-url URL] [-pid PID]
              the deadline surge: every applicant signs in, then within the window saves every
              section, uploads a PDF and submits; every acknowledged submission is then checked
  load steady -url URL -manifest FILE [-conns 20] [-duration 10s] [-pages LIST] [-pid PID]
              each page at a fixed number of connections, every one with its own session;
              pages: signin, evaluator, secretariat, sheets, save, results, repository
  load bench  -portal bin/portal -data-dir var/bench [...]
              all of it on a throwaway local Postgres and portal, then one table against the
              targets (README "Performance"; what make bench runs)

-pid PID reads the server's resident memory from /proc/PID/status during each scenario.
DATABASE_URL is used when -database-url is not given.
`

// Main runs the load command with args and returns its exit code.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	logf := func(format string, a ...any) {
		fmt.Fprintf(stderr, "%s load: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, a...))
	}
	var err error
	switch args[0] {
	case "seed":
		err = runSeed(ctx, args[1:], getenv, stdout, logf)
	case "surge", "steady", "browse":
		err = runScenario(ctx, args[0], args[1:], getenv, stdout, logf)
	case "bench":
		err = runBench(ctx, args[1:], stdout, logf)
	default:
		fmt.Fprintf(stderr, "load: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "load:", err)
	return 1
}

var errUsage = errors.New("usage")

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "load %s: unexpected arguments %q\n", fs.Name(), fs.Args())
		return errUsage
	}
	return nil
}

// openDB opens url, or the local cluster under dataDir (started here, stopped by the returned
// function) when url is empty.
func openDB(ctx context.Context, dbURL, dataDir string) (*pgxpool.Pool, func(), error) {
	var cluster *localpg.Cluster
	if dbURL == "" {
		if dataDir == "" {
			return nil, nil, errors.New("give -database-url (or DATABASE_URL) or -data-dir")
		}
		c, err := localpg.Start(ctx, localpg.Options{DataDir: filepath.Join(dataDir, "pgdata"), Database: "prizeportal"})
		if err != nil {
			return nil, nil, err
		}
		cluster, dbURL = c, c.URL("")
	}
	pool, err := db.Open(ctx, dbURL, 4)
	if err != nil {
		if cluster != nil {
			_ = cluster.Stop()
		}
		return nil, nil, err
	}
	return pool, func() {
		pool.Close()
		if cluster != nil {
			_ = cluster.Stop()
		}
	}, nil
}

func runSeed(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer, logf func(string, ...any)) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dbURL := fs.String("database-url", getenv("DATABASE_URL"), "the portal's database")
	dataDir := fs.String("data-dir", "", "without a database URL: the portal's PORTAL_DATA_DIR (its local Postgres is started)")
	manifest := fs.String("manifest", "load-manifest.json", "where to write what was seeded")
	cfg := DefaultSeed
	fs.IntVar(&cfg.Applicants, "applicants", cfg.Applicants, "applicant accounts for the surge")
	fs.StringVar(&cfg.Prefix, "prefix", cfg.Prefix, "login prefix of the applicants (a new one gives a fresh set for another surge)")
	fs.IntVar(&cfg.Entries, "entries", cfg.Entries, "submitted entries in the round-2 edition")
	fs.IntVar(&cfg.Assigned, "assigned", cfg.Assigned, "entries assigned to the evaluator")
	fs.StringVar(&cfg.Password, "password", cfg.Password, "password of every seeded account")
	if err := parse(fs, args); err != nil {
		return err
	}
	pool, closeDB, err := openDB(ctx, *dbURL, *dataDir)
	if err != nil {
		return err
	}
	defer closeDB()
	if _, err := db.Migrate(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		return err
	}
	m, err := Seed(ctx, pool, cfg, logf)
	if err != nil {
		return err
	}
	if err := m.WriteFile(*manifest); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Seeded; the manifest is %s.\n", *manifest)
	return nil
}

func runScenario(ctx context.Context, name string, args []string, getenv func(string) string, stdout io.Writer, logf func(string, ...any)) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	base := fs.String("url", "http://127.0.0.1:8080", "the running portal")
	manifest := fs.String("manifest", "load-manifest.json", "the manifest written by load seed")
	pid := fs.Int("pid", 0, "the portal's process id, for its memory")
	dbURL := fs.String("database-url", getenv("DATABASE_URL"), "surge: check the submissions in this database (else on the portal's pages)")
	window := fs.Duration("window", 60*time.Second, "surge: the window within which every applicant submits")
	applicants := fs.Int("applicants", 0, "surge: how many of the manifest's applicants take part (0: all)")
	conns := fs.Int("conns", 20, "steady: connections per page")
	duration := fs.Duration("duration", 10*time.Second, "steady: measured time per page")
	warmup := fs.Duration("warmup", 2*time.Second, "steady: unmeasured time per page before")
	pageList := fs.String("pages", "", "steady: comma-separated pages (signin, evaluator, secretariat, sheets, save, results, repository); default all")
	if err := parse(fs, args); err != nil {
		return err
	}
	u, err := url.Parse(*base)
	if err != nil || u.Host == "" {
		return fmt.Errorf("-url %q is not a URL such as http://127.0.0.1:8080", *base)
	}
	m, err := ReadManifest(*manifest)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Machine: %s\n", MachineState())
	var results []Result
	switch name {
	case "surge":
		apps, err := ApplicantsFromManifest(m)
		if err != nil {
			return err
		}
		if *applicants > 0 && *applicants < len(apps) {
			apps = apps[:*applicants]
		}
		cfg := SurgeConfig{Base: u, Applicants: apps, Password: m.Password, Window: *window, Pid: *pid, Target: &SurgeTarget, Log: logf}
		if *dbURL != "" {
			pool, closeDB, err := openDB(ctx, *dbURL, "")
			if err != nil {
				return err
			}
			defer closeDB()
			cfg.Pool = pool
		}
		res, err := Surge(ctx, cfg)
		if err != nil {
			return err
		}
		results = append(append(results, res.SignIn, res.Surge), res.Steps...)
	default:
		pages, err := choosePages(m, name, *pageList)
		if err != nil {
			return err
		}
		codes, err := OpenCodeBook(*manifest + ".codes")
		if err != nil {
			return err
		}
		results, err = Steady(ctx, SteadyConfig{Base: u, Password: m.Password, Conns: *conns, Duration: *duration, Warmup: *warmup,
			Pid: *pid, Codes: codes, Log: logf}, pages)
		if err != nil {
			return err
		}
	}
	return WriteTable(stdout, results)
}

// pageKeys name the pages of SteadyPages and BrowsePages, in order.
var pageKeys = []string{"signin", "evaluator", "secretariat", "sheets", "save", "results", "repository"}

func choosePages(m *Manifest, scenario, list string) ([]Page, error) {
	all := append(SteadyPages(m), BrowsePages(m)...)
	if list == "" {
		if scenario == "browse" {
			return BrowsePages(m), nil
		}
		return SteadyPages(m), nil
	}
	var out []Page
	for _, k := range strings.Split(list, ",") {
		found := false
		for i, key := range pageKeys {
			if key == strings.TrimSpace(k) {
				out, found = append(out, all[i]), true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown page %q (have %s)", k, strings.Join(pageKeys, ", "))
		}
	}
	return out, nil
}

func runBench(ctx context.Context, args []string, stdout io.Writer, logf func(string, ...any)) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stdout)
	cfg := BenchConfig{Seed: DefaultSeed, Out: stdout, Log: logf}
	fs.StringVar(&cfg.Portal, "portal", "bin/portal", "the portal binary")
	fs.StringVar(&cfg.DataDir, "data-dir", "var/bench", "a fresh directory for the throwaway Postgres, uploads and logs")
	fs.IntVar(&cfg.Seed.Applicants, "applicants", cfg.Seed.Applicants, "applicants in the surge")
	fs.DurationVar(&cfg.Window, "window", 60*time.Second, "the surge's window")
	fs.IntVar(&cfg.Conns, "conns", 20, "connections per steady page")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "measured time per steady page")
	fs.DurationVar(&cfg.Warmup, "warmup", 2*time.Second, "unmeasured time per steady page before")
	env := fs.String("env", "", "comma-separated NAME=value pairs added to the portal's environment (e.g. PORTAL_PPROF_ADDR=127.0.0.1:6060)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *env != "" {
		cfg.Env = strings.Split(*env, ",")
	}
	state := MachineState()
	start := time.Now()
	results, err := Bench(ctx, cfg)
	if len(results) > 0 {
		fmt.Fprintf(stdout, "\nload bench: %s; %d-applicant surge in %s, steady pages %d connections x %s; machine at start: %s, at end: %s\n\n",
			start.UTC().Format("2006-01-02 15:04 UTC"), cfg.Seed.Applicants, cfg.Window, cfg.Conns, cfg.Duration, state, MachineState())
		if werr := WriteTable(stdout, results); werr != nil && err == nil {
			err = werr
		}
	}
	return err
}

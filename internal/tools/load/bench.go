package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"prizeportal/internal/db"
	"prizeportal/internal/tools/localpg"
)

// BenchConfig is `load bench`: a throwaway local Postgres and portal, seeded, then the surge,
// the steady pages and the public pages, and one summary table against the targets.
type BenchConfig struct {
	// Portal is the portal binary (bin/portal).
	Portal string
	// DataDir is a fresh directory for the local Postgres, the uploads, the logs and the manifest.
	DataDir string
	Seed    SeedConfig
	// Window is the surge's window; Conns, Duration and Warmup shape the steady pages.
	Window   time.Duration
	Conns    int
	Duration time.Duration
	Warmup   time.Duration
	// Env is added to the portal's environment (PORTAL_PPROF_ADDR, PORTAL_DB_MAX_CONNS...).
	Env []string
	Out io.Writer
	Log func(string, ...any)
}

// Bench runs the benchmark and writes the table to cfg.Out. Everything it starts (Postgres, the
// portal) is stopped before it returns, whatever happens.
func Bench(ctx context.Context, cfg BenchConfig) ([]Result, error) {
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("load: bench: %s is not empty: remove it first (the benchmark needs fresh data)", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cfg.Log("starting a local Postgres in %s", filepath.Join(dir, "pgdata"))
	cluster, err := localpg.Start(ctx, localpg.Options{DataDir: filepath.Join(dir, "pgdata"), Database: "prizeportal",
		LogFile: filepath.Join(dir, "postgres.log")})
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := cluster.Stop(); err != nil {
			cfg.Log("stopping Postgres: %v", err)
		}
		// The benchmark's data is throwaway: when the postgres user could not enter the data
		// folder and the cluster was kept elsewhere, delete it there too, so the next run's
		// `rm -rf var/bench` leaves nothing behind.
		if cluster.Relocated() {
			if err := os.RemoveAll(filepath.Dir(cluster.DataDir())); err != nil {
				cfg.Log("removing the relocated Postgres data: %v", err)
			}
		}
	}()
	dbURL := cluster.URL("")
	pool, err := db.Open(ctx, dbURL, 4)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if _, err := db.Migrate(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		return nil, err
	}
	m, err := Seed(ctx, pool, cfg.Seed, cfg.Log)
	if err != nil {
		return nil, err
	}
	if err := m.WriteFile(filepath.Join(dir, "manifest.json")); err != nil {
		return nil, err
	}

	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "portal.log")
	portal, err := StartPortal(ctx, cfg.Portal, append([]string{"DATABASE_URL=" + dbURL, "PORTAL_ADDR=" + addr,
		"PORTAL_DATA_DIR=" + dir}, cfg.Env...), logPath)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := portal.Stop(); err != nil {
			cfg.Log("stopping the portal: %v", err)
		}
	}()
	base := &url.URL{Scheme: "http", Host: addr}
	if err := WaitReady(ctx, base, 60*time.Second, portal.Exited()); err != nil {
		return nil, fmt.Errorf("%w (see %s)", err, logPath)
	}
	cfg.Log("portal %s running (pid %d), log in %s", base, portal.Pid(), logPath)

	var results []Result
	applicants, err := ApplicantsFromManifest(m)
	if err != nil {
		return nil, err
	}
	surge, err := Surge(ctx, SurgeConfig{Base: base, Applicants: applicants, Password: m.Password, Window: cfg.Window,
		Pool: pool, Pid: portal.Pid(), Target: &SurgeTarget, Log: cfg.Log})
	if err != nil {
		return nil, err
	}
	results = append(results, surge.SignIn, surge.Surge)
	results = append(results, surge.Steps...)
	codes, err := OpenCodeBook(filepath.Join(dir, "codes.json"))
	if err != nil {
		return results, err
	}
	steady := SteadyConfig{Base: base, Password: m.Password, Conns: cfg.Conns, Duration: cfg.Duration, Warmup: cfg.Warmup,
		Pid: portal.Pid(), Codes: codes, Log: cfg.Log}
	more, err := Steady(ctx, steady, append(SteadyPages(m), BrowsePages(m)...))
	results = append(results, more...)
	if err != nil {
		return results, err
	}
	return results, nil
}

// Portal is a running `portal serve` process.
type Portal struct {
	cmd    *exec.Cmd
	exited chan struct{}
	err    error
}

// StartPortal starts `bin serve` with env added to this process's environment, its output
// appended to logPath. The portal gets SIGTERM should this process die.
func StartPortal(ctx context.Context, bin string, env []string, logPath string) (*Portal, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("load: start %s: %w", bin, err)
	}
	p := &Portal{cmd: cmd, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		logf.Close()
		close(p.exited)
	}()
	return p, nil
}

// Pid is the portal's process id.
func (p *Portal) Pid() int { return p.cmd.Process.Pid }

// Exited is closed when the portal has exited.
func (p *Portal) Exited() <-chan struct{} { return p.exited }

// Stop asks the portal to shut down (SIGTERM) and waits; after 30 s it is killed.
func (p *Portal) Stop() error {
	select {
	case <-p.exited:
		return nil
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return errors.New("load: the portal did not stop within 30 s: killed")
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) && ee.ExitCode() != 0 {
		return fmt.Errorf("load: the portal exited with %w", p.err)
	}
	return nil
}

// WaitReady polls base/readyz until it answers 200, the portal exits, or timeout passes.
func WaitReady(ctx context.Context, base *url.URL, timeout time.Duration, exited <-chan struct{}) error {
	deadline := time.Now().Add(timeout)
	c := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := c.Get(base.String() + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("load: the portal at %s is not ready after %s", base, timeout)
		}
		select {
		case <-exited:
			return errors.New("load: the portal exited while starting")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// freeAddr returns a loopback address with a port free now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// MachineState describes the machine for the report: CPUs and the load average now.
func MachineState() string {
	s := "cpus: " + strconv.Itoa(numCPU())
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			s += ", load average " + strings.Join(f[:3], " ")
		}
	}
	return s
}

func numCPU() int { return runtime.NumCPU() }

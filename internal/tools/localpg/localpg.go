// Package localpg starts and stops a private PostgreSQL cluster from the server binaries on this
// machine. `portal serve` uses it when DATABASE_URL is unset; tests use it for a throwaway cluster.
// The server listens on a unix socket only, in a fresh directory, so it never clashes on ports.
// When the portal runs as root, Postgres (which refuses root) runs as the `postgres` user.
package localpg

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoBinaries means no PostgreSQL server binaries were found.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, postgres) were not found on PATH or under /usr/lib/postgresql/*/bin: install them with `apt-get install -y postgresql-15`, or set DATABASE_URL to an existing database")

// Options configure a cluster.
type Options struct {
	// DataDir holds the cluster; it is created (initdb) when it has no PG_VERSION file. When the
	// process runs as root and the postgres user cannot reach DataDir, the cluster lives elsewhere
	// (see RelocationRoot and Cluster.DataDir); an Ephemeral one then goes to a temporary folder
	// that Stop deletes.
	DataDir string
	// Database is created if missing; defaults to "prizeportal".
	Database string
	// Ephemeral turns off durability (fsync, synchronous commit, full page writes): for tests only.
	Ephemeral bool
	// LogFile receives the server's log (and initdb's); defaults to DataDir/../postgres.log. This
	// process opens it, so it need not be reachable by the postgres user.
	LogFile string
}

// Cluster is a running Postgres server owned by this process.
type Cluster struct {
	opts         Options // opts.DataDir is where the data lives
	relocated    bool
	temporaryDir string // a throwaway data folder that Stop deletes
	setAside     string // where an earlier relocated cluster was moved (see SetAside)
	binDir       string
	socketDir    string
	port         int
	cmd          *exec.Cmd
	exited       chan struct{}
	waitErr      error
}

// FindBinaries returns the directory holding initdb and postgres: PATH first, then the newest
// /usr/lib/postgresql/*/bin.
func FindBinaries() (string, error) {
	return findBinaries("/usr/lib/postgresql/*/bin")
}

func findBinaries(pattern string) (string, error) {
	if p, err := exec.LookPath("postgres"); err == nil {
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob(pattern)
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "postgres")) && isExecutable(filepath.Join(d, "initdb")) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// Start initialises the cluster if needed, starts the server and waits until it accepts
// connections and the database exists.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	if opts.Database == "" {
		opts.Database = "prizeportal"
	}
	binDir, err := FindBinaries()
	if err != nil {
		return nil, err
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("localpg: data dir: %w", err)
	}
	opts.DataDir = dataDir
	if opts.LogFile == "" {
		opts.LogFile = filepath.Join(filepath.Dir(dataDir), "postgres.log")
	}
	cred, err := serverCredential()
	if err != nil {
		return nil, err
	}
	// The parent of the data folder must exist before deciding where the cluster lives: its
	// mode (under this process's umask) is part of that decision.
	if err := os.MkdirAll(filepath.Dir(dataDir), 0o755); err != nil {
		return nil, fmt.Errorf("localpg: cannot create the data folder %s (%v): choose a data folder this user can write", filepath.Dir(dataDir), err)
	}
	where, err := place(dataDir, cred, opts.Ephemeral, RelocationRoot)
	if err != nil {
		return nil, err
	}
	tmp, err := tempRoot(cred)
	if err != nil {
		return nil, err
	}
	c := &Cluster{opts: opts, relocated: where.relocated, binDir: binDir, exited: make(chan struct{})}
	fail := func(err error) (*Cluster, error) {
		c.removeTemporary()
		return nil, err
	}
	switch {
	case where.temporary:
		if where.dir, err = os.MkdirTemp(tmp, "portal-pgdata-"); err != nil {
			return nil, fmt.Errorf("localpg: temporary data folder: %w", err)
		}
		c.temporaryDir = where.dir
	case where.relocated:
		if err := prepareRelocated(where.dir, dataDir, RelocationRoot, cred); err != nil {
			return nil, err
		}
		if where.setAside {
			kept := where.dir + ".earlier-" + time.Now().UTC().Format("20060102T150405Z")
			if err := os.Rename(where.dir, kept); err != nil {
				return nil, fmt.Errorf("localpg: set the earlier cluster in %s aside: %w", where.dir, err)
			}
			c.setAside = kept
		}
	}
	c.opts.DataDir = where.dir
	// The data folder itself is private to the server's user.
	if err := os.Mkdir(where.dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fail(fmt.Errorf("localpg: cannot create the data folder %s (%v): choose a data folder this user can write", where.dir, err))
	}
	if err := ownBy(where.dir, cred); err != nil {
		return fail(err)
	}
	if where.link {
		if err := linkTo(dataDir, where.dir); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(where.dir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := initdb(ctx, binDir, where.dir, opts.LogFile, cred); err != nil {
			return fail(err)
		}
	}
	socketDir, err := os.MkdirTemp(tmp, "portal-pg-")
	if err != nil {
		return fail(fmt.Errorf("localpg: socket dir: %w", err))
	}
	c.socketDir = socketDir
	if err := ownBy(socketDir, cred); err != nil {
		os.RemoveAll(socketDir)
		return fail(err)
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(socketDir)
		return fail(err)
	}
	c.port = port
	if err := c.start(cred); err != nil {
		os.RemoveAll(socketDir)
		return fail(err)
	}
	if err := c.waitReady(ctx); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

// serverCredential is the user Postgres must run as: nil for a non-root process (itself),
// the postgres user when running as root.
func serverCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, errors.New("localpg: running as root needs a `postgres` user to run the database server: install `postgresql-15` (apt-get install -y postgresql-15) or run as a normal user")
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func ownBy(path string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	if err := os.Chown(path, int(cred.Uid), int(cred.Gid)); err != nil {
		return fmt.Errorf("localpg: chown %s: %w", path, err)
	}
	return nil
}

func command(ctx context.Context, cred *syscall.Credential, name string, args ...string) *exec.Cmd {
	var cmd *exec.Cmd
	if ctx != nil {
		cmd = exec.CommandContext(ctx, name, args...)
	} else {
		cmd = exec.Command(name, args...)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGINT, Setpgid: true}
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	return cmd
}

// initdb creates the cluster in dataDir. Its output goes to logFile: a failure is reported in
// one line that says where to read more.
func initdb(ctx context.Context, binDir, dataDir, logFile string, cred *syscall.Credential) error {
	cmd := command(ctx, cred, filepath.Join(binDir, "initdb"),
		"-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	cmd.Dir = "/"
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	where := "initdb said: " + lastLine(string(out))
	if f, ferr := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); ferr == nil {
		_, werr := f.Write(out)
		if cerr := f.Close(); werr == nil && cerr == nil {
			where = "its output is in " + logFile
		}
	}
	return fmt.Errorf("localpg: initdb could not create the database cluster in %s (%v; %s): fix the cause or delete that folder, then start again, or set DATABASE_URL", dataDir, err, where)
}

// lastLine is the last line of s that is not blank.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("localpg: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c *Cluster) start(cred *syscall.Credential) error {
	args := []string{
		"-D", c.opts.DataDir,
		"-p", strconv.Itoa(c.port),
		"-k", c.socketDir,
		"-c", "listen_addresses=",
		"-c", "unix_socket_permissions=0700",
		"-c", "max_connections=200",
	}
	if c.opts.Ephemeral {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	logf, err := os.OpenFile(c.opts.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("localpg: open log: %w", err)
	}
	// The server is not tied to a context: it must outlive a cancelled start-up context and is
	// stopped by Stop, or by the parent-death signal if this process dies.
	cmd := command(nil, cred, filepath.Join(c.binDir, "postgres"), args...)
	cmd.Dir = "/"
	cmd.Stdout = logf
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("localpg: start postgres: %w", err)
	}
	c.cmd = cmd
	go func() {
		c.waitErr = cmd.Wait()
		logf.Close()
		close(c.exited)
	}()
	return nil
}

// URL is the connection string for database name (the cluster's default database when empty).
func (c *Cluster) URL(name string) string {
	if name == "" {
		name = c.opts.Database
	}
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", c.socketDir, c.port, name)
}

func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err == nil {
			defer conn.Close(ctx)
			var exists bool
			if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, c.opts.Database).Scan(&exists); err != nil {
				return fmt.Errorf("localpg: check database: %w", err)
			}
			if !exists {
				if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{c.opts.Database}.Sanitize()); err != nil {
					return fmt.Errorf("localpg: create database: %w", err)
				}
			}
			return nil
		}
		select {
		case <-c.exited:
			return fmt.Errorf("localpg: postgres exited during start-up (%v); last log lines:\n%s", c.waitErr, tail(c.opts.LogFile, 15))
		case <-ctx.Done():
			return fmt.Errorf("localpg: postgres did not accept connections: %w; last log lines:\n%s", ctx.Err(), tail(c.opts.LogFile, 15))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// DataDir is the folder that holds the cluster's data: Options.DataDir, or the folder that
// stands in for it when the postgres user cannot reach it (see Relocated).
func (c *Cluster) DataDir() string { return c.opts.DataDir }

// Relocated reports whether the data lives outside Options.DataDir because the postgres user
// cannot reach it: in a folder under RelocationRoot to which Options.DataDir is a symbolic link
// and which stays after Stop, or, for an Ephemeral cluster, in a temporary folder that Stop
// deletes.
func (c *Cluster) Relocated() bool { return c.relocated }

// SetAside is where this start moved the cluster of an earlier start from the same folder, made
// when the postgres user could not reach that folder, which no longer linked to it (the clone or
// its data folder had been deleted): "" when there was none. That data is kept, not reused: the
// new start begins anew, as it would with the data inside the deleted folder.
func (c *Cluster) SetAside() string { return c.setAside }

// removeTemporary deletes a throwaway data folder (an Ephemeral cluster's, when relocated).
func (c *Cluster) removeTemporary() {
	if c.temporaryDir != "" {
		os.RemoveAll(c.temporaryDir)
	}
}

// Stop shuts the server down (fast shutdown: open sessions are ended) and waits for it to exit.
// A relocated Ephemeral cluster's data is deleted.
func (c *Cluster) Stop() error {
	defer c.removeTemporary()
	defer os.RemoveAll(c.socketDir)
	if c.cmd == nil || c.cmd.Process == nil {
		return nil
	}
	select {
	case <-c.exited:
		return nil
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
		return nil
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Signal(syscall.SIGQUIT)
		<-c.exited
		return errors.New("localpg: postgres did not stop within 30s and was told to quit immediately")
	}
}

// Restart stops the server as Stop does (a fast shutdown: open sessions are ended) and starts
// it again on the same socket and port, so connection strings stay valid. whileDown, when not
// nil, runs while no server is running (tests use it to see how clients fare meanwhile). Restart
// returns once the server accepts connections again. A channel from Exited before the restart
// stays closed; call Exited again for the new server.
func (c *Cluster) Restart(ctx context.Context, whileDown func()) error {
	select {
	case <-c.exited:
	default:
		_ = c.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-c.exited:
		case <-time.After(30 * time.Second):
			_ = c.cmd.Process.Signal(syscall.SIGQUIT)
			<-c.exited
		}
	}
	if whileDown != nil {
		whileDown()
	}
	cred, err := serverCredential()
	if err != nil {
		return err
	}
	c.exited, c.waitErr = make(chan struct{}), nil
	if err := c.start(cred); err != nil {
		return err
	}
	return c.waitReady(ctx)
}

// Exited is closed when the server process has exited.
func (c *Cluster) Exited() <-chan struct{} { return c.exited }

// PID is the server's process id.
func (c *Cluster) PID() int { return c.cmd.Process.Pid }

func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return "(no log)"
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		lines = append(lines, s.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

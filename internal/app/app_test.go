package app_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/app"
	"prizeportal/internal/db/dbtest"
	"prizeportal/migrations"
)

// TestMain doubles as the portal binary: with PORTAL_TEST_EXEC set, the test binary runs
// app.Run with the arguments in PORTAL_TEST_ARGS, so tests can start real `portal` processes.
func TestMain(m *testing.M) {
	if os.Getenv("PORTAL_TEST_EXEC") == "1" {
		ctx, stop := signalContext()
		code := app.Run(ctx, strings.Fields(os.Getenv("PORTAL_TEST_ARGS")), os.Getenv, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	dbtest.Main(m)
}

// portal returns a command running `portal args...` in a separate process.
func portal(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "PORTAL_TEST_EXEC=1", "PORTAL_TEST_ARGS="+strings.Join(args, " "), "DATABASE_URL=")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func run(t *testing.T, getenv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := app.Run(context.Background(), args, func(k string) string { return getenv[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestTwoMigrateProcessesApplyEachMigrationOnce(t *testing.T) {
	t.Parallel()
	url := dbtest.Empty(t)
	var wg sync.WaitGroup
	outs := make([]string, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := portal(t, []string{"DATABASE_URL=" + url}, "migrate").CombinedOutput()
			outs[i], errs[i] = string(b), err
		}()
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("migrate process %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	files, _ := filepath.Glob("../../migrations/*.sql")
	applied := strings.Count(outs[0], "applied ") + strings.Count(outs[1], "applied ")
	if applied != len(files) {
		t.Fatalf("the two processes applied %d migrations in all, want each of the %d once:\n%s\n---\n%s", applied, len(files), outs[0], outs[1])
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var rows, distinct int
	if err := conn.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != len(files) || distinct != len(files) {
		t.Fatalf("version table has %d rows (%d distinct), want %d", rows, distinct, len(files))
	}
	entries, _ := migrations.FS.ReadDir(".")
	if len(entries) != len(files) {
		t.Fatalf("embedded %d migrations, %d on disk", len(entries), len(files))
	}
}

func TestConfigErrorsNameEachVariable(t *testing.T) {
	t.Parallel()
	code, _, stderr := run(t, map[string]string{
		"PORTAL_ADDR":                 "nonsense",
		"PORTAL_SESSION_IDLE_TIMEOUT": "soon",
		"PORTAL_BASE_URL":             "ftp://x",
	}, "serve")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{"PORTAL_ADDR:", "PORTAL_SESSION_IDLE_TIMEOUT:", "PORTAL_BASE_URL:"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestProductionRefusesToStartWithoutSecretKeys: in production `portal serve` stops at once,
// before touching the database, when no key encrypts the two-factor secrets, and says how to
// make one.
func TestProductionRefusesToStartWithoutSecretKeys(t *testing.T) {
	t.Parallel()
	code, _, stderr := run(t, map[string]string{
		"PORTAL_ENV": "production", "PORTAL_BASE_URL": "https://prize.example.org",
		"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
	}, "serve")
	if code != 1 || !strings.Contains(stderr, "PORTAL_SECRET_KEYS: is required in production") || !strings.Contains(stderr, "openssl rand -base64 32") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
}

func TestServeHelpListsEveryVariable(t *testing.T) {
	t.Parallel()
	code, out, _ := run(t, nil, "serve", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, v := range []string{"DATABASE_URL", "PORTAL_ADDR", "PORTAL_BASE_URL", "PORTAL_SESSION_IDLE_TIMEOUT", "PORTAL_SESSION_LIFETIME", "PORTAL_DATA_DIR", "PORTAL_LOG_FORMAT"} {
		if !strings.Contains(out, v) {
			t.Errorf("serve --help lacks %s", v)
		}
	}
}

func TestEditionImportReportsEveryBadKey(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte(`slug: bad
name: Bad
year: 2030
time_zone: Mars/Olympus
colour: blue
schedule:
  applications_open: 2030-03-01
  application_deadline: 2030-02-01
`), 0o644)
	code, _, stderr := run(t, map[string]string{"DATABASE_URL": dbtest.NewURL(t)}, "edition", "import", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
	}
	for _, want := range []string{"time_zone", "colour", "schedule.application_deadline", "categories"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the error output does not name %q:\n%s", want, stderr)
		}
	}
}

func TestEditionImportAndList(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": dbtest.NewURL(t)}
	if code, out, stderr := run(t, env, "edition", "import", "seoul-2023"); code != 0 || !strings.Contains(out, "Imported edition seoul-2023") {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
	if code, out, stderr := run(t, env, "edition", "import", "../edition/defs/seoul-2023.yaml"); code != 0 || !strings.Contains(out, "Updated edition seoul-2023") {
		t.Fatalf("re-import from the file: %d %s %s", code, out, stderr)
	}
	code, out, _ := run(t, env, "edition", "list")
	if code != 0 || !strings.Contains(out, "seoul-2023") || !strings.Contains(out, "published") {
		t.Fatalf("list: %d %s", code, out)
	}
	// Export, then import of the exported file, is an identity; a changed file lists its change.
	code, exported, stderr := run(t, env, "edition", "export", "seoul-2023")
	if code != 0 || !strings.Contains(exported, "slug: seoul-2023") {
		t.Fatalf("export: %d %s", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "seoul.yaml")
	if err := os.WriteFile(file, []byte(exported), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := run(t, env, "edition", "import", file); code != 0 || !strings.Contains(out, "nothing changed") {
		t.Fatalf("import of the export: %d %s %s", code, out, stderr)
	}
	changed := strings.Replace(exported, "application_deadline: 2023-05-31 23:59", "application_deadline: 2023-05-30 23:59", 1)
	if err := os.WriteFile(file, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	// The studio's safety rules apply to an existing edition: the 2023 deadline has passed.
	code, out, stderr = run(t, env, "edition", "import", file)
	if code != 1 || !strings.Contains(stderr, "schedule.application_deadline: This date has passed") || !strings.Contains(stderr, "--force") {
		t.Fatalf("import of a passed date: %d %s %s", code, out, stderr)
	}
	code, out, stderr = run(t, env, "edition", "import", file, "--force")
	if code != 0 || !strings.Contains(out, "1 value changed") ||
		!strings.Contains(out, `schedule.application_deadline: "2023-05-31 23:59" → "2023-05-30 23:59"`) {
		t.Fatalf("import of a changed file: %d %s %s", code, out, stderr)
	}
	if code, exported, _ := run(t, env, "edition", "export", "seoul-2023"); code != 0 || exported != changed {
		t.Errorf("the export after the import is not the imported file")
	}
}

func TestAdminCreatePrintsOneTimePassword(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": dbtest.NewURL(t)}
	code, out, _ := run(t, env, "admin", "create", "--email", "chief@example.org")
	if code != 0 || !regexp.MustCompile(`password: [A-Z2-7]{26}`).MatchString(out) {
		t.Fatalf("admin create: %d %q", code, out)
	}
	code, _, stderr := run(t, env, "admin", "create", "--email", "Chief@example.org")
	if code != 1 || !strings.Contains(stderr, "already exists") {
		t.Fatalf("duplicate admin: %d %q", code, stderr)
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	t.Parallel()
	if code, out, _ := run(t, nil, "version"); code != 0 || !strings.HasPrefix(out, "portal ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, stderr := run(t, nil, "frobnicate"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Fatalf("unknown command: %d %q", code, stderr)
	}
}

// TestLocalModeServeStopAndRestart is `make run` twice: with DATABASE_URL unset the portal starts
// its own Postgres, imports the demo edition open today, creates and prints a first admin and
// serves the landing page; SIGINT (Ctrl-C) stops it with no Postgres left behind; a second start
// reuses the data.
func TestLocalModeServeStopAndRestart(t *testing.T) {
	t.Parallel()
	dir, err := os.MkdirTemp("", "portal-local-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	t.Cleanup(func() { removeRelocatedCluster(t, filepath.Join(dir, "var")) })
	env := []string{"PORTAL_DATA_DIR=" + filepath.Join(dir, "var"), "PORTAL_ADDR=127.0.0.1:0", "PORTAL_ADMIN_EMAIL=first@example.org"}

	out1 := serveOnce(t, env, dir)
	if !strings.Contains(out1, "login:    first@example.org") || !regexp.MustCompile(`password: \S{20,}`).MatchString(out1) {
		t.Errorf("first start must print the first admin's login and password:\n%s", out1)
	}
	if !strings.Contains(out1, "applications are open today") {
		t.Errorf("first start must import the demo edition:\n%s", out1)
	}
	// In development the key that seals two-factor secrets is made once, readable by its owner.
	keyFile := filepath.Join(dir, "var", "secret.key")
	info, err := os.Stat(keyFile)
	if err != nil || info.Mode().Perm() != 0o600 || !strings.Contains(out1, "Created the key") {
		t.Fatalf("key file %s: %v %v\n%s", keyFile, info, err, out1)
	}
	key1, _ := os.ReadFile(keyFile)
	out2 := serveOnce(t, env, dir)
	if key2, _ := os.ReadFile(keyFile); string(key2) != string(key1) || strings.Contains(out2, "Created the key") {
		t.Errorf("the second start must reuse the key file:\n%s", out2)
	}
	if strings.Contains(out2, "password:") || strings.Contains(out2, "Imported the edition") {
		t.Errorf("second start must reuse the data, not create again:\n%s", out2)
	}
}

// serveOnce starts `portal serve`, fetches the landing page, sends SIGINT and checks that the
// process and its Postgres have exited. It returns the standard output.
func serveOnce(t *testing.T, env []string, dir string) string {
	t.Helper()
	cmd := portal(t, env, "serve")
	cmd.Dir = dir
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	addr := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if m := regexp.MustCompile(`listening on (\S+)\)`).FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	var a string
	select {
	case a = <-addr:
	case <-done:
		cmd.Wait()
		t.Fatalf("portal exited before serving; stderr:\n%s", stderr.String())
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("portal did not start within 60s; stderr:\n%s", stderr.String())
	}
	res, err := http.Get("http://" + a + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "Applications are open until") {
		t.Errorf("landing page: status %d, open for applications? %v", res.StatusCode, strings.Contains(string(body), "Applications are open until"))
	}
	pidFile, err := os.ReadFile(filepath.Join(dir, "var", "pgdata", "postmaster.pid"))
	if err != nil {
		t.Fatalf("local Postgres not running under PORTAL_DATA_DIR: %v", err)
	}
	pgPID, _ := strconv.Atoi(strings.SplitN(string(pidFile), "\n", 2)[0])

	cmd.Process.Signal(syscall.SIGINT)
	waitErr := make(chan error, 1)
	go func() { <-done; waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("portal exited with %v after SIGINT; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("portal did not stop within 60s of SIGINT")
	}
	if pgPID == 0 || syscall.Kill(pgPID, 0) == nil {
		t.Fatalf("Postgres (pid %d) is still running after the portal stopped", pgPID)
	}
	if !strings.Contains(out.String(), "Prize Portal stopped.") {
		t.Errorf("no clean stop message:\n%s", out.String())
	}
	return out.String()
}

// TestLocalModeInAFolderOnlyRootMayEnter is `make run` as root from a clone in a folder of mode
// 0700 (root's home; every os.MkdirTemp): Postgres runs as the postgres user, which may not enter
// that folder, yet the portal serves /readyz = 200, its log says where the data lives, and the
// folder keeps its mode. Run by another user, Postgres runs as that user and the data stays in
// the folder.
func TestLocalModeInAFolderOnlyRootMayEnter(t *testing.T) {
	t.Parallel()
	dir, err := os.MkdirTemp("", "portal-rootonly-") // mode 0700, owned by whoever runs the test
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("temp folder: %v %v, want mode 0700", fi.Mode(), err)
	}
	dataDir := filepath.Join(dir, "var")
	t.Cleanup(func() { removeRelocatedCluster(t, dataDir) })

	p := startPortal(t, "rootonly", "PORTAL_DATA_DIR="+dataDir, "PORTAL_LOG_LEVEL=info")
	res, err := http.Get(p.base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("/readyz = %d, want 200", res.StatusCode)
	}
	pidFile, err := os.ReadFile(filepath.Join(dataDir, "pgdata", "postmaster.pid"))
	if err != nil {
		t.Fatalf("var/pgdata does not lead to the running cluster: %v", err)
	}
	pgPID, _ := strconv.Atoi(strings.SplitN(string(pidFile), "\n", 2)[0])

	if os.Geteuid() == 0 {
		checkRelocated(t, dir, dataDir, p.errOut.String())
	} else if strings.Contains(p.errOut.String(), "keeps its data in") {
		// Not root: Postgres runs as this user, who may enter the folder: nothing moves.
		t.Errorf("a cluster its own user can reach was moved:\n%s", p.errOut.String())
	}
	p.stop(t)
	if pgPID == 0 || syscall.Kill(pgPID, 0) == nil {
		t.Errorf("Postgres (pid %d) is still running after the portal stopped", pgPID)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the folder's mode changed to %v (%v); it must stay 0700", fi.Mode(), err)
	}
}

// checkRelocated checks, for a portal run as root with its data folder dataDir inside dir (which
// the postgres user cannot enter), that exactly one log line in log says where the cluster lives
// and how to delete it, that the cluster is outside dir, owned by the postgres user with mode
// 0700, and that dataDir/pgdata links to it.
func checkRelocated(t *testing.T, dir, dataDir, log string) {
	t.Helper()
	var where []string
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "keeps its data in") {
			where = append(where, line)
		}
	}
	if len(where) != 1 || !strings.Contains(where[0], "delete") {
		t.Fatalf("want one log line saying where the data lives and how to delete it, got %q in:\n%s", where, log)
	}
	m := regexp.MustCompile(`data_dir=(\S+)`).FindStringSubmatch(where[0])
	if m == nil {
		t.Fatalf("the log line names no data_dir: %s", where[0])
	}
	real := m[1]
	if strings.HasPrefix(real, dir+"/") {
		t.Errorf("the cluster is in %s, inside the folder the postgres user cannot enter", real)
	}
	if target, err := filepath.EvalSymlinks(filepath.Join(dataDir, "pgdata")); err != nil || target != real {
		t.Errorf("var/pgdata leads to %q (%v), want %s", target, err, real)
	}
	fi, err := os.Stat(filepath.Join(real, "PG_VERSION"))
	if err != nil {
		t.Fatalf("no cluster where the log says: %v", err)
	}
	if st := fi.Sys().(*syscall.Stat_t); st.Uid == 0 {
		t.Errorf("the cluster's files belong to root, not to the postgres user")
	}
	if fi, err := os.Stat(real); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the cluster's folder: mode %v (%v), want 0700", fi.Mode(), err)
	}
}

// removeRelocatedCluster deletes the cluster kept outside dataDir (when its pgdata is a link to
// a folder the postgres user can reach), as the README tells users to.
func removeRelocatedCluster(t *testing.T, dataDir string) {
	target, err := os.Readlink(filepath.Join(dataDir, "pgdata"))
	if err != nil {
		return
	}
	if err := os.RemoveAll(filepath.Dir(target)); err != nil {
		t.Errorf("remove the relocated cluster: %v", err)
	}
}

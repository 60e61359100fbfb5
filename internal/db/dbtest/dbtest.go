// Package dbtest gives tests a real Postgres: one throwaway cluster per test binary (or the server
// named by PORTAL_TEST_DATABASE_URL), a migrated template database, and a fresh clone of that
// template for every test, so tests run in parallel and never share state.
//
// A package that uses it calls dbtest.Main from its TestMain.
package dbtest

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/db"
	"prizeportal/internal/tools/localpg"
)

var (
	adminURL string // a connection to the maintenance database
	template string
	cloneMu  sync.Mutex
	started  bool
)

// Main starts the database for a test binary, runs its tests, calls after (to stop other shared
// resources such as a browser) and stops the database.
func Main(m *testing.M, after ...func()) {
	os.Exit(run(m, after))
}

func run(m *testing.M, after []func()) int {
	if fuzzingOnly(os.Args[1:]) {
		// A fuzzing run (go test -run '^$' -fuzz X, and the workers it starts) runs only a fuzz
		// target, which never needs a database: starting one per process would cost seconds.
		code := m.Run()
		for _, f := range after {
			f()
		}
		return code
	}
	ctx := context.Background()
	stop, err := setup(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dbtest:", err)
		return 1
	}
	code := m.Run()
	for _, f := range after {
		f()
	}
	stop()
	return code
}

func setup(ctx context.Context) (stop func(), err error) {
	if url := os.Getenv("PORTAL_TEST_DATABASE_URL"); url != "" {
		adminURL = url
		stop = func() {}
	} else {
		dir, err := os.MkdirTemp("", "portal-testpg-")
		if err != nil {
			return nil, err
		}
		cluster, err := localpg.Start(ctx, localpg.Options{DataDir: dir + "/data", Database: "postgres", Ephemeral: true})
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		adminURL = cluster.URL("postgres")
		stop = func() {
			cluster.Stop()
			os.RemoveAll(dir)
		}
	}
	started = true
	template = "portal_tmpl_" + strings.ToLower(rand.Text()[:10])
	if err := exec(ctx, "CREATE DATABASE "+template); err != nil {
		stop()
		return nil, err
	}
	pool, err := db.Open(ctx, WithDatabase(adminURL, template), 4)
	if err != nil {
		stop()
		return nil, err
	}
	_, err = db.Migrate(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil)))
	pool.Close()
	if err != nil {
		stop()
		return nil, err
	}
	prev := stop
	stop = func() {
		if os.Getenv("PORTAL_TEST_DATABASE_URL") != "" {
			_ = exec(context.Background(), "DROP DATABASE IF EXISTS "+template+" WITH (FORCE)")
		}
		prev()
	}
	return stop, nil
}

// fuzzingOnly reports whether the test binary's arguments ask for fuzzing and no test: a worker
// started by `go test -fuzz` (-test.fuzzworker), or `go test -run '^$' -fuzz X` itself.
func fuzzingOnly(args []string) bool {
	fuzz, noTests := false, false
	for _, a := range args {
		switch {
		case a == "-test.fuzzworker" || a == "-test.fuzzworker=true":
			return true
		case strings.HasPrefix(a, "-test.fuzz="):
			fuzz = a != "-test.fuzz="
		case a == "-test.run=^$":
			noTests = true
		}
	}
	return fuzz && noTests
}

func exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// WithDatabase returns url (URL or key=value form) with its database name replaced.
func WithDatabase(url, name string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		panic(err)
	}
	if strings.Contains(url, "://") {
		return strings.Replace(url, "/"+cfg.Database, "/"+name, 1)
	}
	return strings.Replace(url, "dbname="+cfg.Database, "dbname="+name, 1)
}

// NewURL creates a fresh, migrated database for this test, dropped when the test ends, and
// returns its connection string.
func NewURL(t testing.TB) string {
	t.Helper()
	mustHaveStarted(t)
	ctx := context.Background()
	name := "portal_t_" + strings.ToLower(rand.Text()[:12])
	cloneMu.Lock()
	err := exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template))
	cloneMu.Unlock()
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("dbtest: %v", err)
		}
	})
	return WithDatabase(adminURL, name)
}

// New creates a fresh, migrated database for this test and returns a pool on it, closed when the
// test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return open(t, NewURL(t), 8)
}

// NewEmpty creates a fresh database with no migrations applied (Empty) and returns a pool of
// at most 4 connections on it, closed when the test ends.
func NewEmpty(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return open(t, Empty(t), 4)
}

// open is a pool of at most conns connections on url, closed when the test ends.
func open(t testing.TB, url string, conns int32) *pgxpool.Pool {
	t.Helper()
	pool, err := db.Open(context.Background(), url, conns)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// mustHaveStarted fails the test when Main has started no database server.
func mustHaveStarted(t testing.TB) {
	t.Helper()
	if !started {
		t.Fatal("dbtest: no database: call dbtest.Main(m) from TestMain in this package (a fuzzing run, -run '^$' -fuzz, starts none)")
	}
}

// Empty creates a fresh database with no migrations applied (for migration tests).
func Empty(t testing.TB) string {
	t.Helper()
	mustHaveStarted(t)
	name := "portal_e_" + strings.ToLower(rand.Text()[:12])
	if err := exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(func() { _ = exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return WithDatabase(adminURL, name)
}

// Count runs a query that returns one integer (a count(*)) on pool and returns it; the test
// fails on an error.
func Count(t testing.TB, pool *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// Exec runs a statement on pool (a fixture written directly in SQL); the test fails on an error.
func Exec(t testing.TB, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// SeqScans lists the tables an EXPLAIN (FORMAT JSON) plan, decoded from JSON, reads with a
// sequential scan.
func SeqScans(plan any) []string {
	var out []string
	switch p := plan.(type) {
	case map[string]any:
		if p["Node Type"] == "Seq Scan" {
			out = append(out, p["Relation Name"].(string))
		}
		for _, v := range p {
			out = append(out, SeqScans(v)...)
		}
	case []any:
		for _, v := range p {
			out = append(out, SeqScans(v)...)
		}
	}
	return out
}

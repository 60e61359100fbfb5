package localpg

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMissingBinariesSayWhatToInstall(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := findBinaries(filepath.Join(t.TempDir(), "*", "bin"))
	if !errors.Is(err, ErrNoBinaries) || !strings.Contains(err.Error(), "apt-get install -y postgresql-15") {
		t.Fatalf("err = %v", err)
	}
}

func TestStartConnectStop(t *testing.T) {
	c, opts := startDemo(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.URL(""))
	if err != nil {
		t.Fatal(err)
	}
	var name string
	err = conn.QueryRow(ctx, "SELECT current_database()").Scan(&name)
	conn.Close(ctx)
	if err != nil || name != "demo" {
		t.Fatalf("current_database = %q, %v", name, err)
	}
	pid := c.PID()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if syscall.Kill(pid, 0) == nil {
		t.Fatalf("postgres %d still running after Stop", pid)
	}
	// A second start on the same data directory reuses it.
	c2, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	c2.Stop()
}

// startDemo starts an ephemeral cluster with a database "demo" in a fresh directory (short, for
// the socket's path), stopped and removed when the test ends; opts start it again.
func startDemo(t *testing.T) (c *Cluster, opts Options) {
	t.Helper()
	dir, err := os.MkdirTemp("", "localpg-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	opts = Options{DataDir: filepath.Join(dir, "data"), Database: "demo", Ephemeral: true}
	if c, err = Start(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	return c, opts
}

package localpg

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestRestartKeepsTheConnectionString: while the server is down nobody can connect; after
// Restart the same connection string reaches the same data.
func TestRestartKeepsTheConnectionString(t *testing.T) {
	c, _ := startDemo(t)
	ctx := context.Background()
	url := c.URL("")
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before')`); err != nil {
		t.Fatal(err)
	}
	pid := c.PID()
	var downErr error
	err = c.Restart(ctx, func() {
		short, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		var down *pgx.Conn
		if down, downErr = pgx.Connect(short, url); downErr == nil {
			down.Close(ctx)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if downErr == nil {
		t.Error("a connection succeeded while the server was down")
	}
	if c.PID() == pid {
		t.Error("the server process was not replaced")
	}
	if _, err := conn.Exec(ctx, `SELECT 1`); err == nil {
		t.Error("a connection from before the restart still works")
	}
	conn2, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("after the restart: %v", err)
	}
	defer conn2.Close(ctx)
	var v string
	if err := conn2.QueryRow(ctx, `SELECT v FROM kept`).Scan(&v); err != nil || v != "before" {
		t.Fatalf("data after the restart: %q %v", v, err)
	}
}

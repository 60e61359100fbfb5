package audit_test

import (
	"context"
	"testing"

	"prizeportal/internal/audit"
	"prizeportal/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestRecordTakesTheClientAddressFromTheContext: a use case records the address of the request
// it serves without being handed it; an entry's own IP wins.
func TestRecordTakesTheClientAddressFromTheContext(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := audit.WithIP(context.Background(), "192.0.2.7")
	if err := audit.Record(ctx, pool, audit.Entry{ActorLabel: "system", Action: "test.from_context"}); err != nil {
		t.Fatal(err)
	}
	if err := audit.Record(ctx, pool, audit.Entry{ActorLabel: "system", Action: "test.own", IP: "198.51.100.1"}); err != nil {
		t.Fatal(err)
	}
	for action, want := range map[string]string{"test.from_context": "192.0.2.7", "test.own": "198.51.100.1"} {
		var ip string
		if err := pool.QueryRow(context.Background(), `SELECT coalesce(host(ip::inet), ip::text) FROM audit_log WHERE action = $1`, action).Scan(&ip); err != nil {
			t.Fatal(err)
		}
		if ip != want {
			t.Errorf("%s: ip %q, want %q", action, ip, want)
		}
	}
}

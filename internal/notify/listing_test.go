package notify_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify"
)

// TestListEmailPage: pages of the outbox, newest first, with the count; a page past the last is
// not found, and an empty outbox has one empty page.
func TestListEmailPage(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	p, err := notify.ListEmailPage(ctx, pool, 1, 2)
	if err != nil || p.Pages != 1 || p.Total != 0 || len(p.Emails) != 0 {
		t.Fatalf("empty outbox: %+v %v", p, err)
	}
	out := notify.NewOutbox(pool)
	for i := range 3 {
		err := db.InTx(ctx, pool, func(tx pgx.Tx) error {
			_, err := out.Queue(ctx, tx, notify.Message{To: "a@example.org", Kind: "test", Subject: fmt.Sprint("Message ", i), Text: "Hello"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	p, err = notify.ListEmailPage(ctx, pool, 2, 2)
	if err != nil || p.Pages != 2 || p.Total != 3 || p.Offset != 2 || len(p.Emails) != 1 || p.Emails[0].Subject != "Message 0" {
		t.Fatalf("page 2: %+v %v", p, err)
	}
	if _, err := notify.ListEmailPage(ctx, pool, 3, 2); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("page 3: %v", err)
	}
}

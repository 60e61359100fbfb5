package account_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"prizeportal/internal/account"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestPasswordHashIsArgon2idAndChecks(t *testing.T) {
	t.Parallel()
	hash, err := account.HashPassword("correct horse battery", account.DefaultHashParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not argon2id with the OWASP parameters", hash)
	}
	if ok, err := account.CheckPassword("correct horse battery", hash); !ok || err != nil {
		t.Fatalf("right password: %v %v", ok, err)
	}
	if ok, _ := account.CheckPassword("correct horse batterY", hash); ok {
		t.Fatal("wrong password accepted")
	}
	again, _ := account.HashPassword("correct horse battery", account.DefaultHashParams)
	if again == hash {
		t.Fatal("two hashes of one password must differ (random salt)")
	}
	if _, err := account.CheckPassword("x", "$2a$10$bcrypt"); err == nil {
		t.Fatal("a malformed hash must be an error")
	}
}

func TestCreateAdminGrantsTheGlobalRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	if n, _ := account.AdminCount(ctx, pool); n != 0 {
		t.Fatalf("fresh database has %d admins", n)
	}
	a, err := account.CreateAdmin(ctx, pool, "head@example.org", account.TestHashParams)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := account.AdminCount(ctx, pool); n != 1 {
		t.Fatalf("admins = %d, want 1", n)
	}
	actor, _, err := account.LoadActor(ctx, pool, a.UserID)
	if err != nil || !actor.Has(authz.RoleAdmin, 0) {
		t.Fatalf("actor %+v, %v: want admin", actor, err)
	}
	var hash string
	var mustChange bool
	if err := pool.QueryRow(ctx, `SELECT password_hash, must_change_password FROM users WHERE id = $1`, a.UserID).Scan(&hash, &mustChange); err != nil {
		t.Fatal(err)
	}
	if ok, _ := account.CheckPassword(a.Password, hash); !ok || !mustChange {
		t.Fatal("the printed one-time password must sign in and must be changed")
	}
	if _, err := account.CreateAdmin(ctx, pool, "HEAD@example.org", account.TestHashParams); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("duplicate email (other case): %v, want ErrConflict", err)
	}
	audits := dbtest.Count(t, pool, `SELECT count(*) FROM audit_log WHERE action = 'account.admin_create'`)
	if audits != 1 {
		t.Fatalf("audit entries = %d, want 1", audits)
	}
	if _, _, err := account.LoadActor(ctx, pool, 999999); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}

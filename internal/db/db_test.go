package db_test

import (
	"context"
	"testing"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestMigrationsCurrentOnTemplateClone(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ok, err := db.MigrationsCurrent(context.Background(), pool)
	if err != nil || !ok {
		t.Fatalf("MigrationsCurrent = %v, %v; want true", ok, err)
	}
}

func TestMigrateEmptyDatabaseThenNothingPending(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := db.Open(ctx, dbtest.Empty(t), 4)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if ok, _ := db.MigrationsCurrent(ctx, pool); ok {
		t.Fatal("empty database reported as current")
	}
	applied, err := db.Migrate(ctx, pool, nil)
	if err != nil || len(applied) == 0 {
		t.Fatalf("Migrate = %v, %v", applied, err)
	}
	again, err := db.Migrate(ctx, pool, nil)
	if err != nil || len(again) != 0 {
		t.Fatalf("second Migrate applied %v, %v; want nothing", again, err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatalf("sessions table missing: %v", err)
	}
}

package contextdata_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/notify/emails"
)

// TestServiceImportAndClear: a file is imported whole with its audit entry, or not at all when
// it has a problem; clearing deletes the edition's data with its audit entry; another
// edition's secretariat does neither.
func TestServiceImportAndClear(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ctx := context.Background()
	s := &contextdata.Service{Deps: usecase.New(w.pool, nil, emails.Site{}, func() time.Time { return now })}
	sec := authz.Actor{UserID: w.staff, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: w.ed}}}
	outside := authz.Actor{UserID: w.outside, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: w.other}}}
	audited := func(action string) int {
		return dbtest.Count(t, w.pool, `SELECT count(*) FROM audit_log WHERE action = $1`, action)
	}
	file := []byte(header + "KR,,population,51628117,people,2022,World Bank WDI\nKR,Seoul,population,9411260,people,2022,Statistics Korea\n")

	if _, err := s.ImportFile(ctx, outside, w.ed, "kr.csv", file); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("another edition's secretariat: %v", err)
	}
	var problems contextdata.Problems
	if _, err := s.ImportFile(ctx, sec, w.ed, "bad.csv", []byte(header+"KR,,population,many,people,2022,WDI\n")); !errors.As(err, &problems) {
		t.Fatalf("a file with a problem: %v", err)
	}
	res, err := s.ImportFile(ctx, sec, w.ed, "kr.csv", file)
	if err != nil || res.Rows != 2 || res.Inserted != 2 {
		t.Fatalf("import: %+v %v", res, err)
	}
	if audited("contextdata.import") != 1 {
		t.Fatal("import not audited once")
	}
	if _, err := s.ClearEdition(ctx, outside, w.ed); !errors.Is(err, authz.ErrForbidden) {
		t.Fatalf("clearing another edition: %v", err)
	}
	if n, err := s.ClearEdition(ctx, sec, w.ed); err != nil || n != 2 {
		t.Fatalf("clear: %d %v", n, err)
	}
	if audited("contextdata.clear") != 1 {
		t.Fatal("clear not audited once")
	}
}

package privacy_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestExportHoldsWhatThePersonWroteAndEmptyLists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	u, project, _ := f.person(t)

	d, err := f.svc.Export(ctx, u, now)
	if err != nil {
		t.Fatal(err)
	}
	if d.Account.ID != u || len(d.Entries) == 0 || d.Entries[0].ID != project {
		t.Fatalf("export of the person: account %d, entries %+v", d.Account.ID, d.Entries)
	}

	// Someone who wrote nothing gets empty lists, never null, in the download.
	quiet := f.user(t, "quiet", "quiet@org.example", "Quinn Quiet", "", 0)
	d, err = f.svc.Export(ctx, quiet, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"entries":[]`, `"clarifications":[]`, `"score_sheets":[]`, `"ballots":[]`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("the download lacks %s: %s", k, b)
		}
	}
}

func TestPreviewAccountRefusesTheLastAdmin(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p, err := f.svc.PreviewAccount(context.Background(), f.admin, f.staff)
	if err != nil {
		t.Fatal(err)
	}
	if p.Profile.ID != f.admin || p.Refusal == "" {
		t.Fatalf("preview of erasing the only admin: %+v", p)
	}
}

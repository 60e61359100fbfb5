package server_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"prizeportal/internal/application"
)

// TestScreeningShowsLikelyDuplicates: an entry the duplicate finder pairs with one in another
// category carries the "Likely duplicate" flag in the round-1 queue (and its filter), and its
// checklist names the other entry with how alike they are; an entry without one passes.
func TestScreeningShowsLikelyDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	// the same title as kim's entry, nothing else alike (no summary or organisation): lee's
	// entry, with the same form answers as kim's but another title, is not alike
	kim, lee := submittedEntry(t, e, "kim"), submittedEntry(t, e, "riverwatch")
	twin := duplicateEntry(t, e, "twin", "human-centricity", "Project kim", "", "")
	if err := application.FlagDuplicates(context.Background(), e.pool, twin, fixedNow); err != nil {
		t.Fatal(err)
	}
	c := e.signedInClient(t, matrixUser(t, e, "sec", "secretariat"))

	q := c.get("/secretariat/screening?flag=duplicate")
	if q.status != 200 || !strings.Contains(q.body, "Project kim") || strings.Contains(q.body, "Project riverwatch") || !strings.Contains(q.body, "Likely duplicate") {
		t.Fatalf("queue filtered by the duplicate flag: %d\n%s", q.status, q.body)
	}
	page := c.get("/secretariat/screening/" + strconv.FormatInt(kim, 10))
	want := fmt.Sprintf("Likely the same project as “Project kim” (entry %d, Human-CentriCity", twin)
	if page.status != 200 || !strings.Contains(page.body, want) || !strings.Contains(page.body, "title 100%, summary 0%") {
		t.Errorf("the checklist of kim's entry lacks %q\n%s", want, page.body)
	}
	page = c.get("/secretariat/screening/" + strconv.FormatInt(lee, 10))
	if !strings.Contains(page.body, "Passed: no entry in another category looks like this one") {
		t.Errorf("the checklist of lee's entry does not say it found no duplicate\n%s", page.body)
	}
}

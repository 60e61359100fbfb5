package server_test

import (
	"strings"
	"testing"
	"time"

	"prizeportal/internal/ranking/rankingtest"
)

// TestPublicListsAfterTheirAnnouncements: from the semi-finalists' announcement the edition's
// page links their list (before it, not); once a list is due, a category nobody entered says so
// instead of promising it "shortly", while a category with entries and no list yet still does;
// the lists put no space before the comma between an entry and its organisation.
func TestPublicListsAfterTheirAnnouncements(t *testing.T) {
	t.Parallel()
	w := newResultsWorld(t) // 29 July 2023: semi-finalists announced (13 July), winners not yet (31 July)
	rankingtest.Entry(t, w.e.pool, w.edID, "human-centricity", "entryh", "Entry H")
	c := w.e.client(t)
	const link = `href="/editions/seoul-2023/semi-finalists"`

	w.clock.Advance(-20 * 24 * time.Hour) // 9 July: before the semi-finalists' announcement
	if r := c.get("/editions/seoul-2023"); r.status != 200 || strings.Contains(r.body, link) {
		t.Fatalf("before the announcement the edition page links the semi-finalists (%d)", r.status)
	}
	w.clock.Advance(20 * 24 * time.Hour)
	if r := c.get("/editions/seoul-2023"); !strings.Contains(r.body, link) {
		t.Errorf("the edition page does not link the announced semi-finalists")
	}
	if r := c.get("/"); !strings.Contains(r.body, link) {
		t.Errorf("the landing page does not link the announced semi-finalists")
	}

	r := c.get("/editions/seoul-2023/semi-finalists")
	if r.status != 200 {
		t.Fatalf("semi-finalists: %d", r.status)
	}
	sections := sectionsByHeading(r.body, "Tech-InnovaCity", "Human-CentriCity", "Leadership")
	if !strings.Contains(sections[0], "<strong>Entry A</strong>, Org entrya (City of entrya, Korea (South))") {
		t.Errorf("the semi-finalist's line:\n%s", sections[0])
	}
	if !strings.Contains(sections[1], "will be published here shortly") {
		t.Errorf("a category with entries and no list yet:\n%s", sections[1])
	}
	if !strings.Contains(sections[2], "No entry was submitted in this category: it has no semi-finalists.") || strings.Contains(sections[2], "shortly") {
		t.Errorf("a category without entries:\n%s", sections[2])
	}

	w.clock.Advance(24 * time.Hour)
	r = c.get("/editions/seoul-2023/results")
	sections = sectionsByHeading(r.body, "Tech-InnovaCity", "Human-CentriCity", "Leadership")
	if !strings.Contains(sections[1], "The winners of this category will be published here shortly.") {
		t.Errorf("results, a category with entries and no winners yet:\n%s", sections[1])
	}
	if !strings.Contains(sections[2], "No entry was submitted in this category: it has no winners.") || strings.Contains(sections[2], "shortly") {
		t.Errorf("results, a category without entries:\n%s", sections[2])
	}
	if r := c.get("/results"); strings.Contains(r.body, " , ") || !strings.Contains(r.body, "Entry A</a>, Org entrya") && !strings.Contains(r.body, "Entry A, Org entrya") {
		t.Errorf("the archive's winner line:\n%s", r.body)
	}
}

// sectionsByHeading cuts body at the first <h2 ...>heading</h2> of each heading, in order: the
// text from each heading to the next (the last to the end).
func sectionsByHeading(body string, headings ...string) []string {
	out := make([]string, len(headings))
	starts := make([]int, len(headings))
	for i, h := range headings {
		starts[i] = strings.Index(body, ">"+h+"</h2>")
	}
	for i, s := range starts {
		if s < 0 {
			continue
		}
		end := len(body)
		if i+1 < len(starts) && starts[i+1] > s {
			end = starts[i+1]
		}
		out[i] = body[s:end]
	}
	return out
}

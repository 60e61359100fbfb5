package screening_test

import (
	"testing"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/screening"
)

// TestQueueRules: unknown filter values fall back to "any", only the category's checklist
// answers "yes" and "no" are kept, and the bulk summary counts what was left alone.
func TestQueueRules(t *testing.T) {
	ed := &edition.Edition{Categories: []edition.Category{{Key: "tech", Kind: edition.KindProject}}}
	f := screening.Filter{Status: "eligible", Flag: "bogus", EntityType: "nope", Country: "ZZ"}.Checked(&edition.Edition{})
	if f.Status != "eligible" || f.Flag != "" || f.EntityType != "" || f.Country != "" {
		t.Errorf("checked filter: %+v", f)
	}
	cat := &ed.Categories[0]
	if c, err := screening.QueueCategory(ed, ""); err != nil || c.Key != "tech" {
		t.Errorf("default category: %v %v", c, err)
	}
	if _, err := screening.QueueCategory(ed, "other"); err == nil {
		t.Error("an unknown category is found")
	}
	posted := map[string]string{"check.english": "yes", "check.documents": "maybe", "check.unknown": "yes", "check.not_duplicate": "no"}
	got := screening.Answers(cat, func(k string) string { return posted[k] })
	if len(got) != 2 || got["english"] != "yes" || got["not_duplicate"] != "no" {
		t.Errorf("answers: %v", got)
	}
	if s := (screening.Decided{Done: 2}).Summary(); s != "2 entries updated." {
		t.Errorf("summary: %q", s)
	}
	if screening.FlagLabel("conflict") != "Conflict of interest" || screening.FlagLabel("x") != "x" {
		t.Error("flag labels")
	}
	asker, at := int64(7), time.Date(2023, 6, 1, 9, 0, 0, 0, time.UTC)
	rec := screening.Record{Decision: screening.Eligible, DecidedByName: "Kim", DecidedAt: at, ReviewRequestedBy: &asker, ReviewRequestedAt: &at}
	if cur, rev := rec.Describe(cat, time.UTC); i18n.English(cur) != "Decision in force: Eligible, by Kim on 1 June 2023, 09:00 UTC." || i18n.English(rev) != "A second opinion was asked on 1 June 2023, 09:00 UTC. " {
		t.Errorf("describe: %q %q", cur, rev)
	}
	if rec.Reviewable(asker) || !rec.Reviewable(8) {
		t.Error("only another member gives the second opinion")
	}
}

// TestEntryLabels: the queue names an untitled entry by its number, gives an ineligible
// entry's reason and a pending second opinion, and names the flags.
func TestEntryLabels(t *testing.T) {
	cat := &edition.Category{Key: "tech", Kind: edition.KindProject}
	reason := screening.Reasons(cat)[0]
	e := screening.Entry{ID: 12, Decision: screening.Ineligible, ReasonKey: reason.Key, ReviewPending: true, Flags: []string{"conflict"}}
	if got, want := i18n.English(e.Status(cat)), "Ineligible: "+reason.Reason+" (second opinion asked)"; got != want {
		t.Errorf("status %q, want %q", got, want)
	}
	if i18n.English(e.Name()) != "Untitled entry 12" || (screening.Entry{Title: "Bus stops"}).Name() != "Bus stops" {
		t.Errorf("names %q", e.Name())
	}
	if fl := e.FlagLabels(); len(fl) != 1 || fl[0] != "Conflict of interest" {
		t.Errorf("flags %q", fl)
	}
}

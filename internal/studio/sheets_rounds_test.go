package studio_test

import (
	"strings"
	"testing"
	"time"

	"prizeportal/internal/edition"
	"prizeportal/internal/studio"
)

// roundsValues is the rounds sheet of def as shown: every value by its path.
func roundsValues(t *testing.T, def *edition.Definition) (studio.Sheet, map[string]string) {
	t.Helper()
	sh, ok := studio.SheetOf(def, "rounds")
	if !ok {
		t.Fatal("no rounds sheet")
	}
	values := map[string]string{}
	for _, g := range sh.Groups {
		for _, f := range g.Fields {
			values[f.Path] = f.Value
		}
	}
	return sh, values
}

func (w *world) definition(t *testing.T, slug string) *edition.Definition {
	t.Helper()
	_, def, err := w.svc.Definition(w.ctx, w.admin.Actor, slug)
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// TestRoundsSheet: the sheet shows the values in force (defaults where the file is silent);
// saved as shown it changes nothing; its changes are reviewed, saved, stored and written to the
// file, which reads back as the same definition; wrong values are problems at their fields.
func TestRoundsSheet(t *testing.T) {
	w := newWorld(t)
	def := w.definition(t, "seoul-2023")
	sh, values := roundsValues(t, def)
	want := map[string]string{"scoring.evaluators_per_entry": "3", "scoring.criterion_comments": "optional", "scoring.country_conflicts": "no",
		"scoring.method": "mean", "voting.method": "schulze", "voting.quorum": "", "voting.attendance_deadline": "",
		"publication.repository": "all", "publication.semi_finalists_list": "yes"}
	for path, v := range want {
		if values[path] != v {
			t.Errorf("%s shows %q, want %q", path, values[path], v)
		}
	}
	if len(values) != len(want) {
		t.Errorf("the sheet has %d fields, want %d: %v", len(values), len(want), values)
	}
	version := w.edition(t, "seoul-2023").Version
	change := func(values map[string]string, dry bool) (studio.Result, error) {
		return w.svc.Change(w.ctx, w.admin, studio.Change{Slug: "seoul-2023", Version: version, Edit: sh.Edit(values), DryRun: dry})
	}
	if res, err := change(values, true); err != nil || len(res.Changes) != 0 {
		t.Fatalf("the sheet as shown changes %v, %v", res.Changes, err)
	}

	values["scoring.method"] = "zscore"
	values["scoring.criterion_comments"] = "required"
	values["voting.quorum"] = "4"
	values["publication.repository"] = "finalists"
	values["publication.semi_finalists_list"] = "no"
	review, err := change(values, true)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range review.Changes {
		got[d.Path] = d.Old + " → " + d.New
	}
	for path, diff := range map[string]string{"scoring.method": "mean → zscore", "scoring.criterion_comments": "optional → required",
		"voting.quorum": " → 4", "publication.repository": "all → finalists", "publication.semi_finalists_list": "true → false"} {
		if got[path] != diff {
			t.Errorf("review of %s = %q, want %q", path, got[path], diff)
		}
	}
	if len(review.Changes) != 5 || w.edition(t, "seoul-2023").Version != version {
		t.Fatalf("review: %v (stored: version %d)", review.Changes, w.edition(t, "seoul-2023").Version)
	}
	if _, err := change(values, false); err != nil {
		t.Fatal(err)
	}
	e := w.edition(t, "seoul-2023")
	if e.Scoring.Method != "zscore" || !e.Scoring.CriterionCommentsRequired || e.Voting.Quorum != 4 ||
		e.Publication != (edition.Publication{Repository: edition.RepositoryFinalists}) {
		t.Errorf("stored: scoring %+v, voting %+v, publication %+v", e.Scoring, e.Voting, e.Publication)
	}
	// The file says it, keeps its comments, and reads back as what is stored.
	src, err := w.svc.Export(w.ctx, w.admin.Actor, "seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"  method: zscore", "  repository: finalists", "  semi_finalists_list: false", "  quorum: 4",
		`# DOMAIN.md "Data and publication"`} {
		if !strings.Contains(string(src), line) {
			t.Errorf("the exported file lacks %q", line)
		}
	}
	back, err := edition.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if d := edition.Diff(w.definition(t, "seoul-2023"), back); len(d) != 0 {
		t.Errorf("export then parse differs: %v", d)
	}

	// Wrong values: each a problem at its field, nothing stored.
	version = e.Version
	for path, v := range map[string]string{"voting.quorum": "many", "scoring.evaluators_per_entry": "0", "scoring.method": "best",
		"publication.repository": "winners", "publication.semi_finalists_list": "perhaps", "voting.attendance_deadline": "soon"} {
		bad := map[string]string{}
		for k, x := range values {
			bad[k] = x
		}
		bad[path] = v
		_, err := change(bad, false)
		problemAt(t, err, path)
	}
	if w.edition(t, "seoul-2023").Version != version {
		t.Error("a refused change was stored")
	}
}

// TestRoundsSheetOnAnEditionWithoutTheBlocks: an edition whose file has no scoring, voting or
// publication block shows the defaults; changing one value writes that value alone.
func TestRoundsSheetOnAnEditionWithoutTheBlocks(t *testing.T) {
	w := newWorld(t)
	e, err := w.svc.Create(w.ctx, w.admin, studio.NewEdition{Slug: "new-prize-2028", Name: "New Prize 2028", Year: 2028})
	if err != nil {
		t.Fatal(err)
	}
	def := w.definition(t, e.Slug)
	if def.Scoring != nil || def.Voting != nil || def.Publication != nil {
		t.Fatal("the blank edition has the blocks already")
	}
	sh, values := roundsValues(t, def)
	if values["scoring.method"] != "mean" || values["publication.semi_finalists_list"] != "yes" || values["scoring.evaluators_per_entry"] != "" {
		t.Errorf("defaults shown: %v", values)
	}
	values["publication.semi_finalists_list"] = "no"
	res, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: e.Slug, Version: e.Version, Edit: sh.Edit(values)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Changes) != 1 || res.Changes[0].Path != "publication.semi_finalists_list" {
		t.Errorf("changes = %v", res.Changes)
	}
	after := w.definition(t, e.Slug)
	if after.Scoring != nil || after.Voting != nil || after.Publication == nil || after.Publication.Repository != "" {
		t.Errorf("blocks written: scoring %v, voting %v, publication %+v", after.Scoring, after.Voting, after.Publication)
	}
}

// setRounds saves the value v at path on seoul-2023's sheet Rounds and publication.
func (w *world) setRounds(t *testing.T, path, v string) error {
	t.Helper()
	def := w.definition(t, "seoul-2023")
	sh, values := roundsValues(t, def)
	values[path] = v
	_, err := w.svc.Change(w.ctx, w.admin, studio.Change{Slug: "seoul-2023", Version: w.edition(t, "seoul-2023").Version, Edit: sh.Edit(values)})
	return err
}

// TestAggregationDefaultFixedOnceRound2Closed: the method an edition proposes no longer changes
// once the committee head has closed round 2; the other settings still do.
func TestAggregationDefaultFixedOnceRound2Closed(t *testing.T) {
	w := newWorld(t)
	ed := w.edition(t, "seoul-2023")
	set := func(path, v string) error { t.Helper(); return w.setRounds(t, path, v) }
	if err := set("scoring.method", "median"); err != nil {
		t.Fatalf("before round 2 is closed: %v", err)
	}
	if _, err := w.pool.Exec(w.ctx, `INSERT INTO scoring_rounds (edition_id, method, method_set_at, closed_at) VALUES ($1, 'median', now(), now())`, ed.ID); err != nil {
		t.Fatal(err)
	}
	err := set("scoring.method", "zscore")
	problemAt(t, err, "scoring.method")
	if !strings.Contains(err.Error(), "Round 2 is closed") {
		t.Errorf("refusal: %v", err)
	}
	if got := w.edition(t, "seoul-2023").Scoring.Method; got != "median" {
		t.Errorf("method = %q after the refusal", got)
	}
	if err := set("publication.repository", "none"); err != nil {
		t.Errorf("another setting once round 2 is closed: %v", err)
	}
}

// TestCouncilRulesFixedOnceTheVoteOpens: the council's counting method and quorum change freely
// before the vote opens, and are refused at their fields once it has opened or a ballot is cast.
func TestCouncilRulesFixedOnceTheVoteOpens(t *testing.T) {
	w := newWorld(t)
	set := func(path, v string) error { t.Helper(); return w.setRounds(t, path, v) }
	if err := set("voting.quorum", "4"); err != nil {
		t.Fatalf("before the vote: %v", err)
	}
	w.now = w.edition(t, "seoul-2023").Schedule.Voting.Start.Add(time.Minute)
	err := set("voting.method", "borda")
	problemAt(t, err, "voting.method")
	if !strings.Contains(err.Error(), "The council's vote has opened") {
		t.Errorf("refusal: %v", err)
	}
	problemAt(t, set("voting.quorum", "5"), "voting.quorum")
	if got := w.edition(t, "seoul-2023").Voting; got.Quorum != 4 || got.Method != edition.VotingSchulze {
		t.Errorf("voting = %+v after the refusals", got)
	}
}

package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// roundsForm is the rounds sheet of seoul-2023 as shown, at version.
func roundsForm(version int) url.Values {
	return url.Values{"version": {strconv.Itoa(version)}, "scoring.evaluators_per_entry": {"3"}, "scoring.criterion_comments": {"optional"},
		"scoring.country_conflicts": {"no"}, "scoring.method": {"mean"}, "voting.method": {"schulze"}, "voting.quorum": {""},
		"voting.attendance_deadline": {""}, "publication.repository": {"all"}, "publication.semi_finalists_list": {"yes"}}
}

// TestStudioRoundsSheetSteersTheRankingAndThePublicPage: a manager sets the aggregation method
// proposed and stops publishing the semi-finalists on the sheet Rounds and publication (reviewed,
// then saved; a wrong quorum refused next to its field, what was typed kept); the head's sealed
// ranking page then proposes that method, which the head must still record before closing; the
// public page of the semi-finalists says they are not published; once round 2 is closed the
// method proposed no longer changes.
func TestStudioRoundsSheetSteersTheRankingAndThePublicPage(t *testing.T) {
	t.Parallel()
	re := newRankingEnv(t)
	mgr := re.signedInClient(t, matrixUser(t, re.env, "mina", "manager"))
	head := re.signedInClient(t, re.head)

	sheet := mgr.get("/studio/seoul-2023/rounds")
	wantStatus(t, "the rounds sheet", sheet, 200)
	for _, want := range []string{"Rounds and publication", `<option value="mean" selected`, "Z-score normalised",
		`name="publication.repository" value="all" checked`, "Only the winners and the semi-finalists"} {
		if !strings.Contains(sheet.body, want) {
			t.Fatalf("the sheet lacks %q:\n%s", want, sheet.body)
		}
	}
	if page := mgr.get("/studio/seoul-2023"); !strings.Contains(page.body, `href="/studio/seoul-2023/rounds"`) {
		t.Error("the edition's page has no link to the sheet")
	}
	version := re.edition(t, "seoul-2023").Version
	form := roundsForm(version)
	form.Set("voting.quorum", "many")
	bad := mgr.post("/studio/seoul-2023/rounds", form)
	wantStatus(t, "a quorum that is not a number", bad, 422)
	if !strings.Contains(bad.body, `value="many"`) || !strings.Contains(bad.body, `aria-invalid="true"`) || !strings.Contains(bad.body, "error-summary") {
		t.Fatalf("the refusal:\n%s", bad.body)
	}

	form = roundsForm(version)
	form.Set("scoring.method", "trimmed_mean")
	form.Set("publication.semi_finalists_list", "no")
	review := mgr.post("/studio/seoul-2023/rounds", form)
	wantStatus(t, "review", review, 200)
	if !strings.Contains(review.body, "Review the changes") || !strings.Contains(review.body, "Aggregation method proposed to the committee head") ||
		!strings.Contains(review.body, "trimmed_mean") || re.edition(t, "seoul-2023").Version != version {
		t.Fatalf("review:\n%s", review.body)
	}
	form.Set("confirm", "yes")
	wantStatus(t, "save", mgr.post("/studio/seoul-2023/rounds", form), 303)
	ed := re.edition(t, "seoul-2023")
	if ed.Scoring.Method != "trimmed_mean" || ed.Publication.SemiFinalistsList {
		t.Fatalf("stored: scoring %+v, publication %+v", ed.Scoring, ed.Publication)
	}

	// The head's sealed page proposes the edition's method; closing still needs it recorded.
	r := head.get("/ranking" + re.edq())
	wantStatus(t, "the head's ranking page", r, 200)
	if !strings.Contains(r.body, `value="trimmed_mean" checked`) || !strings.Contains(r.body, "<strong>Trimmed mean</strong> (the edition&#39;s default, not yet recorded") {
		t.Fatalf("the ranking page does not propose the edition's method:\n%s", r.body)
	}
	wantStatus(t, "close on the proposal alone", head.post("/ranking/close"+re.edq(), nil), 409)

	// The public page of the semi-finalists: not published.
	pub := re.client(t).get("/editions/seoul-2023/semi-finalists")
	wantStatus(t, "public page", pub, 200)
	if !strings.Contains(pub.body, "not published on this site") {
		t.Fatalf("the public page:\n%s", pub.body)
	}

	wantStatus(t, "record the method", head.post("/ranking/method"+re.edq(), url.Values{"method": {"trimmed_mean"}}), 303)
	wantStatus(t, "close", head.post("/ranking/close"+re.edq(), earlyClose), 303)
	form = roundsForm(ed.Version)
	form.Set("publication.semi_finalists_list", "no")
	form.Set("scoring.method", "zscore")
	refused := mgr.post("/studio/seoul-2023/rounds", form)
	wantStatus(t, "the method proposed once round 2 is closed", refused, 422)
	if !strings.Contains(refused.body, "Round 2 is closed") {
		t.Fatalf("the refusal:\n%s", refused.body)
	}
}

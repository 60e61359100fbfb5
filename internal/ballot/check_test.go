package ballot_test

import (
	"strings"
	"testing"

	"prizeportal/internal/ballot"
	"prizeportal/internal/i18n"
)

// TestCheckBallot: a rank from 1 to the number of candidates or an abstention with a stated
// conflict, never both; on a conflicted entry the member abstains, with the reasons by default.
func TestCheckBallot(t *testing.T) {
	cands := []ballot.Candidate{{ApplicationID: 1, Title: "A"}, {ApplicationID: 2, Title: "B"}, {ApplicationID: 3, Title: "C"}}
	conflicts := map[int64][]string{3: {"declared: Org C"}}
	lines, problems := ballot.CheckBallot(cands, conflicts, map[int64]ballot.Choice{
		1: {Rank: " 1 "}, 2: {Abstain: true, Conflict: "My employer"}, 3: {},
	})
	if len(problems) != 0 || len(lines) != 3 || lines[0].Rank != 1 || lines[1].Conflict != "My employer" || lines[2].Conflict != "declared: Org C" {
		t.Fatalf("valid ballot: %+v %+v", lines, problems)
	}
	_, problems = ballot.CheckBallot(cands, conflicts, map[int64]ballot.Choice{
		1: {Rank: "4"}, 2: {Rank: "1", Abstain: true, Conflict: "x"}, 3: {Rank: "2"},
	})
	var got []string
	for _, p := range problems {
		got = append(got, p.Field)
	}
	if strings.Join(got, ",") != "rank,rank,conflict" || !strings.Contains(i18n.English(problems[0].Message), "from 1 to 3") {
		t.Errorf("problems: %+v", problems)
	}
	_, problems = ballot.CheckBallot(cands, nil, map[int64]ballot.Choice{1: {}, 2: {Abstain: true}, 3: {Abstain: true, Conflict: strings.Repeat("x", ballot.MaxConflict+1)}})
	if len(problems) != 3 || problems[1].Field != "conflict" || problems[2].Field != "conflict" {
		t.Errorf("missing rank and conflicts: %+v", problems)
	}
}

// TestCheckDecision: the chair orders every tied entry with distinct positions and gives a
// reason.
func TestCheckDecision(t *testing.T) {
	order, reason, problems := ballot.CheckDecision([]int64{7, 9}, map[int64]string{7: "2", 9: " 1"}, "  The council's discussion ")
	if len(problems) != 0 || order[0] != 9 || order[1] != 7 || reason != "The council's discussion" {
		t.Fatalf("decision: %v %q %+v", order, reason, problems)
	}
	_, _, problems = ballot.CheckDecision([]int64{7, 9}, map[int64]string{7: "1", 9: "1"}, "")
	if len(problems) != 2 || problems[0].ApplicationID != 9 || !strings.Contains(problems[0].Message, "given twice") || problems[1].Field != "reason" {
		t.Errorf("problems: %+v", problems)
	}
	_, _, problems = ballot.CheckDecision([]int64{7}, map[int64]string{7: "3"}, strings.Repeat("x", ballot.MaxConflict+1))
	if len(problems) != 2 || problems[0].Field != "order" || problems[1].Field != "reason" {
		t.Errorf("out of range and too long: %+v", problems)
	}
}

package ballot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Choice is what a member chose on the ballot form for one candidate: a rank as typed, or an
// abstention with the stated conflict.
type Choice struct {
	Rank     string
	Abstain  bool
	Conflict string
}

// Problem is a refused choice: Field is the input at fault ("rank" or "conflict").
type Problem struct {
	ApplicationID int64
	Field         string
	Message       string
}

// CheckBallot turns a member's choices for the candidates cands into the ballot's lines
// (DOMAIN.md "Round 3": the council ranks the semi-finalists): a rank from 1 to the number of
// candidates (1 = best; equal ranks are ties) or an abstention with a stated conflict of at most
// MaxConflict characters, never both. On an entry the committee's conflict rules bar the member
// from (conflicts, with the reasons) the member abstains: a rank is refused, and the reasons
// stand in for an unstated conflict. The problems come in the candidates' order.
func CheckBallot(cands []Candidate, conflicts map[int64][]string, choices map[int64]Choice) ([]Line, []Problem) {
	var (
		lines    []Line
		problems []Problem
	)
	for _, c := range cands {
		id := c.ApplicationID
		ch := choices[id]
		rank, conflict := strings.TrimSpace(ch.Rank), strings.TrimSpace(ch.Conflict)
		refuse := func(field, msg string) {
			problems = append(problems, Problem{ApplicationID: id, Field: field, Message: msg})
		}
		if reasons := conflicts[id]; len(reasons) > 0 {
			if rank != "" {
				refuse("conflict", "You have a recorded conflict with "+c.Title+" ("+strings.Join(reasons, "; ")+"): you cannot rank it, you abstain on it.")
				continue
			}
			if conflict == "" {
				conflict = strings.Join(reasons, "; ")
			}
			if utf8.RuneCountInString(conflict) > MaxConflict {
				conflict = string([]rune(conflict)[:MaxConflict])
			}
			lines = append(lines, Line{ApplicationID: id, Conflict: conflict})
			continue
		}
		if ch.Abstain {
			switch {
			case rank != "":
				refuse("rank", "Either rank "+c.Title+" or abstain on it, not both.")
			case conflict == "":
				refuse("conflict", "State your conflict with "+c.Title+" to abstain on it.")
			case utf8.RuneCountInString(conflict) > MaxConflict:
				refuse("conflict", fmt.Sprintf("Keep your conflict with %s to %d characters.", c.Title, MaxConflict))
			default:
				lines = append(lines, Line{ApplicationID: id, Conflict: conflict})
			}
			continue
		}
		if rank == "" {
			refuse("rank", "Rank "+c.Title+" (1 = best), or abstain on it and state your conflict.")
			continue
		}
		n, err := strconv.Atoi(rank)
		if err != nil || n < 1 || n > len(cands) {
			refuse("rank", fmt.Sprintf("The rank of %s must be a whole number from 1 to %d.", c.Title, len(cands)))
			continue
		}
		lines = append(lines, Line{ApplicationID: id, Rank: n})
	}
	return lines, problems
}

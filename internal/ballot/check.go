package ballot

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"prizeportal/internal/i18n"
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
				refuse("conflict", i18n.Msg("You have a recorded conflict with {{.Title}} ({{.Reasons}}): you cannot rank it, you abstain on it.", "Title", c.Title, "Reasons", strings.Join(reasons, "; ")))
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
				refuse("rank", i18n.Msg("Either rank {{.Title}} or abstain on it, not both.", "Title", c.Title))
			case conflict == "":
				refuse("conflict", i18n.Msg("State your conflict with {{.Title}} to abstain on it.", "Title", c.Title))
			case utf8.RuneCountInString(conflict) > MaxConflict:
				refuse("conflict", i18n.Msg("Keep your conflict with {{.Title}} to {{.Max}} characters.", "Title", c.Title, "Max", MaxConflict))
			default:
				lines = append(lines, Line{ApplicationID: id, Conflict: conflict})
			}
			continue
		}
		if rank == "" {
			refuse("rank", i18n.Msg("Rank {{.Title}} (1 = best), or abstain on it and state your conflict.", "Title", c.Title))
			continue
		}
		n, err := strconv.Atoi(rank)
		if err != nil || n < 1 || n > len(cands) {
			refuse("rank", i18n.Msg("The rank of {{.Title}} must be a whole number from 1 to {{.Max}}.", "Title", c.Title, "Max", len(cands)))
			continue
		}
		lines = append(lines, Line{ApplicationID: id, Rank: n})
	}
	return lines, problems
}

// Tied lists the entries of r still tied, waiting for the chair's decision, group after group.
func (r *Result) Tied() []int64 {
	var tied []int64
	for _, g := range r.Unresolved {
		tied = append(tied, g...)
	}
	return tied
}

// CheckDecision turns the chair's positions (as typed, by entry) for the tied entries into the
// decided order, earlier first, with the reason recorded in the protocol (DOMAIN.md "Round 3";
// the tie-break chain ends with the chair's decision): every tied entry gets a distinct position
// from 1 to their number, and the reason is required, at most MaxConflict characters. Problems
// name the entry at fault (Field "order"), or Field "reason" with ApplicationID 0.
func CheckDecision(tied []int64, positions map[int64]string, reason string) ([]int64, string, []Problem) {
	var problems []Problem
	pos := map[int64]int{}
	seen := map[int]bool{}
	for _, id := range tied {
		n, err := strconv.Atoi(strings.TrimSpace(positions[id]))
		switch {
		case err != nil || n < 1 || n > len(tied):
			problems = append(problems, Problem{id, "order", i18n.Msg("Give {{.Entry}} a position from 1 to {{.Max}}.", "Entry", EntryNo(id), "Max", len(tied))})
		case seen[n]:
			problems = append(problems, Problem{id, "order", i18n.Msg("Position {{.Position}} is given twice: the decision must order every tied entry.", "Position", n)})
		default:
			seen[n], pos[id] = true, n
		}
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		problems = append(problems, Problem{0, "reason", i18n.M("Give the reason for the decision: it is recorded in the protocol.")})
	} else if utf8.RuneCountInString(reason) > MaxConflict {
		problems = append(problems, Problem{0, "reason", i18n.Msg("Keep the reason to {{.Max}} characters.", "Max", MaxConflict)})
	}
	order := slices.Clone(tied)
	slices.SortFunc(order, func(a, b int64) int { return pos[a] - pos[b] })
	return order, reason, problems
}

package studio

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/ranking"
)

// The sheet "Rounds and publication": the settings of round 2 (the committee's scoring), of
// round 3 (the council's vote), and what the portal publishes of the edition. Each of them lives
// in an optional block of the definition (scoring, voting, publication) whose values have
// defaults: the sheet shows the value in force, and writes only what the manager changed.

func roundsSheet() Sheet {
	return Sheet{Title: i18n.M("Rounds and publication"),
		Intro: i18n.M("How the Evaluation Committee scores, how the Prize Council votes, and what the public sees of the edition. " +
			"Once the committee head has closed round 2, the aggregation method is on the record and its default no longer changes."),
		Groups: []Group{
			{Legend: i18n.M("Round 2: scoring by the Evaluation Committee"), Fields: []Field{
				setting("scoring.evaluators_per_entry", i18n.M("Evaluators per entry"), i18n.M("How many evaluators the assignment gives each entry. Empty: 3."), "number",
					func(d *edition.Definition) string {
						if d.Scoring != nil && d.Scoring.EvaluatorsPerEntry != nil {
							return strconv.Itoa(*d.Scoring.EvaluatorsPerEntry)
						}
						return ""
					},
					func(d *edition.Definition, v string) error {
						n, err := optionalNumber(v, i18n.M("Enter a whole number, such as 3, or leave it empty for 3."))
						scoringOf(d).EvaluatorsPerEntry = n
						return err
					}),
				choice(setting("scoring.criterion_comments", i18n.M("Comments on each criterion"), i18n.M("Whether an evaluator must comment on every criterion to submit a score sheet."), "radio",
					func(d *edition.Definition) string {
						if d.Scoring != nil && d.Scoring.CriterionComments == "required" {
							return "required"
						}
						return "optional"
					},
					func(d *edition.Definition, v string) error { scoringOf(d).CriterionComments = v; return nil }),
					"optional", i18n.M("Optional"), "required", i18n.M("Required on every criterion")),
				choice(setting("scoring.country_conflicts", i18n.M("Conflicts by country"),
					i18n.M("Whether an evaluator is kept from every entry of a country they are tied to (their own, and their declared cities')."), "radio",
					func(d *edition.Definition) string { return yesNoText(d.Scoring != nil && d.Scoring.CountryConflicts) },
					func(d *edition.Definition, v string) error {
						b, err := readYesNo(v)
						scoringOf(d).CountryConflicts = b
						return err
					}),
					"yes", i18n.M("Yes: no evaluator scores an entry from their own countries"), "no", i18n.M("No: only the declared conflicts count")),
				methodField(),
			}},
			{Legend: i18n.M("Round 3: the Prize Council's vote"), Fields: []Field{
				choice(setting("voting.method", i18n.M("Counting method"), i18n.M("How the council's ranked ballots are counted."), "radio",
					func(d *edition.Definition) string {
						if d.Voting != nil && d.Voting.Method != "" {
							return d.Voting.Method
						}
						return edition.VotingSchulze
					},
					func(d *edition.Definition, v string) error { votingOf(d).Method = v; return nil }),
					edition.VotingSchulze, i18n.M("Schulze (pairwise comparisons of the rankings)"), edition.VotingBorda, i18n.M("Borda count (points by place)")),
				setting("voting.quorum", i18n.M("Quorum"), i18n.M("How many council members must have voted in a category before its vote closes. Empty: a majority of the council."), "number",
					func(d *edition.Definition) string {
						if d.Voting != nil && d.Voting.Quorum != nil {
							return strconv.Itoa(*d.Voting.Quorum)
						}
						return ""
					},
					func(d *edition.Definition, v string) error {
						n, err := optionalNumber(v, i18n.M("Enter a whole number, such as 4, or leave it empty for a majority."))
						votingOf(d).Quorum = n
						return err
					}),
				setting("voting.attendance_deadline", i18n.M("First-place winners confirm their attendance by"),
					i18n.M("Optional: one week before the ceremony when empty. "+dateHint), "text",
					func(d *edition.Definition) string {
						if d.Voting != nil {
							return d.Voting.AttendanceDeadline
						}
						return ""
					},
					func(d *edition.Definition, v string) error { votingOf(d).AttendanceDeadline = v; return nil }),
			}},
			{Legend: i18n.M("Publication"), Fields: []Field{
				choice(setting("publication.repository", i18n.M("Entries in the public best-practice repository"),
					i18n.M("From the winners' announcement, and only entries whose applicant consented to publication, without what they marked confidential."), "radio",
					func(d *edition.Definition) string {
						if d.Publication != nil && d.Publication.Repository != "" {
							return d.Publication.Repository
						}
						return edition.RepositoryAll
					},
					func(d *edition.Definition, v string) error { publicationOf(d).Repository = v; return nil }),
					edition.RepositoryAll, i18n.M("Every consented entry"),
					edition.RepositoryFinalists, i18n.M("Only the winners and the semi-finalists"),
					edition.RepositoryNone, i18n.M("None of the edition's entries")),
				choice(setting("publication.semi_finalists_list", i18n.M("Public list of the semi-finalists"),
					i18n.M("Whether the edition's page of semi-finalists lists them from their announcement. Every entrant is told its outcome by email either way."), "radio",
					func(d *edition.Definition) string {
						return yesNoText(d.Publication == nil || d.Publication.SemiFinalistsList == nil || *d.Publication.SemiFinalistsList)
					},
					func(d *edition.Definition, v string) error {
						b, err := readYesNo(v)
						publicationOf(d).SemiFinalistsList = &b
						return err
					}),
					"yes", i18n.M("Published on the public page"), "no", i18n.M("Not published")),
			}},
		}}
}

// methodField is the aggregation method the committee head's ranking page proposes.
func methodField() Field {
	f := setting("scoring.method", i18n.M("Aggregation method proposed to the committee head"),
		i18n.M("The ranking page proposes it; the head still records the method before the scores are unsealed."), "select",
		func(d *edition.Definition) string {
			if d.Scoring != nil && d.Scoring.Method != "" {
				return d.Scoring.Method
			}
			return edition.DefaultAggregationMethod
		},
		func(d *edition.Definition, v string) error { scoringOf(d).Method = v; return nil })
	for _, m := range edition.AggregationMethods {
		f.Options, f.Labels = append(f.Options, m), append(f.Labels, ranking.Method(m).Label())
	}
	return f
}

// setting is a value of an optional block of the definition: get reads the value in force (its
// default when the file leaves it out), put writes a posted value. A posted value equal to the
// one in force changes nothing, so a sheet saved as shown writes no default into the file.
func setting(path, label, hint, kind string, get func(*edition.Definition) string, put func(*edition.Definition, string) error) Field {
	return Field{Path: path, Label: label, Hint: hint, Kind: kind, get: get,
		set: func(d *edition.Definition, v string) error {
			if v == get(d) {
				return nil
			}
			return put(d, v)
		}}
}

// choice gives f its options, as pairs of a value and its label.
func choice(f Field, pairs ...string) Field {
	for i := 0; i+1 < len(pairs); i += 2 {
		f.Options, f.Labels = append(f.Options, pairs[i]), append(f.Labels, pairs[i+1])
	}
	return f
}

// yesNoText is b as a yes/no field holds it.
func yesNoText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func readYesNo(v string) (bool, error) {
	switch v {
	case "yes":
		return true, nil
	case "no":
		return false, nil
	}
	return false, errors.New(i18n.M("Choose one of the two answers."))
}

// optionalNumber reads a whole number, nil when v is empty; msg is the problem otherwise.
func optionalNumber(v, msg string) (*int, error) {
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return nil, errors.New(msg)
	}
	return &n, nil
}

// The blocks of a definition, added when a value is set in them.

func scoringOf(d *edition.Definition) *edition.ScoringDef {
	if d.Scoring == nil {
		d.Scoring = &edition.ScoringDef{}
	}
	return d.Scoring
}

func votingOf(d *edition.Definition) *edition.VotingDef {
	if d.Voting == nil {
		d.Voting = &edition.VotingDef{}
	}
	return d.Voting
}

func publicationOf(d *edition.Definition) *edition.PublicationDef {
	if d.Publication == nil {
		d.Publication = &edition.PublicationDef{}
	}
	return d.Publication
}

// roundsRefusals refuses to change how a round counts once it has counted: the aggregation
// method proposed once round 2 is closed (the head's method is then on the record, DOMAIN.md
// "Round 2", and the edition's file must keep saying what was proposed); the council's counting
// method and quorum once a ballot is cast or the vote has opened (DOMAIN.md "Round 3": the
// members vote under the rules they were given).
func roundsRefusals(ctx context.Context, tx pgx.Tx, old, next *edition.Edition, now time.Time) ([]edition.Problem, error) {
	var problems []edition.Problem
	if old.Scoring.Method != next.Scoring.Method {
		st, err := ranking.Round(ctx, tx, old.ID)
		if err != nil {
			return nil, err
		}
		if st.Closed() {
			problems = append(problems, edition.Problem{Path: "scoring.method",
				Message: i18n.M("Round 2 is closed: the committee head's method is on the record, so the method proposed can no longer change.")})
		}
	}
	if old.Voting.Method == next.Voting.Method && old.Voting.Quorum == next.Voting.Quorum {
		return problems, nil
	}
	var ballots int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM ballots WHERE edition_id = $1`, old.ID).Scan(&ballots); err != nil {
		return nil, fmt.Errorf("ballots: %w", err)
	}
	if ballots == 0 && now.Before(old.Schedule.Voting.Start) {
		return problems, nil
	}
	why := i18n.M("The council's vote has opened: it is counted under the rules its members were given.")
	switch {
	case ballots == 1:
		why = i18n.Msg("The council has cast {{.Count}} ballot: the vote is counted under the rules its members were given.", "Count", "1")
	case ballots > 1:
		why = i18n.Msg("The council has cast {{.Count}} ballots: the vote is counted under the rules its members were given.",
			"Count", numfmt.Thousands(ballots))
	}
	if old.Voting.Method != next.Voting.Method {
		problems = append(problems, edition.Problem{Path: "voting.method", Message: why})
	}
	if old.Voting.Quorum != next.Voting.Quorum {
		problems = append(problems, edition.Problem{Path: "voting.quorum", Message: why})
	}
	return problems, nil
}

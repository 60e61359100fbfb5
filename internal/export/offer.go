package export

import (
	"strconv"
	"strings"

	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// Description says what an export of kind holds, for a reader whose applications export covers
// scope (the council reads the confirmed semi-finalists only, as the dossiers; DOMAIN.md "Round
// 3"; the scores with the comments once round 2 is closed, "Round 2").
func (k Kind) Description(scope Scope) string {
	switch k {
	case Applications:
		if scope == SemiFinalists {
			return i18n.M("The confirmed semi-finalists with all their answers, as their dossiers show them: a column per question of the category's form, in the form's order.")
		}
		return i18n.M("Every submitted entry with all its answers: a column per question of the category's form, in the form's order; multiple choices as their labels, documents by name, nominations with their candidate's details.")
	case Scores:
		return i18n.M("Every score sheet: each indicator's score, the mean per criterion, the comment on each criterion and the overall comment.")
	case Votes:
		return i18n.M("For each closed vote: the ballots, anonymised as in the result protocol, and the result with the final order, the tie-breaks and the awards.")
	case Audit:
		return i18n.M("The whole audit log as CSV: who did what to which object, when and from where.")
	case Pack:
		return i18n.M("A ZIP with the workbook (the applications, the scores once the scoring round is closed, and the closed votes), a PDF dossier per semi-finalist, the result protocols and a methodology note listing the criteria weights, the aggregation method, the conflicts excluded and the voting method.")
	case Assigned:
		return i18n.M("The entries assigned to you, with the answers your score sheets show, and your own scores and comments.")
	}
	return ""
}

// Formatted reports whether an export of kind comes as XLSX or CSV at the reader's choice (the
// audit log is always CSV, the pack a ZIP).
func (k Kind) Formatted() bool { return k != Audit && k != Pack }

// Anonymisable reports whether an export of kind may replace the evaluators' names by
// "Evaluator N" (the scores and the pack).
func (k Kind) Anonymisable() bool { return k == Scores || k == Pack }

// OptionsFor are the options of an export of kind as asked: format (XLSX unless CSV is asked
// for a kind that offers the choice; the audit log is CSV, the pack has none) and anonymise.
func OptionsFor(kind Kind, format string, anonymise bool) Options {
	opts := Options{Anonymise: anonymise}
	switch {
	case kind == Audit:
		opts.Format = CSV
	case kind == Pack:
	case format == string(CSV):
		opts.Format = CSV
	default:
		opts.Format = XLSX
	}
	return opts
}

// ProgressText says how far the job has come: "3 of 12 items", or "Not started".
func (j Job) ProgressText() string {
	switch {
	case j.Status == Done:
		return i18n.Msg("{{.Done}} of {{.Total}} items", "Done", strconv.Itoa(j.Total), "Total", strconv.Itoa(j.Total))
	case j.Total == 0:
		return i18n.M("Not started")
	}
	return i18n.Msg("{{.Done}} of {{.Total}} items", "Done", strconv.Itoa(j.Progress), "Total", strconv.Itoa(j.Total))
}

// Facts are the facts of job j of edition ed on its status page: the edition, when it was asked
// for, its format, the evaluators anonymised, and when it finished.
func (j Job) Facts(ed *edition.Edition) []pdfdoc.Field {
	loc := ed.TimeZone
	facts := []pdfdoc.Field{{Label: i18n.M("Edition"), Value: ed.Name}, {Label: i18n.M("Asked for"), Value: i18n.Instant(j.CreatedAt, loc)}}
	if j.Options.Format != "" {
		facts = append(facts, pdfdoc.Field{Label: i18n.M("Format"), Value: strings.ToUpper(string(j.Options.Format))})
	}
	if j.Options.Anonymise {
		facts = append(facts, pdfdoc.Field{Label: i18n.M("Evaluators"), Value: i18n.M("Anonymised")})
	}
	if j.FinishedAt != nil {
		facts = append(facts, pdfdoc.Field{Label: i18n.M("Finished"), Value: i18n.Instant(*j.FinishedAt, loc)})
	}
	return facts
}

// Problem says what went wrong with job j: it failed after its attempts, or the last attempt's
// error; "" when nothing did.
func (j Job) Problem() string {
	if j.Status == Failed {
		return i18n.Msg("The export could not be produced after {{.Attempts}} attempts. Ask for it again; if it fails again, tell the portal's administrators.", "Attempts", strconv.Itoa(j.Attempts))
	}
	return j.Error
}

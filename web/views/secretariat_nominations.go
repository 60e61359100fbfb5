package views

import (
	"strconv"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/nomination"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// SecretariatNominations is the list of ed's nominations. No I/O.
func SecretariatNominations(ed *edition.Edition, list nomination.StaffList, missing string) pages.SecretariatNominationsView {
	_, filtered := nomination.Missing[missing]
	if !filtered {
		missing = ""
	}
	opts := make([]components.Option, 0, len(missingChoices))
	for _, c := range missingChoices {
		opts = append(opts, components.Option{Value: c[0], Label: c[1], Selected: c[0] == missing})
	}
	v := pages.SecretariatNominationsView{Name: ed.Name, EditionID: strconv.FormatInt(ed.ID, 10), Filtered: filtered,
		Missing: components.Field{Name: "missing", Label: i18n.M("Show"), Type: "select", Options: opts}}
	for i := range list.Rows {
		n := &list.Rows[i]
		cat := nomination.Leadership(ed, n.CategoryID)
		if cat == nil {
			continue
		}
		row := pages.SecretariatNominationRow{Href: StaffNominationHref(n.ApplicationID), Candidate: n.CandidateName,
			Organisation: n.CandidateOrganisation, Nominator: n.NominatorName, Kind: n.KindText(),
			Status: n.Status.Label(), Consent: n.ConsentState(), Letter: n.LetterStatus(), Endorsements: strconv.Itoa(n.Endorsements),
			Complete: n.Complete(cat.Nominations)}
		if n.LetterConflict() {
			row.Letter = i18n.Msg("{{.Status}} (same organisation as the candidate)", "Status", row.Letter)
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// missingChoices are the values of the nominations list's filter (nomination.Missing), with
// their labels; the first shows every nomination.
var missingChoices = [][2]string{{"", i18n.M("All nominations")}, {"consent", i18n.M("Waiting for the candidate's consent")},
	{"letter", i18n.M("Without a letter of recommendation or enough endorsements")}}

// StaffNomination is the secretariat's page of p with the override reason typed. No I/O.
func StaffNomination(p *nomination.Place, reason string, errs field.Errors) pages.SecretariatNominationView {
	n, ed, rules, loc := p.Nomination, p.Edition, p.Rules(), p.Edition.TimeZone
	v := pages.SecretariatNominationView{
		Candidate: n.CandidateName,
		Back:      "/secretariat/nominations?edition=" + strconv.FormatInt(ed.ID, 10),
		Action:    StaffNominationHref(n.ApplicationID) + "/override",
		Facts: []pages.Fact{
			{Label: i18n.M("Candidate"), Value: n.CandidateName + " <" + n.CandidateEmail + ">"},
			{Label: i18n.M("Position and organisation"), Value: n.CandidatePosition + ", " + n.CandidateOrganisation},
			{Label: i18n.M("Heads an organisation"), Value: map[bool]string{true: i18n.M("Yes"), false: i18n.M("No")}[n.CandidateIsHead]},
			{Label: i18n.M("Nominator"), Value: n.NominatorName + " <" + n.NominatorEmail + ">"},
			{Label: i18n.M("Kind"), Value: n.KindText()},
			{Label: i18n.M("Nominator's organisation"), Value: n.NominatorOrganisation},
			{Label: i18n.M("Status"), Value: n.Status.Label()},
			{Label: i18n.M("Candidate's consent"), Value: n.ConsentText(loc)},
			{Label: i18n.M("Letter of recommendation"), Value: n.LetterText(loc)},
			{Label: i18n.M("Confirmed endorsements"), Value: i18n.Msg("{{.Count}} (more than {{.MoreThan}} replace the letter)",
				"Count", strconv.Itoa(n.Endorsements), "MoreThan", strconv.Itoa(rules.EndorsementsMoreThan))},
		},
		Problems: n.Problems(rules), Complete: n.Complete(rules),
		LetterHref: StaffNominationHref(n.ApplicationID) + "/letter", HasLetter: n.Letter != nil && n.Letter.Status == nomination.LetterReceived,
		EndorsementsHref: StaffNominationHref(n.ApplicationID) + "/endorsements",
		Override:         n.Override, Errors: errs,
		Reason: components.Field{Name: "reason", Label: i18n.M("Reason"), Type: "textarea", Value: reason, MaxLength: nomination.MaxOverrideReason, Error: errs.Get("reason"),
			Hint: i18n.M("Why a letter from the candidate's own organisation is acceptable here. Leave empty and save to remove an override.")},
	}
	if n.Declined() {
		v.Reask = StaffNominationHref(n.ApplicationID) + "/consent"
	}
	if cat, ok := rules.Category(n.NominatorCategory); ok {
		v.Facts = append(v.Facts, pages.Fact{Label: i18n.M("Nominator's category"), Value: cat.Name})
	}
	if n.ConsentNote != "" {
		v.Facts = append(v.Facts, pages.Fact{Label: i18n.M("Candidate's message"), Value: n.ConsentNote})
	}
	if n.OverrideAt != nil {
		v.Override = i18n.Msg("{{.Reason}} ({{.When}})", "Reason", v.Override, "When", i18n.Instant(*n.OverrideAt, loc))
	}
	return v
}

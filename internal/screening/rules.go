package screening

import (
	"slices"
	"strings"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// QueueCategory is the category whose queue is shown: key, or the edition's first when key is
// empty (DOMAIN.md "Round 1": the secretariat screens each category's entries). db.ErrNotFound
// for an unknown key or an edition without categories.
func QueueCategory(ed *edition.Edition, key string) (*edition.Category, error) {
	if key == "" && len(ed.Categories) > 0 {
		return &ed.Categories[0], nil
	}
	if c, ok := ed.Category(key); ok {
		return c, nil
	}
	return nil, db.ErrNotFound
}

// Choice is one value a filter of the queue offers, with its label.
type Choice struct{ Value, Label string }

// The queue's filters and orders (DOMAIN.md "Round 1": the queue per category, with filters and
// sorting); the first of each is the default.
// FlagSameCandidate flags a nomination whose candidate another submitted nomination of the
// edition names too (the same email address, or the same name and organisation).
const FlagSameCandidate = "same-candidate"

var (
	Statuses = []Choice{{"", i18n.M("Any")}, {"undecided", i18n.M("Not decided")}, {"clarification", i18n.M("Clarification requested")},
		{"eligible", i18n.M("Eligible")}, {"ineligible", i18n.M("Ineligible")}, {"review", i18n.M("Second opinion asked")},
		{"overdue", i18n.M("Clarification overdue")}}
	FlagChoices = []Choice{{"", i18n.M("Any")}, {"flagged", i18n.M("Any flag")}, {"conflict", i18n.M("Conflict of interest")}, {"evaluator-conflict", i18n.M("Evaluator conflict")},
		{"incomplete", i18n.M("Incomplete nomination")},
		{FlagSameCandidate, i18n.M("Candidate nominated more than once")},
		{application.FlagDuplicate, i18n.M("Likely duplicate")}}
	Sorts = []Choice{{"", i18n.M("Submission time, oldest first")}, {"applicant", i18n.M("Applicant name")}, {"country", i18n.M("Country")}}
)

// FlagLabel names a flag kind of an entry, e.g. "Conflict of interest" for "conflict".
func FlagLabel(kind string) string {
	if i := slices.IndexFunc(FlagChoices[2:], func(c Choice) bool { return c.Value == kind }); i >= 0 {
		return FlagChoices[2+i].Label
	}
	return kind
}

func known(choices []Choice, v string) string {
	if slices.ContainsFunc(choices, func(c Choice) bool { return c.Value == v }) {
		return v
	}
	return ""
}

// Checked is f with every filter value the queue does not know of ed dropped (shown as "any").
func (f Filter) Checked(ed *edition.Edition) Filter {
	f.Status, f.Flag = known(Statuses, f.Status), known(FlagChoices, f.Flag)
	if _, ok := ed.EntityType(f.EntityType); !ok {
		f.EntityType = ""
	}
	if !country.Valid(f.Country) {
		f.Country = ""
	}
	return f
}

// Answers are the checklist answers as posted, by check key: "yes" (confirmed) or "no" (not
// met); get reads the posted value of field "check.KEY", and the member's note on it (why their
// answer differs from the portal's check) of field "check.KEY.note", kept under "KEY.note".
// Other values and keys outside the category's checklist are left out (an unchecked item is not
// stored).
func Answers(cat *edition.Category, get func(string) string) map[string]string {
	out := map[string]string{}
	for _, c := range Checklist(cat) {
		if v := get("check." + c.Key); v == "yes" || v == "no" {
			out[c.Key] = v
		}
		if n := strings.TrimSpace(get("check." + c.Key + ".note")); n != "" {
			out[c.Key+".note"] = n
		}
	}
	return out
}

// checkAnswers checks the checklist answers of a decision d on an entry of cat, given the
// portal's own answers (PortalAnswers): a decision of Eligible needs every item answered, and an
// answer that differs from the portal's check needs the member's note (DOMAIN.md "Round 1": the
// checklist the portal pre-fills, the secretariat confirms).
func checkAnswers(errs *field.Errors, cat *edition.Category, d Decision, answers, portal map[string]string) {
	for _, c := range Checklist(cat) {
		a, note := answers[c.Key], strings.TrimSpace(answers[c.Key+".note"])
		if d == Eligible && a == "" {
			errs.Add("check."+c.Key, "Answer this item: a decision of Eligible needs every item of the checklist answered.")
		}
		if p := portal[c.Key]; a != "" && p != "" && a != p && note == "" {
			errs.Add("check."+c.Key+".note", "Say why your answer differs from the portal's check.")
		}
		if len([]rune(note)) > MaxText {
			errs.Add("check."+c.Key+".note", "Use at most 2,000 characters.")
		}
	}
}

// Summary is what a bulk decision did, for the secretariat member who made it.
func (d Decided) Summary() string { return i18n.English(d.Message()) }

// Message is Summary carried for the reader's language (i18n.Msg).
func (d Decided) Message() string {
	if d.Skipped > 0 {
		return i18n.Msg("{{.Done}} entries updated. {{.Skipped}} left as they were: they already had a final decision (change it on the entry's page, with a reason) or had no decision to review.",
			"Done", d.Done, "Skipped", d.Skipped)
	}
	return i18n.Msg("{{.Done}} entries updated.", "Done", d.Done)
}

// Of counts the round's entries of category categoryID by decision.
func (p RoundPage) Of(categoryID int64) map[Decision]int {
	out := map[Decision]int{}
	for _, c := range p.Counts {
		if c.CategoryID == categoryID {
			out[c.Decision] += c.Entries
		}
	}
	return out
}

// AutoCheck is what the portal found for a check of the checklist it makes itself.
type AutoCheck struct {
	Text   string
	Failed bool
	// Answer is the portal's answer to the item, "yes" (passed) or "no" (failed), that the
	// checklist starts with; "" where the portal only gives a hint.
	Answer string
}

// AutoChecks are the checks the portal makes itself on the entry of p, by check key
// (DOMAIN.md "Round 1": the checklist the portal pre-fills; "Registration" for the entity type
// and the conflict-of-interest registry; "Leadership nominations" for the nomination rules).
// leadership is the nomination's consent and letter as the secretariat reads them, quoted when
// the Leadership rules are met.
func (p *EntryPage) AutoChecks(leadership string) map[string]AutoCheck {
	e, ed, cat, v := p.Entry, p.Edition, p.Category, p.Version
	out := map[string]AutoCheck{}
	// passed and failure are whole sentences, "Passed: ..." and "Failed: ...".
	check := func(key string, failed bool, passed, failure string) {
		if failed {
			out[key] = AutoCheck{Text: failure, Failed: true, Answer: "no"}
		} else {
			out[key] = AutoCheck{Text: passed, Answer: "yes"}
		}
	}
	et := e.EntityType
	if t, ok := ed.EntityType(e.EntityType); ok {
		et = t.Name
	}
	check(CheckEntityType, !slices.Contains(cat.EligibleTypes, e.EntityType), i18n.Msg("Passed: registered as {{.Type}}.", "Type", et),
		i18n.Msg("Failed: registered as {{.Type}}, which this category does not accept.", "Type", et))
	errs := form.Validate(cat.Form, v.Answers, form.Submit)
	check(CheckComplete, errs.Any(), i18n.Msg("Passed: every required answer is given (submitted version {{.Version}}).", "Version", v.Number),
		i18n.Msg("Failed: {{.Count}} required answers are missing or invalid in the submitted version.", "Count", len(errs)))
	check(CheckNotBarred, slices.Contains(e.Flags, "conflict"), i18n.M("Passed: no match in the conflict-of-interest registry."),
		i18n.M("Failed: the entry matches the conflict-of-interest registry (see below)."))
	nfiles := 0
	for _, a := range v.Answers {
		nfiles += len(a.Files)
	}
	out[CheckDocuments] = AutoCheck{Text: i18n.Msg("{{.Count}} documents attached; each passed the file type check on upload. Open them to confirm they are readable.", "Count", nfiles)}
	if cat.Kind == edition.KindProject {
		out[CheckDuplicate] = p.duplicateCheck()
	}
	if n := p.Nomination; cat.Nominations != nil && n != nil {
		check(CheckLeadership, !n.Complete(cat.Nominations),
			i18n.Msg("Passed: {{.Leadership}} {{.Count}} confirmed endorsements.", "Leadership", leadership, "Count", n.Endorsements),
			i18n.Msg("Failed: {{.Problems}}", "Problems", n.ProblemsText(cat.Nominations)))
	}
	return out
}

// Describe is the decision in force on an entry of cat as the secretariat reads it, times in
// loc, and its second opinion asked or given ("" when none was asked), carried for the reader's
// language (i18n.Msg). DOMAIN.md "Round 1": the decision, its reason and revisions, and a second
// opinion by another member.
func (r Record) Describe(cat *edition.Category, loc *time.Location) (current, review string) {
	when := i18n.Instant(r.DecidedAt, loc)
	switch r.Decision {
	case Ineligible:
		current = i18n.Msg("Decision in force: Ineligible ({{.Reason}}), by {{.Name}} on {{.When}}.", "Reason", ReasonLabel(cat, r.ReasonKey),
			"Name", r.DecidedByName, "When", when)
	default:
		current = i18n.Msg("Decision in force: {{.Decision}}, by {{.Name}} on {{.When}}.", "Decision", r.Decision.Label(), "Name", r.DecidedByName, "When", when)
	}
	if r.Revision > 1 {
		current = i18n.Msg("{{.Decision}} Revision {{.Revision}}: {{.Reason}}", "Decision", current, "Revision", r.Revision, "Reason", r.RevisionReason)
	}
	switch {
	case r.ReviewedAt != nil:
		review = i18n.Msg("Second opinion by {{.Name}} on {{.When}}: {{.Outcome}}. {{.Note}}", "Name", r.ReviewedByName, "When", i18n.Instant(*r.ReviewedAt, loc),
			"Outcome", reviewOutcome(r.ReviewOutcome), "Note", r.ReviewNote)
	case r.ReviewRequestedAt != nil:
		review = i18n.Msg("A second opinion was asked on {{.When}}. {{.Note}}", "When", i18n.Instant(*r.ReviewRequestedAt, loc), "Note", r.ReviewNote)
	}
	return current, review
}

// reviewOutcome is a second opinion's outcome as recorded ("agree", "disagree") in words.
func reviewOutcome(o string) string {
	switch o {
	case "agree":
		return i18n.M("agree")
	case "disagree":
		return i18n.M("disagree")
	}
	return o
}

// Reviewable reports whether viewer may give the second opinion asked on the decision: one was
// asked and not given, by another member (DOMAIN.md "Round 1": a second opinion).
func (r Record) Reviewable(viewer int64) bool {
	return r.ReviewedAt == nil && r.ReviewRequestedAt != nil && r.ReviewRequestedBy != nil && *r.ReviewRequestedBy != viewer
}

// Status describes e's decision for the queue: the decision, an ineligible entry's reason and a
// second opinion still asked for (DOMAIN.md "Round 1"), carried for the reader's language.
func (e Entry) Status(cat *edition.Category) string {
	l := e.Decision.Label()
	if r := ReasonLabel(cat, e.ReasonKey); e.Decision == Ineligible && r != "" {
		l = i18n.Msg("Ineligible: {{.Reason}}", "Reason", r)
	}
	if e.ReviewPending {
		l = i18n.Msg("{{.Decision}} (second opinion asked)", "Decision", l)
	}
	return l
}

// Name is e's title, or "Untitled entry <id>" while it has none (carried for the reader's
// language).
func (e Entry) Name() string {
	if e.Title == "" {
		return i18n.Msg("Untitled entry {{.ID}}", "ID", e.ID)
	}
	return e.Title
}

// Who says who the entry is about: the applicant and their organisation, or a nomination's
// candidate's organisation and city, and who nominated them (the candidate is the participant).
func (e Entry) Who() string {
	if e.Kind == "nomination" {
		return i18n.Msg("{{.Organisation}}, {{.City}}; nominated by {{.Nominator}}", "Organisation", e.Organisation, "City", e.City, "Nominator", e.Applicant)
	}
	return e.Applicant + ", " + e.Organisation
}

// Addressees are e as each person told about it sees it: e itself (its account), then, for a
// nomination whose candidate is not the account holder, e addressed to the candidate (UserID 0),
// as in entry_addressees: the candidate is the participant, the nominator gets the copy, and so
// does each co-nominator (the nominator of a nomination merged into e).
func (e Entry) Addressees() []Entry {
	out := []Entry{e}
	if e.Kind == "nomination" && e.CandidateEmail != "" && !strings.EqualFold(strings.TrimSpace(e.CandidateEmail), strings.TrimSpace(e.Email)) {
		c := e
		c.UserID, c.Applicant, c.Email = 0, e.Candidate, e.CandidateEmail
		out = append(out, c)
	}
	// The co-nominators get a copy as the nominator does: each account once, and not one told already.
	for _, co := range e.CoNominators {
		if !slices.ContainsFunc(out, func(o Entry) bool {
			return o.UserID == co.UserID || strings.EqualFold(strings.TrimSpace(o.Email), strings.TrimSpace(co.Email))
		}) {
			c := e
			c.UserID, c.Applicant, c.Email, c.Merged = co.UserID, co.Name, co.Email, co.Nomination
			out = append(out, c)
		}
	}
	return out
}

// FlagLabels names e's flags (FlagLabel), "Incomplete nomination" first for an incomplete
// nomination.
func (e Entry) FlagLabels() []string {
	var out []string
	if e.Incomplete {
		out = append(out, FlagLabel("incomplete"))
	}
	for _, fl := range e.Flags {
		out = append(out, FlagLabel(fl))
	}
	return out
}

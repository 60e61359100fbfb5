package views

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/audit"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/studio"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// StudioHref is the studio's page of edition slug.
func StudioHref(slug string) string { return "/studio/" + slug }

// StudioSheetHref is the studio page that edits the part key of edition slug.
func StudioSheetHref(slug, key string) string { return StudioHref(slug) + "/" + key }

// StudioList is the studio's list of editions.
func StudioList(page components.Page, rows []studio.Row) pages.StudioListView {
	v := pages.StudioListView{Page: page, New: "/studio/new"}
	for _, r := range rows {
		e := r.Edition
		status := i18n.M("Published")
		if e.Draft() {
			status = i18n.M("Draft")
		}
		v.Rows = append(v.Rows, pages.StudioRow{Name: e.Name, Href: StudioHref(e.Slug), Year: strconv.Itoa(e.Year),
			Status: status, Stage: string(r.Stage), Updated: i18n.Instant(e.UpdatedAt, e.TimeZone),
			Copy: "/studio/new?from=" + e.Slug})
	}
	return v
}

// StudioNewForm is the new-edition form as posted.
type StudioNewForm struct {
	From  string `form:"from"`
	Slug  string `form:"slug"`
	Name  string `form:"name"`
	Year  string `form:"year"`
	Years string `form:"years"`
	Days  string `form:"days"`
}

// Input is the form as the studio's input, with the problems of its numbers.
func (f StudioNewForm) Input() (studio.NewEdition, field.Errors) {
	var errs field.Errors
	num := func(name, v string, def int) int {
		v = strings.TrimSpace(v)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			errs.Add(name, "Enter a whole number, such as 1.")
		}
		return n
	}
	n := studio.NewEdition{From: strings.TrimSpace(f.From), Slug: f.Slug, Name: f.Name}
	if n.From == "" {
		n.Year = num("year", f.Year, 0)
	} else {
		n.Years, n.Days = num("years", f.Years, 0), num("days", f.Days, 0)
	}
	return n, errs
}

// StudioNewDefaults is the new-edition form as first shown: a copy of from one year later (its
// address and name with the next year), or a blank edition for next year.
func StudioNewDefaults(rows []studio.Row, from string, now time.Time) StudioNewForm {
	for _, r := range rows {
		if e := r.Edition; e.Slug == from {
			y, next := strconv.Itoa(e.Year), strconv.Itoa(e.Year+1)
			return StudioNewForm{From: from, Slug: strings.ReplaceAll(e.Slug, y, next), Name: strings.ReplaceAll(e.Name, y, next),
				Years: "1", Days: "0"}
		}
	}
	return StudioNewForm{Year: strconv.Itoa(now.Year() + 1), Years: "1", Days: "0"}
}

// StudioNew is the new-edition form with its problems.
func StudioNew(page components.Page, rows []studio.Row, f StudioNewForm, errs field.Errors) pages.StudioNewView {
	from := []components.Option{{Value: "", Label: i18n.M("A blank edition"), Selected: f.From == ""}}
	for _, r := range rows {
		from = append(from, components.Option{Value: r.Edition.Slug, Label: i18n.Msg("A copy of {{.Name}}", "Name", r.Edition.Name), Selected: f.From == r.Edition.Slug})
	}
	return pages.StudioNewView{Page: page, Back: "/studio", Action: "/studio/new", Errors: errs, Fields: []components.Field{
		{Name: "from", Label: i18n.M("Start from"), Type: "select", Options: from, Error: errs.Get("from")},
		{Name: "slug", Label: i18n.M("Address"), Value: f.Slug, Required: true, Error: errs.Get("slug"),
			Hint: i18n.M("Lowercase letters, digits and hyphens, such as seoul-2024: the edition's pages are at /editions/ADDRESS.")},
		{Name: "name", Label: i18n.M("Name"), Value: f.Name, Required: true, Error: errs.Get("name"), Hint: i18n.M("Such as Seoul Smart City Prize 2024.")},
		{Name: "years", Label: i18n.M("Move every date by years (a copy)"), Value: f.Years, InputMode: "numeric", Error: errs.Get("years"),
			Hint: i18n.M("1 moves the copy's schedule to the same days one year later.")},
		{Name: "days", Label: i18n.M("And by days (a copy)"), Value: f.Days, InputMode: "numeric", Error: errs.Get("days"),
			Hint: i18n.M("Optional, may be negative: to move the dates a few days more or less.")},
		{Name: "year", Label: i18n.M("Year (a blank edition)"), Value: f.Year, InputMode: "numeric", Error: errs.Get("year"),
			Hint: i18n.M("A blank edition has one category, one criterion and a short form, its dates in this year: change them next.")},
	}}
}

// StudioFieldErrors turns a refusal of the studio into the problems of a form: every problem of
// a *edition.ValidationError at its path (renamed by names when given, such as "slug"), a
// field.Errors as it is, and a taken address at "slug". Any other error gives nil.
func StudioFieldErrors(err error, def *edition.Definition, names map[string]string) field.Errors {
	var errs field.Errors
	var verr *edition.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &errs):
		return errs
	case errors.Is(err, studio.ErrSlugTaken):
		errs.Add("slug", "An edition with this address already exists: choose another.")
	case errors.As(err, &verr):
		describe := studio.Describer(def)
		for _, p := range verr.Problems {
			path := p.Path
			if n, ok := names[path]; ok {
				path = n
			} else if names != nil && path != "" {
				path = "from"
			}
			msg := p.Shown()
			if p.Path != "" && p.Path != "reason" && !startsUpper(p.Message) {
				msg = i18n.Msg("{{.Value}}: {{.Problem}}", "Value", describe(p.Path), "Problem", msg)
			}
			errs.Add(path, msg)
		}
	default:
		return nil
	}
	return errs
}

func startsUpper(s string) bool { return s != "" && strings.ToUpper(s[:1]) == s[:1] }

// StudioEdition is an edition's page in the studio with one page of its history.
func StudioEdition(page components.Page, e *edition.Edition, def *edition.Definition, h studio.HistoryPage, n int, now time.Time) pages.StudioEditionView {
	status := i18n.M("Published")
	if e.Draft() {
		status = i18n.M("Draft: visible only to its managers")
	}
	v := pages.StudioEditionView{Page: page, Back: "/studio", Title: e.Name, Download: StudioSheetHref(e.Slug, "edition.yaml"),
		Upload: StudioSheetHref(e.Slug, "yaml"), Version: strconv.Itoa(e.Version),
		Facts: []pages.Fact{{Label: i18n.M("Status"), Value: status}, {Label: i18n.M("Stage"), Value: string(studio.StageAt(e, now, false))},
			{Label: i18n.M("Address"), Value: i18n.Msg("/editions/{{.Slug}}", "Slug", e.Slug)}, {Label: i18n.M("Time zone"), Value: e.TimeZone.String()},
			{Label: i18n.M("Applications"), Value: i18n.Window(e.Schedule.ApplicationsOpen, e.Schedule.ApplicationDeadline, e.TimeZone)},
			{Label: i18n.M("Version"), Value: strconv.Itoa(e.Version)}},
		Parts: []pages.StudioLink{
			{Label: i18n.M("Settings"), Href: StudioSheetHref(e.Slug, "settings"), Hint: i18n.M("name, address, year, contact, time zone, terms and conditions")},
			{Label: i18n.M("Schedule"), Href: StudioSheetHref(e.Slug, "schedule"), Hint: i18n.M("every date of the three rounds")},
			{Label: i18n.M("Entity types"), Href: StudioSheetHref(e.Slug, "entities"), Hint: i18n.M("who may register: add, change or remove a type")},
			{Label: i18n.M("Categories"), Href: StudioSheetHref(e.Slug, "categories"), Hint: i18n.M("descriptions, eligibility, nominator categories, endorsements; add or remove a category")},
			{Label: i18n.M("Criteria, weights and prizes"), Href: StudioSheetHref(e.Slug, "criteria"), Hint: i18n.M("scale, criteria with their indicators, semi-finalists, prizes; add or remove them")},
			{Label: i18n.M("Rounds and publication"), Href: StudioSheetHref(e.Slug, "rounds"), Hint: i18n.M("evaluators per entry, the aggregation method, the council's vote, what the public sees")},
			{Label: i18n.M("Application forms"), Href: FormsHref(e.ID), Hint: i18n.M("the sections and questions of each category's form, with a preview")},
			{Label: i18n.M("Emails"), Href: inEdition(EmailWordingsPath, e.ID), Hint: i18n.M("the subject and wording of the emails the portal sends")},
			{Label: i18n.M("Jury"), Href: JuryHref(e.ID), Hint: i18n.M("evaluators, committee head, council and chair")},
		}}
	if e.Draft() {
		v.Publish = StudioSheetHref(e.Slug, "publish")
	}
	v.Translations = StudioTranslationLinks(e)
	describe := studio.Describer(def)
	for _, en := range h.Entries {
		v.History = append(v.History, pages.StudioEntry{When: i18n.Instant(en.Row.At, e.TimeZone), Datetime: en.Row.At.UTC().Format(time.RFC3339),
			Who: historyWho(en.Row), What: en.What(), Reason: en.Reason, Changes: changesNamed(describe, en.Changes)})
	}
	if n*audit.PerPage < h.Total {
		v.More = StudioHref(e.Slug) + "?page=" + strconv.Itoa(n+1) + "#history"
	}
	return v
}

func historyWho(r audit.Row) string {
	if w := r.Who(); w != "" {
		return w
	}
	return i18n.M("the system")
}

// StudioChanges are the differences as the history and the review show them.
func StudioChanges(def *edition.Definition, diff []edition.Difference) []pages.StudioChange {
	return changesNamed(studio.Describer(def), diff)
}

func changesNamed(describe func(string) string, diff []edition.Difference) []pages.StudioChange {
	out := make([]pages.StudioChange, len(diff))
	for i, d := range diff {
		out[i] = pages.StudioChange{What: describe(d.Path), Old: d.Old, New: d.New}
	}
	return out
}

// StudioSheet is a studio sheet of e, as stored or as posted with its problems, or the review of
// its changes (changes set) carrying the posted values. A problem of a posted action (an item
// added or removed) that no field shows is shown at the action.
func StudioSheet(page components.Page, e *edition.Edition, def *edition.Definition, sh studio.Sheet, changes []edition.Difference,
	reason string, errs field.Errors) pages.StudioSheetView {
	v := pages.StudioSheetView{Page: page, Back: StudioHref(e.Slug), Title: i18n.Msg("{{.Sheet}}, {{.Edition}}", "Sheet", sh.Title, "Edition", e.Name), Intro: sh.Intro,
		Action: StudioSheetHref(e.Slug, sh.Key), Version: strconv.Itoa(e.Version),
		Reason: components.Field{Name: "reason", Label: i18n.M("Reason for the change"), Type: "textarea", Value: reason, MaxLength: studio.MaxReason,
			Error: errs.Get("reason"), Hint: i18n.M("Kept in the edition's history. Needed when the application deadline or a round's dates move: the applicants with a draft, the committee or the council are emailed.")}}
	errs = opErrors(sh, errs)
	v.Errors = errs
	for _, g := range sh.Groups {
		sg := pages.StudioGroup{Legend: g.Legend}
		for _, f := range g.Fields {
			cf := components.Field{Name: f.Path, Label: f.Label, Hint: f.Hint, Value: f.Value, Required: f.Required, Error: errs.Get(f.Path)}
			switch f.Kind {
			case "textarea":
				cf.Type = "textarea"
			case "number":
				cf.InputMode = "decimal"
			case "select", "radio":
				cf.Type = f.Kind
				for i, o := range f.Options {
					label := o
					if i < len(f.Labels) {
						label = f.Labels[i]
					}
					cf.Options = append(cf.Options, components.Option{Value: o, Label: label, Selected: o == f.Value})
				}
			}
			sg.Fields = append(sg.Fields, cf)
			if len(changes) > 0 {
				v.Hidden = append(v.Hidden, pages.StudioHidden{Name: f.Path, Value: f.Value})
			}
		}
		if op := g.Op; op != nil {
			sg.Op = &pages.StudioOp{Value: op.Value, Label: op.Label, ID: "f-" + op.Path, Error: errs.Get(op.Path)}
		}
		if g.Op != nil && g.Op.Add {
			v.Adds = append(v.Adds, sg)
		} else {
			v.Groups = append(v.Groups, sg)
		}
	}
	if len(changes) > 0 {
		v.Title = i18n.Msg("Review the changes, {{.Edition}}", "Edition", e.Name)
		v.Changes = StudioChanges(def, changes)
		if sh.Op != "" {
			v.Hidden = append(v.Hidden, pages.StudioHidden{Name: "op", Value: sh.Op})
		}
	}
	return v
}

// opErrors are errs with each problem that no field of sh shows moved to the action posted
// with it (such as "at least one category is required" for a category removed).
func opErrors(sh studio.Sheet, errs field.Errors) field.Errors {
	var at string
	shown := map[string]bool{"reason": true}
	for _, g := range sh.Groups {
		for _, f := range g.Fields {
			shown[f.Path] = true
		}
		if g.Op != nil {
			shown[g.Op.Path] = true
			if g.Op.Value == sh.Op {
				at = g.Op.Path
			}
		}
	}
	if at == "" {
		return errs
	}
	out := make(field.Errors, 0, len(errs))
	for _, e := range errs {
		if !shown[e.Field] {
			e.Field = at
		}
		out = append(out, e)
	}
	return out
}

// StudioSaved is the confirmation of a saved change.
func StudioSaved(res studio.Result) string {
	changed := i18n.Msg("{{.Count}} values changed", "Count", numfmt.Thousands(len(res.Changes)))
	if len(res.Changes) == 1 {
		changed = i18n.Msg("{{.Count}} value changed", "Count", "1")
	}
	saved := i18n.Msg("Saved: {{.Changed}} (version {{.Version}}).", "Changed", changed, "Version", strconv.Itoa(res.Version))
	switch {
	case res.Notified == 1:
		return i18n.Msg("{{.Saved}} {{.Count}} applicant with a draft was emailed about the new deadline.", "Saved", saved, "Count", "1")
	case res.Notified > 1:
		return i18n.Msg("{{.Saved}} {{.Count}} applicants with a draft were emailed about the new deadline.", "Saved", saved,
			"Count", numfmt.Thousands(res.Notified))
	}
	return saved
}

// Paragraphs splits a text into its paragraphs (separated by blank lines), each on one line.
func Paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

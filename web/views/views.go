// Package views builds the view models of web/pages from domain values: the pure view builders
// of the handlers in internal/server (parse -> one service or query call -> view -> render).
// Nothing here does I/O, reads a request or knows a database; a builder takes what a service
// or query returned, the posted form where a page shows one, and returns the page's view.
// The addresses of the pages (href.go) live here too, so that links and redirects agree.
package views

import (
	"cmp"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"prizeportal/internal/application"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/clarify"
	"prizeportal/internal/conflict"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// ContextPanelOf is the context data of an entry of ed for the screening view
// (contextdata.ForEntry: its applicant's country's indicators and, when its city has values of
// its own, the city's, each the most recent year); nil when there are none.
func ContextPanelOf(list []contextdata.Indicator, ed *edition.Edition) templ.Component {
	if len(list) == 0 {
		return nil
	}
	v := pages.ContextPanelView{Href: ContextHref(ed)}
	for _, in := range list {
		place, level := cmp.Or(country.Name(in.Country), in.Country), "Country"
		if in.Level == contextdata.LevelCity {
			place, level = in.City+", "+place, "City"
		}
		v.Rows = append(v.Rows, pages.ContextPanelRow{Level: level, Place: place, Indicator: in.Indicator,
			Value: strings.TrimSpace(numfmt.Decimal(in.Value) + " " + in.Unit), Year: strconv.Itoa(in.Year), Source: in.Source})
	}
	return pages.ContextPanel(v)
}

// ClarThreadItems are the clarifications of a thread as staff read them; doc gives the address of a
// document.
func ClarThreadItems(cs []clarify.Clarification, f *form.Form, loc *time.Location, now time.Time, doc func(clarify.Document) string) []pages.ClarificationItem {
	var out []pages.ClarificationItem
	for i, c := range cs {
		it := pages.ClarificationItem{
			Number: i + 1, Question: clarify.Paragraphs(c.Question), AskedBy: c.AskedByName, AskedAt: timefmt.Instant(c.AskedAt, loc),
			Deadline: timefmt.End(c.Deadline, loc), State: c.State(now).Label(), Editable: clarify.QuestionLabels(f, c.QuestionKeys),
		}
		if c.AnsweredAt != nil {
			it.AnsweredAt = timefmt.Instant(*c.AnsweredAt, loc)
			it.Answer = clarify.Paragraphs(c.Answer)
			it.Documents = ClarDocuments(c.Documents, doc)
			if c.AmendedVersion != nil {
				it.Amended = "The edited answers were kept as submission " + strconv.Itoa(*c.AmendedVersion) + " of the application."
			}
		}
		out = append(out, it)
	}
	return out
}

// ClarDocuments are the documents of an answer as links, with their sizes; href gives the
// address of one.
func ClarDocuments(docs []clarify.Document, href func(clarify.Document) string) []components.Link {
	var out []components.Link
	for _, d := range docs {
		out = append(out, components.Link{Label: d.Name + " (" + files.FormatSize(d.Size) + ")", Href: href(d)})
	}
	return out
}

// CountryOptions is a country dropdown with code selected; first is the empty choice. The
// countries are named and ordered in the reader's language where the dropdown is shown.
func CountryOptions(code, first string) []components.Option {
	opts := []components.Option{{Value: "", Label: first}}
	for _, c := range country.All() {
		opts = append(opts, components.Option{Value: c.Code, Label: i18n.Country(c.Code), Selected: c.Code == strings.ToUpper(strings.TrimSpace(code))})
	}
	return opts
}

// Stamp is who did something and when, in loc.
func Stamp(who string, at time.Time, loc *time.Location) string {
	return strings.TrimSpace(who + ", " + timefmt.Instant(at, loc))
}

// ConflictPanel is the screening view's panel of an entry's conflicts of interest: each match
// with the registry or an evaluator's declaration and the field of the entry that matched; nil
// when there is none.
func ConflictPanel(matches []conflict.Match) templ.Component {
	if len(matches) == 0 {
		return nil
	}
	var v pages.ConflictPanelView
	for _, m := range matches {
		pm := pages.ConflictMatch{Subject: m.Described(), Field: conflict.FieldLabel(m.Field), Matched: m.Matched,
			Source: i18n.Msg("Declared by {{.Name}}", "Name", cmp.Or(m.EvaluatorName, i18n.M("an evaluator")))}
		if m.Registry() {
			v.Barred, pm.Source, pm.Href = true, i18n.M("Registry"), ConflictHref(m.SourceID)
		}
		v.Matches = append(v.Matches, pm)
	}
	return pages.ConflictPanel(v)
}

// ReviewQuestions lists the questions of a section that are shown, with their answers, files
// linking through fileURL.
func ReviewQuestions(f *form.Form, sec *form.Section, a form.Answers, fileURL func(form.FileRef) string) []pages.ReviewQuestion {
	var out []pages.ReviewQuestion
	for i := range sec.Questions {
		q := &sec.Questions[i]
		if !f.Visible(q, a) {
			continue
		}
		ans := a[q.Key]
		rq := pages.ReviewQuestion{Label: q.Label, Confidential: ans.Confidential}
		if q.Type == form.File {
			for _, ref := range ans.Files {
				rq.Files = append(rq.Files, components.Link{Label: ref.Name, Href: fileURL(ref)})
			}
		} else {
			rq.Lines = application.AnswerLines(q, ans)
		}
		out = append(out, rq)
	}
	return out
}

// Options offers items as the Options of a select, after an empty first one labelled first;
// pair gives an item's value and label, and the item whose value is selected is selected.
func Options[T any](first, selected string, items []T, pair func(T) (string, string)) []components.Option {
	opts := []components.Option{{Value: "", Label: first, Selected: selected == "" || selected == "0"}}
	for _, it := range items {
		v, l := pair(it)
		opts = append(opts, components.Option{Value: v, Label: l, Selected: v == selected})
	}
	return opts
}

// Labels are the Labels of roles, in order.
func Labels[T interface{ Label() string }](roles []T) []string {
	var out []string
	for _, g := range roles {
		out = append(out, g.Label())
	}
	return out
}

// PagerFor builds the pager of a list at path filtered by query; noun names the list's items
// ("applications"): its summary is carried to the page (pagerTexts).
func PagerFor(path string, query url.Values, page, nPages, total, per int, noun string) pages.Pager {
	p := pages.Pager{Page: page, Pages: nPages}
	first, last := (page-1)*per+1, min(page*per, total)
	texts, ok := pagerTexts[noun]
	if !ok {
		texts = pagerTexts["entries"] // a list of another kind counts entries
	}
	switch {
	case total == 0:
		p.Summary = texts.none
	case first > total:
		p.Summary = i18n.Msg(texts.past, "Total", total)
	default:
		p.Summary = i18n.Msg(texts.shown, "First", first, "Last", last, "Total", total)
	}
	at := func(n int) string {
		q := url.Values{}
		for k, v := range query {
			if k != "page" && len(v) > 0 && v[0] != "" {
				q[k] = v[:1]
			}
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	if page > 1 {
		p.PrevHref = at(min(page-1, nPages))
	}
	if page < nPages {
		p.NextHref = at(page + 1)
	}
	return p
}

// pagerTexts are the pager's summaries for each kind of list, by the noun its callers give
// PagerFor: whole sentences, since the noun's place and form differ between languages.
var pagerTexts = map[string]struct{ none, past, shown string }{
	"applications": {i18n.M("No applications."), i18n.M("This page is past the end: there are {{.Total}} applications."), i18n.M("Applications {{.First}} to {{.Last}} of {{.Total}}.")},
	"cases":        {i18n.M("No cases."), i18n.M("This page is past the end: there are {{.Total}} cases."), i18n.M("Cases {{.First}} to {{.Last}} of {{.Total}}.")},
	"entries":      {i18n.M("No entries."), i18n.M("This page is past the end: there are {{.Total}} entries."), i18n.M("Entries {{.First}} to {{.Last}} of {{.Total}}.")},
	"evaluators":   {i18n.M("No evaluators."), i18n.M("This page is past the end: there are {{.Total}} evaluators."), i18n.M("Evaluators {{.First}} to {{.Last}} of {{.Total}}.")},
	"indicators":   {i18n.M("No indicators."), i18n.M("This page is past the end: there are {{.Total}} indicators."), i18n.M("Indicators {{.First}} to {{.Last}} of {{.Total}}.")},
	"invitations":  {i18n.M("No invitations."), i18n.M("This page is past the end: there are {{.Total}} invitations."), i18n.M("Invitations {{.First}} to {{.Last}} of {{.Total}}.")},
	"messages":     {i18n.M("No messages."), i18n.M("This page is past the end: there are {{.Total}} messages."), i18n.M("Messages {{.First}} to {{.Last}} of {{.Total}}.")},
	"nominations":  {i18n.M("No nominations."), i18n.M("This page is past the end: there are {{.Total}} nominations."), i18n.M("Nominations {{.First}} to {{.Last}} of {{.Total}}.")},
	"signatures":   {i18n.M("No signatures."), i18n.M("This page is past the end: there are {{.Total}} signatures."), i18n.M("Signatures {{.First}} to {{.Last}} of {{.Total}}.")},
	"users":        {i18n.M("No users."), i18n.M("This page is past the end: there are {{.Total}} users."), i18n.M("Users {{.First}} to {{.Last}} of {{.Total}}.")},
}

// EntryTitle is an entry's title, or "Untitled entry <id>" when it has none.
var EntryTitle = dossier.Title

// FactsOf are fields of a document (dossier.Dossier.Facts, export.Job.Facts) as a page's facts.
func FactsOf(fields []pdfdoc.Field) []pages.Fact {
	facts := make([]pages.Fact, len(fields))
	for i, f := range fields {
		facts[i] = pages.Fact(f)
	}
	return facts
}

// JoinNonEmpty joins a and b with a comma, leaving out an empty one.
func JoinNonEmpty(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + ", " + b
}

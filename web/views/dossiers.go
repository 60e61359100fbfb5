package views

import (
	"math"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/clarify"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/mention"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The dossiers of the council and the special mentions: their pages and forms.

// DossiersView lists the confirmed semi-finalists of ed per category.
func DossiersView(ed *edition.Edition, list []dossier.Entry) pages.DossiersView {
	v := pages.DossiersView{Name: ed.Name}
	for _, cat := range ed.Categories {
		c := pages.DossierCategory{Name: cat.Name,
			Note: i18n.M("The committee head has not confirmed the semi-finalists of this category yet: their dossiers open once the list is confirmed.")}
		for _, e := range list {
			if e.CategoryID != cat.ID {
				continue
			}
			c.Rows = append(c.Rows, pages.DossierRow{Title: dossier.TitleText(e.Title, e.ID), Href: DossierHref(e.ID),
				PDF: DossierHref(e.ID) + ".pdf", Organisation: e.Organisation, Place: dossier.PlaceText(e.City, e.Country), Rank: dossier.RankText(e)})
		}
		v.Categories = append(v.Categories, c)
	}
	return v
}

// DossierChart draws the bars of criterion c for the category's semi-finalists: bars start at
// x=200 and are at most 220 wide for the top of the scale.
func DossierChart(d *dossier.Dossier, i int, c edition.Criterion) pages.DossierChart {
	ch := pages.DossierChart{ID: "chart-" + strconv.Itoa(i), Name: c.Name,
		Height: strconv.Itoa(8 + 24*len(d.Peers)), Max: strconv.Itoa(d.Category.Scale.Max)}
	for j, p := range d.Peers {
		// an untitled entry's label ("Untitled entry 12") is short in every language
		title := dossier.TitleText(p.Title, p.ID)
		label := title
		if title == p.Title {
			label = dossier.ShortLabel(title, 28)
		}
		b := pages.DossierBar{Title: title, Label: label, Current: p.ID == d.Entry.ID,
			Y: strconv.Itoa(4 + 24*j), TextY: strconv.Itoa(17 + 24*j), Width: "0", ValueX: "206", Value: i18n.M("no score")}
		if sc, ok := d.Score(p.ID, c.Key); ok {
			max := float64(d.Category.Scale.Max)
			if max <= 0 {
				max = 1
			}
			w := math.Max(0, math.Min(220, sc.Mean/max*220))
			b.Width = strconv.FormatFloat(w, 'f', 1, 64)
			b.ValueX = strconv.FormatFloat(206+w, 'f', 1, 64)
			b.Value = numfmt.Score2(sc.Mean)
		}
		ch.Bars = append(ch.Bars, b)
	}
	return ch
}

// DossierView is the dossier page of d with the clarification thread its reader may see.
func DossierView(page components.Page, d *dossier.Dossier, thread []clarify.Clarification, now time.Time) pages.DossierView {
	loc := d.Edition.TimeZone
	href := DossierHref(d.Entry.ID)
	v := pages.DossierView{Page: page, Back: DossiersHref(d.Edition.ID), Title: dossier.TitleText(d.Entry.Title, d.Entry.ID), PDF: href + ".pdf",
		Scale: d.ScaleText(), Overall: d.Comments.Overall, Facts: FactsOf(d.Facts())}
	if len(d.Scores[d.Entry.ID]) == 0 {
		v.NoScoreMsg = i18n.M("No submitted score sheet: the committee's scores are not available for this entry.")
	}
	for i, c := range d.Category.Criteria {
		if sc, ok := d.Score(d.Entry.ID, c.Key); ok {
			w := d.CriterionWeighted(c, sc)
			v.Scores = append(v.Scores, pages.DossierScore{Criterion: c.Name, Weight: w.Share, Mean: numfmt.Score2(sc.Mean), Weighted: w.Part,
				Range: numfmt.Score2(sc.Min) + "–" + numfmt.Score2(sc.Max), StdDev: numfmt.Score2(sc.StdDev), Sheets: strconv.Itoa(sc.Sheets)})
		}
		if items := d.Comments.ByCriterion[c.Key]; len(items) > 0 {
			v.Comments = append(v.Comments, pages.DossierComments{Criterion: c.Name, Items: items})
		}
		v.Chart = append(v.Chart, DossierChart(d, i, c))
	}
	v.OverallScore, v.OverallLabel, v.WeightedNote = d.OverallText(d.Entry.ID, d.Method), d.OverallLabel(), d.WeightedText()
	methods := d.MethodsTable()
	v.Methods = pages.DossierTable{Caption: methods.Label, Head: methods.Header, Rows: methods.Rows}
	head, rows := d.Comparison()
	v.TableHead = head
	for _, r := range rows {
		v.TableRows = append(v.TableRows, pages.DossierTableRow{Title: r.Title, Current: r.Current, Cells: r.Cells})
	}
	fileURL := func(ref form.FileRef) string { return href + "/files/" + ref.ID }
	for i := range d.Category.Form.Sections {
		sec := &d.Category.Form.Sections[i]
		v.Sections = append(v.Sections, pages.ReviewSection{Title: sec.Title, Questions: ReviewQuestions(d.Category.Form, sec, d.Version.Answers, fileURL)})
	}
	if len(thread) > 0 {
		base := "/entries/" + strconv.FormatInt(d.Entry.ID, 10) + "/clarifications/files/"
		v.Panels = append(v.Panels, pages.ScoringClarifications(pages.ClarificationPanelView{
			Items: ClarThreadItems(thread, clarify.FormOf(d.Edition, d.Entry.CategoryID), loc, now, func(doc clarify.Document) string {
				return base + strconv.FormatInt(doc.ID, 10)
			})}))
	}
	return v
}

// MentionForm is the special-mention form as posted.
type MentionForm struct {
	Award       string `form:"award"`
	Application string `form:"application"`
	Name        string `form:"name"`
	City        string `form:"city"`
	Country     string `form:"country"`
	Partner     string `form:"partner"`
	Citation    string `form:"citation"`
}

// Input is the form as the input of the domain.
func (f MentionForm) Input() mention.Input {
	id, _ := strconv.ParseInt(strings.TrimSpace(f.Application), 10, 64)
	return mention.Input{Award: f.Award, ApplicationID: id, Name: f.Name, City: f.City, Country: f.Country,
		Partner: f.Partner, Citation: f.Citation}
}

// MentionFormOf is the form of mention m, to edit it.
func MentionFormOf(m mention.Mention) MentionForm {
	f := MentionForm{Award: m.Award, Name: m.Name, City: m.City, Country: m.Country, Partner: m.Partner, Citation: m.Citation}
	if m.ApplicationID != 0 {
		f.Application = strconv.FormatInt(m.ApplicationID, 10)
	}
	return f
}

// MentionFormView is the special-mention form of ed, offering apps.
func MentionFormView(ed *edition.Edition, apps []mention.Option, action, submit, cancel string, f MentionForm, errs field.Errors) pages.MentionForm {
	awards := []components.Option{{Value: "", Label: i18n.M("Choose the award")}}
	for _, a := range ed.SpecialMentions.Awards {
		awards = append(awards, components.Option{Value: a.Name, Label: a.Name, Selected: a.Name == f.Award})
	}
	appOpts := []components.Option{{Value: "", Label: i18n.M("No application: a city or organisation that did not apply")}}
	for _, a := range apps {
		id := strconv.FormatInt(a.ID, 10)
		appOpts = append(appOpts, components.Option{Value: id, Label: a.Label, Selected: id == strings.TrimSpace(f.Application)})
	}
	return pages.MentionForm{Action: action, Submit: submit, Cancel: cancel,
		Award: components.Field{Name: "award", Label: i18n.M("Award"), Type: "select", Options: awards, Required: true, Error: errs.Get("award")},
		Application: components.Field{Name: "application", Label: i18n.M("Application of this edition"), Type: "select", Options: appOpts,
			Error: errs.Get("application"), Hint: i18n.M("The submitted applications, by title.")},
		Name: components.Field{Name: "name", Label: i18n.M("Name of the city or organisation"), Value: f.Name, MaxLength: mention.MaxName,
			Error: errs.Get("name")},
		City: components.Field{Name: "city", Label: i18n.M("City (optional)"), Value: f.City, MaxLength: mention.MaxName, Error: errs.Get("city")},
		Country: components.Field{Name: "country", Label: i18n.M("Country (optional)"), Type: "select",
			Options: CountryOptions(f.Country, i18n.M("No country")), Error: errs.Get("country")},
		Partner: components.Field{Name: "partner", Label: i18n.M("Partner organisation or source"), Value: f.Partner, Required: true,
			MaxLength: mention.MaxPartner, Error: errs.Get("partner"),
			Hint: i18n.M("For example: the partner international organisation, or \"WeGO Smart City Index Research 2022\".")},
		Citation: components.Field{Name: "citation", Label: i18n.M("Citation"), Type: "textarea", Value: f.Citation, Required: true,
			MaxLength: mention.MaxCitation, Error: errs.Get("citation"), Hint: i18n.M("Published with the results.")},
	}
}

// MentionsView is the Special Mentions page of ed from its register, with the form as posted
// and the edition chooser picker.
func MentionsView(page components.Page, ed *edition.Edition, picker components.Field, reg *mention.Register, f MentionForm, errs field.Errors) pages.MentionsView {
	v := pages.MentionsView{Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Description: ed.SpecialMentions.Description, Errors: errs,
		Form: MentionFormView(ed, reg.Applications, MentionsHref(ed.ID), i18n.M("Record the special mention"), "", f, errs)}
	full := true
	for _, a := range ed.SpecialMentions.Awards {
		av := pages.MentionAward{Name: a.Name, Description: a.Description}
		for _, m := range reg.Mentions {
			if m.Award != a.Name {
				continue
			}
			av.Rows = append(av.Rows, pages.MentionRow{Recipient: m.Recipient, Title: m.Title, Place: dossier.PlaceText(m.City, m.Country),
				Partner: m.Partner, Citation: m.Citation, Href: MentionHref(m.ID),
				Recorded: i18n.Msg("Recorded by {{.Name}}, {{.When}}", "Name", m.CreatedBy, "When", i18n.Instant(m.CreatedAt, ed.TimeZone))})
		}
		av.Given = i18n.Msg("{{.Given}} of {{.Count}} recorded", "Given", len(av.Rows), "Count", a.Count)
		if len(av.Rows) < a.Count {
			full = false
		}
		v.Awards = append(v.Awards, av)
	}
	v.Form.Full = full && len(errs) == 0
	return v
}

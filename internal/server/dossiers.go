package server

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/clarify"
	"prizeportal/internal/db"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/mention"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Dossiers of the semi-finalists for the Prize Council (DOMAIN.md "Round 3": the
// council discusses the semi-finalists' materials) and
// the secretariat's Special Mentions (DOMAIN.md "Categories").
//
// A dossier is one page per confirmed semi-finalist: the entry as submitted with its documents,
// the committee's scores per criterion (mean of the submitted sheets, lowest–highest and standard
// deviation, computed in SQL by internal/dossier), the committee's comments without the
// evaluators' names, the clarification thread (from round 2 on), context data and a comparison
// of the category's semi-finalists per criterion (inline SVG drawn by the server, with the same
// figures in a table). The route policy lets in the council and the secretariat; internal/dossier
// repeats the role in the entry's edition and the confirmation of its category's list in SQL, so
// anything else is 404.

// dossiersList lists the confirmed semi-finalists of an edition per category
// (GET /council/dossiers?edition=ID).
func (s *Server) dossiersList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	list, err := dossier.List(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID)
	if err != nil {
		return err
	}
	v := dossiersView(ed, list)
	v.Page, v.Edition, v.Choose = s.page(r, "Semi-finalists' dossiers, "+ed.Name), picker, len(picker.Options) > 1
	return s.render(w, r, http.StatusOK, pages.Dossiers(v))
}

// dossiersView lists the confirmed semi-finalists of ed per category.
func dossiersView(ed *edition.Edition, list []dossier.Entry) pages.DossiersView {
	v := pages.DossiersView{Name: ed.Name}
	for _, cat := range ed.Categories {
		c := pages.DossierCategory{Name: cat.Name,
			Note: "The committee head has not confirmed the semi-finalists of this category yet: their dossiers open once the list is confirmed."}
		for _, e := range list {
			if e.CategoryID != cat.ID {
				continue
			}
			c.Rows = append(c.Rows, pages.DossierRow{Title: dossier.Title(e.Title, e.ID), Href: views.DossierHref(e.ID),
				PDF: views.DossierHref(e.ID) + ".pdf", Organisation: e.Organisation, Place: dossier.Place(e.City, e.Country), Rank: dossier.RankText(e)})
		}
		v.Categories = append(v.Categories, c)
	}
	return v
}

// dossierChart draws the bars of criterion c for the category's semi-finalists: bars start at
// x=200 and are at most 220 wide for the top of the scale.
func dossierChart(d *dossier.Dossier, i int, c edition.Criterion) pages.DossierChart {
	ch := pages.DossierChart{ID: "chart-" + strconv.Itoa(i), Name: c.Name,
		Height: strconv.Itoa(8 + 24*len(d.Peers))}
	var alt []string
	for j, p := range d.Peers {
		title := dossier.Title(p.Title, p.ID)
		b := pages.DossierBar{Label: dossier.ShortLabel(title, 28), Current: p.ID == d.Entry.ID,
			Y: strconv.Itoa(4 + 24*j), TextY: strconv.Itoa(17 + 24*j), Width: "0", ValueX: "206", Value: "no score"}
		if sc, ok := d.Score(p.ID, c.Key); ok {
			max := float64(d.Category.Scale.Max)
			if max <= 0 {
				max = 1
			}
			w := math.Max(0, math.Min(220, sc.Mean/max*220))
			b.Width = strconv.FormatFloat(w, 'f', 1, 64)
			b.ValueX = strconv.FormatFloat(206+w, 'f', 1, 64)
			b.Value = dossier.Score2(sc.Mean)
		}
		ch.Bars = append(ch.Bars, b)
		alt = append(alt, title+": "+b.Value)
	}
	ch.Label = "Mean score on " + c.Name + " out of " + strconv.Itoa(d.Category.Scale.Max) + ": " + strings.Join(alt, "; ") + "."
	return ch
}

// dossierPage shows dossier {id} (GET /council/dossiers/{id}): 404 unless it is a confirmed
// semi-finalist of an edition the actor serves as council or secretariat (checked in SQL).
func (s *Server) dossierPage(w http.ResponseWriter, r *http.Request) error {
	id, err := routeID(r)
	if err != nil {
		return err
	}
	now := s.now()
	p, err := dossier.LoadPage(r.Context(), s.pool, authz.ActorFrom(r.Context()), id, now)
	if err != nil {
		return err
	}
	v := dossierView(s.page(r, "Dossier: "+dossier.Title(p.Entry.Title, p.Entry.ID)), p.Dossier, p.Thread, now)
	if panel := views.ContextPanelOf(p.Context, p.Edition); panel != nil {
		v.Panels = append(v.Panels, panel)
	}
	return s.render(w, r, http.StatusOK, pages.Dossier(v))
}

// dossierView is the dossier page of d with the clarification thread its reader may see.
func dossierView(page components.Page, d *dossier.Dossier, thread []clarify.Clarification, now time.Time) pages.DossierView {
	loc := d.Edition.TimeZone
	href := views.DossierHref(d.Entry.ID)
	v := pages.DossierView{Page: page, Back: views.DossiersHref(d.Edition.ID), Title: dossier.Title(d.Entry.Title, d.Entry.ID), PDF: href + ".pdf",
		Scale: dossier.ScaleText(d.Category), Overall: d.Comments.Overall, Facts: views.FactsOf(d.Facts())}
	if len(d.Scores[d.Entry.ID]) == 0 {
		v.NoScoreMsg = "No submitted score sheet: the committee's scores are not available for this entry."
	}
	for i, c := range d.Category.Criteria {
		if sc, ok := d.Score(d.Entry.ID, c.Key); ok {
			v.Scores = append(v.Scores, pages.DossierScore{Criterion: c.Name, Weight: c.WeightText(), Mean: dossier.Score2(sc.Mean),
				Range: dossier.Score2(sc.Min) + "–" + dossier.Score2(sc.Max), StdDev: dossier.Score2(sc.StdDev), Sheets: strconv.Itoa(sc.Sheets)})
		}
		if items := d.Comments.ByCriterion[c.Key]; len(items) > 0 {
			v.Comments = append(v.Comments, pages.DossierComments{Criterion: c.Name, Items: items})
		}
		v.Chart = append(v.Chart, dossierChart(d, i, c))
	}
	head, rows := d.Comparison()
	v.TableHead = head
	for _, r := range rows {
		v.TableRows = append(v.TableRows, pages.DossierTableRow{Title: r.Title, Current: r.Current, Cells: r.Cells})
	}
	fileURL := func(ref form.FileRef) string { return href + "/files/" + ref.ID }
	for i := range d.Category.Form.Sections {
		sec := &d.Category.Form.Sections[i]
		v.Sections = append(v.Sections, pages.ReviewSection{Title: sec.Title, Questions: views.ReviewQuestions(d.Category.Form, sec, d.Version.Answers, fileURL)})
	}
	if len(thread) > 0 {
		base := "/entries/" + strconv.FormatInt(d.Entry.ID, 10) + "/clarifications/files/"
		v.Panels = append(v.Panels, pages.ScoringClarifications(pages.ClarificationPanelView{
			Items: views.ClarThreadItems(thread, clarify.FormOf(d.Edition, d.Entry.CategoryID), loc, now, func(doc clarify.Document) string {
				return base + strconv.FormatInt(doc.ID, 10)
			})}))
	}
	return v
}

// dossierPDF sends dossier {id} as a PDF for offline reading (GET /council/dossiers/{id}.pdf):
// the scores, the comparison, the comments, the clarifications and the entry as submitted,
// checked in SQL like the page (dossier.DocumentOf).
func (s *Server) dossierPDF(w http.ResponseWriter, r *http.Request) error {
	id, err := routeID(r)
	if err != nil {
		return err
	}
	doc, err := dossier.DocumentOf(r.Context(), s.pool, authz.ActorFrom(r.Context()), id, s.now())
	if err != nil {
		return err
	}
	return sendPDF(w, doc, "dossier-"+strconv.FormatInt(id, 10)+".pdf", false)
}

// dossierFile sends a document of dossier {id} (GET /council/dossiers/{id}/files/{file}),
// checked in SQL like the dossier.
func (s *Server) dossierFile(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, fileID, err := routeFile(r)
	if err != nil {
		return err
	}
	f, err := dossier.File(ctx, s.pool, authz.ActorFrom(ctx).UserID, id, fileID)
	if err != nil {
		return err
	}
	return s.sendStored(w, r, f)
}

// --- Special Mentions (the secretariat; internal/mention filters by the role in SQL)

// mentionForm is the special-mention form as posted.
type mentionForm struct {
	Award       string `form:"award"`
	Application string `form:"application"`
	Name        string `form:"name"`
	City        string `form:"city"`
	Country     string `form:"country"`
	Partner     string `form:"partner"`
	Citation    string `form:"citation"`
}

func (f mentionForm) input() mention.Input {
	id, _ := strconv.ParseInt(strings.TrimSpace(f.Application), 10, 64)
	return mention.Input{Award: f.Award, ApplicationID: id, Name: f.Name, City: f.City, Country: f.Country,
		Partner: f.Partner, Citation: f.Citation}
}

func mentionFormOf(m mention.Mention) mentionForm {
	f := mentionForm{Award: m.Award, Name: m.Name, City: m.City, Country: m.Country, Partner: m.Partner, Citation: m.Citation}
	if m.ApplicationID != 0 {
		f.Application = strconv.FormatInt(m.ApplicationID, 10)
	}
	return f
}

// mentionFormView is the special-mention form of ed, offering apps.
func mentionFormView(ed *edition.Edition, apps []mention.Option, action, submit, cancel string, f mentionForm, errs field.Errors) pages.MentionForm {
	awards := []components.Option{{Value: "", Label: "Choose the award"}}
	for _, a := range ed.SpecialMentions.Awards {
		awards = append(awards, components.Option{Value: a.Name, Label: a.Name, Selected: a.Name == f.Award})
	}
	appOpts := []components.Option{{Value: "", Label: "No application: a city or organisation that did not apply"}}
	for _, a := range apps {
		id := strconv.FormatInt(a.ID, 10)
		appOpts = append(appOpts, components.Option{Value: id, Label: a.Label, Selected: id == strings.TrimSpace(f.Application)})
	}
	return pages.MentionForm{Action: action, Submit: submit, Cancel: cancel,
		Award: components.Field{Name: "award", Label: "Award", Type: "select", Options: awards, Required: true, Error: errs.Get("award")},
		Application: components.Field{Name: "application", Label: "Application of this edition", Type: "select", Options: appOpts,
			Error: errs.Get("application"), Hint: "The submitted applications, by title."},
		Name: components.Field{Name: "name", Label: "Name of the city or organisation", Value: f.Name, MaxLength: mention.MaxName,
			Error: errs.Get("name")},
		City: components.Field{Name: "city", Label: "City (optional)", Value: f.City, MaxLength: mention.MaxName, Error: errs.Get("city")},
		Country: components.Field{Name: "country", Label: "Country (optional)", Type: "select",
			Options: views.CountryOptions(f.Country, "No country"), Error: errs.Get("country")},
		Partner: components.Field{Name: "partner", Label: "Partner organisation or source", Value: f.Partner, Required: true,
			MaxLength: mention.MaxPartner, Error: errs.Get("partner"),
			Hint: "For example: the partner international organisation, or \"WeGO Smart City Index Research 2022\"."},
		Citation: components.Field{Name: "citation", Label: "Citation", Type: "textarea", Value: f.Citation, Required: true,
			MaxLength: mention.MaxCitation, Error: errs.Get("citation"), Hint: "Published with the results."},
	}
}

func (s *Server) renderMentions(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, f mentionForm, errs field.Errors) error {
	reg, err := mention.LoadRegister(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, ed.ID)
	if err != nil {
		return err
	}
	v := mentionsView(ed, reg, f, errs)
	v.Page, v.Edition, v.Choose = s.page(r, "Special mentions, "+ed.Name), picker, len(picker.Options) > 1
	return s.render(w, r, status, pages.Mentions(v))
}

// mentionsView is the Special Mentions page of ed from its register, with the form as posted.
func mentionsView(ed *edition.Edition, reg *mention.Register, f mentionForm, errs field.Errors) pages.MentionsView {
	v := pages.MentionsView{Name: ed.Name, Description: ed.SpecialMentions.Description, Errors: errs,
		Form: mentionFormView(ed, reg.Applications, views.MentionsHref(ed.ID), "Record the special mention", "", f, errs)}
	full := true
	for _, a := range ed.SpecialMentions.Awards {
		av := pages.MentionAward{Name: a.Name, Description: a.Description}
		for _, m := range reg.Mentions {
			if m.Award != a.Name {
				continue
			}
			av.Rows = append(av.Rows, pages.MentionRow{Recipient: m.Recipient, Title: m.Title, Place: entryPlace(m.City, m.Country),
				Partner: m.Partner, Citation: m.Citation, Href: views.MentionHref(m.ID),
				Recorded: "Recorded by " + m.CreatedBy + ", " + timefmt.Instant(m.CreatedAt, ed.TimeZone)})
		}
		av.Given = strconv.Itoa(len(av.Rows)) + " of " + strconv.Itoa(a.Count) + " recorded"
		if len(av.Rows) < a.Count {
			full = false
		}
		v.Awards = append(v.Awards, av)
	}
	v.Form.Full = full && len(errs) == 0
	return v
}

// secretariatMentions shows the special mentions of an edition with the form to record one
// (GET /secretariat/special-mentions?edition=ID).
func (s *Server) secretariatMentions(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderMentions(w, r, http.StatusOK, ed, picker, mentionForm{}, nil)
}

// secretariatMentionAdd records a special mention (POST /secretariat/special-mentions?edition=ID).
func (s *Server) secretariatMentionAdd(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	var f mentionForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	m, err := s.mentions.Record(ctx, authz.ActorFrom(ctx), ed, f.input())
	if errors.Is(err, db.ErrNotFound) {
		return authz.ErrForbidden
	}
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderMentions(w, r, http.StatusUnprocessableEntity, ed, picker, f, errs)
	}, "The special mention “"+m.Award+"” of "+m.Recipient+" was recorded.", views.MentionsHref(ed.ID))
}

// staffMention loads special mention {id} for the acting secretariat member (filtered in SQL:
// a miss is 404) with its edition.
func (s *Server) staffMention(r *http.Request) (mention.Mention, *edition.Edition, error) {
	id, err := routeID(r)
	if err != nil {
		return mention.Mention{}, nil, err
	}
	return mention.Load(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, id)
}

func (s *Server) renderMentionEdit(w http.ResponseWriter, r *http.Request, status int, m mention.Mention, ed *edition.Edition, f mentionForm, errs field.Errors) error {
	loc := ed.TimeZone
	facts := []pages.Fact{{Label: "Edition", Value: ed.Name}, {Label: "Recorded", Value: m.CreatedBy + ", " + timefmt.Instant(m.CreatedAt, loc)}}
	if m.UpdatedAt != nil {
		facts = append(facts, pages.Fact{Label: "Last changed", Value: m.UpdatedBy + ", " + timefmt.Instant(*m.UpdatedAt, loc)})
	}
	apps, err := mention.Applications(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, ed.ID)
	if err != nil {
		return err
	}
	form := mentionFormView(ed, apps, views.MentionHref(m.ID), "Save the changes", views.MentionsHref(ed.ID), f, errs)
	return s.render(w, r, status, pages.MentionEdit(pages.MentionEditView{
		Page: s.page(r, "Special mention: "+m.Recipient), Back: views.MentionsHref(ed.ID), Title: "Special mention: " + m.Recipient,
		Facts: facts, Form: form, Errors: errs, Delete: views.MentionHref(m.ID) + "/delete",
	}))
}

// secretariatMention shows a special mention's form (GET /secretariat/special-mentions/{id}).
func (s *Server) secretariatMention(w http.ResponseWriter, r *http.Request) error {
	m, ed, err := s.staffMention(r)
	if err != nil {
		return err
	}
	return s.renderMentionEdit(w, r, http.StatusOK, m, ed, mentionFormOf(m), nil)
}

// secretariatMentionSave changes a special mention (POST /secretariat/special-mentions/{id}).
func (s *Server) secretariatMentionSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m, ed, err := s.staffMention(r)
	if err != nil {
		return err
	}
	var f mentionForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	_, err = s.mentions.Change(ctx, authz.ActorFrom(ctx), ed, m.ID, f.input())
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderMentionEdit(w, r, http.StatusUnprocessableEntity, m, ed, f, errs)
	}, "The changes to the special mention were saved.", views.MentionsHref(ed.ID))
}

// secretariatMentionDelete removes a special mention (POST /secretariat/special-mentions/{id}/delete,
// with confirm=yes from the edit page's removal form).
func (s *Server) secretariatMentionDelete(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m, ed, err := s.staffMention(r)
	if err != nil {
		return err
	}
	var f struct {
		Confirm string `form:"confirm"`
	}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	if f.Confirm != "yes" {
		return redirect(w, r, views.MentionHref(m.ID))
	}
	if err := s.mentions.Remove(ctx, authz.ActorFrom(ctx), m.ID); err != nil {
		return err
	}
	s.flash(ctx, "The special mention of "+m.Recipient+" was removed.")
	return redirect(w, r, views.MentionsHref(ed.ID))
}

package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/db"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/mention"
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
	ed, picker, list, err := scopedQuery(s, r, dossier.List)
	if err != nil {
		return err
	}
	v := views.DossiersView(ed, list)
	v.Page, v.Edition, v.Choose = s.page(r, i18n.Msg("Semi-finalists' dossiers, {{.Edition}}", "Edition", ed.Name)), picker, len(picker.Options) > 1
	return s.render(w, r, http.StatusOK, pages.Dossiers(v))
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
	v := views.DossierView(s.page(r, i18n.Msg("Dossier: {{.Title}}", "Title", dossier.TitleText(p.Entry.Title, p.Entry.ID))), p.Dossier, p.Thread, now)
	if panel := views.ContextPanelOf(p.Context, p.Edition); panel != nil {
		v.Panels = append(v.Panels, panel)
	}
	return s.render(w, r, http.StatusOK, pages.Dossier(v))
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

// mentionsList is the special mentions of an edition with the form to record one.
var mentionsList = newEditionList(i18n.M("Special mentions, {{.Edition}}"), mention.LoadRegister, views.MentionsView, pages.Mentions)

// secretariatMentions shows the special mentions of an edition with the form to record one
// (GET /secretariat/special-mentions?edition=ID).
func (s *Server) secretariatMentions(w http.ResponseWriter, r *http.Request) error {
	return mentionsList.show(s, w, r)
}

// secretariatMentionAdd records a special mention (POST /secretariat/special-mentions?edition=ID).
func (s *Server) secretariatMentionAdd(w http.ResponseWriter, r *http.Request) error {
	return mentionsList.add(s, w, r, func(ctx context.Context, ed *edition.Edition, f views.MentionForm) (string, string, error) {
		m, err := s.mentions.Record(ctx, authz.ActorFrom(ctx), ed, f.Input())
		if errors.Is(err, db.ErrNotFound) {
			err = authz.ErrForbidden
		}
		return i18n.Msg("The special mention “{{.Award}}” of {{.Name}} was recorded.", "Award", m.Award, "Name", m.Recipient), views.MentionsHref(ed.ID), err
	})
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

func (s *Server) renderMentionEdit(w http.ResponseWriter, r *http.Request, status int, m mention.Mention, ed *edition.Edition, f views.MentionForm, errs field.Errors) error {
	loc := ed.TimeZone
	facts := []pages.Fact{{Label: i18n.M("Edition"), Value: ed.Name}, {Label: i18n.M("Recorded"), Value: i18n.Msg("{{.Name}}, {{.When}}", "Name", m.CreatedBy, "When", i18n.Instant(m.CreatedAt, loc))}}
	if m.UpdatedAt != nil {
		facts = append(facts, pages.Fact{Label: i18n.M("Last changed"), Value: i18n.Msg("{{.Name}}, {{.When}}", "Name", m.UpdatedBy, "When", i18n.Instant(*m.UpdatedAt, loc))})
	}
	apps, err := mention.Applications(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, ed.ID)
	if err != nil {
		return err
	}
	form := views.MentionFormView(ed, apps, views.MentionHref(m.ID), i18n.M("Save the changes"), views.MentionsHref(ed.ID), f, errs)
	return s.render(w, r, status, pages.MentionEdit(pages.MentionEditView{
		Page: s.page(r, i18n.Msg("Special mention: {{.Name}}", "Name", m.Recipient)), Back: views.MentionsHref(ed.ID), Title: i18n.Msg("Special mention: {{.Name}}", "Name", m.Recipient),
		Facts: facts, Form: form, Errors: errs, Delete: views.MentionHref(m.ID) + "/delete",
	}))
}

// secretariatMention shows a special mention's form (GET /secretariat/special-mentions/{id}).
func (s *Server) secretariatMention(w http.ResponseWriter, r *http.Request) error {
	return showForm(w, r, s.staffMention, views.MentionFormOf, s.renderMentionEdit)
}

// secretariatMentionSave changes a special mention (POST /secretariat/special-mentions/{id}).
func (s *Server) secretariatMentionSave(w http.ResponseWriter, r *http.Request) error {
	return postForm(s, w, r, s.staffMention, s.renderMentionEdit, func(ctx context.Context, m mention.Mention, ed *edition.Edition, f views.MentionForm) (string, string, error) {
		_, err := s.mentions.Change(ctx, authz.ActorFrom(ctx), ed, m.ID, f.Input())
		return i18n.M("The changes to the special mention were saved."), views.MentionsHref(ed.ID), err
	})
}

// secretariatMentionDelete removes a special mention (POST /secretariat/special-mentions/{id}/delete,
// with confirm=yes from the edit page's removal form).
func (s *Server) secretariatMentionDelete(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m, ed, f, err := loadThenForm[confirmForm](w, r, s.staffMention)
	if err != nil {
		return err
	}
	if f.Confirm != "yes" {
		return redirect(w, r, views.MentionHref(m.ID))
	}
	if err := s.mentions.Remove(ctx, authz.ActorFrom(ctx), m.ID); err != nil {
		return err
	}
	s.flash(ctx, i18n.Msg("The special mention of {{.Name}} was removed.", "Name", m.Recipient))
	return redirect(w, r, views.MentionsHref(ed.ID))
}

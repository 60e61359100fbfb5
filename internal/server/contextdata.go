package server

import (
	"errors"
	"io"
	"net/http"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The secretariat's context data (DOMAIN.md "Round 1": the secretariat may attach public city-
// and country-level data to an application for the analysis). The secretariat imports a CSV of
// indicators per edition (the format and the upload are internal/contextdata's); the screening
// view shows an entry's matching indicators (contextPanel). The route policy
// (authz.InEdition(authz.Secretariat)) scopes the pages to an edition the actor serves, and the
// store repeats it in SQL.

// secretariatContext shows the CSV format, the import form and the edition's context data
// (GET /secretariat/context, ?edition=ID, default the newest edition the actor serves).
func (s *Server) secretariatContext(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderContext(w, r, http.StatusOK, ed, picker, views.ContextImport{}, nil)
}

func (s *Server) renderContext(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, imp views.ContextImport, clearErrs field.Errors) error {
	ctx := r.Context()
	q := r.URL.Query()
	sum, err := contextdata.Summarize(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID, queryPage(q))
	if err != nil {
		return err
	}
	v := views.ContextData(ed, sum, imp, clearErrs)
	v.Page, v.Edition, v.Choose = s.page(r, i18n.Msg("Context data, {{.Edition}}", "Edition", ed.Name)), picker, len(picker.Options) > 1
	v.Pager = views.PagerFor("/secretariat/context", q, sum.Page, sum.Pages, sum.Total, contextdata.SummaryPerPage, "indicators")
	return s.render(w, r, status, pages.ContextData(v))
}

// secretariatContextImport imports a CSV of context data into the edition
// (POST /secretariat/context?edition=ID; contextdata.ReadUpload, contextdata.Service.ImportFile):
// all of it in one transaction with its audit entry, or, when the file has any problem,
// nothing, with every problem listed by line.
func (s *Server) secretariatContextImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, contextdata.BodyLimit)
	up, err := contextdata.ReadUpload(r.Body, r.Header.Get("Content-Type"), views.ContextFileField)
	// Whatever is left of the body is read (within its limit), so the browser gets the answer.
	_, _ = io.Copy(io.Discard, r.Body)
	var res contextdata.Imported
	if err == nil {
		res, err = s.contextData.ImportFile(ctx, authz.ActorFrom(ctx), ed.ID, up.Name, up.Data)
	}
	var problems contextdata.Problems
	if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid {
		return s.renderContext(w, r, http.StatusUnprocessableEntity, ed, picker, views.ContextImport{FileName: up.Name, Error: fe.Message}, nil)
	} else if errors.As(err, &problems) {
		return s.renderContext(w, r, http.StatusUnprocessableEntity, ed, picker, views.ContextImport{FileName: up.Name, Problems: problems}, nil)
	} else if err != nil {
		return err
	}
	s.flash(ctx, i18n.Msg("Imported {{.File}}: {{.Values}} values, {{.New}} new and {{.Replaced}} replacing earlier ones.",
		"File", up.Name, "Values", numfmt.Thousands(res.Rows), "New", numfmt.Thousands(res.Inserted), "Replaced", numfmt.Thousands(res.Replaced)))
	return redirect(w, r, views.ContextHref(ed))
}

// secretariatContextClear deletes the edition's context data after the secretariat member
// confirms, with an audit entry (POST /secretariat/context/clear?edition=ID).
func (s *Server) secretariatContextClear(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, f, err := loadThenForm[confirmForm](w, r, s.scope)
	if err != nil {
		return err
	}
	if f.Confirm != "yes" {
		return s.renderContext(w, r, http.StatusUnprocessableEntity, ed, picker, views.ContextImport{},
			field.Errors{{Field: "confirm", Message: i18n.Msg("Tick the box to confirm that all context data of {{.Edition}} is to be deleted.", "Edition", ed.Name)}})
	}
	n, err := s.contextData.ClearEdition(ctx, authz.ActorFrom(ctx), ed.ID)
	if err != nil {
		return err
	}
	s.flash(ctx, i18n.Msg("Deleted the context data of {{.Edition}}: {{.Count}} values.", "Edition", ed.Name, "Count", numfmt.Thousands(int(n))))
	return redirect(w, r, views.ContextHref(ed))
}

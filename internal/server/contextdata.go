package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/edition"
	"prizeportal/internal/notify/emails"
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

// contextFileField is the file input of the import form.
const contextFileField = "file"

// contextProblemsShown bounds the problems listed on the page; the rest are counted.
const contextProblemsShown = 500

// contextImport is what a failed import shows again.
type contextImport struct {
	FileName string
	// Error is the problem with the upload as a whole (no file, not a CSV ...).
	Error string
	// Problems are the file's problems, by line.
	Problems contextdata.Problems
}

// secretariatContext shows the CSV format, the import form and the edition's context data
// (GET /secretariat/context, ?edition=ID, default the newest edition the actor serves).
func (s *Server) secretariatContext(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderContext(w, r, http.StatusOK, ed, picker, contextImport{}, nil)
}

func (s *Server) renderContext(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field, imp contextImport, clearErrs field.Errors) error {
	ctx := r.Context()
	q := r.URL.Query()
	sum, err := contextdata.Summarize(ctx, s.pool, authz.ActorFrom(ctx).UserID, ed.ID, queryPage(q))
	if err != nil {
		return err
	}
	v := contextView(ed, sum, imp, clearErrs)
	v.Page, v.Edition, v.Choose = s.page(r, "Context data, "+ed.Name), picker, len(picker.Options) > 1
	v.Pager = views.PagerFor("/secretariat/context", q, sum.Page, sum.Pages, sum.Total, contextdata.SummaryPerPage, "indicators")
	return s.render(w, r, status, pages.ContextData(v))
}

// contextView is the context data page of ed: the summary sum, the import form showing what
// went wrong with an import imp, and the form to clear the data with its problems clearErrs.
// No I/O.
func contextView(ed *edition.Edition, sum contextdata.Summary, imp contextImport, clearErrs field.Errors) pages.ContextDataView {
	lim := contextdata.DefaultLimits
	v := pages.ContextDataView{
		Name: ed.Name, Action: views.ContextHref(ed), ClearAction: "/secretariat/context/clear?edition=" + strconv.FormatInt(ed.ID, 10),
		MaxSize: lim.SizeText(), MaxRows: lim.RowsText(), FileName: imp.FileName, HasData: sum.Rows > 0,
		File: components.Field{Name: contextFileField, Label: "CSV file", Required: true, Error: imp.Error,
			Hint: "One .csv file of at most " + lim.SizeText() + " and " + lim.RowsText() + " rows, saved as CSV UTF-8 (comma-separated)."},
		Confirm: components.Field{Name: "confirm", Label: "Yes, delete all context data of " + ed.Name, Error: clearErrs.Get("confirm")},
	}
	if sum.Rows > 0 {
		v.Totals = emails.Count(sum.Rows, "value", "values") + " of " + emails.Count(sum.Total, "indicator", "indicators") +
			" for " + emails.Count(sum.Countries, "country", "countries") + " and " + emails.Count(sum.Cities, "city", "cities") + "."
	}
	switch n := len(imp.Problems); {
	case imp.Error != "":
		v.Errors.Add(contextFileField, imp.Error)
	case n > 0:
		v.File.Error = "The file has 1 problem, so nothing was imported. Correct it and upload the file again."
		if n > 1 {
			v.File.Error = "The file has " + emails.Thousands(n) + " problems, so nothing was imported. Correct them and upload the file again."
		}
		v.Errors.Add(contextFileField, v.File.Error)
		for i, p := range imp.Problems {
			if i == contextProblemsShown {
				v.MoreProblems = "… and " + emails.Thousands(n-i) + " more problems after these."
				break
			}
			v.Problems = append(v.Problems, p.String())
		}
	}
	v.Errors = append(v.Errors, clearErrs...)
	for _, in := range sum.Indicators {
		row := pages.ContextIndicatorRow{Indicator: in.Indicator, Countries: emails.Thousands(in.Countries), Cities: emails.Thousands(in.Cities),
			Values: emails.Thousands(in.Rows), Years: strconv.Itoa(in.FirstYear), Units: strings.Join(in.Units, ", "),
			Sources: strings.Join(in.Sources, "; "), Imported: timefmt.Instant(in.ImportedAt, ed.TimeZone)}
		if in.LastYear != in.FirstYear {
			row.Years += "–" + strconv.Itoa(in.LastYear)
		}
		if in.ImportedBy != "" {
			row.Imported += " by " + in.ImportedBy
		}
		v.Indicators = append(v.Indicators, row)
	}
	return v
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
	up, err := contextdata.ReadUpload(r.Body, r.Header.Get("Content-Type"), contextFileField)
	// Whatever is left of the body is read (within its limit), so the browser gets the answer.
	_, _ = io.Copy(io.Discard, r.Body)
	var res contextdata.Imported
	if err == nil {
		res, err = s.contextData.ImportFile(ctx, authz.ActorFrom(ctx), ed.ID, up.Name, up.Data)
	}
	var problems contextdata.Problems
	if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid {
		return s.renderContext(w, r, http.StatusUnprocessableEntity, ed, picker, contextImport{FileName: up.Name, Error: fe.Message}, nil)
	} else if errors.As(err, &problems) {
		return s.renderContext(w, r, http.StatusUnprocessableEntity, ed, picker, contextImport{FileName: up.Name, Problems: problems}, nil)
	} else if err != nil {
		return err
	}
	s.flash(ctx, fmt.Sprintf("Imported %s: %s values, %s new and %s replacing earlier ones.",
		up.Name, emails.Thousands(res.Rows), emails.Thousands(res.Inserted), emails.Thousands(res.Replaced)))
	return redirect(w, r, views.ContextHref(ed))
}

type contextClearForm struct {
	Confirm string `form:"confirm"`
}

// secretariatContextClear deletes the edition's context data after the secretariat member
// confirms, with an audit entry (POST /secretariat/context/clear?edition=ID).
func (s *Server) secretariatContextClear(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	var f contextClearForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	if f.Confirm != "yes" {
		return s.renderContext(w, r, http.StatusUnprocessableEntity, ed, picker, contextImport{},
			field.Errors{{Field: "confirm", Message: "Tick the box to confirm that all context data of " + ed.Name + " is to be deleted."}})
	}
	n, err := s.contextData.ClearEdition(ctx, authz.ActorFrom(ctx), ed.ID)
	if err != nil {
		return err
	}
	s.flash(ctx, "Deleted the context data of "+ed.Name+": "+emails.Thousands(int(n))+" values.")
	return redirect(w, r, views.ContextHref(ed))
}

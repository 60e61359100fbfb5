package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"prizeportal/internal/authz"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/country"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/screening"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The secretariat's context data (issue 6 item 5; DOMAIN.md "Round 1": the secretariat may
// attach public city- and country-level data to an application for the analysis). The
// secretariat imports a CSV of indicators per edition (the format is internal/contextdata's);
// the screening view shows an entry's matching indicators (contextPanel). The route policy
// (authz.InEdition(authz.Secretariat)) scopes the pages to an edition the actor serves, and the
// store repeats it in SQL.

// contextFileField is the file input of the import form.
const contextFileField = "file"

// contextProblemsShown bounds the problems listed on the page; the rest are counted.
const contextProblemsShown = 500

// contextBodyLimit bounds an import request: the file and the multipart framing, with room for
// a file somewhat over the limit to be read through and refused with a clear message.
const contextBodyLimit = 2*contextdata.MaxBytes + 64<<10

// contextImport is what a failed import shows again.
type contextImport struct {
	FileName string
	// Error is the problem with the upload as a whole (no file, not a CSV ...).
	Error string
	// Problems are the file's problems, by line.
	Problems contextdata.Problems
}

func contextHref(ed *edition.Edition) string {
	return "/secretariat/context?edition=" + strconv.FormatInt(ed.ID, 10)
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
	actor := authz.ActorFrom(ctx)
	q := r.URL.Query()
	sum, err := contextdata.Summarize(ctx, s.pool, actor.UserID, ed.ID, queryPage(q))
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.ContextData(s.contextView(r, ed, picker, sum, imp, clearErrs)))
}

// contextView is the context data page of ed: the summary sum, the import form showing what
// went wrong with an import imp, and the form to clear the data with its problems clearErrs.
func (s *Server) contextView(r *http.Request, ed *edition.Edition, picker components.Field, sum contextdata.Summary, imp contextImport, clearErrs field.Errors) pages.ContextDataView {
	q := r.URL.Query()
	lim := contextdata.DefaultLimits
	v := pages.ContextDataView{
		Page:        s.page(r, "Context data, "+ed.Name),
		Edition:     picker,
		Choose:      len(picker.Options) > 1,
		Name:        ed.Name,
		Action:      contextHref(ed),
		ClearAction: "/secretariat/context/clear?edition=" + strconv.FormatInt(ed.ID, 10),
		MaxSize:     lim.SizeText(),
		MaxRows:     lim.RowsText(),
		File: components.Field{Name: contextFileField, Label: "CSV file", Required: true, Error: imp.Error,
			Hint: "One .csv file of at most " + lim.SizeText() + " and " + lim.RowsText() + " rows, saved as CSV UTF-8 (comma-separated)."},
		FileName: imp.FileName,
		HasData:  sum.Rows > 0,
		Confirm: components.Field{Name: "confirm", Label: "Yes, delete all context data of " + ed.Name,
			Error: clearErrs.Get("confirm")},
		Pager: pagerFor("/secretariat/context", q, sum.Page, sum.Pages, sum.Total, contextdata.SummaryPerPage, "indicators"),
	}
	if sum.Rows > 0 {
		v.Totals = countText(sum.Rows, "value", "values") + " of " + countText(sum.Total, "indicator", "indicators") +
			" for " + countText(sum.Countries, "country", "countries") + " and " + countText(sum.Cities, "city", "cities") + "."
	}
	switch {
	case imp.Error != "":
		v.Errors.Add(contextFileField, imp.Error)
	case len(imp.Problems) > 0:
		n := len(imp.Problems)
		msg := "The file has 1 problem, so nothing was imported. Correct it and upload the file again."
		if n > 1 {
			msg = "The file has " + thousandsText(n) + " problems, so nothing was imported. Correct them and upload the file again."
		}
		v.Errors.Add(contextFileField, msg)
		v.File.Error = msg
		for i, p := range imp.Problems {
			if i == contextProblemsShown {
				v.MoreProblems = "… and " + thousandsText(n-i) + " more problems after these."
				break
			}
			v.Problems = append(v.Problems, p.String())
		}
	}
	v.Errors = append(v.Errors, clearErrs...)
	for _, in := range sum.Indicators {
		row := pages.ContextIndicatorRow{
			Indicator: in.Indicator,
			Countries: thousandsText(in.Countries),
			Cities:    thousandsText(in.Cities),
			Values:    thousandsText(in.Rows),
			Years:     strconv.Itoa(in.FirstYear),
			Units:     strings.Join(in.Units, ", "),
			Sources:   strings.Join(in.Sources, "; "),
			Imported:  formatInstant(in.ImportedAt, ed.TimeZone),
		}
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

// readContextFile reads the one CSV file of an import request. It returns the file's name and
// content (at most contextdata.MaxBytes+1 bytes: Parse reports a larger file), or the message
// to show when the request carries no usable file.
func readContextFile(w http.ResponseWriter, r *http.Request) (name string, data []byte, problem string) {
	r.Body = http.MaxBytesReader(w, r.Body, contextBodyLimit)
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, "Choose a CSV file to upload."
	}
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return name, nil, "The upload could not be read. Choose the file and upload it again."
		}
		if part.FormName() != contextFileField || part.FileName() == "" {
			part.Close()
			continue
		}
		if found {
			return name, nil, "Upload one file at a time."
		}
		found = true
		name = path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		data, err = io.ReadAll(io.LimitReader(part, contextdata.MaxBytes+1))
		if err != nil {
			return name, nil, "The upload could not be read. Choose the file and upload it again."
		}
		if int64(len(data)) > contextdata.MaxBytes {
			return name, data, "" // too large: Parse says so
		}
	}
	if !found {
		return "", nil, "Choose a CSV file to upload."
	}
	ext := strings.ToLower(path.Ext(name))
	sniff := http.DetectContentType(data)
	if sniff != "text/plain; charset=utf-8" || (ext != ".csv" && ext != ".txt") {
		return name, nil, "The file " + strconv.Quote(name) + " is not a CSV file. Save the spreadsheet as CSV UTF-8 (comma-separated, .csv) and upload that."
	}
	return name, data, ""
}

// secretariatContextImport imports a CSV of context data into the edition: all of it in one
// transaction with its audit entry, or, when the file has any problem, nothing, with every
// problem listed by line (POST /secretariat/context?edition=ID).
func (s *Server) secretariatContextImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	name, data, problem := readContextFile(w, r)
	// Whatever is left of the body is read (within its limit), so the browser gets the answer.
	_, _ = io.Copy(io.Discard, r.Body)
	if problem != "" {
		return s.renderContext(w, r, http.StatusUnprocessableEntity, ed, picker, contextImport{FileName: name, Error: problem}, nil)
	}
	res, err := s.contextData.ImportFile(ctx, authz.ActorFrom(ctx), ed.ID, name, data)
	var problems contextdata.Problems
	if errors.As(err, &problems) {
		return s.renderContext(w, r, http.StatusUnprocessableEntity, ed, picker, contextImport{FileName: name, Problems: problems}, nil)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, fmt.Sprintf("Imported %s: %s values, %s new and %s replacing earlier ones.",
		name, thousandsText(res.Rows), thousandsText(res.Inserted), thousandsText(res.Replaced)))
	return redirect(w, r, contextHref(ed))
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
	s.flash(ctx, "Deleted the context data of "+ed.Name+": "+thousandsText(int(n))+" values.")
	return redirect(w, r, contextHref(ed))
}

// contextPanel is the context data of an entry for the screening view: its applicant's
// country's indicators and, when its city has values of its own, the city's, each the most
// recent year; nil when there are none.
func (s *Server) contextPanel(r *http.Request, e screening.Entry, ed *edition.Edition) (templ.Component, error) {
	list, err := contextdata.ForEntry(r.Context(), s.pool, e.ID)
	if err != nil {
		return nil, err
	}
	return contextPanelOf(list, ed), nil
}

// contextPanelOf is the panel of the indicators list of an entry of ed; nil when there are none.
func contextPanelOf(list []contextdata.Indicator, ed *edition.Edition) templ.Component {
	if len(list) == 0 {
		return nil
	}
	v := pages.ContextPanelView{Href: contextHref(ed)}
	for _, in := range list {
		place := country.Name(in.Country)
		if place == "" {
			place = in.Country
		}
		level := "Country"
		if in.Level == contextdata.LevelCity {
			level = "City"
			place = in.City + ", " + place
		}
		value := decimalText(in.Value)
		if in.Unit != "" {
			value += " " + in.Unit
		}
		v.Rows = append(v.Rows, pages.ContextPanelRow{Level: level, Place: place, Indicator: in.Indicator,
			Value: value, Year: strconv.Itoa(in.Year), Source: in.Source})
	}
	return pages.ContextPanel(v)
}

// thousandsText writes n with comma thousands separators: 51628117 as "51,628,117".
func thousandsText(n int) string {
	if n < 0 {
		return "-" + thousandsText(-n)
	}
	return groupDigits(strconv.Itoa(n))
}

// countText is n with its noun: "1 city", "2,048 cities" (emails.Count).
func countText(n int, one, many string) string { return emails.Count(n, one, many) }

// decimalText groups the integer digits of a stored decimal: "51628117.50" as "51,628,117.50".
func decimalText(v string) string {
	sign := ""
	if strings.HasPrefix(v, "-") {
		sign, v = "-", v[1:]
	}
	whole, frac, hasFrac := strings.Cut(v, ".")
	out := sign + groupDigits(whole)
	if hasFrac {
		out += "." + frac
	}
	return out
}

func groupDigits(s string) string {
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

package views

import (
	"strconv"
	"strings"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/contextdata"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// ContextFileField is the file input of the import form.
const ContextFileField = "file"

// ContextProblemsShown bounds the problems listed on the page; the rest are counted.
const ContextProblemsShown = 500

// ContextImport is what a failed import shows again.
type ContextImport struct {
	FileName string
	// Error is the problem with the upload as a whole (no file, not a CSV ...).
	Error string
	// Problems are the file's problems, by line.
	Problems contextdata.Problems
}

// ContextData is the context data page of ed: the summary sum, the import form showing what
// went wrong with an import imp, and the form to clear the data with its problems clearErrs.
// No I/O.
func ContextData(ed *edition.Edition, sum contextdata.Summary, imp ContextImport, clearErrs field.Errors) pages.ContextDataView {
	lim := contextdata.DefaultLimits
	v := pages.ContextDataView{
		Name: ed.Name, Action: ContextHref(ed), ClearAction: "/secretariat/context/clear?edition=" + strconv.FormatInt(ed.ID, 10),
		MaxSize: lim.SizeText(), MaxRows: lim.RowsText(), FileName: imp.FileName, HasData: sum.Rows > 0,
		File: components.Field{Name: ContextFileField, Label: i18n.M("CSV file"), Required: true, Error: imp.Error,
			Hint: i18n.Msg("One .csv file of at most {{.Size}} and {{.Rows}} rows, saved as CSV UTF-8 (comma-separated).", "Size", lim.SizeText(), "Rows", lim.RowsText())},
		Confirm: components.Field{Name: "confirm", Label: i18n.Msg("Yes, delete all context data of {{.Edition}}", "Edition", ed.Name), Error: clearErrs.Get("confirm")},
	}
	if sum.Rows > 0 {
		v.Totals = pages.ContextTotals{Values: sum.Rows, Indicators: sum.Total, Countries: sum.Countries, Cities: sum.Cities}
	}
	switch n := len(imp.Problems); {
	case imp.Error != "":
		v.Errors.Add(ContextFileField, imp.Error)
	case n > 0:
		v.File.Error = i18n.M("The file has 1 problem, so nothing was imported. Correct it and upload the file again.")
		if n > 1 {
			v.File.Error = i18n.Msg("The file has {{.Count}} problems, so nothing was imported. Correct them and upload the file again.", "Count", numfmt.Thousands(n))
		}
		v.Errors.Add(ContextFileField, v.File.Error)
		for i, p := range imp.Problems {
			if i == ContextProblemsShown {
				v.MoreProblems = i18n.Msg("… and {{.Count}} more problems after these.", "Count", numfmt.Thousands(n-i))
				break
			}
			v.Problems = append(v.Problems, p.Shown())
		}
	}
	v.Errors = append(v.Errors, clearErrs...)
	for _, in := range sum.Indicators {
		row := pages.ContextIndicatorRow{Indicator: in.Indicator, Countries: numfmt.Thousands(in.Countries), Cities: numfmt.Thousands(in.Cities),
			Values: numfmt.Thousands(in.Rows), Years: strconv.Itoa(in.FirstYear), Units: strings.Join(in.Units, ", "),
			Sources: strings.Join(in.Sources, "; "), Imported: i18n.Instant(in.ImportedAt, ed.TimeZone)}
		if in.LastYear != in.FirstYear {
			row.Years += "–" + strconv.Itoa(in.LastYear)
		}
		if in.ImportedBy != "" {
			row.Imported = i18n.Msg("{{.When}} by {{.Name}}", "When", row.Imported, "Name", in.ImportedBy)
		}
		v.Indicators = append(v.Indicators, row)
	}
	return v
}

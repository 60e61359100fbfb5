package views

import (
	"prizeportal/internal/edition"
	"prizeportal/internal/export"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

func FormatField(kind export.Kind, value export.Format) *components.Field {
	return &components.Field{Name: string(kind) + "-format", Label: i18n.M("File format"), Type: "select", Options: []components.Option{
		{Value: string(export.XLSX), Label: i18n.M("Excel workbook (XLSX), one sheet per category"), Selected: value != export.CSV},
		{Value: string(export.CSV), Label: i18n.M("CSV (a ZIP of one CSV file per sheet when there are several)"), Selected: value == export.CSV},
	}}
}

func AnonymiseField(kind export.Kind) *components.Field {
	return &components.Field{Name: string(kind) + "-anonymise", Label: i18n.M("Anonymise the evaluators (“Evaluator 1”, “Evaluator 2”…)"), Type: "checkbox",
		Hint: i18n.M("Each evaluator keeps the same number throughout the export.")}
}

// ExportsView builds the exports page of ed from what export.Service.Page loaded (no I/O).
func ExportsView(page export.Page, ed *edition.Edition, picker components.Field, notice string) pages.ExportsView {
	v := pages.ExportsView{Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Notice: notice}
	action := ExportsHref(ed.ID)
	for _, offer := range page.Offers {
		kind := offer.Kind
		f := pages.ExportForm{ID: "export-" + string(kind), Title: kind.Label(), Action: action, Kind: string(kind), Button: i18n.M("Export"),
			Unavailable: offer.Unavailable, Description: kind.Description(page.Scope)}
		if kind == export.Pack {
			f.Button = i18n.M("Build the decision pack")
		}
		if kind.Formatted() {
			f.Format = FormatField(kind, export.XLSX)
		}
		if kind.Anonymisable() {
			f.Anonymise = AnonymiseField(kind)
		}
		v.Forms = append(v.Forms, f)
	}
	for _, j := range page.Jobs {
		v.Jobs = append(v.Jobs, pages.ExportJobRow{Label: j.Kind.Label(), Requested: i18n.Instant(j.CreatedAt, ed.TimeZone),
			Status: j.Status.Label(), Progress: j.ProgressText(), Href: ExportHref(j.ID)})
	}
	return v
}

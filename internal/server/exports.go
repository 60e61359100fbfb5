package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"prizeportal/internal/authz"
	"prizeportal/internal/edition"
	"prizeportal/internal/export"
	"prizeportal/internal/fault"
	"prizeportal/internal/files"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Exports and the decision pack. /exports?edition= offers each export the user's roles in the
// edition allow (export.Allowed):
//   - applications with all answers (CSV or XLSX, one sheet per category): the secretariat reads
//     every submitted entry, the council the confirmed semi-finalists (as the dossiers);
//   - scores with every indicator and comment, optionally anonymised: the secretariat and the
//     committee head, once the scoring round is closed (the scores are sealed until then);
//   - ballots and results: the council and the secretariat, for the closed votes only;
//   - the audit log: admins;
//   - the decision pack (a ZIP of the workbook, the dossiers, the result protocols and a
//     methodology note): the secretariat;
//   - the evaluator's own export: the entries assigned to them (active, not conflicted) with the
//     answers of their score sheet page and their own scores, from the start of round 2.
//
// Asking records an export_jobs row and queues its River job in one transaction with the audit
// entry (export.Service.Request); the job (export.NewJob, registered by internal/app) produces
// the file as the requester, with the roles they hold when it runs, through queries that repeat
// every rule in SQL (internal/export, internal/dossier, internal/ballot), stores it with the
// file storage and records its progress. The status page and the download answer the requester
// only (404 for anyone else); the download re-checks the role.

const exportsPath = "/exports"

func exportsHref(editionID int64) string {
	return exportsPath + "?edition=" + strconv.FormatInt(editionID, 10)
}

func exportHref(id int64) string { return exportsPath + "/" + strconv.FormatInt(id, 10) }

func formatField(kind export.Kind, value export.Format) *components.Field {
	return &components.Field{Name: string(kind) + "-format", Label: "File format", Type: "select", Options: []components.Option{
		{Value: string(export.XLSX), Label: "Excel workbook (XLSX), one sheet per category", Selected: value != export.CSV},
		{Value: string(export.CSV), Label: "CSV (a ZIP of one CSV file per sheet when there are several)", Selected: value == export.CSV},
	}}
}

func anonymiseField(kind export.Kind) *components.Field {
	return &components.Field{Name: string(kind) + "-anonymise", Label: "Anonymise the evaluators (“Evaluator 1”, “Evaluator 2”…)", Type: "checkbox",
		Hint: "Each evaluator keeps the same number throughout the export."}
}

// exportsPage lists the exports the user may ask for in an edition and their latest exports
// (GET /exports?edition=).
func (s *Server) exportsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderExports(w, r, http.StatusOK, "")
}

func (s *Server) renderExports(w http.ResponseWriter, r *http.Request, status int, notice string) error {
	ctx := r.Context()
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	page, err := s.exports.Page(ctx, authz.ActorFrom(ctx), ed, 20)
	if err != nil {
		return err
	}
	v := exportsView(page, ed, picker, notice)
	v.Page = s.page(r, "Exports, "+ed.Name)
	return s.render(w, r, status, pages.Exports(v))
}

// exportsView builds the exports page of ed from what export.Service.Page loaded (no I/O).
func exportsView(page export.Page, ed *edition.Edition, picker components.Field, notice string) pages.ExportsView {
	v := pages.ExportsView{Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Notice: notice}
	action := exportsHref(ed.ID)
	for _, offer := range page.Offers {
		kind := offer.Kind
		f := pages.ExportForm{ID: "export-" + string(kind), Title: kind.Label(), Action: action, Kind: string(kind), Button: "Export",
			Unavailable: offer.Unavailable}
		switch kind {
		case export.Applications:
			f.Description = "Every submitted entry with all its answers: a column per question of the category's form, in the form's order; multiple choices as their labels, documents by name, nominations with their candidate's details."
			if page.Scope == export.SemiFinalists {
				f.Description = "The confirmed semi-finalists with all their answers, as their dossiers show them: a column per question of the category's form, in the form's order."
			}
			f.Format = formatField(kind, export.XLSX)
		case export.Scores:
			f.Description = "Every score sheet: each indicator's score, the mean per criterion, the comment on each criterion and the overall comment."
			f.Format, f.Anonymise = formatField(kind, export.XLSX), anonymiseField(kind)
		case export.Votes:
			f.Description = "For each closed vote: the ballots, anonymised as in the result protocol, and the result with the final order, the tie-breaks and the awards."
			f.Format = formatField(kind, export.XLSX)
		case export.Audit:
			f.Description = "The whole audit log as CSV: who did what to which object, when and from where."
		case export.Pack:
			f.Description = "A ZIP with the workbook (the applications, the scores once the scoring round is closed, and the closed votes), a PDF dossier per semi-finalist, the result protocols and a methodology note listing the criteria weights, the aggregation method, the conflicts excluded and the voting method."
			f.Button = "Build the decision pack"
			f.Anonymise = anonymiseField(kind)
		case export.Assigned:
			f.Description = "The entries assigned to you, with the answers your score sheets show, and your own scores and comments."
			f.Format = formatField(kind, export.XLSX)
		}
		v.Forms = append(v.Forms, f)
	}
	for _, j := range page.Jobs {
		v.Jobs = append(v.Jobs, pages.ExportJobRow{Label: j.Kind.Label(), Requested: formatInstant(j.CreatedAt, ed.TimeZone),
			Status: j.Status.Label(), Progress: progressText(j), Href: exportHref(j.ID)})
	}
	return v
}

func progressText(j export.Job) string {
	switch {
	case j.Status == export.Done:
		return strconv.Itoa(j.Total) + " of " + strconv.Itoa(j.Total) + " items"
	case j.Total == 0:
		return "Not started"
	}
	return strconv.Itoa(j.Progress) + " of " + strconv.Itoa(j.Total) + " items"
}

// exportCreate asks for an export (POST /exports?edition=): the kind must be one the user may
// ask for in the edition and available now (export.Service.Request); when it is not available
// yet the exports page says why (409).
func (s *Server) exportCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	ed, _, err := s.scope(r)
	if err != nil {
		return err
	}
	kind := export.Kind(r.PostForm.Get("kind"))
	if !kind.Valid() {
		return errBadForm
	}
	opts := export.Options{Anonymise: r.PostForm.Get(string(kind)+"-anonymise") == "yes"}
	switch kind {
	case export.Audit:
		opts.Format = export.CSV
	case export.Pack:
	default:
		opts.Format = export.XLSX
		if r.PostForm.Get(string(kind)+"-format") == string(export.CSV) {
			opts.Format = export.CSV
		}
	}
	job, err := s.exports.Request(ctx, authz.ActorFrom(ctx), ed, kind, opts)
	if f, ok := fault.As(err); ok && errors.Is(err, export.ErrUnavailable) {
		return s.renderExports(w, r, http.StatusConflict, f.Message)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "Your export is queued: this page shows its progress.")
	return redirect(w, r, exportHref(job.ID))
}

// ownExport loads export {id} of the acting user (filtered by requester in SQL: 404 otherwise)
// with its edition.
func (s *Server) ownExport(r *http.Request) (export.Job, *edition.Edition, error) {
	ctx := r.Context()
	id, err := routeID(r)
	if err != nil {
		return export.Job{}, nil, err
	}
	return s.exports.Own(ctx, authz.ActorFrom(ctx), id)
}

// exportPage shows an export's status, progress and, when ready, its download link
// (GET /exports/{id}). It works without JavaScript: while the export runs the page offers a
// refresh link.
func (s *Server) exportPage(w http.ResponseWriter, r *http.Request) error {
	j, ed, err := s.ownExport(r)
	if err != nil {
		return err
	}
	loc := ed.TimeZone
	v := pages.ExportJobView{Page: s.page(r, j.Kind.Label()+", "+ed.Name), Back: exportsHref(ed.ID), Title: j.Kind.Label(),
		Status: j.Status.Label(), Running: !j.Finished(), Refresh: exportHref(j.ID), Value: strconv.Itoa(j.Progress),
		Max: strconv.Itoa(j.Total), Progress: progressText(j) + "."}
	v.Facts = []pages.Fact{{Label: "Edition", Value: ed.Name}, {Label: "Asked for", Value: formatInstant(j.CreatedAt, loc)}}
	if j.Options.Format != "" {
		v.Facts = append(v.Facts, pages.Fact{Label: "Format", Value: strings.ToUpper(string(j.Options.Format))})
	}
	if j.Options.Anonymise {
		v.Facts = append(v.Facts, pages.Fact{Label: "Evaluators", Value: "Anonymised"})
	}
	if j.FinishedAt != nil {
		v.Facts = append(v.Facts, pages.Fact{Label: "Finished", Value: formatInstant(*j.FinishedAt, loc)})
	}
	switch {
	case j.Status == export.Failed:
		v.Problem = "The export could not be produced after " + strconv.Itoa(j.Attempts) + " attempts. Ask for it again; if it fails again, tell the portal's administrators."
	case j.Error != "":
		v.Problem = j.Error
	}
	if j.Status == export.Done {
		v.Download, v.FileName, v.Size = exportHref(j.ID)+"/download", j.FileName, files.FormatSize(j.Size)
	}
	return s.render(w, r, http.StatusOK, pages.ExportJob(v))
}

// exportDownload sends a ready export as an attachment (GET /exports/{id}/download): its
// requester only (404 for anyone else), while they still hold a role that allows it
// (export.Service.Download records the download).
func (s *Server) exportDownload(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := routeID(r)
	if err != nil {
		return err
	}
	j, err := s.exports.Download(ctx, authz.ActorFrom(ctx), id)
	if err != nil {
		return err
	}
	return s.sendStored(w, r, files.File{ID: j.ID, Key: j.FileKey, Name: j.FileName, Size: j.Size, ContentType: j.ContentType})
}

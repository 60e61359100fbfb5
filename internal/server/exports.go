package server

import (
	"errors"
	"net/http"
	"strconv"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/edition"
	"prizeportal/internal/export"
	"prizeportal/internal/files"
	"prizeportal/internal/i18n"
	"prizeportal/web/pages"
	"prizeportal/web/views"
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
	v := views.ExportsView(page, ed, picker, notice)
	v.Page = s.page(r, i18n.Msg("Exports, {{.Edition}}", "Edition", ed.Name))
	return s.render(w, r, status, pages.Exports(v))
}

// exportCreate asks for an export (POST /exports?edition=): the kind must be one the user may
// ask for in the edition and available now (export.Service.Request); when it is not available
// yet the exports page says why (409).
func (s *Server) exportCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	_, ed, _, err := formThenLoad[struct{}](w, r, s.scope)
	if err != nil {
		return err
	}
	kind := export.Kind(r.PostForm.Get("kind"))
	if !kind.Valid() {
		return errBadForm
	}
	opts := export.OptionsFor(kind, r.PostForm.Get(string(kind)+"-format"), r.PostForm.Get(string(kind)+"-anonymise") == "yes")
	job, err := s.exports.Request(ctx, authz.ActorFrom(ctx), ed, kind, opts)
	if f, ok := fault.As(err); ok && errors.Is(err, export.ErrUnavailable) {
		return s.renderExports(w, r, http.StatusConflict, f.Message)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "Your export is queued: this page shows its progress.")
	return redirect(w, r, views.ExportHref(job.ID))
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
	ctx := r.Context()
	v := pages.ExportJobView{Page: s.page(r, i18n.T(ctx, "{{.Export}}, {{.Edition}}", "Export", i18n.T(ctx, j.Kind.Label()), "Edition", ed.Name)),
		Back: views.ExportsHref(ed.ID), Title: j.Kind.Label(),
		Status: j.Status.Label(), Running: !j.Finished(), Refresh: views.ExportHref(j.ID), Value: strconv.Itoa(j.Progress),
		Max: strconv.Itoa(j.Total), Progress: i18n.T(ctx, j.ProgressText()) + ".", Facts: views.FactsOf(j.Facts(ed)), Problem: j.Problem()}
	if j.Status == export.Done {
		v.Download, v.FileName, v.Size = views.ExportHref(j.ID)+"/download", j.FileName, files.FormatSize(j.Size)
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

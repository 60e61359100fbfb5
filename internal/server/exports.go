package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/country"
	"prizeportal/internal/db"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/export"
	"prizeportal/internal/files"
	"prizeportal/internal/form"
	"prizeportal/internal/notify"
	"prizeportal/internal/pdfdoc"
	"prizeportal/internal/ranking"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Exports and the decision pack (issue 9 items 4 and 5). /exports?edition= offers each export
// the user's roles in the edition allow (exportAllowed):
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
// Asking records an export_jobs row and queues its River job in one transaction (with the
// audit entry); the job (runExport) produces the file as the requester, with the roles they hold
// when it runs, through queries that repeat every rule in SQL (internal/export, internal/dossier,
// internal/ballot), stores it with the file storage and records its progress. The status page
// and the download answer the requester only (404 for anyone else); the download re-checks the
// role.

const exportsPath = "/exports"

// exportJobName is the notify.Job that produces exports.
const exportJobName = "export"

func exportsHref(editionID int64) string {
	return exportsPath + "?edition=" + strconv.FormatInt(editionID, 10)
}

func exportHref(id int64) string { return exportsPath + "/" + strconv.FormatInt(id, 10) }

// Jobs are the server's on-demand background jobs, for the worker (notify.WorkerConfig.Jobs).
func (s *Server) Jobs() []notify.Job {
	return []notify.Job{{Name: exportJobName, Run: s.runExport}}
}

// exportRoles are the roles that may open the exports page of an edition.
var exportRoles = []authz.Role{authz.RoleSecretariat, authz.RoleCommitteeHead, authz.RoleEvaluator, authz.RoleCouncil, authz.RoleAdmin}

// exportAllowed reports whether actor may ask for (and download) an export of kind in ed.
func exportAllowed(actor authz.Actor, ed *edition.Edition, kind export.Kind) bool {
	id := ed.ID
	switch kind {
	case export.Applications, export.Votes:
		return actor.Has(authz.RoleSecretariat, id) || actor.Has(authz.RoleCouncil, id)
	case export.Scores:
		return actor.Has(authz.RoleSecretariat, id) || actor.Has(authz.RoleCommitteeHead, id)
	case export.Audit:
		return actor.Has(authz.RoleAdmin, 0)
	case export.Pack:
		return actor.Has(authz.RoleSecretariat, id)
	case export.Assigned:
		return actor.Has(authz.RoleEvaluator, id) || actor.Has(authz.RoleCommitteeHead, id)
	}
	return false
}

// exportScope is the entries an applications export of actor reads in ed.
func exportScope(actor authz.Actor, ed *edition.Edition) export.Scope {
	if actor.Has(authz.RoleSecretariat, ed.ID) {
		return export.AllEntries
	}
	return export.SemiFinalists
}

// exportUnavailable says why an allowed export cannot be produced yet ("" when it can).
func (s *Server) exportUnavailable(ctx context.Context, actor authz.Actor, ed *edition.Edition, kind export.Kind) (string, error) {
	switch kind {
	case export.Scores:
		closed, _, err := export.ScoringClosed(ctx, s.pool, ed.ID)
		if err != nil {
			return "", err
		}
		if !closed {
			return "The scores are sealed until the committee head closes the scoring round.", nil
		}
	case export.Votes:
		cats, err := export.ClosedVotes(ctx, s.pool, actor.UserID, ed.ID)
		if err != nil {
			return "", err
		}
		if len(cats) == 0 {
			return "Ballots stay secret until the council's vote closes: no vote of this edition is closed yet.", nil
		}
	case export.Assigned:
		if s.now().Before(ed.Schedule.Scoring.Start) {
			return "Available from the start of round 2, " + formatInstant(ed.Schedule.Scoring.Start, ed.TimeZone) + ".", nil
		}
	}
	return "", nil
}

// exportsEdition is the edition the exports page acts on, with the picker.
func (s *Server) exportsEdition(r *http.Request) (*edition.Edition, components.Field, error) {
	return s.servedEdition(r, exportRoles...)
}

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
	ed, picker, err := s.exportsEdition(r)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	v := pages.ExportsView{Page: s.page(r, "Exports, "+ed.Name), Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name, Notice: notice}
	action := exportsHref(ed.ID)
	for _, kind := range export.Kinds {
		if !exportAllowed(actor, ed, kind) {
			continue
		}
		f := pages.ExportForm{ID: "export-" + string(kind), Title: kind.Label(), Action: action, Kind: string(kind), Button: "Export"}
		switch kind {
		case export.Applications:
			f.Description = "Every submitted entry with all its answers: a column per question of the category's form, in the form's order; multiple choices as their labels, documents by name, nominations with their candidate's details."
			if exportScope(actor, ed) == export.SemiFinalists {
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
		if f.Unavailable, err = s.exportUnavailable(ctx, actor, ed, kind); err != nil {
			return err
		}
		v.Forms = append(v.Forms, f)
	}
	jobs, err := export.List(ctx, s.pool, actor.UserID, ed.ID, 20)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		v.Jobs = append(v.Jobs, pages.ExportJobRow{Label: j.Kind.Label(), Requested: formatInstant(j.CreatedAt, ed.TimeZone),
			Status: j.Status.Label(), Progress: progressText(j), Href: exportHref(j.ID)})
	}
	return s.render(w, r, status, pages.Exports(v))
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
// ask for in the edition and available now; the job is queued with the request's audit entry.
func (s *Server) exportCreate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	ed, _, err := s.exportsEdition(r)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	kind := export.Kind(r.PostForm.Get("kind"))
	if !kind.Valid() {
		return errBadForm
	}
	if !exportAllowed(actor, ed, kind) {
		return authz.ErrForbidden
	}
	why, err := s.exportUnavailable(ctx, actor, ed, kind)
	if err != nil {
		return err
	}
	if why != "" {
		return s.renderExports(w, r, http.StatusConflict, why)
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
	var job export.Job
	err = db.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if job, err = export.Create(ctx, tx, actor.UserID, ed.ID, kind, opts, s.now()); err != nil {
			return err
		}
		if err := s.outbox.QueueJob(ctx, tx, exportJobName, job.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: actor.UserID, Action: "export.request", ObjectType: "export",
			ObjectID: strconv.FormatInt(job.ID, 10), IP: s.clientIP(r),
			Details: map[string]any{"edition": ed.ID, "kind": string(kind), "format": string(opts.Format), "anonymise": opts.Anonymise}})
	})
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
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return export.Job{}, nil, errNotFound
	}
	j, err := export.Get(ctx, s.pool, authz.ActorFrom(ctx).UserID, id)
	if err != nil {
		return export.Job{}, nil, err
	}
	ed, err := edition.ByID(ctx, s.pool, j.EditionID)
	return j, ed, err
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
// requester only (404 for anyone else), while they still hold a role that allows it.
func (s *Server) exportDownload(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	j, ed, err := s.ownExport(r)
	if err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	if !exportAllowed(actor, ed, j.Kind) {
		return authz.ErrForbidden
	}
	if j.Status != export.Done {
		return errNotFound
	}
	if err := audit.Record(ctx, s.pool, audit.Entry{ActorID: actor.UserID, Action: "export.download", ObjectType: "export",
		ObjectID: strconv.FormatInt(j.ID, 10), IP: s.clientIP(r), Details: map[string]any{"edition": ed.ID, "kind": string(j.Kind)}}); err != nil {
		return err
	}
	return files.Serve(w, r, s.files, files.File{ID: j.ID, Key: j.FileKey, Name: j.FileName, Size: j.Size, ContentType: j.ContentType})
}

// --- the background job

// errExportForbidden ends a job whose requester may no longer ask for it: no retry.
var errExportForbidden = errors.New("server: the requester may not produce this export")

// runExport produces export id (the notify.Job): as its requester, with their roles now; the
// file goes to the file storage and the row records it. A failed attempt is recorded and
// retried by River; a requester who may no longer ask for the export fails it for good.
func (s *Server) runExport(ctx context.Context, id int64, attempt int, last bool) error {
	j, err := export.Start(ctx, s.pool, id, attempt, s.now())
	if errors.Is(err, export.ErrFinished) || errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	data, name, ctype, err := s.produceExport(ctx, j)
	if err == nil {
		key := "exports/" + files.NewKey()
		if err = s.files.Put(ctx, key, bytes.NewReader(data), int64(len(data))); err == nil {
			err = export.Finish(ctx, s.pool, j.ID, key, name, ctype, int64(len(data)), s.now())
			if errors.Is(err, export.ErrFinished) {
				return nil
			}
		}
	}
	if err == nil {
		return nil
	}
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	final := last || errors.Is(err, errExportForbidden)
	msg := "Attempt " + strconv.Itoa(attempt) + " failed; the export is retried automatically."
	if errors.Is(err, errExportForbidden) {
		msg = "Your roles no longer allow this export."
	}
	if ferr := export.Fail(bg, s.pool, j.ID, msg, final, s.now()); ferr != nil {
		return errors.Join(err, ferr)
	}
	if errors.Is(err, errExportForbidden) {
		s.log.Warn("export refused: the requester may no longer produce it", "export", j.ID, "requester", j.RequesterID)
		return nil
	}
	return err
}

// progress records a job's progress, at most about once a second (and at the end).
type progress struct {
	s     *Server
	ctx   context.Context
	id    int64
	done  int
	total int
	last  time.Time
}

func (p *progress) add(n int) error {
	p.done += n
	if p.done < p.total && time.Since(p.last) < time.Second {
		return nil
	}
	p.last = time.Now()
	return export.SetProgress(p.ctx, p.s.pool, p.id, p.done, p.total)
}

func (p *progress) setTotal(n int) error {
	p.total = n
	return export.SetProgress(p.ctx, p.s.pool, p.id, p.done, p.total)
}

// produceExport builds the file of job j as its requester: the data, its file name and type.
func (s *Server) produceExport(ctx context.Context, j export.Job) ([]byte, string, string, error) {
	actor, _, err := account.LoadActor(ctx, s.pool, j.RequesterID)
	if errors.Is(err, db.ErrNotFound) {
		return nil, "", "", errExportForbidden
	}
	if err != nil {
		return nil, "", "", err
	}
	ed, err := edition.ByID(ctx, s.pool, j.EditionID)
	if err != nil {
		return nil, "", "", err
	}
	if !exportAllowed(actor, ed, j.Kind) {
		return nil, "", "", errExportForbidden
	}
	if why, err := s.exportUnavailable(ctx, actor, ed, j.Kind); err != nil {
		return nil, "", "", err
	} else if why != "" {
		return nil, "", "", errExportForbidden
	}
	p := &progress{s: s, ctx: ctx, id: j.ID}
	now := s.now()
	base := ed.Slug + "-" + string(j.Kind) + "-" + now.In(ed.TimeZone).Format("20060102-1504")
	var tables []export.Table
	switch j.Kind {
	case export.Pack:
		data, err := s.decisionPack(ctx, actor, ed, j.Options, p)
		return data, ed.Slug + "-decision-pack-" + now.In(ed.TimeZone).Format("20060102-1504") + ".zip", export.ContentZIP, err
	case export.Applications:
		tables, err = s.applicationTables(ctx, actor, ed, exportScope(actor, ed), p)
	case export.Scores:
		tables, err = s.scoreTables(ctx, actor, ed, j.Options.Anonymise, false, p)
	case export.Votes:
		tables, err = s.voteTables(ctx, actor, ed, p)
	case export.Audit:
		tables, err = s.auditTables(ctx, actor, p)
	case export.Assigned:
		tables, err = s.applicationTables(ctx, actor, ed, export.AssignedEntries, p)
		if err == nil {
			var own []export.Table
			own, err = s.scoreTables(ctx, actor, ed, false, true, p)
			tables = append(tables, own...)
		}
	}
	if err != nil {
		return nil, "", "", err
	}
	data, ext, ctype, err := export.Encode(tables, j.Options.Format, now)
	return data, base + ext, ctype, err
}

// answerCell is an answer as one cell: the lines of application.AnswerLines (choices as their
// labels, documents by name), marked when the applicant marked it confidential.
func answerCell(f *form.Form, q *form.Question, a form.Answers) string {
	if !f.Visible(q, a) {
		return ""
	}
	ans := a[q.Key]
	lines := application.AnswerLines(q, ans)
	sep := "\n"
	if q.Type == form.MultipleChoice || q.Type == form.File {
		sep = "; "
	}
	cell := strings.Join(lines, sep)
	if ans.Confidential && cell != "" {
		cell = export.ConfidentialMark + cell
	}
	return cell
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// applicationTables are the entries of ed that actor reads under scope, a table per category.
// Only the secretariat's export (AllEntries) holds the registrants' names, emails and round 1's
// decisions; the others hold what their pages show (the score sheet, the dossier).
func (s *Server) applicationTables(ctx context.Context, actor authz.Actor, ed *edition.Edition, scope export.Scope, p *progress) ([]export.Table, error) {
	entries, err := export.Entries(ctx, s.pool, actor.UserID, ed.ID, scope, s.now())
	if err != nil {
		return nil, err
	}
	if err := p.setTotal(p.total + len(entries)); err != nil {
		return nil, err
	}
	staff := scope == export.AllEntries
	var out []export.Table
	for ci := range ed.Categories {
		cat := &ed.Categories[ci]
		t := export.Table{Name: cat.Name, Header: []string{"Entry", "Title", "Organisation", "Entity type", "City", "Country", "Submitted", "Version"}}
		if staff {
			t.Header = append(t.Header, "Applicant (account)", "Email", "Round 1 decision")
		}
		nominations := cat.Nominations != nil
		if nominations {
			t.Header = append(t.Header, "Self-nomination", "Candidate", "Candidate's organisation", "Candidate's position", "Candidate heads an organisation")
			if staff {
				t.Header = append(t.Header, "Candidate's email", "Nominator category", "Nominator's organisation")
			}
		}
		var questions []*form.Question
		if cat.Form != nil {
			questions = cat.Form.Questions()
		}
		for _, q := range questions {
			h := q.Label
			if q.MayBeConfidential {
				h += " " + strings.TrimSpace(export.ConfidentialMark) + " if marked"
			}
			t.Header = append(t.Header, h)
		}
		for _, e := range entries {
			if e.CategoryID != cat.ID {
				continue
			}
			title, org := application.Title(e.Answers), e.Organisation
			if e.Nomination != nil {
				title = "Nomination of " + e.Nomination.CandidateName
				if e.Nomination.CandidateOrganisation != "" {
					org = e.Nomination.CandidateOrganisation
				}
			}
			et := e.EntityType
			if x, ok := ed.EntityType(e.EntityType); ok {
				et = x.Name
			}
			row := []string{entryNo(e.ID), entryTitle(title, e.ID), org, et, e.City, country.Name(e.Country),
				formatInstant(e.SubmittedAt, ed.TimeZone), strconv.Itoa(e.Version)}
			if staff {
				row = append(row, e.Applicant, e.Email, e.Decision)
			}
			if nominations {
				n := export.Nominee{}
				if e.Nomination != nil {
					n = *e.Nomination
				}
				row = append(row, yesNo(n.Self), n.CandidateName, n.CandidateOrganisation, n.CandidatePosition, yesNo(n.CandidateIsHead))
				if staff {
					nc := n.NominatorCategory
					if x, ok := cat.Nominations.Category(nc); ok {
						nc = x.Name
					}
					row = append(row, n.CandidateEmail, nc, n.NominatorOrganisation)
				}
			}
			for _, q := range questions {
				row = append(row, answerCell(cat.Form, q, e.Answers))
			}
			t.Rows = append(t.Rows, row)
			if err := p.add(1); err != nil {
				return nil, err
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// scoreTables are the score sheets of ed, a table per category with sheets: the committee's
// (own false: the secretariat and the head, once the round is closed) or actor's own sheets of
// their assigned entries (own true). anonymise names the evaluators "Evaluator N", numbered by
// their account in this export, so each keeps one number throughout it.
func (s *Server) scoreTables(ctx context.Context, actor authz.Actor, ed *edition.Edition, anonymise, own bool, p *progress) ([]export.Table, error) {
	var sheets []export.Sheet
	var err error
	if own {
		sheets, err = export.OwnSheets(ctx, s.pool, actor.UserID, ed.ID, s.now())
	} else {
		sheets, err = export.CommitteeSheets(ctx, s.pool, actor.UserID, ed.ID)
	}
	if err != nil {
		return nil, err
	}
	if err := p.setTotal(p.total + len(sheets)); err != nil {
		return nil, err
	}
	names := map[int64]string{}
	if anonymise {
		var ids []int64
		for _, sh := range sheets {
			if _, ok := names[sh.EvaluatorID]; !ok {
				names[sh.EvaluatorID] = ""
				ids = append(ids, sh.EvaluatorID)
			}
		}
		slices.Sort(ids)
		for i, id := range ids {
			names[id] = "Evaluator " + strconv.Itoa(i+1)
		}
	}
	var out []export.Table
	for ci := range ed.Categories {
		cat := &ed.Categories[ci]
		name := "Scores, " + cat.Name
		if own {
			name = "Your scores, " + cat.Name
		}
		t := export.Table{Name: name, Header: []string{"Entry", "Title", "Evaluator", "Sheet status", "Submitted"}}
		for _, c := range cat.Criteria {
			for _, ind := range c.Indicators {
				t.Header = append(t.Header, c.Name+": "+ind.Name)
			}
			t.Header = append(t.Header, c.Name+": mean", c.Name+": comment")
		}
		t.Header = append(t.Header, "Overall comment")
		for _, sh := range sheets {
			if sh.CategoryID != cat.ID {
				continue
			}
			who := sh.Evaluator
			if anonymise {
				who = names[sh.EvaluatorID]
			}
			submitted := ""
			if sh.SubmittedAt != nil {
				submitted = formatInstant(*sh.SubmittedAt, ed.TimeZone)
			}
			status := "Submitted"
			if sh.Status != "submitted" {
				status = "Draft (not counted)"
			}
			row := []string{entryNo(sh.ApplicationID), entryTitle(sh.Title, sh.ApplicationID), who, status, submitted}
			for _, c := range cat.Criteria {
				sum, n := 0, 0
				for _, ind := range c.Indicators {
					if v, ok := sh.Scores[ind.ID]; ok {
						row = append(row, strconv.Itoa(v))
						sum += v
						n++
					} else {
						row = append(row, "")
					}
				}
				mean := ""
				if n > 0 {
					mean = score2(float64(sum) / float64(n))
				}
				row = append(row, mean, sh.Comments[c.Key])
			}
			row = append(row, sh.Overall)
			t.Rows = append(t.Rows, row)
			if err := p.add(1); err != nil {
				return nil, err
			}
		}
		if len(t.Rows) > 0 {
			out = append(out, t)
		}
	}
	return out, nil
}

// closedVotes are the categories of ed whose vote is closed, for actor (internal/export repeats
// the council or secretariat role in SQL, and internal/ballot refuses open votes).
func (s *Server) closedVotes(ctx context.Context, actor authz.Actor, ed *edition.Edition) ([]*edition.Category, error) {
	ids, err := export.ClosedVotes(ctx, s.pool, actor.UserID, ed.ID)
	if err != nil {
		return nil, err
	}
	var out []*edition.Category
	for _, id := range ids {
		if c := clarCategory(ed, id); c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// voteTables are, per closed vote of ed, the anonymous ballots (as the protocol shows them) and
// the result: the final order with the committee scores, the awards and the tie-breaks.
func (s *Server) voteTables(ctx context.Context, actor authz.Actor, ed *edition.Edition, p *progress) ([]export.Table, error) {
	cats, err := s.closedVotes(ctx, actor, ed)
	if err != nil {
		return nil, err
	}
	if err := p.setTotal(p.total + len(cats)); err != nil {
		return nil, err
	}
	var out []export.Table
	for _, cat := range cats {
		pr, err := s.loadProtocol(ctx, &voteContext{ed: ed, cat: cat, user: actor.UserID})
		if err != nil {
			return nil, err
		}
		res := pr.result
		ballots := export.Table{Name: "Ballots, " + cat.Name, Header: []string{"Ballot"}}
		for _, c := range pr.cands {
			ballots.Header = append(ballots.Header, entryNo(c.ApplicationID)+" "+c.Title)
		}
		for i, b := range pr.ballot {
			row := []string{"Ballot " + strconv.Itoa(i+1)}
			for _, c := range pr.cands {
				row = append(row, ballotCell(b, c.ApplicationID))
			}
			ballots.Rows = append(ballots.Rows, row)
		}
		prizes := map[int64][]string{}
		for _, a := range pr.awards {
			prizes[a.ApplicationID] = append(prizes[a.ApplicationID], a.PrizeName)
		}
		result := export.Table{Name: "Results, " + cat.Name, Header: []string{"Position", "Entry", "Title", "Organisation", "Committee score", "Award"}}
		for i, c := range pr.order {
			sc := ""
			if v, ok := res.Scores[c.ApplicationID]; ok {
				sc = score2(v)
			}
			result.Rows = append(result.Rows, []string{strconv.Itoa(i + 1), entryNo(c.ApplicationID), c.Title, c.Organisation, sc,
				strings.Join(prizes[c.ApplicationID], "; ")})
		}
		result.Rows = append(result.Rows, []string{}, []string{"Method", methodLabel(res.Method)},
			[]string{"Ballots", fmt.Sprintf("%d from a council of %d (quorum %d)", res.Ballots, res.Council, res.Quorum)},
			[]string{"Closed", formatInstant(res.ClosedAt, ed.TimeZone)})
		for _, tb := range res.TieBreaks {
			result.Rows = append(result.Rows, []string{"Tie-break", tb})
		}
		if res.DecidedAt != nil {
			result.Rows = append(result.Rows, []string{"Chair's decision", res.DecisionReason})
		}
		if !res.Resolved() {
			result.Rows = append(result.Rows, []string{"Note", "Ties remain for the chair to decide: the order is provisional."})
		}
		out = append(out, ballots, result)
		if err := p.add(1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// auditTables is the audit log (admins: internal/export repeats the role in SQL).
func (s *Server) auditTables(ctx context.Context, actor authz.Actor, p *progress) ([]export.Table, error) {
	rows, err := export.AuditLog(ctx, s.pool, actor.UserID)
	if err != nil {
		return nil, err
	}
	if err := p.setTotal(len(rows)); err != nil {
		return nil, err
	}
	t := export.Table{Name: "Audit log", Header: []string{"ID", "At (UTC)", "Actor", "Action", "Object type", "Object ID", "IP", "Details"}}
	for _, a := range rows {
		t.Rows = append(t.Rows, []string{strconv.FormatInt(a.ID, 10), a.At.UTC().Format(time.RFC3339), a.Actor, a.Action, a.ObjectType,
			a.ObjectID, a.IP, a.Details})
		if err := p.add(1); err != nil {
			return nil, err
		}
	}
	return []export.Table{t}, nil
}

// decisionPack builds the decision pack of ed for actor (the secretariat): decision-data.xlsx
// (every entry, the scores once the round is closed, the closed votes), a PDF dossier per
// confirmed semi-finalist (internal/dossier's rules), the result protocol of each closed vote
// and methodology.pdf.
func (s *Server) decisionPack(ctx context.Context, actor authz.Actor, ed *edition.Edition, opts export.Options, p *progress) ([]byte, error) {
	semis, err := dossier.List(ctx, s.pool, actor.UserID, ed.ID)
	if err != nil {
		return nil, err
	}
	cats, err := s.closedVotes(ctx, actor, ed)
	if err != nil {
		return nil, err
	}
	// the dossiers, the protocols and the note; the workbook's rows add theirs
	if err := p.setTotal(len(semis) + len(cats) + 1); err != nil {
		return nil, err
	}
	tables, err := s.applicationTables(ctx, actor, ed, export.AllEntries, p)
	if err != nil {
		return nil, err
	}
	closed, method, err := export.ScoringClosed(ctx, s.pool, ed.ID)
	if err != nil {
		return nil, err
	}
	if closed {
		scores, err := s.scoreTables(ctx, actor, ed, opts.Anonymise, false, p)
		if err != nil {
			return nil, err
		}
		tables = append(tables, scores...)
	}
	votes, err := s.voteTables(ctx, actor, ed, p)
	if err != nil {
		return nil, err
	}
	tables = append(tables, votes...)
	var book bytes.Buffer
	if err := export.WriteXLSX(&book, tables); err != nil {
		return nil, err
	}
	out := []export.File{{Name: "decision-data.xlsx", Data: book.Bytes()}}
	for _, e := range semis {
		d, err := s.dossierOf(ctx, actor.UserID, e.ID)
		if err != nil {
			return nil, err
		}
		doc, err := s.dossierDocument(ctx, actor, d)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := pdfdoc.Render(&buf, doc); err != nil {
			return nil, err
		}
		out = append(out, export.File{Name: "dossiers/dossier-" + strconv.FormatInt(e.ID, 10) + "-" + export.Slug(entryTitle(e.Title, e.ID)) + ".pdf", Data: buf.Bytes()})
		if err := p.add(1); err != nil {
			return nil, err
		}
	}
	abstentions := map[string]int{}
	for _, cat := range cats {
		vc := &voteContext{ed: ed, cat: cat, user: actor.UserID}
		doc, err := s.protocolDocument(ctx, vc)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := pdfdoc.Render(&buf, doc); err != nil {
			return nil, err
		}
		out = append(out, export.File{Name: "protocols/protocol-" + export.Slug(cat.Key) + ".pdf", Data: buf.Bytes()})
		cands, err := ballot.Candidates(ctx, s.pool, ed.ID, cat.ID)
		if err != nil {
			return nil, err
		}
		counted, err := ballot.Counted(ctx, s.pool, cat.ID)
		if err != nil {
			return nil, err
		}
		for _, b := range counted {
			abstentions[cat.Name] += len(cands) - len(b.Ranks)
		}
		if err := p.add(1); err != nil {
			return nil, err
		}
	}
	conflicts, err := export.ConflictCounts(ctx, s.pool, actor.UserID, ed.ID)
	if err != nil {
		return nil, err
	}
	var note bytes.Buffer
	if err := pdfdoc.Render(&note, s.methodologyNote(ed, closed, method, conflicts, cats, abstentions)); err != nil {
		return nil, err
	}
	out = append(out, export.File{Name: "methodology.pdf", Data: note.Bytes()})
	if err := p.add(1); err != nil {
		return nil, err
	}
	var zipped bytes.Buffer
	if err := export.WriteZIP(&zipped, out, s.now()); err != nil {
		return nil, err
	}
	return zipped.Bytes(), nil
}

// methodologyNote explains how the decisions of ed were reached: the criteria with their
// weights and indicators, round 2's aggregation method, the conflicts of interest excluded and
// round 3's voting method with its tie-break chain (DOMAIN.md "Round 2", "Round 3").
func (s *Server) methodologyNote(ed *edition.Edition, scoringClosed bool, method string, c export.Conflicts, cats []*edition.Category, abstentions map[string]int) pdfdoc.Document {
	now := s.now().In(ed.TimeZone)
	doc := pdfdoc.Document{Title: "Methodology note", Subtitle: ed.Name, Created: now, Footer: ed.Name + ": methodology note (internal)"}
	criteria := pdfdoc.Section{Heading: "Criteria and weights",
		Intro: "Each evaluator scores every indicator; a sheet's score on a criterion is the mean of its indicator scores, and its overall score the weighted mean of its criterion scores. Only submitted sheets count."}
	for ci := range ed.Categories {
		cat := &ed.Categories[ci]
		t := pdfdoc.Table{Label: cat.Name + " (scale " + strconv.Itoa(cat.Scale.Min) + " to " + strconv.Itoa(cat.Scale.Max) + ")",
			Header: []string{"Criterion", "Weight", "Indicators"}}
		for _, cr := range cat.Criteria {
			var inds []string
			for _, ind := range cr.Indicators {
				inds = append(inds, ind.Name)
			}
			t.Rows = append(t.Rows, []string{cr.Name, strconv.FormatFloat(cr.Weight, 'f', -1, 64), strings.Join(inds, "; ")})
		}
		criteria.Blocks = append(criteria.Blocks, t)
	}
	m := ranking.Method(method)
	state := "The scoring round is not closed yet: the scores are sealed."
	if scoringClosed {
		state = "The scoring round is closed."
	}
	aggregation := pdfdoc.Section{Heading: "Aggregation of the scores (round 2)", Blocks: []pdfdoc.Block{
		pdfdoc.Answer{Label: "Aggregation method", Value: m.Label() + " (" + method + "), chosen by the committee head before the scores were unsealed."},
		pdfdoc.Note{Text: state},
	}}
	conflicts := pdfdoc.Section{Heading: "Conflicts of interest excluded",
		Intro: "No evaluator is assigned an entry that matches a conflict of theirs (the registry or their own declarations); a conflict found later hides the entry from them.",
		Blocks: []pdfdoc.Block{pdfdoc.Table{Header: []string{"What", "Count"}, Rows: [][]string{
			{"Assignments ended by the evaluator's recusal", strconv.Itoa(c.Recused)},
			{"Assignments removed by the committee head or the secretariat", strconv.Itoa(c.Removed)},
			{"Active assignments excluded by a conflict", strconv.Itoa(c.Conflicted)},
		}}}}
	var abst [][]string
	for _, cat := range cats {
		abst = append(abst, []string{"Council abstentions for a conflict, " + cat.Name, strconv.Itoa(abstentions[cat.Name])})
	}
	if len(abst) > 0 {
		conflicts.Blocks = append(conflicts.Blocks, pdfdoc.Table{Header: []string{"Round 3", "Count"}, Rows: abst})
	}
	quorum := "a majority of the council"
	if ed.Voting.Quorum > 0 {
		quorum = strconv.Itoa(ed.Voting.Quorum) + " members"
	}
	voting := pdfdoc.Section{Heading: "Voting (round 3)", Blocks: []pdfdoc.Block{
		pdfdoc.Answer{Label: "Voting method", Value: methodLabel(ed.Voting.Method) + " (" + ed.Voting.Method + "): each council member ranks the confirmed semi-finalists of a category, or abstains on an entry stating a conflict."},
		pdfdoc.Answer{Label: "Quorum", Value: "A category's vote closes once " + quorum + " have cast a ballot."},
		pdfdoc.List{Label: "Tie-break chain", Items: []string{
			"1. The count's own order (" + methodLabel(ed.Voting.Method) + ").",
			"2. The committee's aggregate score of round 2, higher first.",
			"3. The chair's recorded decision, with its reason, for ties the scores leave.",
		}},
	}}
	doc.Sections = []pdfdoc.Section{criteria, aggregation, conflicts, voting}
	return doc
}

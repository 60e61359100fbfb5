package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/account"
	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/files"
	"prizeportal/internal/form"
	"prizeportal/internal/nomination"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// appContext is what every page of an application needs, for the applicant's project
// application and a nominator's nomination alike: the application of the acting user (loaded
// with the owner filter), its edition, category and form, and where its pages are.
type appContext struct {
	actor authz.Actor
	user  account.User
	app   application.Application
	ed    *edition.Edition
	cat   *edition.Category
	form  *form.Form
	// home is the path of the application's overview ("/application", "/nominations/12"); its
	// other pages are below it.
	home string
	// noun names the application in headings: "project application" or "nomination".
	noun string
	// nom holds the facts of a nomination; nil for a project application.
	nom *nomination.Nomination
}

// url is the path of one of the application's pages, such as "/review".
func (c *appContext) url(suffix string) string { return c.home + suffix }

func (c *appContext) sectionURL(key string) string { return c.url("/sections/" + key) }

func (c *appContext) fileURL(f form.FileRef) string { return c.url("/files/" + f.ID) }

// loadEntry loads the application the request is about: the nomination named in the path
// ("/nominations/{nomination}/..."), or else the acting applicant's project application.
func (s *Server) loadEntry(r *http.Request) (*appContext, error) {
	if id := chi.URLParam(r, "nomination"); id != "" {
		return s.loadNomination(r.Context(), id)
	}
	return s.loadApplication(r.Context())
}

// loadApplication loads the acting applicant's project application. An account that registered
// for no category with a form has no application page (404).
func (s *Server) loadApplication(ctx context.Context) (*appContext, error) {
	e, err := s.applications.Project(ctx, authz.ActorFrom(ctx).UserID)
	if err != nil {
		return nil, err
	}
	return newAppContext(ctx, e, "/application", "project application"), nil
}

// reload loads c's application again, after a change.
func (s *Server) reload(ctx context.Context, c *appContext) (*appContext, error) {
	if c.nom != nil {
		return s.loadNomination(ctx, strconv.FormatInt(c.app.ID, 10))
	}
	return s.loadApplication(ctx)
}

func newAppContext(ctx context.Context, e application.Entry, home, noun string) *appContext {
	return &appContext{actor: authz.ActorFrom(ctx), user: e.Owner, app: e.App, ed: e.Edition, cat: e.Category,
		form: e.Category.Form, home: home, noun: noun}
}

// entry is c's application as its use cases take it.
func (c *appContext) entry() application.Entry {
	return application.Entry{App: c.app, Edition: c.ed, Category: c.cat, Owner: c.user, Home: c.home}
}

// open reports whether the application may still be changed: before its deadline (the
// edition's, with its grace period, or the applicant's extension), to the second.
func (s *Server) open(c *appContext) bool {
	return application.Open(s.now(), application.Deadline(c.ed.Schedule, c.app))
}

// deadlineText shows the deadline the applicant of a is told (application.DeadlineText).
func deadlineText(ed *edition.Edition, a application.Application) string {
	return application.DeadlineText(ed, a)
}

func (s *Server) closedNotice(c *appContext) string {
	return "The deadline passed on " + deadlineText(c.ed, c.app) + ": your application can no longer be changed or submitted."
}

func (s *Server) appSummary(c *appContext) pages.ApplicationSummary {
	a, loc := c.app, c.ed.TimeZone
	published := application.PublishedDeadline(c.ed.Schedule, a)
	sum := pages.ApplicationSummary{
		Home: c.home, Noun: c.noun, Nomination: c.nom != nil,
		Prize: c.ed.Name, Category: c.cat.Name, Status: a.Status.Label(), Open: s.open(c),
		Deadline: pages.DeadlineView{
			Local: deadlineStamp(published, loc), Zone: loc.String(), UTC: deadlineStamp(published, time.UTC),
			Instant: published.UTC().Format(time.RFC3339), Now: s.now().UTC().Format(time.RFC3339),
			Extended: !published.Equal(c.ed.Schedule.ApplicationDeadline),
		},
	}
	switch {
	case a.ID == 0:
		sum.StatusNote = "Not started yet."
	case a.Status == application.Submitted && a.SubmittedAt != nil:
		sum.StatusNote = "Submitted on " + formatInstant(*a.SubmittedAt, loc) + " (submission " + strconv.Itoa(a.Submissions) + ")."
		if a.Changed() {
			sum.StatusNote += " You have saved changes since then: submit again so that the Evaluation Committee sees them."
		}
	case a.Status == application.Withdrawn:
		sum.StatusNote = "You withdrew the application. You can submit it again until the deadline."
	default:
		sum.StatusNote = "Last saved on " + formatInstant(a.UpdatedAt, loc) + "; not submitted yet."
	}
	return sum
}

// reviewQuestions lists the questions of a section that are shown, with their answers, files
// linking through fileURL.
func reviewQuestions(f *form.Form, sec *form.Section, a form.Answers, fileURL func(form.FileRef) string) []pages.ReviewQuestion {
	var out []pages.ReviewQuestion
	for i := range sec.Questions {
		q := &sec.Questions[i]
		if !f.Visible(q, a) {
			continue
		}
		ans := a[q.Key]
		rq := pages.ReviewQuestion{Label: q.Label, Confidential: ans.Confidential}
		if q.Type == form.File {
			for _, ref := range ans.Files {
				rq.Files = append(rq.Files, components.Link{Label: ref.Name, Href: fileURL(ref)})
			}
		} else {
			rq.Lines = application.AnswerLines(q, ans)
		}
		out = append(out, rq)
	}
	return out
}

// applicationOverview shows the sections with what is complete and missing, the status and the
// deadline.
func (s *Server) applicationOverview(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	v := pages.ApplicationOverviewView{
		Page: s.page(r, "Your "+c.noun), Summary: s.appSummary(c),
		Title: application.Title(c.app.Answers), Unverified: !c.actor.EmailVerified,
		CanWithdraw: c.app.Status == application.Submitted && s.open(c),
	}
	if c.nom != nil {
		v.Title = "Nomination of " + c.nom.CandidateName
		v.Nomination = s.nominationPanel(c)
	}
	for _, p := range form.Progress(c.form, c.app.Answers) {
		os := pages.OverviewSection{Title: p.Title, Href: c.sectionURL(p.Key), Complete: p.Complete(), Problems: p.Problems}
		for _, m := range p.Missing {
			os.Missing = append(os.Missing, m.Label)
		}
		v.Sections = append(v.Sections, os)
	}
	return s.render(w, r, http.StatusOK, pages.ApplicationOverview(v))
}

// sectionState is what a section page shows besides the stored application.
type sectionState struct {
	answers   form.Answers
	version   int
	errs      field.Errors
	notice    string
	conflicts []pages.ConflictView
	extraRows map[string]int
}

func (s *Server) renderSection(w http.ResponseWriter, r *http.Request, status int, c *appContext, sec *form.Section, st sectionState) error {
	idx := 0
	for i := range c.form.Sections {
		if c.form.Sections[i].Key == sec.Key {
			idx = i
		}
	}
	v := pages.ApplicationSectionView{
		Page: s.page(r, sec.Title+" – your "+c.noun), Summary: s.appSummary(c),
		Heading: sec.Title, Step: "Section " + strconv.Itoa(idx+1) + " of " + strconv.Itoa(len(c.form.Sections)),
		Action: c.sectionURL(sec.Key), Version: st.version, Errors: st.errs, Notice: st.notice,
		Conflicts: st.conflicts, HasNext: idx+1 < len(c.form.Sections),
		Section: components.SectionView{Form: c.form, Section: sec.Key, Answers: st.answers, Errors: st.errs,
			ExtraRows: st.extraRows, FileURL: c.fileURL},
	}
	if idx > 0 {
		v.Prev = c.sectionURL(c.form.Sections[idx-1].Key)
	}
	if v.HasNext {
		v.Next = c.sectionURL(c.form.Sections[idx+1].Key)
	}
	if !s.open(c) {
		v.ReadOnly = true
		v.Answers = reviewQuestions(c.form, sec, st.answers, c.fileURL)
		if v.Notice == "" {
			v.Notice = s.closedNotice(c)
		}
	}
	return s.render(w, r, status, pages.ApplicationSection(v))
}

func (c *appContext) section(r *http.Request) (*form.Section, error) {
	sec, ok := c.form.Section(chi.URLParam(r, "section"))
	if !ok {
		return nil, errNotFound
	}
	return sec, nil
}

// applicationSection shows one section of the application: a form before the deadline, the
// answers read-only after it.
func (s *Server) applicationSection(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	sec, err := c.section(r)
	if err != nil {
		return err
	}
	return s.renderSection(w, r, http.StatusOK, c, sec, sectionState{answers: c.app.Answers, version: c.app.Version})
}

// fileLimits are the upload limits of the section's file questions, from the form definition:
// a question that holds files already accepts only as many more as its count leaves.
func fileLimits(sec *form.Section, a form.Answers) map[string]files.Limits {
	out := map[string]files.Limits{}
	for i := range sec.Questions {
		q := &sec.Questions[i]
		if q.Type != form.File {
			continue
		}
		var accept []files.Type
		for _, k := range q.Accept {
			if t, ok := files.ParseType(k); ok {
				accept = append(accept, t)
			}
		}
		if len(accept) == 0 {
			accept = files.AllTypes
		}
		out[q.FieldName()] = files.Limits{Accept: accept, MaxBytes: q.SizeLimit(), MaxFiles: max(q.FileLimit()-len(a[q.Key].Files), 0)}
	}
	return out
}

// applicationSectionPost saves one section as a draft. Nothing typed is lost: answers with format
// problems are saved as typed and the problems shown; a save from a page loaded at an older
// version (another tab saved since) is not applied, and both texts are shown instead. An autosave
// (autosaveHeader) is saved the same way and answered with JSON.
func (s *Server) applicationSectionPost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	sec, err := c.section(r)
	if err != nil {
		return err
	}
	auto := r.Header.Get(autosaveHeader) == "1"
	if !s.open(c) {
		if auto {
			return writeAutosave(w, http.StatusForbidden, autosaveReply{Error: s.closedNotice(c) + " Your changes were not saved."})
		}
		return s.renderSection(w, r, http.StatusForbidden, c, sec, sectionState{answers: c.app.Answers, version: c.app.Version,
			notice: s.closedNotice(c) + " Your changes were not saved."})
	}
	rc := files.Receiver{Storage: s.files, Files: fileLimits(sec, c.app.Answers)}
	res, err := rc.Receive(w, r)
	var reqErr *files.RequestError
	if errors.As(err, &reqErr) {
		if auto {
			return writeAutosave(w, reqErr.Status, autosaveReply{Error: reqErr.Message + " Nothing was saved."})
		}
		return s.renderSection(w, r, reqErr.Status, c, sec, sectionState{answers: c.app.Answers, version: c.app.Version,
			notice: reqErr.Message + " Nothing was saved."})
	}
	if err != nil {
		return err
	}
	base, _ := strconv.Atoi(res.Values.Get("version"))
	decoded, errs := form.Decode(c.form, sec.Key, res.Values)
	for _, fe := range res.FieldErrors() {
		errs.Add(fe.Field, fe.Message)
	}
	merged, removed := form.Merge(c.form, sec.Key, c.app.Answers, decoded)
	saved, err := s.applications.SaveSection(ctx, c.actor, c.app, c.ed.Schedule, base,
		application.Edit{Answers: merged, Removed: removed, Uploads: res.Files})
	if errors.Is(err, db.ErrConflict) {
		if auto {
			return s.autosaveConflict(w, r, res)
		}
		return s.sectionConflict(w, r, c, sec, res, merged)
	}
	if err != nil {
		s.discardUploads(ctx, res, "application")
		if errors.Is(err, application.ErrClosed) {
			// The deadline passed while the form was sent.
			if auto {
				return writeAutosave(w, http.StatusForbidden, autosaveReply{Error: s.closedNotice(c) + " Your changes were not saved."})
			}
			return s.renderSection(w, r, http.StatusForbidden, c, sec, sectionState{answers: c.app.Answers, version: c.app.Version,
				notice: s.closedNotice(c) + " Your changes were not saved."})
		}
		return err
	}
	c.app = saved
	if auto {
		return writeAutosave(w, http.StatusOK, autosaveReply{Version: c.app.Version,
			SavedAt: c.app.UpdatedAt.UTC().Format(time.RFC3339), SavedAtText: c.app.UpdatedAt.In(c.ed.TimeZone).Format("15:04 MST"),
			Problems: len(errs)})
	}
	if row := res.Values.Get(form.AddRowField); row != "" {
		return s.renderSection(w, r, http.StatusOK, c, sec, sectionState{answers: c.app.Answers, version: c.app.Version, errs: errs,
			extraRows: map[string]int{row: 1}})
	}
	if errs.Any() {
		return s.renderSection(w, r, http.StatusUnprocessableEntity, c, sec, sectionState{answers: c.app.Answers, version: c.app.Version, errs: errs,
			notice: "Your answers were saved, but some need your attention: see the messages next to the questions."})
	}
	s.flash(ctx, "Your answers were saved.")
	switch res.Values.Get("action") {
	case "continue":
		for i := range c.form.Sections {
			if c.form.Sections[i].Key == sec.Key && i+1 < len(c.form.Sections) {
				return redirect(w, r, c.sectionURL(c.form.Sections[i+1].Key))
			}
		}
	case "review":
		return redirect(w, r, c.url("/review"))
	}
	return redirect(w, r, c.sectionURL(sec.Key))
}

// autosaveHeader marks a save sent by form.js while the applicant types: it is saved exactly like
// the Save button (same validation, same version check), and answered with an autosaveReply.
const autosaveHeader = "X-Autosave"

// autosaveReply is the JSON answer to an autosave: the new version and when it was saved, or why
// nothing was saved.
type autosaveReply struct {
	Version int `json:"version,omitempty"`
	// SavedAt is the time of the save in RFC 3339; SavedAtText shows it in the prize's time zone
	// ("14:32 KST").
	SavedAt     string `json:"savedAt,omitempty"`
	SavedAtText string `json:"savedAtText,omitempty"`
	// Problems counts the answers saved as typed that need the applicant's attention.
	Problems int    `json:"problems,omitempty"`
	Error    string `json:"error,omitempty"`
}

func writeAutosave(w http.ResponseWriter, status int, v autosaveReply) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("application: autosave reply: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// discardUploads removes the files received with a request that saved nothing; a failure leaves
// orphan objects, logged under area, and changes nothing for the user.
func (s *Server) discardUploads(ctx context.Context, res *files.Result, area string) {
	if res == nil || len(res.Files) == 0 {
		return
	}
	if err := res.Discard(context.WithoutCancel(ctx)); err != nil {
		s.ctxLog(ctx).Error(area+": discard uploads", "err", err)
	}
}

// autosaveConflict answers an autosave from a page loaded before another tab saved: nothing is
// saved, and form.js stops autosaving and asks the applicant to press Save, which shows both
// versions (sectionConflict).
func (s *Server) autosaveConflict(w http.ResponseWriter, r *http.Request, res *files.Result) error {
	s.discardUploads(r.Context(), res, "application")
	return writeAutosave(w, http.StatusConflict, autosaveReply{
		Error: "This section was saved in another tab or window. Autosave has stopped: press Save to see both versions."})
}

// sectionConflict answers a save from a page loaded before another tab saved: nothing is
// overwritten; the form shows the user's answers, and each question the other tab changed is
// listed with its saved text, so the user can choose and save again.
func (s *Server) sectionConflict(w http.ResponseWriter, r *http.Request, c *appContext, sec *form.Section, res *files.Result, mine form.Answers) error {
	ctx := r.Context()
	notice := "This section was saved in another tab or window after you opened it, so your changes were not saved yet."
	if res != nil && len(res.Files) > 0 {
		s.discardUploads(ctx, res, "application")
		notice += " The files you attached were not kept: attach them again."
	}
	fresh, err := s.reload(ctx, c)
	if err != nil {
		return err
	}
	current := fresh.app
	var conflicts []pages.ConflictView
	shown := current.Answers.Clone()
	for i := range sec.Questions {
		q := &sec.Questions[i]
		if q.Type == form.File {
			continue // files are saved when attached; the stored list is shown as it is
		}
		theirs, own := current.Answers[q.Key], mine[q.Key]
		if own.Empty() {
			delete(shown, q.Key)
		} else {
			shown[q.Key] = own
		}
		if !application.SameAnswer(theirs, own) {
			conflicts = append(conflicts, pages.ConflictView{Label: q.Label, Field: q.FieldName(), Theirs: application.AnswerLines(q, theirs)})
		}
	}
	c.app = current
	return s.renderSection(w, r, http.StatusConflict, c, sec, sectionState{answers: shown, version: current.Version,
		notice: notice, conflicts: conflicts})
}

// applicationFile sends a file of the acting user's application; anyone else's file is 404.
func (s *Server) applicationFile(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	f, err := application.File(r.Context(), s.pool, c.actor.UserID, c.app.ID, id)
	if err != nil {
		return err
	}
	return files.Serve(w, r, s.files, f)
}

// submitProblems lists what stops a submission, each linking to its field on its section page.
func submitProblems(c *appContext, a form.Answers) []pages.ReviewProblem {
	f := c.form
	sectionOf := map[string]string{}
	for _, sec := range f.Sections {
		for _, q := range sec.Questions {
			sectionOf[q.FieldName()] = sec.Key
		}
	}
	var out []pages.ReviewProblem
	for _, e := range form.Validate(f, a, form.Submit) {
		key := e.Field
		for name, sec := range sectionOf {
			if key == name || strings.HasPrefix(key, name+".") {
				out = append(out, pages.ReviewProblem{Message: e.Message, Href: c.sectionURL(sec) + "#f-" + e.Field})
				break
			}
		}
	}
	return out
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, c *appContext, problems []pages.ReviewProblem, notice string) error {
	v := pages.ApplicationReviewView{
		Page: s.page(r, "Review your application"), Summary: s.appSummary(c), Problems: problems,
		Notice: notice, Unverified: !c.actor.EmailVerified, Version: c.app.Version,
	}
	for i := range c.form.Sections {
		sec := &c.form.Sections[i]
		v.Sections = append(v.Sections, pages.ReviewSection{Title: sec.Title, Href: c.sectionURL(sec.Key),
			Questions: reviewQuestions(c.form, sec, c.app.Answers, c.fileURL)})
	}
	if !s.open(c) && v.Notice == "" {
		v.Notice = s.closedNotice(c)
	}
	v.CanSubmit = v.Summary.Open && c.actor.EmailVerified && c.app.ID != 0 &&
		(c.app.Status != application.Submitted || c.app.Changed())
	return s.render(w, r, status, pages.ApplicationReview(v))
}

// applicationReview shows the whole application before submitting.
func (s *Server) applicationReview(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	return s.renderReview(w, r, http.StatusOK, c, nil, "")
}

type submitForm struct {
	Version int `form:"version"`
}

// applicationSubmit submits the application: before the deadline (to the second), from a
// confirmed email address, with every answer valid. The pruned answers are kept as a new version
// and a receipt is emailed.
func (s *Server) applicationSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f submitForm
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	if !s.open(c) {
		return s.renderReview(w, r, http.StatusForbidden, c, nil, s.closedNotice(c))
	}
	// DOMAIN.md "Registration": an account whose email address is not confirmed cannot submit.
	if !c.actor.EmailVerified {
		return s.renderReview(w, r, http.StatusForbidden, c, nil,
			"Your application was not submitted: confirm your email address first by following the link we sent you (you can ask for a new one on your dashboard).")
	}
	if c.app.ID == 0 {
		return s.renderReview(w, r, http.StatusUnprocessableEntity, c, submitProblems(c, c.app.Answers), "Your application was not submitted: it is empty.")
	}
	if f.Version != c.app.Version {
		return s.renderReview(w, r, http.StatusConflict, c, nil,
			"Your application was changed in another tab or window since you opened this page. Check it below and submit again.")
	}
	if c.app.Status == application.Submitted && !c.app.Changed() {
		return s.renderReview(w, r, http.StatusConflict, c, nil,
			"This version of your "+c.noun+" is already submitted: there is nothing new to submit.")
	}
	// DOMAIN.md "Leadership nominations": a nomination needs the candidate's permission.
	if c.nom != nil && !c.nom.ConsentOK() {
		return s.renderReview(w, r, http.StatusUnprocessableEntity, c, nil,
			"Your nomination was not submitted: the candidate has not consented yet. Ask them for their consent from the nomination's page; you can submit once they have agreed.")
	}
	if problems := submitProblems(c, c.app.Answers); len(problems) > 0 {
		return s.renderReview(w, r, http.StatusUnprocessableEntity, c, problems, "Your application was not submitted: some answers are missing or need attention.")
	}
	_, err = s.applications.Submit(ctx, c.actor, c.entry(), f.Version)
	if errors.Is(err, db.ErrConflict) {
		fresh, lerr := s.reload(ctx, c)
		if lerr != nil {
			return lerr
		}
		if fresh.app.Version == f.Version && fresh.app.Status == application.Submitted && !fresh.app.Changed() {
			// A simultaneous submit of the same version (a double click, another tab) won.
			return s.renderReview(w, r, http.StatusConflict, fresh, nil,
				"This version of your "+c.noun+" is already submitted (from another tab or window, or by a second click): there is nothing new to submit, and we have emailed you one receipt.")
		}
		return s.renderReview(w, r, http.StatusConflict, fresh, nil,
			"Your application was changed in another tab or window since you opened this page. Check it below and submit again.")
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "Your "+c.noun+" was submitted. We have emailed you a receipt.")
	return redirect(w, r, c.home)
}

func (s *Server) renderWithdraw(w http.ResponseWriter, r *http.Request, status int, c *appContext, notice string) error {
	v := pages.FormView{
		Page: s.page(r, "Withdraw your application"), Heading: "Withdraw your application", Notice: notice,
		Action: c.url("/withdraw"), Submit: "Withdraw my " + c.noun,
		Intro: []string{
			"Withdrawing takes your application out of the " + c.ed.Name + ": the committee will not consider it.",
			"Your answers are kept, and you can submit the application again until " + deadlineText(c.ed, c.app) + ".",
		},
		Links: []components.Link{{Label: "Keep my " + c.noun + " and go back", Href: c.home}},
	}
	if c.app.Status != application.Submitted || !s.open(c) {
		v.NoForm = true
	}
	return s.render(w, r, status, pages.FormPage(v))
}

// applicationWithdrawPage asks for confirmation before withdrawing.
func (s *Server) applicationWithdrawPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	notice := ""
	switch {
	case !s.open(c):
		notice = s.closedNotice(c)
	case c.app.Status != application.Submitted:
		notice = "Only a submitted application can be withdrawn."
	}
	return s.renderWithdraw(w, r, http.StatusOK, c, notice)
}

// applicationWithdraw withdraws the submitted application.
func (s *Server) applicationWithdraw(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	c, err := s.loadEntry(r)
	if err != nil {
		return err
	}
	if !s.open(c) {
		return s.renderWithdraw(w, r, http.StatusForbidden, c, s.closedNotice(c))
	}
	err = s.applications.Withdraw(ctx, c.actor, c.app, c.ed.Schedule)
	if errors.Is(err, application.ErrClosed) {
		return s.renderWithdraw(w, r, http.StatusForbidden, c, s.closedNotice(c))
	}
	if errors.Is(err, db.ErrNotFound) {
		return s.renderWithdraw(w, r, http.StatusConflict, c, "Only a submitted application can be withdrawn.")
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "Your "+c.noun+" was withdrawn.")
	return redirect(w, r, c.home)
}

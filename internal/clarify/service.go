package clarify

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"prizeportal/internal/blocks/usecase"
	"prizeportal/internal/i18n"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"prizeportal/internal/application"
	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/committee"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/files"
	"prizeportal/internal/notify"
	"prizeportal/internal/notify/emails"
	"prizeportal/internal/notify/wording"
	"prizeportal/internal/screening"
)

// Service holds the use cases of clarifications: the secretariat asks, the applicant answers.
// Each method that writes opens its transaction, checks the rule it documents, writes the audit
// entry and queues the email; documents are kept in files.
type Service struct {
	usecase.Deps
	files files.Storage
}

// NewService is the clarification service on pool, queueing emails in outbox with links under
// site, storing documents in storage.
func NewService(pool *pgxpool.Pool, outbox *notify.Outbox, site emails.Site, now func() time.Time, storage files.Storage) *Service {
	return &Service{Deps: usecase.New(pool, outbox, site, now), files: storage}
}

// Section is the key of the one-section form holding the questions the applicant may edit.
const Section = "clarification"

// Paragraphs splits a text into its non-empty lines, for display.
func Paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// FormOf returns the application form of the category id of ed; nil when it has none.
func FormOf(ed *edition.Edition, id int64) *form.Form {
	if c, ok := ed.CategoryByID(id); ok && c.Form != nil && len(c.Form.Sections) > 0 {
		return c.Form
	}
	return nil
}

// QuestionLabels returns the labels of the questions keys of f, in the form's order (the keys
// themselves without a form).
func QuestionLabels(f *form.Form, keys []string) []string {
	if f == nil {
		return keys
	}
	var out []string
	for _, q := range f.Questions() {
		if slices.Contains(keys, q.Key) {
			out = append(out, q.Label)
		}
	}
	return out
}

// NamedForm is a form of one section (Section) with copies of the questions keys of f, for the
// applicant to edit while answering; nil when there are none. Conditions are dropped (the
// questions they depend on are not on the page); validation uses the whole form.
func NamedForm(f *form.Form, keys []string) *form.Form {
	if f == nil || len(keys) == 0 {
		return nil
	}
	sec := form.Section{Key: Section, Title: "Questions you may change"}
	for _, q := range f.Questions() {
		if slices.Contains(keys, q.Key) {
			c := *q
			c.ShowIf = nil
			sec.Questions = append(sec.Questions, c)
		}
	}
	if len(sec.Questions) == 0 {
		return nil
	}
	return &form.Form{Sections: []form.Section{sec}}
}

// Contact is " at <address>" of the edition's secretariat, for sentences that say to write to
// it; "" when the edition names none.
func Contact(ed *edition.Edition) string {
	if ed.ContactEmail == "" {
		return ""
	}
	return " at " + ed.ContactEmail
}

// contactValue is Contact carried for the reader's language: " at address" / "(address)".
func contactValue(ed *edition.Edition) string {
	if ed.ContactEmail == "" {
		return ""
	}
	return i18n.Msg(" at {{.Email}}", "Email", ed.ContactEmail)
}

// EndText shows an exclusive end (a response deadline) as the last minute it allows, with the
// zone: "7 June 2023, 23:59 KST (Asia/Seoul time)".
func EndText(t time.Time, loc *time.Location) string { return timefmt.End(t, loc) }

// ScreeningHref is the secretariat's page of the clarifications of entry id.
func ScreeningHref(id int64) string {
	return "/secretariat/screening/" + strconv.FormatInt(id, 10) + "/clarifications"
}

// Href is the applicant's page of clarification id.
func Href(id int64) string { return "/clarifications/" + strconv.FormatInt(id, 10) }

// --- asking (the secretariat)

// Ask asks the applicant of entry e (of edition ed) the question drafted in d, for actor, a
// member of the edition's secretariat (DOMAIN.md "Round 1": the secretariat may ask an applicant
// for clarification or more information; the store's SQL repeats the rule, db.ErrNotFound for
// anyone else). The draft is checked (field.Errors). In one transaction the question is stored,
// the decision becomes "clarification requested" keeping the reason, checklist and any pending
// review request (screening.ErrRoundClosed once round 1 is closed), the audit log records it and
// the applicant (a nomination's nominator) is emailed a link to answer. It returns the request
// as stored.
func (s *Service) Ask(ctx context.Context, actor authz.Actor, e screening.Entry, ed *edition.Edition, d Draft) (Request, error) {
	now := s.Now()
	req, errs := d.Parse(FormOf(ed, e.CategoryID), ed.TimeZone, now)
	if errs.Any() {
		return req, errs
	}
	staff := actor.UserID
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		id, owner, err := Ask(ctx, tx, staff, e.ID, req, now)
		if err != nil {
			return err
		}
		in := screening.Input{Decision: screening.Clarification}
		prev, err := screening.DecisionOf(ctx, tx, e.ID)
		switch {
		case errors.Is(err, db.ErrNotFound):
		case err != nil:
			return err
		default:
			in.ReasonText, in.Checklist = prev.ReasonText, prev.Checklist
			if prev.Decision != screening.Clarification {
				in.RevisionReason = "Clarification asked of the applicant"
			}
			if prev.ReviewRequestedAt != nil && prev.ReviewedAt == nil {
				in.AskReview, in.ReviewNote = true, prev.ReviewNote
			}
		}
		if err := screening.Decide(ctx, tx, staff, e, ed.ID, in, now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: staff, Action: "screening.clarification_ask",
			ObjectType: "application", ObjectID: strconv.FormatInt(e.ID, 10),
			Details: map[string]any{"clarification": id, "deadline": req.Deadline.UTC().Format(time.RFC3339), "questions": req.Keys}}); err != nil {
			return err
		}
		_, err = s.Outbox.Queue(ctx, tx, s.requestEmail(ed, e, owner, id, req))
		return err
	})
	return req, err
}

// requestEmail asks the applicant of entry e (owner) clarification id.
func (s *Service) requestEmail(ed *edition.Edition, e screening.Entry, owner, id int64, req Request) notify.Message {
	paras := []string{"While checking the entries of the " + ed.Name + ", the prize secretariat has a question about your entry \u201c" +
		strings.TrimSpace(e.Title) + "\u201d (" + e.Category + "):"}
	paras = append(paras, Paragraphs(req.Question)...)
	paras = append(paras, "Please answer in the portal by "+EndText(req.Deadline, ed.TimeZone)+". You can write your answer and attach documents.")
	// the values as the reader's language shows them (the paragraphs: their English)
	values := wording.Values{wording.ApplicantName: e.Applicant, wording.EditionName: ed.Name, wording.Project: strings.TrimSpace(e.Title),
		wording.Category: e.Category, wording.Question: strings.Join(Paragraphs(req.Question), "\n\n"),
		wording.Deadline: i18n.End(req.Deadline, ed.TimeZone), wording.Link: s.Site.URL(Href(id)), wording.Contact: contactValue(ed)}
	if len(req.Keys) > 0 {
		labels := strings.Join(QuestionLabels(FormOf(ed, e.CategoryID), req.Keys), "; ")
		may := "While answering, you may also change these answers of your application: " + labels + "."
		paras = append(paras, may)
		values[wording.MayChange] = i18n.Msg("While answering, you may also change these answers of your application: {{.Questions}}.\n\n", "Questions", labels)
	}
	m := emails.ActionMessage("clarification-request", e.Email, e.Applicant, "A question about your entry to the "+ed.Name, owner, emails.ActionEmail{
		Meta: s.Site.Meta(ed), Title: "The secretariat has a question", Greeting: "Dear " + e.Applicant + ",",
		Paragraphs: paras, ActionLabel: "Answer the question", ActionURL: s.Site.URL(Href(id)),
		Note: "Sign in with your account to answer. Answers are not accepted after the deadline; if you cannot answer in time, write to the secretariat" +
			Contact(ed) + ".",
	})
	m.Wording = s.Site.Wording(ed, "clarification-request", values)
	return m
}

// --- answering (the applicant)

// Target is a clarification with the application it is about, as its owner answers it.
type Target struct {
	Item Item
	App  application.Application
	Ed   *edition.Edition
	// Form is the application's form; nil when its category has none.
	Form *form.Form
	// Named is the one-section form of the questions the applicant may edit; nil for none.
	Named *form.Form
	// Submitted are the answers of the last submitted version (what the committee sees).
	Submitted form.Answers
}

// Target loads clarification id of an application of owner with that application (owner
// filter: db.ErrNotFound for anyone else's).
func (s *Service) Target(ctx context.Context, owner, id int64) (*Target, error) {
	it, err := ForOwner(ctx, s.Pool, owner, id)
	if err != nil {
		return nil, err
	}
	a, err := application.LoadEntry(ctx, s.Pool, owner, it.ApplicationID)
	if err != nil {
		return nil, err
	}
	ed, err := edition.ByID(ctx, s.Pool, a.EditionID)
	if err != nil {
		return nil, err
	}
	t := &Target{Item: it, App: a, Ed: ed, Form: FormOf(ed, a.CategoryID)}
	t.Named = NamedForm(t.Form, it.QuestionKeys)
	t.Submitted = a.Answers
	if v, err := application.LastVersion(ctx, s.Pool, owner, a.ID); err == nil {
		t.Submitted = v.Answers
	} else if !errors.Is(err, db.ErrNotFound) {
		return nil, err
	}
	return t, nil
}

// Reply is the applicant's answer as received.
type Reply struct {
	// Text is the answer as typed.
	Text string
	// Documents are the documents received with it.
	Documents []files.Stored
	// Edit holds the named questions as answered: the last submitted answers with the named
	// section merged in (form.Merge), the files it dropped and those received for it.
	Edit application.Edit
}

// DocumentsField is the name of the answer's document input.
const DocumentsField = "documents"

// Limits are the upload limits of an answer to t: its documents, and the file questions the
// secretariat named (application.FileLimits, counting the files already submitted).
func (t *Target) Limits() map[string]files.Limits {
	limits := map[string]files.Limits{DocumentsField: {Accept: files.AllTypes, MaxBytes: MaxDocumentMB * 1_000_000, MaxFiles: MaxDocuments}}
	if t.Named != nil {
		maps.Copy(limits, application.FileLimits(&t.Named.Sections[0], t.Submitted))
	}
	return limits
}

// Reply reads the answer posted to t (res): its text, its documents and the named questions as
// answered (application.DecodeSection, the reading of a saved section). The errors are the
// answers' format problems, the refused files and Check's.
func (t *Target) Reply(res *files.Result) (Reply, field.Errors) {
	r := Reply{Text: res.Values.Get("answer"), Documents: res.Field(DocumentsField)}
	var errs field.Errors
	if t.Named != nil {
		r.Edit, errs = application.DecodeSection(t.Named, &t.Named.Sections[0], t.Submitted, res)
	} else {
		errs = res.FieldErrors()
	}
	return r, append(errs, t.Check(r, errs.Get(DocumentsField) != "")...)
}

// Check lists the problems of reply r to t: an answer needs text or a document, at most
// MaxAnswerRunes; the edited questions must be complete, as at submission, judged with the whole
// form (their conditions may depend on other answers), new uploads counting as files. docErr
// tells that the documents input had a problem of its own (a refused file).
func (t *Target) Check(r Reply, docErr bool) field.Errors {
	var errs field.Errors
	text := strings.TrimSpace(strings.ReplaceAll(r.Text, "\r\n", "\n"))
	switch {
	case text == "" && len(r.Documents) == 0 && !docErr:
		errs.Add("answer", "Write your answer, or attach a document.")
	case utf8.RuneCountInString(text) > MaxAnswerRunes:
		errs.Add("answer", "Shorten your answer to at most 20,000 characters, or attach it as a document.")
	}
	if t.Named == nil {
		return errs
	}
	sec := &t.Named.Sections[0]
	check := r.Edit.Answers.Clone()
	for _, f := range r.Edit.Uploads {
		key := strings.TrimPrefix(f.Field, form.FieldName(""))
		a := check[key]
		a.Files = append(a.Files, form.FileRef{ID: "new", Name: f.Name})
		check[key] = a
	}
	for _, e := range form.Validate(t.Form, check, form.Submit) {
		for _, q := range sec.Questions {
			if e.Field == q.FieldName() || strings.HasPrefix(e.Field, q.FieldName()+".") {
				errs.Add(e.Field, e.Message)
			}
		}
	}
	return errs
}

// Answer stores actor's reply to clarification t (DOMAIN.md "Round 1": the applicant answers
// the secretariat's request, in writing and with documents): once (ErrAnswered), strictly before
// the response deadline (ErrLate), by the owner of the application (db.ErrNotFound otherwise),
// checked with Check (field.Errors). Questions the secretariat named may be changed: their new
// answers are kept as a new submitted version (application.AmendSection; db.ErrConflict when the
// application changed meanwhile). The audit log records it, and the secretariat (the edition's
// contact address) is emailed that an answer arrived. It returns the number of the version that
// keeps the edits, nil for none.
func (s *Service) Answer(ctx context.Context, actor authz.Actor, t *Target, r Reply) (*int, error) {
	if errs := t.Check(r, false); errs.Any() {
		return nil, errs
	}
	now := s.Now()
	owner := actor.UserID
	var (
		deleted []string
		amended *int
	)
	err := db.InTx(ctx, s.Pool, func(tx pgx.Tx) error {
		deleted, amended = nil, nil
		if _, err := Lock(ctx, tx, owner, t.Item.ID, now); err != nil {
			return err
		}
		resp := Response{Text: strings.TrimSpace(strings.ReplaceAll(r.Text, "\r\n", "\n"))}
		for _, d := range r.Documents {
			rec, err := files.Record(ctx, tx, d, owner, now)
			if err != nil {
				return err
			}
			resp.FileIDs = append(resp.FileIDs, rec.ID)
		}
		if t.Named != nil {
			var keys []string
			for _, q := range t.Named.Sections[0].Questions {
				keys = append(keys, q.Key)
			}
			var err error
			if amended, deleted, err = application.AmendSection(ctx, tx, t.App, t.Form, t.Submitted, keys, r.Edit, now); err != nil {
				return err
			}
		}
		resp.AmendedVersion = amended
		if err := Answer(ctx, tx, owner, t.Item.ID, resp, now); err != nil {
			return err
		}
		details := map[string]any{"clarification": t.Item.ID, "documents": len(resp.FileIDs)}
		if amended != nil {
			details["version"] = *amended
		}
		if err := audit.Record(ctx, tx, audit.Entry{ActorID: owner, Action: "screening.clarification_answer",
			ObjectType: "application", ObjectID: strconv.FormatInt(t.App.ID, 10), Details: details}); err != nil {
			return err
		}
		if t.Ed.ContactEmail == "" {
			return nil
		}
		_, err := s.Outbox.Queue(ctx, tx, s.answerEmail(t, now, len(resp.FileIDs), amended))
		return err
	})
	if err != nil {
		return nil, err
	}
	application.RemoveStored(ctx, s.files, deleted)
	return amended, nil
}

// EntryName names the entry of a clarification for its owner: its title, or "Your entry".
func EntryName(it Item) string {
	if strings.TrimSpace(it.Title) == "" {
		return i18n.M("Your entry")
	}
	return it.Title
}

// answerEmail tells the secretariat (the edition's contact address) that the answer to
// clarification t arrived; it says nothing of its content.
func (s *Service) answerEmail(t *Target, now time.Time, docs int, amended *int) notify.Message {
	loc := t.Ed.TimeZone
	number := strconv.FormatInt(t.App.ID, 10)
	values := wording.Values{wording.EditionName: t.Ed.Name, wording.EntryNumber: number, wording.Project: EntryName(t.Item),
		wording.AskedOn: i18n.Instant(t.Item.AskedAt, loc), wording.AnsweredOn: i18n.Instant(now, loc),
		wording.Documents: "", wording.Amended: "", wording.Link: s.Site.URL(ScreeningHref(t.App.ID))}
	// the values carry the reader's language; the paragraphs are their English
	paras := []string{"The answer to the clarification asked on " + timefmt.Instant(t.Item.AskedAt, loc) + " about entry " +
		number + " (" + i18n.English(values[wording.Project]) + ") arrived on " + timefmt.Instant(now, loc) + "."}
	if docs > 0 {
		values[wording.Documents] = i18n.Msg("It comes with {{.Count}} document(s).\n\n", "Count", strconv.Itoa(docs))
		paras = append(paras, strings.TrimSuffix(i18n.English(values[wording.Documents]), "\n\n"))
	}
	if amended != nil {
		values[wording.Amended] = i18n.Msg("The applicant changed answers of the application: they are kept as submission {{.Number}}.\n\n",
			"Number", strconv.Itoa(*amended))
		paras = append(paras, strings.TrimSuffix(i18n.English(values[wording.Amended]), "\n\n"))
	}
	m := emails.ActionMessage("clarification-answer", t.Ed.ContactEmail, "Secretariat of the "+t.Ed.Name,
		"Clarification answered: entry "+number+" ("+t.Ed.Name+")", 0, emails.ActionEmail{
			Meta: s.Site.Meta(t.Ed), Title: "A clarification was answered", Greeting: "Dear secretariat,",
			Paragraphs: paras, ActionLabel: "Open the entry's clarifications", ActionURL: values[wording.Link],
		})
	m.Wording = s.Site.Wording(t.Ed, "clarification-answer", values)
	return m
}

// Listed is a clarification in its owner's list, with the edition of its entry (for the time
// zone its dates are shown in).
type Listed struct {
	Item
	Edition *edition.Edition
}

// OwnerList returns the clarifications asked about owner's applications (projects and
// nominations), newest first, each with its entry's edition.
func (s *Service) OwnerList(ctx context.Context, owner int64) ([]Listed, error) {
	list, err := ListForOwner(ctx, s.Pool, owner)
	if err != nil {
		return nil, err
	}
	eds := map[int64]*edition.Edition{}
	out := make([]Listed, 0, len(list))
	for _, it := range list {
		ed, ok := eds[it.EditionID]
		if !ok {
			if ed, err = edition.ByID(ctx, s.Pool, it.EditionID); err != nil {
				return nil, err
			}
			eds[it.EditionID] = ed
		}
		out = append(out, Listed{Item: it, Edition: ed})
	}
	return out, nil
}

// Panel is what the secretariat sees of the clarifications of an entry: its thread, and whether
// round 1 is closed, after which no question can be asked.
type Panel struct {
	Thread []Clarification
	Closed bool
	// At is when it was loaded: the states of the clarifications are those at that time.
	At time.Time
}

// Panel loads the clarification thread of entry app of edition ed as actor may see it (the SQL
// filter of Thread) with whether round 1 is closed.
func (s *Service) Panel(ctx context.Context, actor authz.Actor, app int64, ed *edition.Edition) (Panel, error) {
	p := Panel{At: s.Now()}
	var err error
	if p.Thread, err = Thread(ctx, s.Pool, actor.UserID, app, p.At); err != nil {
		return Panel{}, err
	}
	if p.Closed, err = screening.Closed(ctx, s.Pool, ed.ID); err != nil {
		return Panel{}, err
	}
	return p, nil
}

// Screening is an entry of round 1 with its edition and its clarifications, as the secretariat
// sees them.
type Screening struct {
	Entry   screening.Entry
	Edition *edition.Edition
	Panel
}

// Screening loads entry id of round 1 for actor (screening.Get: the secretariat of its edition,
// by SQL filter; db.ErrNotFound for anyone else) with its edition and its Panel.
func (s *Service) Screening(ctx context.Context, actor authz.Actor, id int64) (*Screening, error) {
	e, err := screening.Get(ctx, s.Pool, actor.UserID, id)
	if err != nil {
		return nil, err
	}
	edID, _, err := EntryOf(ctx, s.Pool, e.ID)
	if err != nil {
		return nil, err
	}
	ed, err := edition.ByID(ctx, s.Pool, edID)
	if err != nil {
		return nil, err
	}
	p, err := s.Panel(ctx, actor, e.ID, ed)
	if err != nil {
		return nil, err
	}
	return &Screening{Entry: e, Edition: ed, Panel: p}, nil
}

// Reading is the clarification thread of an entry as a reader sees it, at At.
type Reading struct {
	App     int64
	Edition *edition.Edition
	// Form is the entry's application form; nil when its category has none.
	Form   *form.Form
	Thread []Clarification
	At     time.Time
}

// Read loads the clarification thread of application app for actor (DOMAIN.md "Round 1": the
// secretariat sees it at any time; evaluators, the committee head and the council from round 2
// on, authz.CanSeeClarifications, authz.ErrForbidden before then; an evaluator only for an entry
// assigned to them, and none of them for an entry they are in conflict with, authz.CanSeeThread,
// db.ErrNotFound otherwise). Thread's SQL repeats the rule.
func (s *Service) Read(ctx context.Context, actor authz.Actor, app int64) (*Reading, error) {
	edID, catID, err := EntryOf(ctx, s.Pool, app)
	if err != nil {
		return nil, err
	}
	ed, err := edition.ByID(ctx, s.Pool, edID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if !authz.CanSeeClarifications(actor, ed.ID, now, ed.Schedule.Scoring.Start) {
		return nil, authz.ErrForbidden
	}
	assigned, err := committee.Assigned(ctx, s.Pool, actor.UserID, app)
	if err != nil {
		return nil, err
	}
	conflicted, _, err := committee.Conflicted(ctx, s.Pool, actor.UserID, app)
	if err != nil {
		return nil, err
	}
	if !authz.CanSeeThread(actor, ed.ID, now, ed.Schedule.Scoring.Start, assigned, conflicted) {
		return nil, db.ErrNotFound
	}
	thread, err := Thread(ctx, s.Pool, actor.UserID, app, now)
	if err != nil {
		return nil, err
	}
	return &Reading{App: app, Edition: ed, Form: FormOf(ed, catID), Thread: thread, At: now}, nil
}

// EntryPage is the screening view of an entry (screening.EntryPage, DOMAIN.md "Round 1") with its
// clarification thread and whether more may be asked.
type EntryPage struct {
	screening.EntryPage
	Panel Panel
}

// EntryPage loads the screening view of st for actor (st from screening.LoadStaffed) with its
// Panel: everything the page shows, in one call.
func (s *Service) EntryPage(ctx context.Context, actor authz.Actor, st screening.Staffed) (EntryPage, error) {
	p, err := screening.LoadEntryPage(ctx, s.Pool, actor, st, s.Now())
	if err != nil {
		return EntryPage{}, err
	}
	panel, err := s.Panel(ctx, actor, st.Entry.ID, st.Edition)
	return EntryPage{EntryPage: p, Panel: panel}, err
}

// RoundPage loads the round 1 summary of ed for actor (screening.LoadRound) with the number of
// clarifications of the edition that wait for an answer now (DOMAIN.md "Round 1": the round
// closes once every entry has a final decision).
func (s *Service) RoundPage(ctx context.Context, actor authz.Actor, ed *edition.Edition) (screening.RoundPage, error) {
	p, err := screening.LoadRound(ctx, s.Pool, actor, ed, s.Now())
	if err != nil {
		return p, err
	}
	p.OpenClarifications, err = OpenInEdition(ctx, s.Pool, actor.UserID, ed.ID, s.Now())
	return p, err
}

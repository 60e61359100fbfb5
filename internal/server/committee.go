package server

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/committee"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// The Evaluation Committee and the assignment of round 2 entries (DOMAIN.md "Round 2"), for the
// committee head and the secretariat of an edition. The route policy
// (authz.InEdition(authz.CommitteeManagers)) scopes the pages to an edition the actor manages,
// and internal/committee repeats it in SQL.

// renderCommittee shows the committee; posted (with errMember) keeps the checkboxes as posted
// for the member whose save failed.
func (s *Server) renderCommittee(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field,
	errMember int64, posted []int64, errs field.Errors) error {
	ctx := r.Context()
	members, err := s.committee.Members(ctx, authz.ActorFrom(ctx), ed)
	if err != nil {
		return err
	}
	v := committeeView(s.page(r, i18n.Msg("Evaluation Committee, {{.Edition}}", "Edition", ed.Name)), ed, picker, members, errMember, posted, errs)
	return s.render(w, r, status, pages.Committee(v))
}

// committeeView is the committee page of edition ed with its members.
func committeeView(page components.Page, ed *edition.Edition, picker components.Field, members []committee.Member,
	errMember int64, posted []int64, errs field.Errors) pages.CommitteeView {
	v := pages.CommitteeView{
		Page: page, Edition: picker, Choose: len(picker.Options) > 1,
		Name: ed.Name, Assignments: views.AssignmentsHref(ed.ID), Errors: errs,
	}
	for _, m := range members {
		id := strconv.FormatInt(m.ID, 10)
		row := pages.CommitteeMember{
			ID: id, Name: m.Label(), Email: m.Email, Organisation: m.Organisation, Role: committee.RoleLabel(m.Head),
			Inactive: !m.Active, Action: views.CommitteeHref(ed.ID),
		}
		checked := m.CategoryIDs
		if m.ID == errMember {
			checked, row.Error = posted, errs.Get("categories")
		}
		for _, c := range ed.Categories {
			row.Categories = append(row.Categories, pages.CategoryChoice{
				ID: "member-" + id + "-category-" + strconv.FormatInt(c.ID, 10), Value: strconv.FormatInt(c.ID, 10),
				Label: c.Name, Checked: slices.Contains(checked, c.ID),
			})
		}
		for _, d := range m.Declarations {
			text := d.Describe()
			if d.Note != "" {
				text = i18n.Msg("{{.Declaration}}: {{.Note}}", "Declaration", text, "Note", d.Note)
			}
			row.Declarations = append(row.Declarations, text)
		}
		v.Members = append(v.Members, row)
	}
	return v
}

// committeePage lists the committee of an edition with its expertise and declared conflicts
// (GET /committee?edition=ID).
func (s *Server) committeePage(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderCommittee(w, r, http.StatusOK, ed, picker, 0, nil, nil)
}

// expertiseForm is a member's expertise as posted.
type expertiseForm struct {
	Member     string  `form:"member"`
	Categories []int64 `form:"category"`
}

// committeeSave saves one member's categories of expertise, audited (POST /committee?edition=ID).
func (s *Server) committeeSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, f, err := loadThenForm[expertiseForm](w, r, s.scope)
	if err != nil {
		return err
	}
	member, err := strconv.ParseInt(f.Member, 10, 64)
	if err != nil || member <= 0 {
		return errNotFound
	}
	cats := f.Categories
	name, err := s.committee.SetExpertise(ctx, authz.ActorFrom(ctx), ed, member, cats)
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderCommittee(w, r, http.StatusUnprocessableEntity, ed, picker, member, cats, errs)
	}, "The expertise of "+name+" was saved.", views.CommitteeHref(ed.ID))
}

// assignForm is the manual assignment as posted.
type assignForm struct {
	Entry     string `form:"entry"`
	Evaluator string `form:"evaluator"`
	Reason    string `form:"reason"`
}

// removal is a failed removal to show again: its assignment, the reason typed and the problem.
type removal struct {
	id     int64
	reason string
	err    string
}

func (s *Server) renderAssignments(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field,
	f assignForm, rm removal, errs field.Errors) error {
	b, err := s.committee.Board(r.Context(), authz.ActorFrom(r.Context()), ed)
	if err != nil {
		return err
	}
	return s.render(w, r, status, pages.Assignments(assignmentsView(s.page(r, i18n.Msg("Assignments, {{.Edition}}", "Edition", ed.Name)), ed, picker, b, f, rm, errs)))
}

// assignmentsView is the assignments page of edition ed from its board b, with the manual form
// as posted (f) and a failed removal (rm).
func assignmentsView(page components.Page, ed *edition.Edition, picker components.Field, b committee.Board,
	f assignForm, rm removal, errs field.Errors) pages.AssignmentsView {
	v := pages.AssignmentsView{
		Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name,
		Committee: views.CommitteeHref(ed.ID), AutoAction: views.AssignmentsPath + "/auto?edition=" + strconv.FormatInt(ed.ID, 10),
		AddAction: views.AssignmentsHref(ed.ID), PerEntry: strconv.Itoa(ed.Scoring.EvaluatorsPerEntry),
		NoEntries: len(b.Coverage) == 0, Errors: errs,
	}
	evOpts := []components.Option{{Value: "", Label: i18n.M("Choose a member")}}
	for _, l := range b.Loads {
		name := l.Label()
		v.Loads = append(v.Loads, pages.LoadRow{Name: name, Role: committee.RoleLabel(l.Head), Categories: cmp.Or(strings.Join(l.Categories, ", "), i18n.M("None chosen")),
			Active: strconv.Itoa(l.Active), Submitted: strconv.Itoa(l.Submitted), Recused: strconv.Itoa(l.Recused)})
		id := strconv.FormatInt(l.EvaluatorID, 10)
		evOpts = append(evOpts, components.Option{Value: id, Label: i18n.Msg("{{.Name}} ({{.Count}} assigned)", "Name", name, "Count", strconv.Itoa(l.Active)), Selected: id == f.Evaluator})
	}
	entryOpts := []components.Option{{Value: "", Label: i18n.M("Choose an entry")}}
	sheetNotes := map[string]string{"submitted": i18n.M("sheet submitted"), "draft": i18n.M("sheet started")}
	manualNotes := map[string]string{"": i18n.M("added by hand"), "submitted": i18n.M("added by hand, sheet submitted"), "draft": i18n.M("added by hand, sheet started")}
	for _, c := range b.Coverage {
		id := strconv.FormatInt(c.ApplicationID, 10)
		row := pages.CoverageRow{ID: id, Category: c.Category, Title: c.Label(), Applicant: c.Applicant,
			Coverage: i18n.Msg("{{.Assigned}} of {{.Need}}", "Assigned", strconv.Itoa(c.Assigned()), "Need", strconv.Itoa(c.Need)), Short: !c.Full(),
			Submitted: strconv.Itoa(c.Submitted)}
		for _, ev := range c.Evaluators {
			note := sheetNotes[ev.Sheet]
			if ev.Manual {
				note = manualNotes[ev.Sheet]
			}
			aid := strconv.FormatInt(ev.AssignmentID, 10)
			ce := pages.CoverageEvaluator{Name: ev.Name, Note: note,
				Action: views.AssignmentsPath + "/" + aid + "/remove", ReasonID: "f-reason-" + aid}
			if ev.AssignmentID == rm.id {
				ce.ReasonValue, ce.Error, ce.Open = rm.reason, rm.err, true
			}
			row.Evaluators = append(row.Evaluators, ce)
		}
		v.Entries = append(v.Entries, row)
		entryOpts = append(entryOpts, components.Option{Value: id, Selected: id == f.Entry,
			Label: i18n.Msg("{{.Category}}: {{.Title}} ({{.Coverage}})", "Category", c.Category, "Title", row.Title, "Coverage", row.Coverage)})
	}
	if short := b.Short(); short > 0 {
		v.ShortNotice = i18n.Msg("{{.Count}} entries have fewer than {{.PerEntry}} evaluators", "Count", i18n.Number(short), "PerEntry", v.PerEntry)
		if short == 1 {
			v.ShortNotice = i18n.Msg("1 entry has fewer than {{.PerEntry}} evaluators", "PerEntry", v.PerEntry)
		}
	}
	v.CanAddEntry = len(b.Loads) > 0
	v.Entry = components.Field{Name: "entry", Label: i18n.M("Entry"), Type: "select", Required: true, Options: entryOpts, Error: errs.Get("entry")}
	v.Evaluator = components.Field{Name: "evaluator", Label: i18n.M("Evaluator"), Type: "select", Required: true, Options: evOpts, Error: errs.Get("evaluator")}
	v.Reason = components.Field{Name: "reason", Label: i18n.M("Reason"), Type: "textarea", Required: true, Value: f.Reason,
		MaxLength: committee.MaxReason, Error: errs.Get("reason"), Hint: i18n.M("For example: the only member who reads Spanish.")}
	return v
}

// assignmentsPage shows the load per evaluator, the coverage per entry and the manual forms
// (GET /committee/assignments?edition=ID).
func (s *Server) assignmentsPage(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderAssignments(w, r, http.StatusOK, ed, picker, assignForm{}, removal{}, nil)
}

// assignmentsAuto runs the automatic assignment (POST /committee/assignments/auto?edition=ID).
func (s *Server) assignmentsAuto(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, _, err := s.scope(r)
	if err != nil {
		return err
	}
	res, err := s.committee.AutoAssign(ctx, authz.ActorFrom(ctx), ed)
	if err != nil {
		return err
	}
	msg := i18n.Msg("The automatic assignment made {{.Count}} new assignments.", "Count", i18n.Number(len(res.Created)))
	if len(res.Created) == 1 {
		msg = i18n.M("The automatic assignment made 1 new assignment.")
	}
	switch n := len(res.Unfilled); {
	case n == 1:
		msg = i18n.Msg("{{.Made}} 1 entry could not be given {{.PerEntry}} evaluators: they are marked below.", "Made", msg, "PerEntry", strconv.Itoa(res.PerEntry))
	case n > 1:
		msg = i18n.Msg("{{.Made}} {{.Count}} entries could not be given {{.PerEntry}} evaluators: they are marked below.", "Made", msg,
			"Count", i18n.Number(n), "PerEntry", strconv.Itoa(res.PerEntry))
	}
	s.flash(ctx, msg)
	return redirect(w, r, views.AssignmentsHref(ed.ID))
}

// assignmentsAdd assigns an evaluator by hand with a reason (POST /committee/assignments?edition=ID).
func (s *Server) assignmentsAdd(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, picker, f, err := loadThenForm[assignForm](w, r, s.scope)
	if err != nil {
		return err
	}
	appID, _ := strconv.ParseInt(f.Entry, 10, 64)
	evID, _ := strconv.ParseInt(f.Evaluator, 10, 64)
	_, err = s.committee.Assign(ctx, authz.ActorFrom(ctx), ed, appID, evID, f.Reason)
	return s.formDone(w, r, err, func(errs field.Errors) error {
		return s.renderAssignments(w, r, http.StatusUnprocessableEntity, ed, picker, f, removal{}, errs)
	}, i18n.M("The evaluator was assigned."), views.AssignmentsHref(ed.ID)+"#entry-"+strconv.FormatInt(appID, 10))
}

// assignmentsRemove ends an assignment with a reason (POST /committee/assignments/{id}/remove).
func (s *Server) assignmentsRemove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, f, err := loadOneThenForm[reasonForm](w, r, routeID)
	if err != nil {
		return err
	}
	a, err := s.committee.Remove(ctx, authz.ActorFrom(ctx), id, f.Reason)
	back := views.AssignmentsHref(a.EditionID) + "#entry-" + strconv.FormatInt(a.ApplicationID, 10)
	var errs field.Errors
	switch {
	case errors.Is(err, committee.ErrEnded):
		s.flash(ctx, faultMessage(err))
		return redirect(w, r, back)
	case errors.As(err, &errs):
		r.URL.RawQuery = "edition=" + strconv.FormatInt(a.EditionID, 10)
		ed, picker, err := s.scope(r)
		if err != nil {
			return err
		}
		key := "reason-" + strconv.FormatInt(id, 10)
		summary := field.Errors{{Field: key, Message: errs.Get("reason")}}
		return s.renderAssignments(w, r, http.StatusUnprocessableEntity, ed, picker, assignForm{},
			removal{id: id, reason: f.Reason, err: errs.Get("reason")}, summary)
	case err != nil:
		return err
	}
	s.flash(ctx, "The assignment was removed. Run the automatic assignment to refill the entry.")
	return redirect(w, r, back)
}

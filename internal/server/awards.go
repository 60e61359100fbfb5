package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/award"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/results"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Invalidation, attendance and succession of the awards (internal/award; DOMAIN.md "Round 3":
// "First-place winners must attend the ceremony with their highest-level representative; if
// one cannot, the prize goes to the candidate with the next highest score who can attend").
//
// A first-place winner's account answers on /awards/{id}/attendance from the winners'
// announcement until the edition's attendance deadline: it attends, with the representative's
// name and title, or it cannot (final). The chair of the council or the committee head may
// invalidate any standing award with a reason (POST /awards/{id}/invalidate). Either opens a
// proposal, and the category's result is recomputed (award.Pending): the places go again, in the
// final order, to the entries that did not decline and were not invalidated. The council, the
// committee head and the secretariat see the awards, the proposals and the recomputed result on
// /awards?edition=; the chair confirms the whole result there (POST
// /awards/categories/{category}/confirm), and every entry that receives a new place is emailed
// (a new first place is asked to confirm attendance).

func invalidateName(awardID int64) string { return "reason-" + strconv.FormatInt(awardID, 10) }

// --- attendance (the first-place winner's account, or a nomination's candidate) ---

// attendanceAt is a first-place award as its attendance page is opened: by the entry's account
// (c nil), or by the nomination's candidate through their private link (c, base: the link's
// page, results.CandidatePath).
type attendanceAt struct {
	a    *award.Award
	ed   *edition.Edition
	c    *results.Candidate
	base string
}

// action is the address the answer is posted to.
func (at *attendanceAt) action() string {
	if at.c != nil {
		return at.base + "/attendance"
	}
	return award.AttendancePath(at.a.ID)
}

// myFirstAward loads the {id} award for the signed-in account: its own first-place award (SQL
// owner filter), once the winners are announced; 404 otherwise (award.LoadFirst).
func (s *Server) myFirstAward(r *http.Request) (*attendanceAt, error) {
	id, err := routeID(r)
	if err != nil {
		return nil, err
	}
	a, ed, err := award.LoadFirst(r.Context(), s.pool, authz.ActorFrom(r.Context()).UserID, id, s.now())
	if err != nil {
		return nil, err
	}
	return &attendanceAt{a: a, ed: ed}, nil
}

// candidateFirstAward loads the first-place award the candidate's private link {token} opens,
// once the winners are announced; 404 for an unknown or expired link and any other award
// (award.LoadCandidateFirst).
func (s *Server) candidateFirstAward(r *http.Request) (*attendanceAt, error) {
	token := chi.URLParam(r, "token")
	c, a, ed, err := award.LoadCandidateFirst(r.Context(), s.pool, token, s.now())
	if err != nil {
		return nil, err
	}
	return &attendanceAt{a: a, ed: ed, c: c, base: results.CandidatePath(token)}, nil
}

// attendancePage shows the attendance form of a first-place award, or its answer read-only
// after the deadline (GET /awards/{id}/attendance).
func (s *Server) attendancePage(w http.ResponseWriter, r *http.Request) error {
	return s.showAttendance(w, r, s.myFirstAward)
}

// candidateAttendancePage is attendancePage for the candidate's private link (GET
// /winner/{token}/attendance).
func (s *Server) candidateAttendancePage(w http.ResponseWriter, r *http.Request) error {
	return s.showAttendance(w, r, s.candidateFirstAward)
}

func (s *Server) showAttendance(w http.ResponseWriter, r *http.Request, load func(*http.Request) (*attendanceAt, error)) error {
	at, err := load(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.Attendance(attendanceView(s.page(r, "Attendance at the ceremony"), at, s.now(), nil, nil, "")))
}

// attendanceView is the attendance page of first-place award at at now; posted (non-nil after a
// refused answer) keeps what was typed.
func attendanceView(page components.Page, at *attendanceAt, now time.Time, posted url.Values, errs field.Errors, notice string) pages.AttendanceView {
	a, ed := at.a, at.ed
	v := pages.AttendanceView{
		Page: page, Errors: errs, Notice: notice, Edition: ed.Name, Prize: a.PrizeName, Title: a.Title, Action: at.action(),
		Ceremony: ed.Schedule.Ceremony.Text(ed.TimeZone), Deadline: timefmt.Instant(ed.AttendanceDeadline().Add(-1), ed.TimeZone),
		Closed: a.Answerable(ed, now), Back: "/dashboard", BackLabel: "Back to your dashboard",
	}
	if at.c != nil {
		v.Back, v.BackLabel = at.base+"/video", "Your video for the ceremony"
	}
	if c, ok := ed.CategoryByID(a.CategoryID); ok {
		v.Category = c.Name
	}
	v.Editable = v.Closed == ""
	v.Answer = a.AnswerText(ed.TimeZone, v.Editable, at.c != nil)
	choice, name, title := "", "", ""
	if at := a.Attendance; at != nil && at.CanAttend {
		choice, name, title = "yes", at.RepresentativeName, at.RepresentativeTitle
	}
	if posted != nil {
		choice, name, title = posted.Get("attend"), posted.Get("representative_name"), posted.Get("representative_title")
	}
	v.Attend = components.Field{Name: "attend", Label: "Can you attend the ceremony?", Type: "radio", Required: true, Error: errs.Get("attend"),
		Hint: "If you cannot attend, the prize passes to the next-ranked entry, as the Prize guidelines say. That answer cannot be undone.",
		Options: []components.Option{
			{Value: "yes", Label: "Yes, we attend with the representative named below", Selected: choice == "yes"},
			{Value: "no", Label: "No, we cannot attend the ceremony", Selected: choice == "no"},
		}}
	v.Name = components.Field{Name: "representative_name", Label: "Representative's name", Value: name, MaxLength: award.MaxName,
		Autocomplete: "name", Error: errs.Get("representative_name"), Hint: "Required if you attend: the highest-level representative available."}
	v.RepTitle = components.Field{Name: "representative_title", Label: "Representative's title", Value: title, MaxLength: award.MaxName,
		Autocomplete: "organization-title", Error: errs.Get("representative_title"), Hint: "Required if you attend, for example Mayor or Chief Executive Officer."}
	return v
}

// attendanceForm is the answer to an award invitation as posted.
type attendanceForm struct {
	Attend string `form:"attend"`
	Name   string `form:"representative_name"`
	Title  string `form:"representative_title"`
}

// attendanceSave records the answer (POST /awards/{id}/attendance): before the deadline; "cannot
// attend" proposes the succession to the chair.
func (s *Server) attendanceSave(w http.ResponseWriter, r *http.Request) error {
	return s.saveAttendance(w, r, s.myFirstAward)
}

// candidateAttendanceSave records the candidate's answer through their private link (POST
// /winner/{token}/attendance): the same rules as the account's.
func (s *Server) candidateAttendanceSave(w http.ResponseWriter, r *http.Request) error {
	return s.saveAttendance(w, r, s.candidateFirstAward)
}

func (s *Server) saveAttendance(w http.ResponseWriter, r *http.Request, load func(*http.Request) (*attendanceAt, error)) error {
	ctx := r.Context()
	f, at, err := formThenLoadOne[attendanceForm](w, r, load)
	if err != nil {
		return err
	}
	page := s.page(r, "Attendance at the ceremony")
	in, errs := award.CheckAnswer(f.Attend, f.Name, f.Title)
	if errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.Attendance(attendanceView(page, at, s.now(), r.PostForm, errs, "")))
	}
	if at.c != nil {
		_, err = s.awards.AttendAsCandidate(ctx, at.c, at.ed, in)
	} else {
		_, err = s.awards.Attend(ctx, authz.ActorFrom(ctx), at.ed, at.a.ID, in)
	}
	if n := conflictNotice(err); n != "" {
		// the award changed: the page shows it as it stands now
		if at, err = load(r); err != nil {
			return err
		}
		return s.render(w, r, http.StatusConflict, pages.Attendance(attendanceView(page, at, s.now(), nil, nil, n)))
	}
	if err != nil {
		return err
	}
	if in.CanAttend {
		s.flash(ctx, "Thank you: your attendance at the ceremony is confirmed.")
	} else {
		s.flash(ctx, "Your answer is recorded: you cannot attend the ceremony.")
	}
	return redirect(w, r, at.action())
}

// --- the awards page (council, committee head, secretariat) ---

// awardsPage lists an edition's awards with their status, and the proposed successions: the
// chair confirms them (GET /awards?edition=).
func (s *Server) awardsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAwards(w, r, http.StatusOK, nil, nil, "")
}

func (s *Server) renderAwards(w http.ResponseWriter, r *http.Request, status int, posted url.Values, errs field.Errors, notice string) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	board, err := award.LoadBoard(r.Context(), s.pool, ed, authz.ActorFrom(r.Context()).UserID)
	if err != nil {
		return err
	}
	v := awardsView(ed, board, s.now(), posted, errs, notice)
	v.Page, v.Edition, v.Choose = s.page(r, i18n.Msg("Awards, {{.Edition}}", "Edition", ed.Name)), picker, len(picker.Options) > 1
	return s.render(w, r, status, pages.Awards(v))
}

// proposalRow is a proposal as the awards page lists it; done adds its confirmation.
func proposalRow(p *award.Proposal, loc *time.Location) pages.ProposalRow {
	row := pages.ProposalRow{Text: p.Text(), Proposed: "Proposed by " + p.ProposedBy + " on " + timefmt.Instant(p.ProposedAt, loc) + "."}
	if !p.Open() {
		row.Proposed += " Confirmed by " + p.ConfirmedBy + " on " + timefmt.Instant(*p.ConfirmedAt, loc) + "."
	}
	return row
}

// awardsView is the awards page of ed from its board at now; posted keeps the reasons typed.
func awardsView(ed *edition.Edition, board *award.Board, now time.Time, posted url.Values, errs field.Errors, notice string) pages.AwardsView {
	v := pages.AwardsView{Name: ed.Name, Errors: errs, Notice: notice, Chair: board.Chair, MayInvalidate: board.MayInvalidate,
		Deadline: i18n.Instant(ed.AttendanceDeadline().Add(-1), ed.TimeZone)}
	q := "?edition=" + strconv.FormatInt(ed.ID, 10)
	for _, c := range ed.Categories {
		vc := pages.AwardsCategory{Name: c.Name}
		for _, a := range board.Awards {
			if a.CategoryID != c.ID {
				continue
			}
			row := pages.AwardRow{ID: a.ID, Place: edition.PlaceLabel(a.Place), Prize: a.PrizeName, Title: a.Title,
				Organisation: a.Organisation, Status: a.StatusText(ed.TimeZone), Live: a.Live(), Pending: a.Pending,
				Attendance: a.AttendanceText(ed, now)}
			if name := invalidateName(a.ID); a.Live() && !a.Pending && board.Invalidates[c.ID] {
				row.InvalidateAction = "/awards/" + strconv.FormatInt(a.ID, 10) + "/invalidate" + q
				row.Reason = components.Field{Name: name, Label: "Reason to invalidate " + a.Title, Type: "textarea",
					MaxLength: award.MaxReason, Value: posted.Get(name), Error: errs.Get(name),
					Hint: "For example: the qualification requirements are not met, or the entry brought disgrace on the Prize. The chair confirms the succession."}
			}
			vc.Awards = append(vc.Awards, row)
		}
		for _, p := range board.Proposals {
			if p.CategoryID == c.ID && !p.Open() {
				vc.Done = append(vc.Done, proposalRow(&p, ed.TimeZone))
			}
		}
		if ch := board.Changes[c.ID]; ch != nil {
			vc.Change = &pages.AwardsChange{Version: ch.Version, ConfirmLabel: "Confirm the new result of " + c.Name,
				Moves: ch.Lines(), After: ch.After(board.Awards, &c)}
			for _, p := range ch.Proposals {
				vc.Change.Reasons = append(vc.Change.Reasons, proposalRow(&p, ed.TimeZone))
			}
			if board.Chairs[c.ID] {
				vc.Change.ConfirmAction = "/awards/categories/" + c.Key + "/confirm" + q
			}
		}
		if len(vc.Awards) > 0 || vc.Change != nil || len(vc.Done) > 0 {
			v.Categories = append(v.Categories, vc)
		}
	}
	return v
}

// awardInvalidate records the invalidation of an award with its reason (POST
// /awards/{id}/invalidate?edition=): the chair of the council or a committee head of the award's
// edition (award.Service.InvalidateAward, checked again in SQL). The chair then confirms the
// succession.
func (s *Server) awardInvalidate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	id, _ := routeID(r) // a malformed id names no award: 404 once the actor may invalidate at all
	name := invalidateName(id)
	a, err := s.awards.InvalidateAward(ctx, authz.ActorFrom(ctx), id, r.PostForm.Get(name))
	var errs field.Errors
	n := conflictNotice(err)
	if errors.As(err, &errs) || n != "" {
		// the page shows the award's edition
		q := r.URL.Query()
		q.Set("edition", strconv.FormatInt(a.EditionID, 10))
		r.URL.RawQuery = q.Encode()
	}
	switch {
	case errs.Any():
		return s.renderAwards(w, r, http.StatusUnprocessableEntity, r.PostForm, field.Errors{{Field: name, Message: errs.Get("reason")}}, "")
	case n != "":
		return s.renderAwards(w, r, http.StatusConflict, r.PostForm, nil, n)
	case err != nil:
		return err
	}
	s.flash(ctx, "The invalidation of "+a.Title+" is recorded. The chair of the council confirms the succession.")
	return redirect(w, r, views.AwardsHref(a.EditionID))
}

// changeConfirm applies the recomputed result of a category (POST
// /awards/categories/{category}/confirm?edition=, field version: the result the chair saw): the
// chair of the council only. Every entry that receives a new place is emailed; a new first
// place is asked to confirm attendance.
func (s *Server) changeConfirm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in struct {
		Version string `form:"version"`
	}
	if err := decodeForm(w, r, &in); err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	if err := award.ChairOf(ctx, s.pool, actor, 0); err != nil {
		return err
	}
	ed, _, err := s.scope(r)
	if err != nil {
		return err
	}
	if err := award.ChairOf(ctx, s.pool, actor, ed.ID); err != nil {
		return err
	}
	cat, ok := ed.Category(chi.URLParam(r, "category"))
	if !ok {
		return errNotFound
	}
	changed, err := s.awards.ConfirmChange(ctx, actor, ed, cat, in.Version)
	switch {
	case errors.Is(err, award.ErrDone), errors.Is(err, award.ErrNotLive):
		s.flash(ctx, "This change was already applied.")
	case err != nil:
		return err
	case changed:
		s.flash(ctx, "The result of "+cat.Name+" changed since you opened this page (another change was proposed): check the new result and confirm again.")
	default:
		s.flash(ctx, "The change is confirmed: the new result of "+cat.Name+" stands.")
	}
	return redirect(w, r, views.AwardsHref(ed.ID))
}

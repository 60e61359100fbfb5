package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/award"
	"prizeportal/internal/ballot"
	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Invalidation, attendance and succession of the awards (issue 8 item 5; internal/award; the
// guidelines §8: "In case the first place winners of each category cannot attend the
// ceremony, the Prize will be awarded to the candidates with the next highest score that can be
// present at the ceremony").
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

func awardsHref(editionID int64) string {
	return "/awards?edition=" + strconv.FormatInt(editionID, 10)
}

func attendanceHref(awardID int64) string { return award.AttendancePath(awardID) }

func invalidateName(awardID int64) string { return "reason-" + strconv.FormatInt(awardID, 10) }

// --- attendance (the first-place winner's account) ---

// myFirstAward loads the {id} award for the signed-in account: its own first-place award (SQL
// owner filter), once the winners are announced; 404 otherwise.
func (s *Server) myFirstAward(r *http.Request) (*award.Award, *edition.Edition, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, nil, errNotFound
	}
	actor := authz.ActorFrom(r.Context())
	a, err := award.Mine(r.Context(), s.pool, actor.UserID, id)
	if err != nil {
		return nil, nil, err
	}
	if !a.First() {
		return nil, nil, errNotFound
	}
	ed, err := edition.ByID(r.Context(), s.pool, a.EditionID)
	if err != nil {
		return nil, nil, err
	}
	if s.now().Before(ed.Schedule.WinnersAnnounced) {
		return nil, nil, errNotFound
	}
	return a, ed, nil
}

// attendancePage shows the attendance form of a first-place award, or its answer read-only
// after the deadline (GET /awards/{id}/attendance).
func (s *Server) attendancePage(w http.ResponseWriter, r *http.Request) error {
	a, ed, err := s.myFirstAward(r)
	if err != nil {
		return err
	}
	return s.renderAttendance(w, r, http.StatusOK, a, ed, nil, nil, "")
}

func (s *Server) renderAttendance(w http.ResponseWriter, r *http.Request, status int, a *award.Award, ed *edition.Edition, posted map[string]string, errs field.Errors, notice string) error {
	deadline := ed.AttendanceDeadline()
	cat := ""
	for _, c := range ed.Categories {
		if c.ID == a.CategoryID {
			cat = c.Name
		}
	}
	v := pages.AttendanceView{
		Page: s.page(r, "Attendance at the ceremony"), Errors: errs, Notice: notice, Edition: ed.Name, Category: cat,
		Prize: a.PrizeName, Title: a.Title, Action: attendanceHref(a.ID),
		Ceremony: formatWindow(ed.Schedule.Ceremony, ed.TimeZone), Deadline: formatInstant(deadline.Add(-1), ed.TimeZone),
	}
	open := s.now().Before(deadline)
	switch {
	case !a.Live():
		v.Closed = "This award passed to another entry: " + a.StatusReason
	case a.Attendance != nil && !a.Attendance.CanAttend:
		v.Closed = "You told us that you cannot attend the ceremony: the prize passes to the next-ranked entry that can attend once the chair confirms."
	case a.Pending:
		v.Closed = "A change of this award waits for the chair of the Prize Council: the answer can no longer change."
	case !open:
		v.Closed = "The deadline to confirm attendance passed on " + v.Deadline + ": this page is read-only. Write to the secretariat (" + ed.ContactEmail + ") about any change."
	default:
		v.Editable = true
	}
	if at := a.Attendance; at != nil {
		if at.CanAttend {
			v.Answer = "You confirmed on " + formatInstant(at.AnsweredAt, ed.TimeZone) + " that " + at.RepresentativeName + " (" + at.RepresentativeTitle + ") attends the ceremony."
		} else {
			v.Answer = "You said on " + formatInstant(at.AnsweredAt, ed.TimeZone) + " that you cannot attend the ceremony."
		}
	} else if !v.Editable {
		v.Answer = "No answer was given."
	}
	choice, name, title := "", "", ""
	if at := a.Attendance; at != nil && at.CanAttend {
		choice, name, title = "yes", at.RepresentativeName, at.RepresentativeTitle
	}
	if posted != nil {
		choice, name, title = posted["attend"], posted["representative_name"], posted["representative_title"]
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
	return s.render(w, r, status, pages.Attendance(v))
}

// attendanceSave records the answer (POST /awards/{id}/attendance): before the deadline; "cannot
// attend" proposes the succession to the chair.
func (s *Server) attendanceSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f struct {
		Attend string `form:"attend"`
		Name   string `form:"representative_name"`
		Title  string `form:"representative_title"`
	}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	a, ed, err := s.myFirstAward(r)
	if err != nil {
		return err
	}
	posted := map[string]string{"attend": f.Attend, "representative_name": f.Name, "representative_title": f.Title}
	in, errs := award.CheckAnswer(f.Attend, f.Name, f.Title)
	if errs.Any() {
		return s.renderAttendance(w, r, http.StatusUnprocessableEntity, a, ed, posted, errs, "")
	}
	_, err = s.awards.Attend(ctx, authz.ActorFrom(ctx), ed, a.ID, in)
	var notice string
	switch {
	case errors.Is(err, award.ErrDeadline):
		notice = "The deadline to confirm attendance has passed: nothing was saved."
	case errors.Is(err, award.ErrNotLive), errors.Is(err, award.ErrPending), errors.Is(err, award.ErrAnswered):
		notice = "This award changed meanwhile: your answer can no longer change. Nothing was saved."
	case err != nil:
		return err
	}
	if notice != "" {
		if a, ed, err = s.myFirstAward(r); err != nil {
			return err
		}
		return s.renderAttendance(w, r, http.StatusConflict, a, ed, nil, nil, notice)
	}
	if in.CanAttend {
		s.flash(ctx, "Thank you: your attendance at the ceremony is confirmed.")
	} else {
		s.flash(ctx, "Your answer is recorded: you cannot attend the ceremony.")
	}
	return redirect(w, r, attendanceHref(a.ID))
}

// attendanceLinks are the dashboard links of user's first-place awards in e still waiting for
// an answer, from the winners' announcement until the attendance deadline.
func (s *Server) attendanceLinks(ctx context.Context, userID int64, e *edition.Edition) []components.Link {
	now := s.now()
	if now.Before(e.Schedule.WinnersAnnounced) || !now.Before(e.AttendanceDeadline()) {
		return nil
	}
	list, err := award.AwaitingAnswer(ctx, s.pool, userID)
	if err != nil {
		s.ctxLog(ctx).Error("dashboard: awaiting attendance", "err", err)
		return nil
	}
	var out []components.Link
	for _, a := range list {
		if a.EditionID == e.ID {
			out = append(out, components.Link{Label: "Confirm your attendance at the ceremony (" + a.PrizeName + ") by " +
				formatInstant(e.AttendanceDeadline().Add(-1), e.TimeZone), Href: attendanceHref(a.ID)})
		}
	}
	return out
}

// --- the awards page (council, committee head, secretariat) ---

// awardsPage lists an edition's awards with their status, and the proposed successions: the
// chair confirms them (GET /awards?edition=).
func (s *Server) awardsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAwards(w, r, http.StatusOK, nil, nil, "")
}

func (s *Server) renderAwards(w http.ResponseWriter, r *http.Request, status int, posted map[string]string, errs field.Errors, notice string) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	board, err := award.LoadBoard(r.Context(), s.pool, ed, authz.ActorFrom(r.Context()).UserID)
	if err != nil {
		return err
	}
	v := awardsView(ed, board, s.now(), posted, errs, notice)
	v.Page, v.Edition, v.Choose = s.page(r, "Awards, "+ed.Name), picker, len(picker.Options) > 1
	return s.render(w, r, status, pages.Awards(v))
}

// awardsView is the awards page of ed from its board at now; posted keeps the reasons typed.
func awardsView(ed *edition.Edition, board *award.Board, now time.Time, posted map[string]string, errs field.Errors, notice string) pages.AwardsView {
	chair, may, list := board.Chair, board.MayInvalidate, board.Awards
	deadline := ed.AttendanceDeadline()
	v := pages.AwardsView{Name: ed.Name, Errors: errs, Notice: notice, Chair: chair, MayInvalidate: may,
		Deadline: formatInstant(deadline.Add(-1), ed.TimeZone)}
	q := "?edition=" + strconv.FormatInt(ed.ID, 10)
	for _, c := range ed.Categories {
		vc := pages.AwardsCategory{Name: c.Name}
		for _, a := range list {
			if a.CategoryID != c.ID {
				continue
			}
			row := pages.AwardRow{ID: a.ID, Place: placeLabel(a.Place), Prize: a.PrizeName, Title: a.Title,
				Organisation: a.Organisation, Status: awardStatusText(&a, ed), Live: a.Live(), Pending: a.Pending,
				Attendance: attendanceText(&a, ed, deadline, now)}
			if a.Live() && !a.Pending && may {
				row.InvalidateAction = "/awards/" + strconv.FormatInt(a.ID, 10) + "/invalidate" + q
				row.Reason = components.Field{Name: invalidateName(a.ID), Label: "Reason to invalidate " + a.Title, Type: "textarea",
					MaxLength: award.MaxReason, Value: posted[invalidateName(a.ID)], Error: errs.Get(invalidateName(a.ID)),
					Hint: "For example: the qualification requirements are not met, or the entry brought disgrace on the Prize. The chair confirms the succession."}
			}
			vc.Awards = append(vc.Awards, row)
		}
		for _, p := range board.Proposals {
			if p.CategoryID == c.ID && !p.Open() {
				vc.Done = append(vc.Done, pages.ProposalRow{Text: proposalText(&p), Proposed: "Proposed by " + p.ProposedBy + " on " +
					formatInstant(p.ProposedAt, ed.TimeZone) + ". Confirmed by " + p.ConfirmedBy + " on " + formatInstant(*p.ConfirmedAt, ed.TimeZone) + "."})
			}
		}
		if ch := board.Changes[c.ID]; ch != nil {
			vc.Change = changeView(ch, list, &c, ed)
			if chair {
				vc.Change.ConfirmAction = "/awards/categories/" + c.Key + "/confirm" + q
			}
		}
		if len(vc.Awards) > 0 || vc.Change != nil || len(vc.Done) > 0 {
			v.Categories = append(v.Categories, vc)
		}
	}
	return v
}

// changeView shows the recomputed result of cat: why (the open proposals), the moves, and the
// awards as they will stand once the chair confirms.
func changeView(ch *award.Change, list []award.Award, cat *edition.Category, ed *edition.Edition) *pages.AwardsChange {
	v := &pages.AwardsChange{Version: ch.Version, ConfirmLabel: "Confirm the new result of " + cat.Name}
	going := map[int64]bool{}
	for _, p := range ch.Proposals {
		going[p.AwardID] = true
		v.Reasons = append(v.Reasons, pages.ProposalRow{Text: proposalText(&p), Proposed: "Proposed by " + p.ProposedBy + " on " + formatInstant(p.ProposedAt, ed.TimeZone) + "."})
	}
	type standing struct {
		place int
		line  string
	}
	var after []standing
	for _, m := range ch.Moves {
		going[m.FromAward] = true
		line := m.Title + " receives the " + placeLabel(m.ToPlace) + " (" + m.ToPrize + ")"
		if m.FromAward != 0 {
			line = m.Title + " moves up from the " + placeLabel(m.FromPlace) + " (" + m.FromPrize + ") to the " + placeLabel(m.ToPlace) + " (" + m.ToPrize + ")"
		}
		v.Moves = append(v.Moves, line+".")
		after = append(after, standing{m.ToPlace, placeLabel(m.ToPlace) + " (" + m.ToPrize + "): " + m.Title})
	}
	for _, a := range list {
		if a.CategoryID == cat.ID && a.Live() && !going[a.ID] {
			after = append(after, standing{a.Place, placeLabel(a.Place) + " (" + a.PrizeName + "): " + a.Title})
		}
	}
	slices.SortStableFunc(after, func(a, b standing) int { return a.place - b.place })
	places := 0
	for _, p := range cat.Prizes {
		places += p.Count
	}
	for _, a := range after {
		v.After = append(v.After, a.line)
	}
	if n := places - len(after); n > 0 {
		v.After = append(v.After, fmt.Sprintf("%d place(s) stay empty: no candidate of the final order is left.", n))
	}
	return v
}

func proposalText(p *award.Proposal) string {
	why := p.FromTitle + " cannot attend the ceremony."
	if p.Reason == award.ReasonInvalidated {
		why = p.FromTitle + "'s award is invalidated: " + p.Detail
	}
	text := placeLabel(p.Place) + " (" + p.PrizeName + "): " + why
	switch {
	case p.Open():
	case p.To == 0:
		text += " No candidate was left to receive the place."
	default:
		text += " The place went to " + p.ToTitle + "."
	}
	return text
}

func awardStatusText(a *award.Award, ed *edition.Edition) string {
	switch a.Status {
	case award.StatusDeclined:
		return "Declined on " + formatInstant(*a.StatusChangedAt, ed.TimeZone) + ": " + a.StatusReason
	case award.StatusInvalidated:
		return "Invalidated on " + formatInstant(*a.StatusChangedAt, ed.TimeZone) + ": " + a.StatusReason
	case award.StatusMoved:
		return "Moved on " + formatInstant(*a.StatusChangedAt, ed.TimeZone) + ": " + a.StatusReason
	}
	if a.Pending {
		return "Winner; a change waits for the chair"
	}
	return "Winner"
}

func attendanceText(a *award.Award, ed *edition.Edition, deadline, now time.Time) string {
	if !a.First() {
		return "Encouraged, not required"
	}
	switch at := a.Attendance; {
	case at != nil && at.CanAttend:
		return "Attends: " + at.RepresentativeName + ", " + at.RepresentativeTitle
	case at != nil:
		return "Cannot attend (answered " + formatInstant(at.AnsweredAt, ed.TimeZone) + ")"
	case now.Before(deadline):
		return "Not answered yet"
	}
	return "Not answered by the deadline"
}

// allowedIn says whether user may act in edition (a role check the store makes in SQL).
type allowedIn func(ctx context.Context, q db.DBTX, edition, user int64) (bool, error)

// allowedSomewhere is nil when the actor holds one of roles in an edition where allowed says
// yes, authz.ErrForbidden otherwise: the award routes are theirs alone (403 for everyone
// else), before the object itself is loaded and checked with allowed again.
func (s *Server) allowedSomewhere(ctx context.Context, allowed allowedIn, roles ...authz.Role) error {
	actor := authz.ActorFrom(ctx)
	for _, g := range actor.Grants {
		if !slices.Contains(roles, g.Role) {
			continue
		}
		if ok, err := allowed(ctx, s.pool, g.EditionID, actor.UserID); err != nil || ok {
			return err
		}
	}
	return authz.ErrForbidden
}

// allowedHere is nil when allowed says the actor may act in edition, authz.ErrForbidden
// otherwise.
func (s *Server) allowedHere(ctx context.Context, allowed allowedIn, edition int64) error {
	ok, err := allowed(ctx, s.pool, edition, authz.ActorFrom(ctx).UserID)
	if err == nil && !ok {
		err = authz.ErrForbidden
	}
	return err
}

// awardInvalidate records the invalidation of an award with its reason (POST
// /awards/{id}/invalidate?edition=): the chair of the council or a committee head of the award's
// edition, checked here and in SQL. The chair then confirms the succession.
func (s *Server) awardInvalidate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	if err := s.allowedSomewhere(ctx, award.MayInvalidate, authz.RoleCouncil, authz.RoleCommitteeHead); err != nil {
		return err
	}
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	a, err := award.Get(ctx, s.pool, id)
	if err != nil {
		return err
	}
	if err := s.allowedHere(ctx, award.MayInvalidate, a.EditionID); err != nil {
		return err
	}
	actor := authz.ActorFrom(ctx)
	if r.URL.Query().Get("edition") != strconv.FormatInt(a.EditionID, 10) {
		// The page re-renders for the award's edition.
		q := r.URL.Query()
		q.Set("edition", strconv.FormatInt(a.EditionID, 10))
		r.URL.RawQuery = q.Encode()
	}
	name := invalidateName(a.ID)
	reason := strings.TrimSpace(r.PostForm.Get(name))
	posted := map[string]string{name: r.PostForm.Get(name)}
	var errs field.Errors
	switch {
	case reason == "":
		errs.Add(name, "Give the reason to invalidate "+a.Title+".")
	case utf8.RuneCountInString(reason) > award.MaxReason:
		errs.Add(name, fmt.Sprintf("Keep the reason to %d characters.", award.MaxReason))
	}
	if errs.Any() {
		return s.renderAwards(w, r, http.StatusUnprocessableEntity, posted, errs, "")
	}
	err = s.awards.Invalidate(ctx, actor, a.ID, reason)
	switch {
	case errors.Is(err, award.ErrNotLive), errors.Is(err, award.ErrPending):
		return s.renderAwards(w, r, http.StatusConflict, posted, nil, "This award changed meanwhile (it no longer stands, or a change of it waits for the chair): nothing was saved.")
	case err != nil:
		return err
	}
	s.flash(ctx, "The invalidation of "+a.Title+" is recorded. The chair of the council confirms the succession.")
	return redirect(w, r, awardsHref(a.EditionID))
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
	if err := s.allowedSomewhere(ctx, ballot.IsChair, authz.RoleCouncil); err != nil {
		return err
	}
	ed, _, err := s.scope(r)
	if err != nil {
		return err
	}
	if err := s.allowedHere(ctx, ballot.IsChair, ed.ID); err != nil {
		return err
	}
	cat, ok := ed.Category(chi.URLParam(r, "category"))
	if !ok {
		return errNotFound
	}
	changed, err := s.awards.ConfirmChange(ctx, authz.ActorFrom(ctx), ed, cat, in.Version)
	switch {
	case errors.Is(err, award.ErrDone), errors.Is(err, award.ErrNotLive):
		s.flash(ctx, "This change was already applied.")
		return redirect(w, r, awardsHref(ed.ID))
	case err != nil:
		return err
	}
	if changed {
		s.flash(ctx, "The result of "+cat.Name+" changed since you opened this page (another change was proposed): check the new result and confirm again.")
	} else {
		s.flash(ctx, "The change is confirmed: the new result of "+cat.Name+" stands.")
	}
	return redirect(w, r, awardsHref(ed.ID))
}

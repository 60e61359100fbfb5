package server

import (
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/country"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/ranking"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Round 2 ranking and the semi-finalists (issue 7 items 5 and 6; DOMAIN.md "Round 2"). The
// committee head chooses the aggregation method while the scores are sealed, then closes the
// round, which unseals them: the ranking page then shows every method side by side with the
// evaluators' leniency and spread, the disagreement per entry and the sensitivity of the top N to
// the method. The head proposes the semi-finalists, decides ties at the cut, and confirms each
// category's list; the organisers (secretariat or head) may add an entry by exception with a
// reason. Confirming queues the emails for the announcement date; the public page shows the
// confirmed lists from that instant on. The route policy lets in the head and the secretariat;
// every handler checks the role in the edition (head-only actions are 403 otherwise).

func rankingHref(editionID int64) string {
	return "/ranking?edition=" + strconv.FormatInt(editionID, 10)
}

// rankingForm is the form of a tie decision or an addition (kind tie|add), kept on errors.
// Its fields are named <kind>-<category key>-entry and -reason, so that every form of the page
// has its own field ids.
type rankingForm struct {
	Kind     string
	Category string `form:"category"`
	Entry    string `form:"-"`
	Reason   string `form:"-"`
}

func (f rankingForm) id(what string) string { return f.Kind + "-" + f.Category + "-" + what }

// choiceFields are the entry and reason fields of a tie decision or an addition form.
func choiceFields(kind, catKey string, opts []components.Option, form *rankingForm, errs field.Errors) (components.Field, components.Field) {
	f := rankingForm{Kind: kind, Category: catKey}
	entry := components.Field{Name: f.id("entry"), Label: "Entry", Type: "select", Required: true,
		Options: append([]components.Option{{Value: "", Label: "Choose an entry"}}, opts...)}
	reason := components.Field{Name: f.id("reason"), Label: "Reason (recorded in the audit log)", Type: "textarea", Required: true}
	if kind == "add" {
		reason.Hint = "The guidelines allow additions in exceptional cases: very many submissions, or noteworthy factors outside the criteria."
	}
	if form != nil && form.Kind == kind && form.Category == catKey {
		markSelected(entry.Options, form.Entry)
		reason.Value = form.Reason
		entry.Error, reason.Error = errs.Get(entry.Name), errs.Get(reason.Name)
	}
	return entry, reason
}

func score2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func signed2(v float64) string {
	if v > 0.005 {
		return "+" + score2(v)
	}
	if v < -0.005 {
		return "−" + score2(math.Abs(v))
	}
	return "0.00"
}

var sourceLabels = map[string]string{
	ranking.SourceRanking:  "Ranking",
	ranking.SourceTie:      "Tie decided by the head",
	ranking.SourceAddition: "Added by the organisers",
}

func entryPlace(city, code string) string {
	parts := []string{}
	if city != "" {
		parts = append(parts, city)
	}
	if name := country.Name(code); name != "" {
		parts = append(parts, name)
	} else if code != "" {
		parts = append(parts, code)
	}
	return strings.Join(parts, ", ")
}

func announcementText(ed *edition.Edition) string {
	return formatInstant(ranking.Announcement(ed), ed.TimeZone) + " (" + ed.TimeZone.String() + " time)"
}

// rankingPage shows the ranking page of the edition (GET /ranking?edition=).
func (s *Server) rankingPage(w http.ResponseWriter, r *http.Request) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	return s.renderRanking(w, r, http.StatusOK, ed, picker, "", nil, nil)
}

// renderRanking shows the ranking page of edition ed: sealed (progress and the method) until the
// round is closed, then the ranking and the semi-finalist lists; with a notice, and the form of
// a tie decision or an addition as posted.
func (s *Server) renderRanking(w http.ResponseWriter, r *http.Request, status int, ed *edition.Edition, picker components.Field,
	notice string, form *rankingForm, errs field.Errors) error {
	actor := authz.ActorFrom(r.Context())
	b, err := s.ranking.Board(r.Context(), actor, ed)
	if err != nil {
		return err
	}
	v := rankingView(s.page(r, "Round 2 ranking, "+ed.Name), ed, picker, b, authz.IsCommitteeHead(actor, ed.ID), notice, form, errs)
	return s.render(w, r, status, pages.Ranking(v))
}

// rankingView is the ranking page of edition ed from its board b; head shows the head's forms.
func rankingView(page components.Page, ed *edition.Edition, picker components.Field, b ranking.Board, head bool,
	notice string, form *rankingForm, errs field.Errors) pages.RankingView {
	st, progress := b.State, b.Progress
	edq := "?edition=" + strconv.FormatInt(ed.ID, 10)
	v := pages.RankingView{
		Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name,
		Notice: notice, Errors: errs, Head: head, Method: st.Method.Label(), MethodSet: st.MethodSet,
		Closed: st.Closed(), Announcement: announcementText(ed), PublicHref: ranking.PublicPath(ed),
		MethodAction: "/ranking/method" + edq, CloseAction: "/ranking/close" + edq, ProposeAction: "/ranking/propose" + edq,
		TieAction: "/ranking/ties" + edq, AddAction: "/ranking/additions" + edq, ConfirmAction: "/ranking/confirm" + edq,
	}
	if st.SetAt != nil {
		v.MethodSetAt = formatInstant(*st.SetAt, ed.TimeZone)
	}
	if st.ClosedAt != nil {
		v.ClosedAt = formatInstant(*st.ClosedAt, ed.TimeZone)
	}
	for _, m := range ranking.Methods {
		v.Methods = append(v.Methods, components.Option{Value: string(m), Label: m.Label(), Selected: m == st.Method})
	}
	for _, p := range progress {
		row := pages.RankingProgress{Entries: p.Entries, Scored: p.Scored, Submitted: p.Submitted, Drafts: p.Drafts, Assigned: p.Assigned}
		for _, c := range ed.Categories {
			if c.ID == p.CategoryID {
				row.Category = c.Name
			}
		}
		v.Progress = append(v.Progress, row)
	}
	if !st.Closed() {
		return v
	}
	res, lists := b.Result, b.Lists
	for _, c := range res.Categories {
		l := lists[c.ID]
		if l == nil {
			l = &ranking.List{CategoryID: c.ID}
		}
		title := func(id int64) string {
			if e := c.Entry(id); e != nil {
				return e.Title
			}
			return "Entry " + strconv.FormatInt(id, 10)
		}
		rc := pages.RankingCategory{Key: c.Key, Name: c.Name, N: c.SemiFinalists,
			Scale: strconv.Itoa(c.ScaleMin) + "–" + strconv.Itoa(c.ScaleMax), Mean: score2(c.Mean),
			Confirmed: l.Confirmed(), Proposed: len(l.Entries) > 0}
		if l.Confirmed() {
			rc.ConfirmedText = "Confirmed by " + l.ConfirmedBy + " on " + formatInstant(*l.ConfirmedAt, ed.TimeZone) + "."
		}
		for _, m := range ranking.Methods {
			rc.Methods = append(rc.Methods, m.Label())
		}
		for _, e := range c.Entries {
			row := pages.RankingRow{Title: e.Title, Organisation: e.Organisation, Sheets: e.Sheets,
				Disagreement: score2(e.Disagreement), Range: score2(e.Range), Top: e.By[res.Method].Rank <= c.SemiFinalists}
			for _, m := range ranking.Methods {
				row.Values = append(row.Values, pages.RankingCell{Value: score2(e.By[m].Value), Rank: strconv.Itoa(e.By[m].Rank), Chosen: m == res.Method})
			}
			for _, sf := range l.Entries {
				if sf.ApplicationID == e.ApplicationID {
					row.Listed = sourceLabels[sf.Source]
				}
			}
			rc.Rows = append(rc.Rows, row)
		}
		for _, ev := range c.Evaluators {
			rc.Evaluators = append(rc.Evaluators, pages.RankingEvaluator{Name: ev.Name, Sheets: ev.Sheets, Mean: score2(ev.Mean),
				Leniency: signed2(ev.Leniency), Spread: score2(ev.Spread)})
		}
		for _, sh := range c.Sensitivity {
			var enter, leave []string
			for _, id := range sh.Enter {
				enter = append(enter, title(id))
			}
			for _, id := range sh.Leave {
				leave = append(leave, title(id))
			}
			line := "Under the " + strings.ToLower(sh.Method.Label()) + ": "
			switch {
			case len(enter) == 0 && len(leave) == 0:
				line += "the same top " + strconv.Itoa(c.SemiFinalists) + "."
			default:
				parts := []string{}
				if len(enter) > 0 {
					parts = append(parts, joinAnd(enter)+" would enter")
				}
				if len(leave) > 0 {
					parts = append(parts, joinAnd(leave)+" would leave")
				}
				line += strings.Join(parts, "; ") + "."
				rc.Sensitive = true
			}
			rc.Sensitivity = append(rc.Sensitivity, line)
		}
		if c.Tie != nil {
			var names []string
			for _, id := range c.Tie.Entries {
				names = append(names, title(id))
				rc.TieOptions = append(rc.TieOptions, components.Option{Value: strconv.FormatInt(id, 10), Label: title(id)})
			}
			seats := "one seat"
			if c.Tie.Seats > 1 {
				seats = strconv.Itoa(c.Tie.Seats) + " seats"
			}
			rc.TieText = joinAnd(names) + " share rank " + strconv.Itoa(c.Tie.Rank) + " (" + score2(c.Tie.Value) + ") at the cut: " +
				seats + " for " + strconv.Itoa(len(c.Tie.Entries)) + " entries."
			rc.TiePending = l.TieDecisions() < c.Tie.Seats
		}
		for _, sf := range l.Entries {
			lr := pages.RankingListed{Title: sf.Title, Source: sourceLabels[sf.Source], Reason: sf.Reason, By: sf.AddedBy}
			if sf.Rank > 0 {
				lr.Rank = strconv.Itoa(sf.Rank)
			}
			rc.List = append(rc.List, lr)
		}
		for _, e := range c.Entries {
			if !l.Has(e.ApplicationID) {
				rc.AddOptions = append(rc.AddOptions, components.Option{Value: strconv.FormatInt(e.ApplicationID, 10), Label: e.Title})
			}
		}
		rc.CanDecide = head && !rc.Confirmed && rc.TiePending && rc.Proposed
		rc.CanAdd = !rc.Confirmed && len(rc.AddOptions) > 0
		rc.CanConfirm = head && !rc.Confirmed && rc.Proposed && !rc.TiePending
		rc.TieEntry, rc.TieReason = choiceFields("tie", c.Key, rc.TieOptions, form, errs)
		rc.AddEntry, rc.AddReason = choiceFields("add", c.Key, rc.AddOptions, form, errs)
		if !rc.Confirmed {
			v.CanPropose = head
		}
		v.Categories = append(v.Categories, rc)
	}
	v.ChosenMethod = res.Method.Label()
	return v
}

func markSelected(opts []components.Option, value string) {
	for i := range opts {
		opts[i].Selected = opts[i].Value == value
	}
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// rankingMethod records the head's choice of aggregation method (POST /ranking/method), refused
// once the round is closed.
func (s *Server) rankingMethod(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f struct {
		Method string `form:"method"`
	}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	m := ranking.Method(f.Method)
	err = s.ranking.SetMethod(ctx, authz.ActorFrom(ctx), ed, m)
	var errs field.Errors
	switch {
	case errors.As(err, &errs):
		return s.renderRanking(w, r, http.StatusUnprocessableEntity, ed, picker, "", nil, errs)
	case errors.Is(err, ranking.ErrClosed):
		return s.renderRanking(w, r, http.StatusConflict, ed, picker, "The round is closed: the method can no longer change.", nil, nil)
	case err != nil:
		return err
	}
	s.flash(ctx, "The aggregation method is now: "+m.Label()+".")
	return redirect(w, r, rankingHref(ed.ID))
}

// rankingClose closes round 2 and unseals the scores (POST /ranking/close): the head only, once
// the method is chosen.
func (s *Server) rankingClose(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	err = s.ranking.Close(ctx, authz.ActorFrom(ctx), ed)
	switch {
	case errors.Is(err, ranking.ErrMethodUnset):
		return s.renderRanking(w, r, http.StatusConflict, ed, picker, "Choose the aggregation method before closing the round: it is recorded before anyone sees a score.", nil, nil)
	case errors.Is(err, ranking.ErrClosed):
		return s.renderRanking(w, r, http.StatusConflict, ed, picker, "The round is already closed.", nil, nil)
	case err != nil:
		return err
	}
	s.flash(ctx, "Round 2 is closed: the scores are unsealed.")
	return redirect(w, r, rankingHref(ed.ID))
}

// rankingPropose proposes the top N of every unconfirmed category (POST /ranking/propose).
func (s *Server) rankingPropose(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	n, err := s.ranking.Propose(ctx, authz.ActorFrom(ctx), ed)
	if errors.Is(err, ranking.ErrOpen) {
		return s.renderRanking(w, r, http.StatusConflict, ed, picker, "Close the round first: the semi-finalists are proposed from the unsealed scores.", nil, nil)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, strconv.Itoa(n)+" semi-finalists proposed from the ranking.")
	return redirect(w, r, rankingHref(ed.ID))
}

// rankingChoice handles a tie decision (head) or an addition (head or secretariat): kind is
// "tie" or "add".
func (s *Server) rankingChoice(w http.ResponseWriter, r *http.Request, kind string) error {
	ctx := r.Context()
	f := rankingForm{Kind: kind}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	f.Entry, f.Reason = r.PostForm.Get(f.id("entry")), strings.TrimSpace(r.PostForm.Get(f.id("reason")))
	ed, picker, err := s.scope(r) // the head's edition for a tie (authz.RankingHead)
	if err != nil {
		return err
	}
	cat, ok := ed.Category(f.Category)
	if !ok {
		return s.renderRanking(w, r, http.StatusUnprocessableEntity, ed, picker, "Choose a category of the edition.", nil, nil)
	}
	var errs field.Errors
	appID, perr := strconv.ParseInt(f.Entry, 10, 64)
	if perr != nil || appID <= 0 {
		errs.Add(f.id("entry"), "Choose the entry.")
	}
	if f.Reason == "" {
		if kind == "tie" {
			errs.Add(f.id("reason"), "Give the reason for choosing this entry: it is recorded.")
		} else {
			errs.Add(f.id("reason"), "Give the reason for the exception: it is recorded.")
		}
	}
	if errs.Any() {
		return s.renderRanking(w, r, http.StatusUnprocessableEntity, ed, picker, "", &f, errs)
	}
	actor := authz.ActorFrom(ctx)
	if kind == "tie" {
		err = s.ranking.DecideTie(ctx, actor, ed, cat, appID, f.Reason)
	} else {
		err = s.ranking.Add(ctx, actor, ed, cat, appID, f.Reason)
	}
	msg := ""
	switch {
	case errors.Is(err, ranking.ErrOpen):
		msg = "Close the round first."
	case errors.Is(err, ranking.ErrConfirmed):
		msg = "The " + cat.Name + " list is confirmed: it can no longer change."
	case errors.Is(err, ranking.ErrNotTied):
		msg = "That entry is not one of the entries tied at the cut."
	case errors.Is(err, ranking.ErrNoSeat):
		msg = "The tie at the cut is already decided."
	case errors.Is(err, ranking.ErrNotEntry):
		msg = "That entry is not a round-2 entry of the " + cat.Name + " category."
	case errors.Is(err, ranking.ErrAlready):
		msg = "That entry is already a semi-finalist."
	case err != nil:
		return err
	}
	if msg != "" {
		return s.renderRanking(w, r, http.StatusConflict, ed, picker, msg, &f, nil)
	}
	if kind == "tie" {
		s.flash(ctx, "The tie decision is recorded.")
	} else {
		s.flash(ctx, "The entry is added to the "+cat.Name+" semi-finalists.")
	}
	return redirect(w, r, rankingHref(ed.ID)+"#cat-"+cat.Key)
}

// rankingTie records the head's decision among entries tied at the cut (POST /ranking/ties).
func (s *Server) rankingTie(w http.ResponseWriter, r *http.Request) error {
	return s.rankingChoice(w, r, "tie")
}

// rankingAddition adds an entry by exception, with a reason (POST /ranking/additions): the
// organisers, that is the secretariat or the head.
func (s *Server) rankingAddition(w http.ResponseWriter, r *http.Request) error {
	return s.rankingChoice(w, r, "add")
}

// rankingConfirm confirms a category's list (POST /ranking/confirm, the head) and queues the
// emails to every round-2 entry of the category for the announcement.
func (s *Server) rankingConfirm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f struct {
		Category string `form:"category"`
	}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	cat, ok := ed.Category(f.Category)
	if !ok {
		return s.renderRanking(w, r, http.StatusUnprocessableEntity, ed, picker, "Choose a category of the edition.", nil, nil)
	}
	queued, sendAfter, err := s.ranking.Confirm(ctx, authz.ActorFrom(ctx), ed, cat)
	msg := ""
	switch {
	case errors.Is(err, ranking.ErrOpen):
		msg = "Close the round first."
	case errors.Is(err, ranking.ErrConfirmed):
		msg = "The " + cat.Name + " list is already confirmed."
	case errors.Is(err, ranking.ErrNotProposed):
		msg = "Propose the semi-finalists first."
	case errors.Is(err, ranking.ErrTiePending):
		msg = "The " + cat.Name + " list cannot be confirmed yet: decide the tie at the cut first."
	case err != nil:
		return err
	}
	if msg != "" {
		return s.renderRanking(w, r, http.StatusConflict, ed, picker, msg, nil, nil)
	}
	when := "now"
	if !sendAfter.IsZero() {
		when = "on " + announcementText(ed)
	}
	s.flash(ctx, "The "+cat.Name+" semi-finalists are confirmed. "+strconv.Itoa(queued)+" emails go out "+when+".")
	return redirect(w, r, rankingHref(ed.ID)+"#cat-"+cat.Key)
}

// semiFinalistsPage is the public announcement (GET /editions/{slug}/semi-finalists): the
// confirmed lists from the schedule's announcement instant on; before it, when they will be
// announced.
func (s *Server) semiFinalistsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ed, err := edition.BySlug(ctx, s.pool, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	v := pages.SemiFinalistsView{Page: s.page(r, "Semi-finalists, "+ed.Name), Name: ed.Name, Home: "/editions/" + ed.Slug,
		Announcement: announcementText(ed)}
	if s.now().Before(ranking.Announcement(ed)) {
		return s.render(w, r, http.StatusOK, pages.SemiFinalists(v))
	}
	v.Announced = true
	lists, err := ranking.Lists(ctx, s.pool, ed.ID, true)
	if err != nil {
		return err
	}
	for _, c := range ed.Categories {
		pc := pages.SemiFinalistCategory{Key: c.Key, Name: c.Name}
		if l := lists[c.ID]; l != nil {
			pc.Confirmed = true
			for _, e := range l.Entries {
				pc.Entries = append(pc.Entries, pages.SemiFinalistEntry{Title: e.Title, Organisation: e.Organisation,
					Place: entryPlace(e.City, e.Country)})
			}
			// announced in alphabetical order: the list carries no rank
			slices.SortStableFunc(pc.Entries, func(a, b pages.SemiFinalistEntry) int { return strings.Compare(a.Title, b.Title) })
		}
		v.Categories = append(v.Categories, pc)
	}
	return s.render(w, r, http.StatusOK, pages.SemiFinalists(v))
}

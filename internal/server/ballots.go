package server

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize/english"
	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/blocks/timefmt"
	"prizeportal/internal/edition"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Round 3: the vote of the Prize Council (DOMAIN.md "Round 3: voting by the Prize Council"). The
// secretariat records the council's chair on /council, which also shows who has voted in each
// category (never how). Each council member ranks a category's confirmed semi-finalists on
// /council/ballots/{category} within the schedule's voting window, or abstains on an entry
// stating their conflict (ballot.Service.Vote); ballots are secret until the vote closes and
// changeable until then. The chair closes the vote once the quorum is reached, decides ties the
// committee scores leave, and confirms the winners from the result protocol, which the council
// and the secretariat read after the close (page and PDF). Every ballot route admits the council
// role by policy; each handler requires membership of the edition's council, checked again in SQL.

// conflictNotice is the message of err when it is a domain conflict (fault.Conflict) that the
// page shows as its notice, "" otherwise.
func conflictNotice(err error) string {
	if f, ok := fault.As(err); ok && f.Kind == fault.Conflict {
		return f.Message
	}
	return ""
}

// voteContext is what a ballot route acts on: the edition, the category, and the actor's place.
type voteContext struct {
	ed     *edition.Edition
	cat    *edition.Category
	user   int64
	member bool // on the edition's council (checked in SQL)
	chair  bool
}

// loadVote resolves the edition and the category of a ballot route. Council members pass;
// with staff, the edition's secretariat passes too (the protocol). Others get 403.
func (s *Server) loadVote(r *http.Request, staff bool) (*voteContext, error) {
	ctx := r.Context()
	ed, _, err := s.scope(r)
	if err != nil {
		return nil, err
	}
	actor := authz.ActorFrom(ctx)
	v := &voteContext{ed: ed, user: actor.UserID}
	if actor.Has(authz.RoleCouncil, ed.ID) {
		if v.member, v.chair, err = ballot.Seat(ctx, s.pool, ed.ID, actor.UserID); err != nil {
			return nil, err
		}
	}
	if !v.member && !(staff && actor.Has(authz.RoleSecretariat, ed.ID)) {
		return nil, authz.ErrForbidden
	}
	cat, ok := ed.Category(chi.URLParam(r, "category"))
	if !ok {
		return nil, errNotFound
	}
	v.cat = cat
	return v, nil
}

// --- the council page (secretariat) ---

// councilPage lists the council of an edition with its chair and who has voted per category
// (GET /council?edition=).
func (s *Server) councilPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCouncil(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderCouncil(w http.ResponseWriter, r *http.Request, status int, chosen string, errs field.Errors) error {
	ed, picker, err := s.scope(r)
	if err != nil {
		return err
	}
	board, err := ballot.LoadBoard(r.Context(), s.pool, ed)
	if err != nil {
		return err
	}
	v := councilView(ed, board, chosen, errs)
	v.Page, v.Edition, v.Choose = s.page(r, "Prize Council, "+ed.Name), picker, len(picker.Options) > 1
	return s.render(w, r, status, pages.Council(v))
}

// councilView is the council page of ed from its board; chosen is the member posted as chair.
func councilView(ed *edition.Edition, board *ballot.Board, chosen string, errs field.Errors) pages.CouncilView {
	v := pages.CouncilView{Name: ed.Name, Errors: errs, Action: views.CouncilHref(ed.ID), Window: ed.Schedule.Voting.Text(ed.TimeZone),
		Method: ballot.MethodLabel(ed.Voting.Method)}
	names := map[int64]string{}
	opts := []components.Option{{Value: "", Label: "Choose a member"}}
	for _, m := range board.Members {
		names[m.ID] = m.Label()
		v.Members = append(v.Members, pages.CouncilMember{Name: m.Label(), Email: m.Email, Chair: m.Chair})
		id := strconv.FormatInt(m.ID, 10)
		opts = append(opts, components.Option{Value: id, Label: m.Label(), Selected: id == chosen || (chosen == "" && m.Chair)})
	}
	v.Chair = components.Field{Name: "chair", Label: "Chair of the council", Type: "select", Required: true, Options: opts,
		Error: errs.Get("chair")}
	for _, c := range ed.Categories {
		st := board.Status[c.ID]
		cc := pages.CouncilCategory{Name: c.Name, Status: st.Text()}
		for _, id := range board.Voted[c.ID] {
			if n, ok := names[id]; ok {
				cc.Voted = append(cc.Voted, n)
			}
		}
		if st.Closed {
			cc.ProtocolHref = views.BallotURL(ed.ID, c.Key, "protocol")
		}
		v.Categories = append(v.Categories, cc)
	}
	return v
}

// councilSave records the chair of the council (POST /council?edition=): the secretariat only.
func (s *Server) councilSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var f struct {
		Chair string `form:"chair"`
	}
	if err := decodeForm(w, r, &f); err != nil {
		return err
	}
	ed, _, err := s.scope(r)
	if err != nil {
		return err
	}
	var errs field.Errors
	member, err := strconv.ParseInt(f.Chair, 10, 64)
	if err == nil {
		err = s.ballots.SetChair(ctx, authz.ActorFrom(ctx), ed.ID, member)
	}
	switch {
	case errors.Is(err, strconv.ErrSyntax), errors.Is(err, strconv.ErrRange):
		errs.Add("chair", "Choose the member who chairs the council.")
	case errors.Is(err, ballot.ErrNotMember):
		errs.Add("chair", "Choose a member of this edition's council.")
	case err != nil:
		return err
	}
	if errs.Any() {
		return s.renderCouncil(w, r, http.StatusUnprocessableEntity, f.Chair, errs)
	}
	s.flash(ctx, "The chair of the council is recorded.")
	return redirect(w, r, views.CouncilHref(ed.ID))
}

// --- ballots ---

// ballotPage shows a member's ballot in a category (GET /council/ballots/{category}?edition=).
func (s *Server) ballotPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.loadVote(r, false)
	if err != nil {
		return err
	}
	return s.renderBallot(w, r, http.StatusOK, v, nil, nil, "")
}

func rankName(id int64) string     { return "rank-" + strconv.FormatInt(id, 10) }
func abstainName(id int64) string  { return "abstain-" + strconv.FormatInt(id, 10) }
func conflictName(id int64) string { return "conflict-" + strconv.FormatInt(id, 10) }

// renderBallot shows the ballot page; posted (non-nil after a failed save) keeps what was typed.
func (s *Server) renderBallot(w http.ResponseWriter, r *http.Request, status int, vc *voteContext, posted url.Values, errs field.Errors, notice string) error {
	sh, err := ballot.LoadSheet(r.Context(), s.pool, vc.ed, vc.cat, vc.user)
	if err != nil {
		return err
	}
	v := ballotView(vc, sh, s.now(), posted, errs, notice)
	v.Page = s.page(r, "Your ballot, "+vc.cat.Name)
	return s.render(w, r, status, pages.Ballot(v))
}

// ballotView is the ballot page of vc's member from their sheet at now; posted (non-nil after a
// failed save) keeps what was typed.
func ballotView(vc *voteContext, sh *ballot.Sheet, now time.Time, posted url.Values, errs field.Errors, notice string) pages.BallotView {
	ed, cat, st, mine := vc.ed, vc.cat, sh.Status, sh.Mine
	v := pages.BallotView{
		Edition: ed.Name, Category: cat.Name, Errors: errs, Notice: notice,
		Method: ballot.MethodLabel(ed.Voting.Method), Status: st.Text(), Closed: st.Closed,
		Action: views.BallotsHref(ed.ID, cat.Key), CloseAction: views.BallotURL(ed.ID, cat.Key, "close"),
		ProtocolHref: views.BallotURL(ed.ID, cat.Key, "protocol"), Chair: vc.chair, Quorate: st.Quorate(),
		Candidates: len(sh.Candidates), Window: ballot.WindowText(ed, st.Closed, now), Saved: mine.SavedText(ed.TimeZone),
		Editable: ballot.VotingOpen(ed, now) && !st.Closed && len(sh.Candidates) > 0, CanClose: vc.chair && ballot.MayClose(ed, st, now),
	}
	for _, m := range sh.Members {
		v.Voters = append(v.Voters, pages.BallotVoter{Name: m.Label(), Voted: slices.Contains(sh.Voted, m.ID), You: m.ID == vc.user, Chair: m.Chair})
	}
	for _, c := range sh.Candidates {
		id, reasons := c.ApplicationID, sh.Conflicts[c.ApplicationID]
		line, saved := mine.Line(id)
		e := pages.BallotEntry{Title: c.Title, Organisation: c.Organisation, Place: entryPlace(c.City, c.Country),
			Reasons: reasons, Conflicted: len(reasons) > 0}
		e.Rank = components.Field{Name: rankName(id), Label: "Your rank for " + c.Title, Type: "number", InputMode: "numeric",
			Hint: "1 = best; give two entries the same number to tie them.", Error: errs.Get(rankName(id))}
		e.Abstain = components.Field{Name: abstainName(id), Label: "I abstain on this entry: I have a conflict of interest", Type: "checkbox"}
		e.Conflict = components.Field{Name: conflictName(id), Label: "Your conflict with " + c.Title, Type: "text", MaxLength: ballot.MaxConflict,
			Hint: "Required to abstain: say what ties you to this entry.", Error: errs.Get(conflictName(id))}
		switch {
		case posted != nil:
			e.Rank.Value, e.Abstain.Checked, e.Conflict.Value = strings.TrimSpace(posted.Get(rankName(id))), posted.Get(abstainName(id)) == "yes", posted.Get(conflictName(id))
		case saved && !line.Abstained():
			e.Rank.Value = strconv.Itoa(line.Rank)
		case saved:
			e.Abstain.Checked, e.Conflict.Value = true, line.Conflict
		case e.Conflicted:
			e.Conflict.Value = strings.Join(reasons, "; ")
		}
		e.Abstain.Checked = e.Abstain.Checked || e.Conflicted
		if saved {
			e.Yours = line.Text()
		}
		v.Entries = append(v.Entries, e)
	}
	return v
}

// problemErrors are the field errors of the refused choices of a ballot or a decision, each
// under the input named by name.
func problemErrors(problems []ballot.Problem, name func(ballot.Problem) string) field.Errors {
	var errs field.Errors
	for _, p := range problems {
		errs.Add(name(p), p.Message)
	}
	return errs
}

// ballotSave records a member's ballot (POST /council/ballots/{category}?edition=): a rank or
// an abstention with its conflict for every semi-finalist, within the voting window, until
// the close (ballot.Service.Vote).
func (s *Server) ballotSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	vc, err := s.loadVote(r, false)
	if err != nil {
		return err
	}
	f := r.PostForm
	created, problems, err := s.ballots.Vote(ctx, authz.ActorFrom(ctx), vc.ed, vc.cat, func(id int64) ballot.Choice {
		return ballot.Choice{Rank: f.Get(rankName(id)), Abstain: f.Get(abstainName(id)) == "yes", Conflict: f.Get(conflictName(id))}
	})
	if len(problems) > 0 {
		errs := problemErrors(problems, func(p ballot.Problem) string {
			if p.Field == "conflict" {
				return conflictName(p.ApplicationID)
			}
			return rankName(p.ApplicationID)
		})
		return s.renderBallot(w, r, http.StatusUnprocessableEntity, vc, f, errs, "")
	}
	if n := conflictNotice(err); n != "" {
		if errors.Is(err, ballot.ErrNotOpen) {
			f = nil // outside the voting window the page shows no ballot to keep
		}
		return s.renderBallot(w, r, http.StatusConflict, vc, f, nil, n)
	}
	if err != nil {
		return err
	}
	if created {
		s.flash(ctx, "Your ballot is cast. You can change it until the chair closes the vote.")
	} else {
		s.flash(ctx, "Your ballot is changed.")
	}
	return redirect(w, r, views.BallotsHref(vc.ed.ID, vc.cat.Key))
}

// chairVote reads a form of the chair's (POST) and loads its vote: authz.ErrForbidden for
// anyone but the chair of the edition's council.
func (s *Server) chairVote(w http.ResponseWriter, r *http.Request) (*voteContext, error) {
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return nil, err
	}
	vc, err := s.loadVote(r, false)
	if err == nil && !vc.chair {
		err = authz.ErrForbidden
	}
	return vc, err
}

// ballotClose closes a category's vote and counts it (POST /council/ballots/{category}/close):
// the chair only, from the start of the voting window, with the quorum.
func (s *Server) ballotClose(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vc, err := s.chairVote(w, r)
	if err != nil {
		return err
	}
	err = s.ballots.Close(ctx, authz.ActorFrom(ctx), vc.ed, vc.cat)
	if n := conflictNotice(err); n != "" {
		return s.renderBallot(w, r, http.StatusConflict, vc, nil, nil, n)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "The vote is closed and counted.")
	return redirect(w, r, views.BallotURL(vc.ed.ID, vc.cat.Key, "protocol"))
}

// protocolPage shows the result protocol of a closed vote (GET
// /council/ballots/{category}/protocol?edition=): council members and the secretariat.
func (s *Server) protocolPage(w http.ResponseWriter, r *http.Request) error {
	vc, err := s.loadVote(r, true)
	if err != nil {
		return err
	}
	return s.renderProtocol(w, r, http.StatusOK, vc, nil, nil, "")
}

// renderProtocol shows the protocol page of vc's closed vote (ballot.ErrNotClosed, a 404,
// while the vote is open); posted (non-nil after a failed decision) keeps what the chair typed.
func (s *Server) renderProtocol(w http.ResponseWriter, r *http.Request, status int, vc *voteContext, posted url.Values, errs field.Errors, notice string) error {
	p, err := ballot.LoadProtocol(r.Context(), s.pool, vc.ed.ID, vc.cat.ID)
	if err != nil {
		return err
	}
	v := protocolView(vc, p, posted, errs, notice)
	v.Page = s.page(r, "Result protocol, "+vc.cat.Name)
	return s.render(w, r, status, pages.Protocol(v))
}

func orderName(id int64) string { return "order-" + strconv.FormatInt(id, 10) }

// protocolAward is a row of the awards of the protocol: confirmed says by whom, when.
func protocolAward(p *ballot.Protocol, a ballot.Award, confirmed string) pages.ProtocolAward {
	return pages.ProtocolAward{Prize: a.PrizeName, Place: strconv.Itoa(a.Place), Title: p.ByID[a.ApplicationID].Title,
		No: ballot.EntryNo(a.ApplicationID), Confirmed: confirmed}
}

// protocolView is the protocol page of vc's closed vote; posted (non-nil after a failed
// decision) keeps what the chair typed.
func protocolView(vc *voteContext, p *ballot.Protocol, posted url.Values, errs field.Errors, notice string) pages.ProtocolView {
	ed, cat, res := vc.ed, vc.cat, p.Result
	v := pages.ProtocolView{
		Edition: ed.Name, Category: cat.Name, Errors: errs, Notice: notice,
		Method: ballot.MethodLabel(res.Method), Schulze: res.Method == edition.VotingSchulze,
		Closed:  "Closed by " + res.ClosedBy + " on " + timefmt.Instant(res.ClosedAt, ed.TimeZone) + ".",
		Counts:  fmt.Sprintf("%d ballots from a council of %d (quorum %d).", res.Ballots, res.Council, res.Quorum),
		PDFHref: views.BallotURL(ed.ID, cat.Key, "protocol.pdf"), TieAction: views.BallotURL(ed.ID, cat.Key, "tiebreak"),
		ConfirmAction: views.BallotURL(ed.ID, cat.Key, "confirm"), TieBreaks: res.TieBreaks, Resolved: res.Resolved(),
		Chair: vc.chair, Confirmed: len(p.Awards) > 0,
		Reason: components.Field{Name: "reason", Label: "Reason for the decision (recorded in the protocol)", Type: "textarea", Required: true,
			Value: posted.Get("reason"), Error: errs.Get("reason")},
	}
	if vc.member {
		v.BallotHref = views.BallotsHref(ed.ID, cat.Key)
	}
	if res.DecidedAt != nil {
		v.Decision = "The chair, " + res.DecidedBy + ", decided on " + timefmt.Instant(*res.DecidedAt, ed.TimeZone) + ": " + res.DecisionReason
	}
	for _, row := range p.CandidateRows() {
		pc := pages.ProtocolCandidate{No: row[0], Title: row[1], Organisation: row[2], Score: row[3]}
		if len(row) > 4 {
			pc.Points = row[4]
		}
		v.Candidates = append(v.Candidates, pc)
	}
	for _, row := range p.BallotRows() {
		v.Ballots = append(v.Ballots, pages.ProtocolBallot{Label: row[0], Cells: row[1:]})
	}
	matrix := func(m map[[2]int64]int) []pages.ProtocolRow {
		var rows []pages.ProtocolRow
		for _, row := range p.Matrix(m) {
			rows = append(rows, pages.ProtocolRow{Label: row[0], Cells: row[1:]})
		}
		return rows
	}
	v.Pairwise = matrix(p.Count.Pairwise)
	if v.Schulze {
		v.Strongest = matrix(p.Count.Strongest)
	}
	for _, g := range res.Unresolved {
		var names []string
		for _, id := range g {
			c, no := p.ByID[id], ballot.EntryNo(id)
			v.Tied = append(v.Tied, pages.ProtocolCandidate{No: no, Title: c.Title, Field: components.Field{Name: orderName(id),
				Label: "Position of " + c.Title + " (" + no + ")", Type: "number", InputMode: "numeric", Required: true,
				Value: strings.TrimSpace(posted.Get(orderName(id))), Error: errs.Get(orderName(id))}})
			names = append(names, c.Title+" ("+no+")")
		}
		v.Unresolved = append(v.Unresolved, english.WordSeries(names, "and")+" remain tied.")
	}
	for _, row := range p.OrderRows() {
		v.Order = append(v.Order, pages.ProtocolPlace{Position: row[0], No: row[1], Title: row[2], Organisation: row[3]})
	}
	for _, a := range p.Awards {
		v.Awards = append(v.Awards, protocolAward(p, a, "Confirmed by "+a.ConfirmedBy+" on "+timefmt.Instant(a.ConfirmedAt, ed.TimeZone)+ballot.LaterStatus(a.Status)))
	}
	for _, a := range p.Proposed(cat) {
		v.Proposed = append(v.Proposed, protocolAward(p, a, ""))
	}
	return v
}

// protocolPDF renders the result protocol as a PDF (GET
// /council/ballots/{category}/protocol.pdf?edition=).
func (s *Server) protocolPDF(w http.ResponseWriter, r *http.Request) error {
	vc, err := s.loadVote(r, true)
	if err != nil {
		return err
	}
	doc, err := s.ballots.ProtocolDocument(r.Context(), vc.ed, vc.cat)
	if err != nil {
		return err
	}
	return sendPDF(w, doc, "protocol-"+vc.cat.Key+".pdf", true)
}

// sendPDF renders doc and sends it as name, shown in the browser when inline.
func sendPDF(w http.ResponseWriter, doc pdfdoc.Document, name string, inline bool) error {
	var buf bytes.Buffer
	if err := pdfdoc.Render(&buf, doc); err != nil {
		return err
	}
	return sendBytes(w, download{Name: name, ContentType: "application/pdf", Inline: inline, Data: buf.Bytes()})
}

// ballotTieBreak records the chair's decision on ties the count and the committee scores left
// (POST /council/ballots/{category}/tiebreak): a position for every tied entry and a reason
// (ballot.Service.DecideTies).
func (s *Server) ballotTieBreak(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vc, err := s.chairVote(w, r)
	if err != nil {
		return err
	}
	f := r.PostForm
	problems, err := s.ballots.DecideTies(ctx, authz.ActorFrom(ctx), vc.ed, vc.cat, func(id int64) string {
		return strings.TrimSpace(f.Get(orderName(id)))
	}, f.Get("reason"))
	if len(problems) > 0 {
		errs := problemErrors(problems, func(p ballot.Problem) string {
			if p.Field == "order" {
				return orderName(p.ApplicationID)
			}
			return "reason"
		})
		return s.renderProtocol(w, r, http.StatusUnprocessableEntity, vc, f, errs, "")
	}
	if n := conflictNotice(err); n != "" {
		return s.renderProtocol(w, r, http.StatusConflict, vc, nil, nil, n)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "Your decision is recorded and the order updated.")
	return redirect(w, r, views.BallotURL(vc.ed.ID, vc.cat.Key, "protocol"))
}

// ballotConfirm records the winners from the final order (POST
// /council/ballots/{category}/confirm): the chair only, once no tie is waiting.
func (s *Server) ballotConfirm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vc, err := s.chairVote(w, r)
	if err != nil {
		return err
	}
	_, err = s.ballots.ConfirmWinners(ctx, authz.ActorFrom(ctx), vc.ed, vc.cat)
	if n := conflictNotice(err); n != "" {
		return s.renderProtocol(w, r, http.StatusConflict, vc, nil, nil, n)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "The winners are confirmed.")
	return redirect(w, r, views.BallotURL(vc.ed.ID, vc.cat.Key, "protocol"))
}

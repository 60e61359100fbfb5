package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/edition"
	"prizeportal/internal/field"
	"prizeportal/internal/pdfdoc"
	"prizeportal/internal/voting"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Round 3: the vote of the Prize Council (issue 8 items 1, 3 and 4; DOMAIN.md "Round 3"). The
// secretariat records the council's chair on /council, which also shows who has voted in each
// category (never how). Each council member ranks a category's confirmed semi-finalists on
// /council/ballots/{category} within the schedule's voting window, or abstains on an entry
// stating their conflict (an entry the committee's conflict rules bar them from is abstained
// on, and a rank for it is refused); ballots are secret until the vote closes and changeable
// until then. The chair closes the vote once the quorum is reached, decides ties the committee
// scores leave, and confirms the winners from the result protocol, which the council and the
// secretariat read after the close (page and PDF). Every ballot route admits the council role by
// policy; each handler requires membership of the edition's council, checked again in SQL.

// ballotsHref is the address of a category's ballot page in an edition.
func ballotsHref(editionID int64, catKey string) string {
	return "/council/ballots/" + catKey + "?edition=" + strconv.FormatInt(editionID, 10)
}

func ballotURL(editionID int64, catKey, action string) string {
	return "/council/ballots/" + catKey + "/" + action + "?edition=" + strconv.FormatInt(editionID, 10)
}

func councilHref(editionID int64) string {
	return "/council?edition=" + strconv.FormatInt(editionID, 10)
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
		if v.member, err = ballot.IsMember(ctx, s.pool, ed.ID, actor.UserID); err != nil {
			return nil, err
		}
	}
	if !v.member && !(staff && actor.Has(authz.RoleSecretariat, ed.ID)) {
		return nil, authz.ErrForbidden
	}
	if v.member {
		if v.chair, err = ballot.IsChair(ctx, s.pool, ed.ID, actor.UserID); err != nil {
			return nil, err
		}
	}
	cat, ok := ed.Category(chi.URLParam(r, "category"))
	if !ok {
		return nil, errNotFound
	}
	v.cat = cat
	return v, nil
}

// votingOpen reports whether now is within the edition's voting window.
func (s *Server) votingOpen(ed *edition.Edition) bool { return ballot.VotingOpen(ed, s.now()) }

func methodLabel(m string) string { return ballot.MethodLabel(m) }

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
	v := pages.CouncilView{Name: ed.Name, Errors: errs, Action: councilHref(ed.ID), Window: formatWindow(ed.Schedule.Voting, ed.TimeZone),
		Method: methodLabel(ed.Voting.Method)}
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
		cc := pages.CouncilCategory{Name: c.Name, Status: voteStatusText(st)}
		for _, id := range board.Voted[c.ID] {
			if n, ok := names[id]; ok {
				cc.Voted = append(cc.Voted, n)
			}
		}
		if st.Closed {
			cc.ProtocolHref = ballotURL(ed.ID, c.Key, "protocol")
		}
		v.Categories = append(v.Categories, cc)
	}
	return v
}

func voteStatusText(st ballot.Status) string {
	t := strconv.Itoa(st.Cast) + " of " + strconv.Itoa(st.Council) + " members have voted; the quorum is " + strconv.Itoa(st.Quorum) + "."
	if st.Closed {
		t += " The vote is closed."
	}
	return t
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
	member, perr := strconv.ParseInt(f.Chair, 10, 64)
	if perr != nil {
		errs.Add("chair", "Choose the member who chairs the council.")
		return s.renderCouncil(w, r, http.StatusUnprocessableEntity, f.Chair, errs)
	}
	err = s.ballots.SetChair(ctx, authz.ActorFrom(ctx), ed.ID, member)
	if errors.Is(err, ballot.ErrNotMember) {
		errs.Add("chair", "Choose a member of this edition's council.")
		return s.renderCouncil(w, r, http.StatusUnprocessableEntity, f.Chair, errs)
	}
	if err != nil {
		return err
	}
	s.flash(ctx, "The chair of the council is recorded.")
	return redirect(w, r, councilHref(ed.ID))
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
func (s *Server) renderBallot(w http.ResponseWriter, r *http.Request, status int, vc *voteContext, posted map[string]string, errs field.Errors, notice string) error {
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
func ballotView(vc *voteContext, sh *ballot.Sheet, now time.Time, posted map[string]string, errs field.Errors, notice string) pages.BallotView {
	ed, cat := vc.ed, vc.cat
	cands, st, mine, conflicts := sh.Candidates, sh.Status, sh.Mine, sh.Conflicts
	v := pages.BallotView{
		Edition: ed.Name, Category: cat.Name, Errors: errs, Notice: notice,
		Method: methodLabel(ed.Voting.Method), Status: voteStatusText(st), Closed: st.Closed,
		Action: ballotsHref(ed.ID, cat.Key), CloseAction: ballotURL(ed.ID, cat.Key, "close"),
		ProtocolHref: ballotURL(ed.ID, cat.Key, "protocol"), Chair: vc.chair, Quorate: st.Quorate(),
		Candidates: len(cands),
	}
	open := ballot.VotingOpen(ed, now)
	switch {
	case st.Closed:
		v.Window = "The vote is closed: ballots can no longer change."
	case now.Before(ed.Schedule.Voting.Start):
		v.Window = "Voting opens on " + formatInstant(ed.Schedule.Voting.Start, ed.TimeZone) + " and closes on " +
			formatInstant(ed.Schedule.Voting.End.Add(-1), ed.TimeZone) + ". Until then this page is read-only."
	case !open:
		v.Window = "The voting window ended on " + formatInstant(ed.Schedule.Voting.End.Add(-1), ed.TimeZone) + ": ballots can no longer change."
	default:
		v.Window = "Voting is open until " + formatInstant(ed.Schedule.Voting.End.Add(-1), ed.TimeZone) + ". You may change your ballot until the chair closes the vote."
	}
	v.Editable = open && !st.Closed && len(cands) > 0
	v.CanClose = vc.chair && !st.Closed && !now.Before(ed.Schedule.Voting.Start)
	if mine != nil {
		v.Saved = "You cast your ballot on " + formatInstant(mine.CastAt, ed.TimeZone)
		if mine.UpdatedAt.After(mine.CastAt) {
			v.Saved += "; last changed on " + formatInstant(mine.UpdatedAt, ed.TimeZone)
		}
		v.Saved += "."
	}
	has := map[int64]bool{}
	for _, id := range sh.Voted {
		has[id] = true
	}
	for _, m := range sh.Members {
		v.Voters = append(v.Voters, pages.BallotVoter{Name: m.Label(), Voted: has[m.ID], You: m.ID == vc.user, Chair: m.Chair})
	}
	for _, c := range cands {
		line, saved := mine.Line(c.ApplicationID)
		e := pages.BallotEntry{Title: c.Title, Organisation: c.Organisation, Place: entryPlace(c.City, c.Country),
			Reasons: conflicts[c.ApplicationID], Conflicted: len(conflicts[c.ApplicationID]) > 0}
		rank := components.Field{Name: rankName(c.ApplicationID), Label: "Your rank for " + c.Title, Type: "number", InputMode: "numeric",
			Hint: "1 = best; give two entries the same number to tie them."}
		abstain := components.Field{Name: abstainName(c.ApplicationID), Label: "I abstain on this entry: I have a conflict of interest", Type: "checkbox"}
		conflict := components.Field{Name: conflictName(c.ApplicationID), Label: "Your conflict with " + c.Title, Type: "text", MaxLength: ballot.MaxConflict,
			Hint: "Required to abstain: say what ties you to this entry."}
		switch {
		case posted != nil:
			rank.Value, abstain.Checked, conflict.Value = posted[rank.Name], posted[abstain.Name] == "yes", posted[conflict.Name]
		case saved && !line.Abstained():
			rank.Value = strconv.Itoa(line.Rank)
		case saved:
			abstain.Checked, conflict.Value = true, line.Conflict
		case e.Conflicted:
			conflict.Value = strings.Join(e.Reasons, "; ")
		}
		if e.Conflicted {
			abstain.Checked = true
		}
		rank.Error, conflict.Error = errs.Get(rank.Name), errs.Get(conflict.Name)
		e.Rank, e.Abstain, e.Conflict = rank, abstain, conflict
		if saved {
			if line.Abstained() {
				e.Yours = "Abstained (" + line.Conflict + ")"
			} else {
				e.Yours = strconv.Itoa(line.Rank)
			}
		}
		v.Entries = append(v.Entries, e)
	}
	return v
}

// ballotSave records a member's ballot (POST /council/ballots/{category}?edition=): a rank or
// an abstention with its conflict for every semi-finalist, within the voting window, until
// the close.
func (s *Server) ballotSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return err
	}
	vc, err := s.loadVote(r, false)
	if err != nil {
		return err
	}
	ed, cat := vc.ed, vc.cat
	if !s.votingOpen(ed) {
		return s.renderBallot(w, r, http.StatusConflict, vc, nil, nil, "Ballots can be cast only within the voting window: nothing was saved.")
	}
	cands, err := ballot.Candidates(ctx, s.pool, ed.ID, cat.ID)
	if err != nil {
		return err
	}
	if len(cands) == 0 {
		return errNotFound
	}
	conflicts, err := ballot.Conflicts(ctx, s.pool, vc.user, cands)
	if err != nil {
		return err
	}
	posted := map[string]string{}
	choices := map[int64]ballot.Choice{}
	for _, c := range cands {
		id := c.ApplicationID
		rn, an, cn := rankName(id), abstainName(id), conflictName(id)
		ch := ballot.Choice{Rank: r.PostForm.Get(rn), Abstain: r.PostForm.Get(an) == "yes", Conflict: r.PostForm.Get(cn)}
		choices[id] = ch
		posted[rn], posted[cn] = strings.TrimSpace(ch.Rank), ch.Conflict
		if ch.Abstain {
			posted[an] = "yes"
		}
	}
	lines, problems := ballot.CheckBallot(cands, conflicts, choices)
	var errs field.Errors
	for _, p := range problems {
		name := rankName(p.ApplicationID)
		if p.Field == "conflict" {
			name = conflictName(p.ApplicationID)
		}
		errs.Add(name, p.Message)
	}
	if errs.Any() {
		return s.renderBallot(w, r, http.StatusUnprocessableEntity, vc, posted, errs, "")
	}
	created, err := s.ballots.Cast(ctx, authz.ActorFrom(ctx), ed, cat, lines)
	switch {
	case errors.Is(err, ballot.ErrNotOpen):
		return s.renderBallot(w, r, http.StatusConflict, vc, nil, nil, "Ballots can be cast only within the voting window: nothing was saved.")
	case errors.Is(err, ballot.ErrClosed):
		return s.renderBallot(w, r, http.StatusConflict, vc, posted, nil, "The vote is closed: your ballot can no longer change.")
	case errors.Is(err, ballot.ErrCandidates):
		return s.renderBallot(w, r, http.StatusConflict, vc, posted, nil, "The semi-finalists changed while you voted: check your ballot and save it again.")
	case err != nil:
		return err
	}
	if created {
		s.flash(ctx, "Your ballot is cast. You can change it until the chair closes the vote.")
	} else {
		s.flash(ctx, "Your ballot is changed.")
	}
	return redirect(w, r, ballotsHref(ed.ID, cat.Key))
}

// chairVote reads a form of the chair's (POST) and loads its vote: authz.ErrForbidden for
// anyone but the chair of the edition's council.
func (s *Server) chairVote(w http.ResponseWriter, r *http.Request) (*voteContext, error) {
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return nil, err
	}
	vc, err := s.loadVote(r, false)
	if err != nil {
		return nil, err
	}
	if !vc.chair {
		return nil, authz.ErrForbidden
	}
	return vc, nil
}

// ballotClose closes a category's vote and counts it (POST /council/ballots/{category}/close):
// the chair only, from the start of the voting window, with the quorum.
func (s *Server) ballotClose(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vc, err := s.chairVote(w, r)
	if err != nil {
		return err
	}
	ed, cat := vc.ed, vc.cat
	err = s.ballots.Close(ctx, authz.ActorFrom(ctx), ed, cat)
	switch {
	case errors.Is(err, ballot.ErrNotOpen):
		return s.renderBallot(w, r, http.StatusConflict, vc, nil, nil, "The vote cannot close before the voting window opens.")
	case errors.Is(err, ballot.ErrNoQuorum):
		return s.renderBallot(w, r, http.StatusConflict, vc, nil, nil, "The quorum is not reached: the vote cannot close yet.")
	case errors.Is(err, ballot.ErrClosed):
		return s.renderBallot(w, r, http.StatusConflict, vc, nil, nil, "The vote is already closed.")
	case err != nil:
		return err
	}
	s.flash(ctx, "The vote is closed and counted.")
	return redirect(w, r, ballotURL(ed.ID, cat.Key, "protocol"))
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

// protocol is what the result protocol shows of a closed vote (ballot.Protocol), as the exports
// read it.
type protocol struct {
	result *ballot.Result
	count  voting.Result
	ballot []voting.Ballot
	cands  []ballot.Candidate
	order  []ballot.Candidate // cands in the final order
	awards []ballot.Award
	byID   map[int64]ballot.Candidate
}

// loadProtocol reads a closed vote's protocol: ballot.ErrNotClosed (404) while the vote is open.
func (s *Server) loadProtocol(ctx context.Context, vc *voteContext) (*protocol, error) {
	p, err := s.voteProtocol(ctx, vc)
	if err != nil {
		return nil, err
	}
	return &protocol{result: p.Result, count: p.Count, ballot: p.Ballots, cands: p.Candidates, order: p.Order, awards: p.Awards, byID: p.ByID}, nil
}

// voteProtocol reads the protocol of vc's vote: ballot.ErrNotClosed (404) while the vote is
// open.
func (s *Server) voteProtocol(ctx context.Context, vc *voteContext) (*ballot.Protocol, error) {
	return ballot.LoadProtocol(ctx, s.pool, vc.ed.ID, vc.cat.ID)
}

func entryNo(id int64) string { return ballot.EntryNo(id) }

func ballotCell(b voting.Ballot, id int64) string { return ballot.BallotCell(b, id) }

func (s *Server) renderProtocol(w http.ResponseWriter, r *http.Request, status int, vc *voteContext, posted map[string]string, errs field.Errors, notice string) error {
	p, err := s.voteProtocol(r.Context(), vc)
	if err != nil {
		return err
	}
	v := protocolView(vc, p, posted, errs, notice)
	v.Page = s.page(r, "Result protocol, "+vc.cat.Name)
	return s.render(w, r, status, pages.Protocol(v))
}

// protocolView is the protocol page of vc's closed vote; posted (non-nil after a failed
// decision) keeps what the chair typed.
func protocolView(vc *voteContext, p *ballot.Protocol, posted map[string]string, errs field.Errors, notice string) pages.ProtocolView {
	ed, cat, res := vc.ed, vc.cat, p.Result
	v := pages.ProtocolView{
		Edition: ed.Name, Category: cat.Name, Errors: errs, Notice: notice,
		Method: methodLabel(res.Method), Schulze: res.Method == edition.VotingSchulze,
		Closed:  "Closed by " + res.ClosedBy + " on " + formatInstant(res.ClosedAt, ed.TimeZone) + ".",
		Counts:  fmt.Sprintf("%d ballots from a council of %d (quorum %d).", res.Ballots, res.Council, res.Quorum),
		PDFHref: ballotURL(ed.ID, cat.Key, "protocol.pdf"), TieAction: ballotURL(ed.ID, cat.Key, "tiebreak"),
		ConfirmAction: ballotURL(ed.ID, cat.Key, "confirm"), TieBreaks: res.TieBreaks, Resolved: res.Resolved(),
		Chair: vc.chair, Confirmed: len(p.Awards) > 0,
	}
	if vc.member {
		v.BallotHref = ballotsHref(ed.ID, cat.Key)
	}
	if res.DecidedAt != nil {
		v.Decision = "The chair, " + res.DecidedBy + ", decided on " + formatInstant(*res.DecidedAt, ed.TimeZone) + ": " + res.DecisionReason
	}
	for _, c := range p.Candidates {
		pc := pages.ProtocolCandidate{No: entryNo(c.ApplicationID), Title: c.Title, Organisation: c.Organisation, Score: "—"}
		if sc, ok := res.Scores[c.ApplicationID]; ok {
			pc.Score = score2(sc)
		}
		if pt, ok := p.Count.Points[c.ApplicationID]; ok {
			pc.Points = ballot.PointsText(pt)
		}
		v.Candidates = append(v.Candidates, pc)
	}
	for i, b := range p.Ballots {
		pb := pages.ProtocolBallot{Label: "Ballot " + strconv.Itoa(i+1)}
		for _, c := range p.Candidates {
			pb.Cells = append(pb.Cells, ballotCell(b, c.ApplicationID))
		}
		v.Ballots = append(v.Ballots, pb)
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
	var tied []pages.ProtocolCandidate
	for _, g := range res.Unresolved {
		for _, id := range g {
			c := p.ByID[id]
			f := components.Field{Name: "order-" + strconv.FormatInt(id, 10), Label: "Position of " + c.Title + " (" + entryNo(id) + ")",
				Type: "number", InputMode: "numeric", Required: true, Value: posted["order-"+strconv.FormatInt(id, 10)],
				Error: errs.Get("order-" + strconv.FormatInt(id, 10))}
			tied = append(tied, pages.ProtocolCandidate{No: entryNo(id), Title: c.Title, Field: f})
		}
		var names []string
		for _, id := range g {
			names = append(names, p.ByID[id].Title+" ("+entryNo(id)+")")
		}
		v.Unresolved = append(v.Unresolved, joinAnd(names)+" remain tied.")
	}
	v.Tied = tied
	v.Reason = components.Field{Name: "reason", Label: "Reason for the decision (recorded in the protocol)", Type: "textarea", Required: true,
		Value: posted["reason"], Error: errs.Get("reason")}
	for i, c := range p.Order {
		v.Order = append(v.Order, pages.ProtocolPlace{Position: strconv.Itoa(i + 1), No: entryNo(c.ApplicationID), Title: c.Title, Organisation: c.Organisation})
	}
	for _, a := range p.Awards {
		v.Awards = append(v.Awards, pages.ProtocolAward{Prize: a.PrizeName, Place: strconv.Itoa(a.Place), Title: p.ByID[a.ApplicationID].Title,
			No: entryNo(a.ApplicationID), Confirmed: "Confirmed by " + a.ConfirmedBy + " on " + formatInstant(a.ConfirmedAt, ed.TimeZone) + ballot.LaterStatus(a.Status)})
	}
	if !v.Confirmed && res.Resolved() {
		for _, a := range ballot.Winners(cat, res.Order) {
			v.Proposed = append(v.Proposed, pages.ProtocolAward{Prize: a.PrizeName, Place: strconv.Itoa(a.Place), Title: p.ByID[a.ApplicationID].Title, No: entryNo(a.ApplicationID)})
		}
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
	doc, err := s.protocolDocument(r.Context(), vc)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pdfdoc.Render(&buf, doc); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `inline; filename="protocol-`+vc.cat.Key+`.pdf"`)
	_, err = w.Write(buf.Bytes())
	return err
}

// protocolDocument is the result protocol of vc's closed vote as a PDF document
// (ballot.ErrNotClosed, a 404, while the vote is open); also outside a request (the decision
// pack's job).
func (s *Server) protocolDocument(ctx context.Context, vc *voteContext) (pdfdoc.Document, error) {
	return s.ballots.ProtocolDocument(ctx, vc.ed, vc.cat)
}

// ballotTieBreak records the chair's decision on ties the count and the committee scores left
// (POST /council/ballots/{category}/tiebreak): a position for every tied entry and a reason.
func (s *Server) ballotTieBreak(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vc, err := s.chairVote(w, r)
	if err != nil {
		return err
	}
	res, err := ballot.ResultOf(ctx, s.pool, vc.cat.ID)
	if err != nil {
		return err
	}
	if res == nil {
		return errNotFound
	}
	if res.Resolved() {
		return s.renderProtocol(w, r, http.StatusConflict, vc, nil, nil, "No tie is waiting for a decision.")
	}
	tied := res.Tied()
	posted := map[string]string{"reason": r.PostForm.Get("reason")}
	positions := map[int64]string{}
	for _, id := range tied {
		name := "order-" + strconv.FormatInt(id, 10)
		posted[name] = strings.TrimSpace(r.PostForm.Get(name))
		positions[id] = posted[name]
	}
	order, reason, problems := ballot.CheckDecision(tied, positions, posted["reason"])
	var errs field.Errors
	for _, p := range problems {
		name := "reason"
		if p.Field == "order" {
			name = "order-" + strconv.FormatInt(p.ApplicationID, 10)
		}
		errs.Add(name, p.Message)
	}
	if errs.Any() {
		return s.renderProtocol(w, r, http.StatusUnprocessableEntity, vc, posted, errs, "")
	}
	err = s.ballots.Decide(ctx, authz.ActorFrom(ctx), vc.ed, vc.cat, order, reason)
	switch {
	case errors.Is(err, ballot.ErrConfirmed):
		return s.renderProtocol(w, r, http.StatusConflict, vc, nil, nil, "The winners are confirmed: the order can no longer change.")
	case errors.Is(err, ballot.ErrNoTie), errors.Is(err, ballot.ErrCandidates):
		return s.renderProtocol(w, r, http.StatusConflict, vc, nil, nil, "The tie changed meanwhile: check the protocol and decide again.")
	case err != nil:
		return err
	}
	s.flash(ctx, "Your decision is recorded and the order updated.")
	return redirect(w, r, ballotURL(vc.ed.ID, vc.cat.Key, "protocol"))
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
	switch {
	case errors.Is(err, ballot.ErrUnresolved):
		return s.renderProtocol(w, r, http.StatusConflict, vc, nil, nil, "Decide the remaining ties before confirming the winners.")
	case errors.Is(err, ballot.ErrConfirmed):
		return s.renderProtocol(w, r, http.StatusConflict, vc, nil, nil, "The winners are already confirmed.")
	case err != nil:
		return err
	}
	s.flash(ctx, "The winners are confirmed.")
	return redirect(w, r, ballotURL(vc.ed.ID, vc.cat.Key, "protocol"))
}

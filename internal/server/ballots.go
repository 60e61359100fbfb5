package server

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/fault"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/i18n"
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

// loadVote resolves the edition and the category of a ballot route. Council members pass;
// with staff, the edition's secretariat passes too (the protocol). Others get 403.
func (s *Server) loadVote(r *http.Request, staff bool) (*views.Vote, error) {
	ctx := r.Context()
	ed, _, err := s.scope(r)
	if err != nil {
		return nil, err
	}
	actor := authz.ActorFrom(ctx)
	v := &views.Vote{Edition: ed, User: actor.UserID}
	cat, ok := ed.Category(chi.URLParam(r, "category"))
	if actor.Has(authz.RoleCouncil, ed.ID) {
		var seat authz.Seat
		var catID int64
		if ok {
			catID = cat.ID
		}
		if v.Member, seat, err = ballot.SeatIn(ctx, s.pool, ed.ID, catID, actor.UserID); err != nil {
			return nil, err
		}
		v.Chair = v.Member && seat.Decides(actor)
		if actor.UserID == seat.HolderID || actor.UserID == seat.DeputyID {
			v.Refusal = seat.RefusalText(actor)
		}
	}
	if !v.Member && !(staff && actor.Has(authz.RoleSecretariat, ed.ID)) {
		return nil, authz.ErrForbidden
	}
	if !ok {
		return nil, errNotFound
	}
	v.Category = cat
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
	v := views.CouncilView(ed, board, chosen, errs)
	v.Page, v.Edition, v.Choose = s.page(r, i18n.Msg("Prize Council, {{.Edition}}", "Edition", ed.Name)), picker, len(picker.Options) > 1
	return s.render(w, r, status, pages.Council(v))
}

// chairForm is the chair of the council as posted.
type chairForm struct {
	Chair string `form:"chair"`
}

// councilSave records the chair of the council (POST /council?edition=): the secretariat only.
func (s *Server) councilSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, ed, _, err := formThenLoad[chairForm](w, r, s.scope)
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

// renderBallot shows the ballot page; posted (non-nil after a failed save) keeps what was typed.
func (s *Server) renderBallot(w http.ResponseWriter, r *http.Request, status int, vc *views.Vote, posted url.Values, errs field.Errors, notice string) error {
	sh, err := ballot.LoadSheet(r.Context(), s.pool, vc.Edition, vc.Category, vc.User)
	if err != nil {
		return err
	}
	v := views.BallotView(vc, sh, s.now(), posted, errs, notice)
	v.Page = s.page(r, i18n.Msg("Your ballot, {{.Category}}", "Category", vc.Category.Name))
	return s.render(w, r, status, pages.Ballot(v))
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
	created, problems, err := s.ballots.Vote(ctx, authz.ActorFrom(ctx), vc.Edition, vc.Category, func(id int64) ballot.Choice {
		return ballot.Choice{Rank: f.Get(views.RankName(id)), Abstain: f.Get(views.AbstainName(id)) == "yes", Conflict: f.Get(views.ConflictName(id))}
	})
	if len(problems) > 0 {
		errs := problemErrors(problems, func(p ballot.Problem) string {
			if p.Field == "conflict" {
				return views.ConflictName(p.ApplicationID)
			}
			return views.RankName(p.ApplicationID)
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
	return redirect(w, r, views.BallotsHref(vc.Edition.ID, vc.Category.Key))
}

// chairVote reads a form of the chair's (POST) and loads its vote: authz.ErrForbidden for
// anyone but the chair of the edition's council.
func (s *Server) chairVote(w http.ResponseWriter, r *http.Request) (*views.Vote, error) {
	if err := decodeForm(w, r, &struct{}{}); err != nil {
		return nil, err
	}
	vc, err := s.loadVote(r, false)
	if err == nil && !vc.Chair {
		err = authz.ErrForbidden
	}
	return vc, err
}

// chairDone answers the chair's change to vc's vote: a refusal in the vote's state shows its
// notice on the page again (again, 409), any other error is the error page, and success
// flashes flash and opens the result protocol.
func (s *Server) chairDone(w http.ResponseWriter, r *http.Request, vc *views.Vote, err error,
	again func(w http.ResponseWriter, r *http.Request, status int, vc *views.Vote, posted url.Values, errs field.Errors, notice string) error, flash string) error {
	if n := conflictNotice(err); n != "" {
		return again(w, r, http.StatusConflict, vc, nil, nil, n)
	}
	if err != nil {
		return err
	}
	s.flash(r.Context(), flash)
	return redirect(w, r, views.BallotURL(vc.Edition.ID, vc.Category.Key, "protocol"))
}

// ballotClose closes a category's vote and counts it (POST /council/ballots/{category}/close):
// the chair only, from the start of the voting window, with the quorum.
func (s *Server) ballotClose(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vc, err := s.chairVote(w, r)
	if err != nil {
		return err
	}
	err = s.ballots.Close(ctx, authz.ActorFrom(ctx), vc.Edition, vc.Category)
	return s.chairDone(w, r, vc, err, s.renderBallot, i18n.M("The vote is closed and counted."))
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
func (s *Server) renderProtocol(w http.ResponseWriter, r *http.Request, status int, vc *views.Vote, posted url.Values, errs field.Errors, notice string) error {
	p, err := ballot.LoadProtocol(r.Context(), s.pool, vc.Edition.ID, vc.Category.ID)
	if err != nil {
		return err
	}
	v := views.ProtocolView(vc, p, posted, errs, notice)
	v.Page = s.page(r, i18n.Msg("Result protocol, {{.Category}}", "Category", vc.Category.Name))
	return s.render(w, r, status, pages.Protocol(v))
}

// protocolPDF renders the result protocol as a PDF (GET
// /council/ballots/{category}/protocol.pdf?edition=).
func (s *Server) protocolPDF(w http.ResponseWriter, r *http.Request) error {
	vc, err := s.loadVote(r, true)
	if err != nil {
		return err
	}
	doc, err := s.ballots.ProtocolDocument(r.Context(), vc.Edition, vc.Category)
	if err != nil {
		return err
	}
	return sendPDF(w, doc, "protocol-"+vc.Category.Key+".pdf", true)
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
	problems, err := s.ballots.DecideTies(ctx, authz.ActorFrom(ctx), vc.Edition, vc.Category, func(id int64) string {
		return strings.TrimSpace(f.Get(views.OrderName(id)))
	}, f.Get("reason"))
	if len(problems) > 0 {
		errs := problemErrors(problems, func(p ballot.Problem) string {
			if p.Field == "order" {
				return views.OrderName(p.ApplicationID)
			}
			return "reason"
		})
		return s.renderProtocol(w, r, http.StatusUnprocessableEntity, vc, f, errs, "")
	}
	return s.chairDone(w, r, vc, err, s.renderProtocol, i18n.M("Your decision is recorded and the order updated."))
}

// ballotConfirm records the winners from the final order (POST
// /council/ballots/{category}/confirm): the chair only, once no tie is waiting.
func (s *Server) ballotConfirm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vc, err := s.chairVote(w, r)
	if err != nil {
		return err
	}
	_, err = s.ballots.ConfirmWinners(ctx, authz.ActorFrom(ctx), vc.Edition, vc.Category)
	return s.chairDone(w, r, vc, err, s.renderProtocol, i18n.M("The winners are confirmed."))
}

package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/ranking"
	"prizeportal/web/components"
	"prizeportal/web/pages"
	"prizeportal/web/views"
)

// Round 2 ranking and the semi-finalists (DOMAIN.md "Round 2"). The committee head chooses the
// aggregation method while the scores are sealed, then closes the round, which unseals them: the
// ranking page then shows every method side by side with the evaluators' leniency and spread, the
// disagreement per entry and the sensitivity of the top N to the method. The head proposes the semi-finalists, decides ties at the cut, and confirms each
// category's list; the organisers (secretariat or head) may add an entry by exception with a
// reason. Confirming queues the emails for the announcement date; the public page shows the
// confirmed lists from that instant on. The route policy lets in the head and the secretariat;
// every handler checks the role in the edition (head-only actions are 403 otherwise).

// entryPlace is where an entry is from: "City, Country" in the reader's language.
var entryPlace = dossier.PlaceText

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
	notice string, form *views.RankingForm, errs field.Errors) error {
	actor := authz.ActorFrom(r.Context())
	b, err := s.ranking.Board(r.Context(), actor, ed)
	if err != nil {
		return err
	}
	v := views.RankingView(s.page(r, i18n.Msg("Round 2 ranking, {{.Edition}}", "Edition", ed.Name)), ed, picker, b, authz.IsCommitteeHead(actor, ed.ID), notice, form, errs)
	return s.render(w, r, status, pages.Ranking(v))
}

// rankingDone answers a ranking write that returned err: field errors show the page again
// with them (422, named after the form f when there is one), a refusal of the domain with its
// message as the notice and the form f as posted, another error is returned; on success the
// flash and back to the page at anchor.
func (s *Server) rankingDone(w http.ResponseWriter, r *http.Request, ed *edition.Edition, picker components.Field,
	f *views.RankingForm, err error, flash, anchor string) error {
	var errs field.Errors
	if errors.As(err, &errs) {
		for i := range errs {
			if f != nil { // the fields of a tie or an addition form are named after it
				errs[i].Field = f.ID(errs[i].Field)
			}
		}
		return s.renderRanking(w, r, http.StatusUnprocessableEntity, ed, picker, "", f, errs)
	}
	if status, msg, ok := refusalOf(err); ok {
		return s.renderRanking(w, r, status, ed, picker, msg, f, nil)
	}
	if err != nil {
		return err
	}
	s.flash(r.Context(), flash)
	return redirect(w, r, views.RankingHref(ed.ID)+anchor)
}

// methodForm is the aggregation method as posted.
type methodForm struct {
	Method string `form:"method"`
}

// rankingMethod records the head's choice of aggregation method (POST /ranking/method), refused
// once the round is closed.
func (s *Server) rankingMethod(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, ed, picker, err := formThenLoad[methodForm](w, r, s.scope)
	if err != nil {
		return err
	}
	m := ranking.Method(f.Method)
	err = s.ranking.SetMethod(ctx, authz.ActorFrom(ctx), ed, m)
	return s.rankingDone(w, r, ed, picker, nil, err, i18n.Msg("The aggregation method is now: {{.Method}}.", "Method", m.Label()), "")
}

// rankingRound runs write, a change posted without fields to the round of the scoped edition
// (the close, the proposal), and answers it with rankingDone: the flash write returns, or the
// domain's refusal.
func (s *Server) rankingRound(w http.ResponseWriter, r *http.Request,
	write func(context.Context, authz.Actor, *edition.Edition) (string, error)) error {
	_, ed, picker, err := formThenLoad[struct{}](w, r, s.scope)
	if err != nil {
		return err
	}
	flash, err := write(r.Context(), authz.ActorFrom(r.Context()), ed)
	return s.rankingDone(w, r, ed, picker, nil, err, flash, "")
}

// rankingClose closes round 2 and unseals the scores (POST /ranking/close): the head only, once
// the method is chosen, from the end of the scoring window or earlier with a reason once every
// sheet is in (ranking.Service.Close).
func (s *Server) rankingClose(w http.ResponseWriter, r *http.Request) error {
	f, ed, picker, err := formThenLoad[reasonForm](w, r, s.scope)
	if err != nil {
		return err
	}
	err = s.ranking.Close(r.Context(), authz.ActorFrom(r.Context()), ed, f.Reason)
	var errs field.Errors
	if errors.As(err, &errs) { // an early close without its reason: the page again, the reason as typed
		return s.renderRanking(w, r, http.StatusUnprocessableEntity, ed, picker, "", &views.RankingForm{Kind: "close", Reason: f.Reason}, errs)
	}
	return s.rankingDone(w, r, ed, picker, nil, err, i18n.M("Round 2 is closed: the scores are unsealed."), "")
}

// rankingPropose proposes the top N of every unconfirmed category (POST /ranking/propose).
func (s *Server) rankingPropose(w http.ResponseWriter, r *http.Request) error {
	return s.rankingRound(w, r, func(ctx context.Context, a authz.Actor, ed *edition.Edition) (string, error) {
		n, err := s.ranking.Propose(ctx, a, ed)
		return i18n.Msg("{{.Count}} semi-finalists proposed from the ranking.", "Count", strconv.Itoa(n)), err
	})
}

// rankingCategory reads a posted form naming a category into f and finds the edition and the
// category: cat is nil when the edition has none of that key, after the page is shown again
// (422).
func (s *Server) rankingCategory(w http.ResponseWriter, r *http.Request, f *views.RankingForm) (*edition.Edition, components.Field, *edition.Category, error) {
	if err := decodeForm(w, r, f); err != nil {
		return nil, components.Field{}, nil, err
	}
	ed, picker, err := s.scope(r) // the head's edition for a tie or a confirmation (authz.RankingHead)
	if err != nil {
		return nil, components.Field{}, nil, err
	}
	cat, ok := ed.Category(f.Category)
	if !ok {
		return ed, picker, nil, s.renderRanking(w, r, http.StatusUnprocessableEntity, ed, picker, i18n.M("Choose a category of the edition."), nil, nil)
	}
	return ed, picker, cat, nil
}

// rankingChoice handles a tie decision (head) or an addition (head or secretariat): kind is
// "tie" or "add".
func (s *Server) rankingChoice(w http.ResponseWriter, r *http.Request, kind string) error {
	ctx := r.Context()
	f := views.RankingForm{Kind: kind}
	ed, picker, cat, err := s.rankingCategory(w, r, &f)
	if err != nil || cat == nil {
		return err
	}
	f.Entry, f.Reason = r.PostForm.Get(f.ID("entry")), strings.TrimSpace(r.PostForm.Get(f.ID("reason")))
	appID, _ := strconv.ParseInt(f.Entry, 10, 64)
	write, flash := s.ranking.Add, i18n.Msg("The entry is added to the {{.Category}} semi-finalists.", "Category", cat.Name)
	if kind == "tie" {
		write, flash = s.ranking.DecideTie, i18n.M("The tie decision is recorded.")
	}
	err = write(ctx, authz.ActorFrom(ctx), ed, cat, appID, f.Reason)
	return s.rankingDone(w, r, ed, picker, &f, err, flash, "#cat-"+cat.Key)
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
	var f views.RankingForm
	ed, picker, cat, err := s.rankingCategory(w, r, &f)
	if err != nil || cat == nil {
		return err
	}
	queued, sendAfter, err := s.ranking.Confirm(ctx, authz.ActorFrom(ctx), ed, cat)
	msg := i18n.Msg("The {{.Category}} semi-finalists are confirmed. {{.Count}} emails go out now.", "Category", cat.Name, "Count", strconv.Itoa(queued))
	if !sendAfter.IsZero() {
		msg = i18n.Msg("The {{.Category}} semi-finalists are confirmed. {{.Count}} emails go out on {{.When}}.", "Category", cat.Name, "Count", strconv.Itoa(queued),
			"When", views.AnnouncementText(ed))
	}
	return s.rankingDone(w, r, ed, picker, nil, err, msg, "#cat-"+cat.Key)
}

// semiFinalistsPage is the public announcement (GET /editions/{slug}/semi-finalists): the
// confirmed lists from the schedule's announcement instant on; before it, when they will be
// announced.
func (s *Server) semiFinalistsPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.ranking.Announced(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	ed := a.Edition
	v := pages.SemiFinalistsView{Page: s.page(r, i18n.Msg("Semi-finalists, {{.Edition}}", "Edition", ed.Name)), Name: ed.Name, Home: "/editions/" + ed.Slug,
		Announcement: views.AnnouncementText(ed), Announced: a.Announced, Unpublished: a.Unpublished}
	for _, c := range ed.Categories {
		if !a.Announced {
			break
		}
		pc := pages.SemiFinalistCategory{Key: c.Key, Name: c.Name, NoEntries: a.Submitted[c.ID] == 0}
		if l := a.Lists[c.ID]; l != nil {
			pc.Confirmed = true
			for _, e := range l.Entries {
				pc.Entries = append(pc.Entries, pages.SemiFinalistEntry{Title: e.Title, Organisation: e.Organisation,
					Place: entryPlace(e.City, e.Country)})
			}
		}
		v.Categories = append(v.Categories, pc)
	}
	return s.render(w, r, http.StatusOK, pages.SemiFinalists(v))
}

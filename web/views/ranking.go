package views

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize/english"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/ranking"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// The ranking of round 2 (DOMAIN.md "Round 2"): the ranking page and its forms.

// RankingForm is the form of a tie decision or an addition (kind tie|add), kept on errors.
// Its fields are named <kind>-<category key>-entry and -reason, so that every form of the page
// has its own field ids.
type RankingForm struct {
	Kind     string
	Category string `form:"category"`
	Entry    string `form:"-"`
	Reason   string `form:"-"`
}

// ID is the name of the field what of the form.
func (f RankingForm) ID(what string) string { return f.Kind + "-" + f.Category + "-" + what }

// ChoiceFields are the entry and reason fields of a tie decision or an addition form.
func ChoiceFields(kind, catKey string, opts []components.Option, form *RankingForm, errs field.Errors) (components.Field, components.Field) {
	f := RankingForm{Kind: kind, Category: catKey}
	entry := components.Field{Name: f.ID("entry"), Label: i18n.M("Entry"), Type: "select", Required: true,
		Options: append([]components.Option{{Value: "", Label: i18n.M("Choose an entry")}}, opts...)}
	reason := components.Field{Name: f.ID("reason"), Label: i18n.M("Reason (recorded in the audit log)"), Type: "textarea", Required: true}
	if kind == "add" {
		reason.Hint = i18n.M("The guidelines allow additions in exceptional cases: very many submissions, or noteworthy factors outside the criteria.")
	}
	if form != nil && form.Kind == kind && form.Category == catKey {
		markSelected(entry.Options, form.Entry)
		reason.Value = form.Reason
		entry.Error, reason.Error = errs.Get(entry.Name), errs.Get(reason.Name)
	}
	return entry, reason
}

func signed2(v float64) string {
	if v > 0.005 {
		return "+" + numfmt.Score2(v)
	}
	if v < -0.005 {
		return "−" + numfmt.Score2(math.Abs(v))
	}
	return "0.00"
}

var sourceLabels = map[string]string{
	ranking.SourceRanking:  i18n.M("Ranking"),
	ranking.SourceTie:      i18n.M("Tie decided by the head"),
	ranking.SourceAddition: i18n.M("Added by the organisers"),
}

func AnnouncementText(ed *edition.Edition) string {
	return i18n.Msg("{{.When}} ({{.Zone}} time)", "When", i18n.Instant(ranking.Announcement(ed), ed.TimeZone), "Zone", ed.TimeZone.String())
}

// RankingView is the ranking page of edition ed from its board b; head shows the head's forms.
func RankingView(page components.Page, ed *edition.Edition, picker components.Field, b ranking.Board, head bool,
	notice string, form *RankingForm, errs field.Errors) pages.RankingView {
	st := b.State
	edq := "?edition=" + strconv.FormatInt(ed.ID, 10)
	v := pages.RankingView{
		Page: page, Edition: picker, Choose: len(picker.Options) > 1, Name: ed.Name,
		Notice: notice, Errors: errs, Head: head, Method: st.Method.Label(), MethodSet: st.MethodSet,
		Closed: st.Closed(), Announcement: AnnouncementText(ed), PublicHref: ranking.PublicPath(ed),
		MethodAction: "/ranking/method" + edq, CloseAction: "/ranking/close" + edq, ProposeAction: "/ranking/propose" + edq,
		TieAction: "/ranking/ties" + edq, AddAction: "/ranking/additions" + edq, ConfirmAction: "/ranking/confirm" + edq,
	}
	if !ed.Publication.SemiFinalistsList {
		v.PublicHref = ""
	}
	v.Round = scoringPhase(b.Round, ed.TimeZone)
	v.CloseRefusal, v.Early = b.CloseRefusal, b.Early
	v.CloseReason = components.Field{Name: "reason", Label: i18n.M("Why close before the end of the scoring window? (recorded in the audit log)"),
		Type: "textarea", Required: true, MaxLength: ranking.MaxCloseReason, Error: errs.Get("reason")}
	if form != nil && form.Kind == "close" {
		v.CloseReason.Value = form.Reason
	}
	if st.SetAt != nil {
		v.MethodSetAt = i18n.Instant(*st.SetAt, ed.TimeZone)
	}
	if st.ClosedAt != nil {
		v.ClosedAt = i18n.Instant(*st.ClosedAt, ed.TimeZone)
	}
	var methods []string
	for _, m := range ranking.Methods {
		v.Methods = append(v.Methods, components.Option{Value: string(m), Label: m.Label(), Selected: m == st.Method})
		methods = append(methods, m.Label())
	}
	for _, p := range b.Progress {
		row := pages.RankingProgress{Entries: p.Entries, Scored: p.Scored, Submitted: p.Submitted, Drafts: p.Drafts, Assigned: p.Assigned}
		if i := slices.IndexFunc(ed.Categories, func(c edition.Category) bool { return c.ID == p.CategoryID }); i >= 0 {
			row.Category = ed.Categories[i].Name
		}
		v.Progress = append(v.Progress, row)
	}
	if !st.Closed() {
		return v
	}
	method := b.Result.Method
	for _, c := range b.Standings() {
		l := c.List
		rc := pages.RankingCategory{Key: c.Key, Name: c.Name, N: c.SemiFinalists, Methods: methods,
			Scale: i18n.Msg("{{.Min}}–{{.Max}}", "Min", strconv.Itoa(c.ScaleMin), "Max", strconv.Itoa(c.ScaleMax)), Mean: numfmt.Score2(c.Mean),
			Confirmed: l.Confirmed(), Proposed: c.Proposed(), TiePending: c.TiePending(),
			CanDecide: c.CanDecide(b.Decides(c.ID)), CanAdd: c.CanAdd() && b.Refusal(c.ID) == "", CanConfirm: c.CanConfirm(b.Decides(c.ID)),
			Refusal: b.Refusal(c.ID), Deputy: b.Note(c.ID)}
		if l.Confirmed() {
			rc.ConfirmedText = i18n.Msg("Confirmed by {{.Name}} on {{.When}}.", "Name", l.ConfirmedBy, "When", i18n.Instant(*l.ConfirmedAt, ed.TimeZone))
		}
		for _, e := range c.Entries {
			row := pages.RankingRow{Title: e.Title, Organisation: e.Organisation, Sheets: e.Sheets, Listed: sourceLabels[l.Source(e.ApplicationID)],
				Disagreement: numfmt.Score2(e.Disagreement), Range: numfmt.Score2(e.Range), Top: e.By[method].Rank <= c.SemiFinalists}
			for _, m := range ranking.Methods {
				row.Values = append(row.Values, pages.RankingCell{Value: numfmt.Score2(e.By[m].Value), Rank: strconv.Itoa(e.By[m].Rank), Chosen: m == method})
			}
			rc.Rows = append(rc.Rows, row)
		}
		for _, ev := range c.Evaluators {
			rc.Evaluators = append(rc.Evaluators, pages.RankingEvaluator{Name: ev.Name, Sheets: ev.Sheets, Mean: numfmt.Score2(ev.Mean),
				Leniency: signed2(ev.Leniency), Spread: numfmt.Score2(ev.Spread)})
		}
		titles := func(ids []int64) []string {
			var out []string
			for _, id := range ids {
				out = append(out, c.Title(id))
			}
			return out
		}
		for _, sh := range c.Sensitivity {
			line := "Under the " + strings.ToLower(sh.Method.Label()) + ": "
			var parts []string
			if len(sh.Enter) > 0 {
				parts = append(parts, english.WordSeries(titles(sh.Enter), "and")+" would enter")
			}
			if len(sh.Leave) > 0 {
				parts = append(parts, english.WordSeries(titles(sh.Leave), "and")+" would leave")
			}
			if len(parts) == 0 {
				line += "the same top " + strconv.Itoa(c.SemiFinalists) + "."
			} else {
				line += strings.Join(parts, "; ") + "."
				rc.Sensitive = true
			}
			rc.Sensitivity = append(rc.Sensitivity, line)
		}
		if t := c.Tie; t != nil {
			for _, id := range t.Entries {
				rc.TieOptions = append(rc.TieOptions, components.Option{Value: strconv.FormatInt(id, 10), Label: c.Title(id)})
			}
			seats := "one seat"
			if t.Seats > 1 {
				seats = strconv.Itoa(t.Seats) + " seats"
			}
			rc.TieText = english.WordSeries(titles(t.Entries), "and") + " share rank " + strconv.Itoa(t.Rank) + " (" + numfmt.Score2(t.Value) + ") at the cut: " +
				seats + " for " + strconv.Itoa(len(t.Entries)) + " entries."
		}
		for _, sf := range l.Entries {
			lr := pages.RankingListed{Title: sf.Title, Source: sourceLabels[sf.Source], Reason: sf.Reason, By: sf.AddedBy}
			if sf.Rank > 0 {
				lr.Rank = strconv.Itoa(sf.Rank)
			}
			rc.List = append(rc.List, lr)
		}
		for _, e := range c.Addable() {
			rc.AddOptions = append(rc.AddOptions, components.Option{Value: strconv.FormatInt(e.ApplicationID, 10), Label: e.Title})
		}
		rc.TieEntry, rc.TieReason = ChoiceFields("tie", c.Key, rc.TieOptions, form, errs)
		rc.AddEntry, rc.AddReason = ChoiceFields("add", c.Key, rc.AddOptions, form, errs)
		v.CanPropose = v.CanPropose || (b.Decides(c.ID) && !rc.Confirmed)
		v.Categories = append(v.Categories, rc)
	}
	v.ChosenMethod = method.Label()
	return v
}

func markSelected(opts []components.Option, value string) {
	for i := range opts {
		opts[i].Selected = opts[i].Value == value
	}
}

// scoringPhase says where round 2 stands, with its dates in loc (edition.Round's Summary),
// carried for the reader's language. Round 2 opens with its window, so it is never open before
// the window starts.
func scoringPhase(r edition.Round, loc *time.Location) string {
	switch r.Phase {
	case edition.PhaseUpcoming:
		return i18n.Msg("Round 2: scoring by the Evaluation Committee. Opens on {{.When}}.", "When", i18n.Start(r.Opens, loc))
	case edition.PhaseOpen:
		return i18n.Msg("Round 2: scoring by the Evaluation Committee. Open until {{.When}}.", "When", i18n.End(r.Window.End, loc))
	case edition.PhaseDue:
		return i18n.Msg("Round 2: scoring by the Evaluation Committee. The window ended on {{.When}}; the round is not closed yet.", "When", i18n.End(r.Window.End, loc))
	}
	return i18n.Msg("Round 2: scoring by the Evaluation Committee. Closed on {{.When}}.", "When", i18n.Start(*r.ClosedAt, loc))
}

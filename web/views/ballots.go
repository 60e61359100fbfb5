package views

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dustin/go-humanize/english"

	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/field"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/web/components"
	"prizeportal/web/pages"
)

// Round 3, the vote of the Prize Council (DOMAIN.md "Round 3: voting by the Prize Council"): the
// views of the council, ballot and protocol pages.

// Vote is what a ballot route acts on: the edition, the category, and the actor's place.
type Vote struct {
	Edition  *edition.Edition
	Category *edition.Category
	User     int64
	Member   bool // on the edition's council (checked in SQL)
	// Chair: the actor decides for the category as chair (the chair, or the deputy chair where
	// the chair is conflicted with one of its entries); Refusal says why the chair or the deputy
	// does not, and who does.
	Chair   bool
	Refusal string
}

// notice is the page's notice: the refusal of the chair's actions when there is no other.
func (vc *Vote) notice(notice string) string {
	if notice == "" {
		return vc.Refusal
	}
	return notice
}

// CouncilView is the council page of ed from its board; chosen is the member posted as chair.
func CouncilView(ed *edition.Edition, board *ballot.Board, chosen string, errs field.Errors) pages.CouncilView {
	v := pages.CouncilView{Name: ed.Name, Errors: errs, Action: CouncilHref(ed.ID), Window: i18n.Window(ed.Schedule.Voting.Start, ed.Schedule.Voting.End, ed.TimeZone),
		Method: ballot.MethodLabel(ed.Voting.Method)}
	names := map[int64]string{}
	opts := []components.Option{{Value: "", Label: i18n.M("Choose a member")}}
	for _, m := range board.Members {
		names[m.ID] = m.Label()
		v.Members = append(v.Members, pages.CouncilMember{Name: m.Label(), Email: m.Email, Chair: m.Chair})
		id := strconv.FormatInt(m.ID, 10)
		opts = append(opts, components.Option{Value: id, Label: m.Label(), Selected: id == chosen || (chosen == "" && m.Chair)})
	}
	v.Chair = components.Field{Name: "chair", Label: i18n.M("Chair of the council"), Type: "select", Required: true, Options: opts,
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
			cc.ProtocolHref = BallotURL(ed.ID, c.Key, "protocol")
		}
		v.Categories = append(v.Categories, cc)
	}
	return v
}

// RankName, AbstainName and ConflictName are the names of the inputs of entry id on a ballot;
// OrderName is the one of its position in the chair's tie-break.
func RankName(id int64) string { return "rank-" + strconv.FormatInt(id, 10) }

func AbstainName(id int64) string { return "abstain-" + strconv.FormatInt(id, 10) }

func ConflictName(id int64) string { return "conflict-" + strconv.FormatInt(id, 10) }

// BallotView is the ballot page of vc's member from their sheet at now; posted (non-nil after a
// failed save) keeps what was typed.
func BallotView(vc *Vote, sh *ballot.Sheet, now time.Time, posted url.Values, errs field.Errors, notice string) pages.BallotView {
	ed, cat, st, mine := vc.Edition, vc.Category, sh.Status, sh.Mine
	v := pages.BallotView{
		Edition: ed.Name, Category: cat.Name, Errors: errs, Notice: vc.notice(notice),
		Method: ballot.MethodLabel(ed.Voting.Method), Status: st.Text(), Closed: st.Closed,
		Action: BallotsHref(ed.ID, cat.Key), CloseAction: BallotURL(ed.ID, cat.Key, "close"),
		ProtocolHref: BallotURL(ed.ID, cat.Key, "protocol"), Chair: vc.Chair, Quorate: st.Quorate(),
		Candidates: len(sh.Candidates), Window: ballot.WindowText(ed, st.Closed, now), Saved: mine.SavedText(ed.TimeZone),
		Editable: ballot.VotingOpen(ed, now) && !st.Closed && len(sh.Candidates) > 0, CanClose: vc.Chair && ballot.MayClose(ed, st, now),
	}
	for _, m := range sh.Members {
		v.Voters = append(v.Voters, pages.BallotVoter{Name: m.Label(), Voted: slices.Contains(sh.Voted, m.ID), You: m.ID == vc.User, Chair: m.Chair})
	}
	for _, c := range sh.Candidates {
		id, reasons := c.ApplicationID, sh.Conflicts[c.ApplicationID]
		line, saved := mine.Line(id)
		e := pages.BallotEntry{Title: c.Title, Organisation: c.Organisation, Place: dossier.PlaceText(c.City, c.Country),
			Reasons: reasons, Conflicted: len(reasons) > 0}
		e.Rank = components.Field{Name: RankName(id), Label: i18n.Msg("Your rank for {{.Title}}", "Title", c.Title), Type: "number", InputMode: "numeric",
			Hint: i18n.M("1 = best; give two entries the same number to tie them."), Error: errs.Get(RankName(id))}
		e.Abstain = components.Field{Name: AbstainName(id), Label: i18n.M("I abstain on this entry: I have a conflict of interest"), Type: "checkbox"}
		e.Conflict = components.Field{Name: ConflictName(id), Label: i18n.Msg("Your conflict with {{.Title}}", "Title", c.Title), Type: "text", MaxLength: ballot.MaxConflict,
			Hint: i18n.M("Required to abstain: say what ties you to this entry."), Error: errs.Get(ConflictName(id))}
		switch {
		case posted != nil:
			e.Rank.Value, e.Abstain.Checked, e.Conflict.Value = strings.TrimSpace(posted.Get(RankName(id))), posted.Get(AbstainName(id)) == "yes", posted.Get(ConflictName(id))
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

func OrderName(id int64) string { return "order-" + strconv.FormatInt(id, 10) }

// protocolAward is a row of the awards of the protocol: confirmed says by whom, when.
func protocolAward(p *ballot.Protocol, a ballot.Award, confirmed string) pages.ProtocolAward {
	return pages.ProtocolAward{Prize: a.PrizeName, Place: strconv.Itoa(a.Place), Title: p.ByID[a.ApplicationID].Title,
		No: ballot.EntryNo(a.ApplicationID), Confirmed: confirmed}
}

// ProtocolView is the protocol page of vc's closed vote; posted (non-nil after a failed
// decision) keeps what the chair typed.
func ProtocolView(vc *Vote, p *ballot.Protocol, posted url.Values, errs field.Errors, notice string) pages.ProtocolView {
	ed, cat, res := vc.Edition, vc.Category, p.Result
	v := pages.ProtocolView{
		Edition: ed.Name, Category: cat.Name, Errors: errs, Notice: vc.notice(notice), Deputy: p.Deputy,
		Method: ballot.MethodLabel(res.Method), Schulze: res.Method == edition.VotingSchulze,
		Closed: i18n.Msg("Closed by {{.Name}} on {{.When}}.", "Name", res.ClosedBy, "When", i18n.Instant(res.ClosedAt, ed.TimeZone)),
		Counts: i18n.Msg("{{.Ballots}} ballots from a council of {{.Council}} (quorum {{.Quorum}}).",
			"Ballots", res.Ballots, "Council", res.Council, "Quorum", res.Quorum),
		PDFHref: BallotURL(ed.ID, cat.Key, "protocol.pdf"), TieAction: BallotURL(ed.ID, cat.Key, "tiebreak"),
		ConfirmAction: BallotURL(ed.ID, cat.Key, "confirm"), TieBreaks: res.TieBreaks, Resolved: res.Resolved(),
		Chair: vc.Chair, Confirmed: len(p.Awards) > 0,
		Reason: components.Field{Name: "reason", Label: i18n.M("Reason for the decision (recorded in the protocol)"), Type: "textarea", Required: true,
			Value: posted.Get("reason"), Error: errs.Get("reason")},
	}
	if vc.Member {
		v.BallotHref = BallotsHref(ed.ID, cat.Key)
	}
	if res.DecidedAt != nil {
		v.Decision = i18n.Msg("The chair, {{.Name}}, decided on {{.When}}: {{.Reason}}", "Name", res.DecidedBy,
			"When", i18n.Instant(*res.DecidedAt, ed.TimeZone), "Reason", res.DecisionReason)
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
			c, no := p.ByID[id], p.No(id)
			v.Tied = append(v.Tied, pages.ProtocolCandidate{No: no, Title: c.Title, Field: components.Field{Name: OrderName(id),
				Label: i18n.Msg("Position of {{.Title}} ({{.No}})", "Title", c.Title, "No", no), Type: "number", InputMode: "numeric", Required: true,
				Value: strings.TrimSpace(posted.Get(OrderName(id))), Error: errs.Get(OrderName(id))}})
			names = append(names, c.Title+" ("+no+")")
		}
		// the names are joined in the protocol's language (English "A, B and C"; Korean lists
		// them with commas)
		series := english.WordSeries(names, "and")
		if p.Lang != nil && p.Lang.Korean() {
			series = strings.Join(names, ", ")
		}
		v.Unresolved = append(v.Unresolved, i18n.Msg("{{.Entries}} remain tied.", "Entries", series))
	}
	for _, row := range p.OrderRows() {
		v.Order = append(v.Order, pages.ProtocolPlace{Position: row[0], No: row[1], Title: row[2], Organisation: row[3]})
	}
	for _, a := range p.Awards {
		v.Awards = append(v.Awards, protocolAward(p, a, confirmedText(a, ed.TimeZone)))
	}
	for _, a := range p.Proposed(cat) {
		v.Proposed = append(v.Proposed, protocolAward(p, a, ""))
	}
	return v
}

// confirmedText says who confirmed award a and when, in loc, with what became of it later.
func confirmedText(a ballot.Award, loc *time.Location) string {
	when := i18n.Instant(a.ConfirmedAt, loc)
	switch a.Status {
	case ballot.AwardDeclined:
		return i18n.Msg("Confirmed by {{.Name}} on {{.When}}; later declined (the winner could not attend)", "Name", a.ConfirmedBy, "When", when)
	case ballot.AwardInvalidated:
		return i18n.Msg("Confirmed by {{.Name}} on {{.When}}; later invalidated", "Name", a.ConfirmedBy, "When", when)
	case ballot.AwardMoved:
		return i18n.Msg("Confirmed by {{.Name}} on {{.When}}; later moved up to a better place", "Name", a.ConfirmedBy, "When", when)
	}
	return i18n.Msg("Confirmed by {{.Name}} on {{.When}}", "Name", a.ConfirmedBy, "When", when)
}

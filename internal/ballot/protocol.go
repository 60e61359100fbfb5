package ballot

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/db"
	"prizeportal/internal/deputy"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/voting"
)

// Protocol is the result protocol of a category's closed vote (DOMAIN.md "Round 3": the council
// selects the winners by a voting system; the protocol shows how): the stored result, the
// recount of the frozen ballots for the matrices, the anonymised ballots, the candidates and the
// confirmed awards. The page and the PDF (Document) read it; the council and the secretariat
// see it only after the close.
type Protocol struct {
	Result     *Result
	Count      voting.Result
	Ballots    []voting.Ballot
	Candidates []Candidate // by application id
	Order      []Candidate // the candidates in the final order
	Awards     []Award
	ByID       map[int64]Candidate
	// Deputy says that the deputy chair closed, decided or confirmed in the chair's place, and
	// why (authz.Seat.Note; "" when the chair did).
	Deputy string
	// Lang is the reader's language (the request's, i18n.From): the protocol's own words, on
	// its page and in its PDF, are in it.
	Lang *i18n.Localizer
}

// l is the reader's language, English when none was set.
func (p *Protocol) l() *i18n.Localizer {
	if p.Lang == nil {
		return i18n.For("en")
	}
	return p.Lang
}

// LoadProtocol reads the protocol of categoryID's vote in editionID: ErrNotClosed while the vote
// is open.
func LoadProtocol(ctx context.Context, q db.DBTX, editionID, categoryID int64) (*Protocol, error) {
	res, err := ResultOf(ctx, q, categoryID)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, ErrNotClosed
	}
	p := &Protocol{Result: res, ByID: map[int64]Candidate{}, Lang: i18n.From(ctx)}
	if p.Count, err = Count(ctx, q, categoryID); err != nil {
		return nil, err
	}
	if p.Ballots, err = Counted(ctx, q, categoryID); err != nil {
		return nil, err
	}
	if p.Candidates, err = Candidates(ctx, q, editionID, categoryID); err != nil {
		return nil, err
	}
	slices.SortFunc(p.Candidates, func(a, b Candidate) int { return int(a.ApplicationID - b.ApplicationID) })
	for _, c := range p.Candidates {
		p.ByID[c.ApplicationID] = c
	}
	for _, id := range res.Order {
		p.Order = append(p.Order, p.ByID[id])
	}
	if p.Awards, err = Awards(ctx, q, categoryID); err != nil {
		return nil, err
	}
	deciders, err := db.List(ctx, q, "ballot: protocol deciders", pgx.RowTo[int64], `
		SELECT closed_by FROM vote_results WHERE category_id = $1
		UNION SELECT decided_by FROM vote_results WHERE category_id = $1 AND decided_by IS NOT NULL
		UNION SELECT confirmed_by FROM awards WHERE category_id = $1`, categoryID)
	if err != nil {
		return nil, err
	}
	if p.Deputy, err = deputy.Note(ctx, q, editionID, categoryID, authz.PostChair, deciders); err != nil {
		return nil, err
	}
	return p, nil
}

// MethodLabel names a voting method (edition.VotingSchulze, edition.VotingBorda) for people.
func MethodLabel(m string) string {
	if m == edition.VotingBorda {
		return i18n.M("Borda count")
	}
	return i18n.M("Schulze method")
}

// EntryNo names an entry in the protocol: "No. 12", carried for translation where it is shown
// (i18n.T).
func EntryNo(id int64) string { return i18n.Msg("No. {{.No}}", "No", strconv.FormatInt(id, 10)) }

// No is EntryNo in the reader's language.
func (p *Protocol) No(id int64) string { return p.l().T(EntryNo(id)) }

// BallotCell is what an anonymised ballot gives entry id: its rank, or "abstained".
func BallotCell(b voting.Ballot, id int64) string {
	if r, ok := b.Ranks[id]; ok {
		return strconv.Itoa(r)
	}
	return i18n.M("abstained")
}

// PointsText shows Borda points.
func PointsText(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

// Matrix lays out a pairwise matrix of the count (d or p) over the candidates: one row per
// candidate, its EntryNo first, "—" on the diagonal.
func (p *Protocol) Matrix(m map[[2]int64]int) [][]string {
	var rows [][]string
	for _, a := range p.Candidates {
		row := []string{p.No(a.ApplicationID)}
		for _, b := range p.Candidates {
			if a.ApplicationID == b.ApplicationID {
				row = append(row, "—")
			} else {
				row = append(row, strconv.Itoa(m[[2]int64{a.ApplicationID, b.ApplicationID}]))
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// Counts says how many ballots the vote counted, from a council of how many, with its quorum.
func (p *Protocol) Counts() string {
	r := p.Result
	return p.l().T("{{.Ballots}} from a council of {{.Council}} (quorum {{.Quorum}})", "Ballots", r.Ballots, "Council", r.Council, "Quorum", r.Quorum)
}

// CandidateRows are the candidates of the protocol, one row each: EntryNo, title,
// organisation, committee score ("—" without one) and, under the Borda count, the points.
func (p *Protocol) CandidateRows() [][]string {
	var rows [][]string
	for _, c := range p.Candidates {
		row := []string{p.No(c.ApplicationID), c.Title, c.Organisation, "—"}
		if sc, ok := p.Result.Scores[c.ApplicationID]; ok {
			row[3] = numfmt.Score2(sc)
		}
		if pt, ok := p.Count.Points[c.ApplicationID]; ok {
			row = append(row, PointsText(pt))
		}
		rows = append(rows, row)
	}
	return rows
}

// BallotRows are the anonymised ballots, one row each: "Ballot n", then the cell of each
// candidate (BallotCell).
func (p *Protocol) BallotRows() [][]string {
	var rows [][]string
	for i, b := range p.Ballots {
		row := []string{p.l().T("Ballot {{.Number}}", "Number", strconv.Itoa(i+1))}
		for _, c := range p.Candidates {
			row = append(row, p.l().T(BallotCell(b, c.ApplicationID)))
		}
		rows = append(rows, row)
	}
	return rows
}

// OrderRows are the final order, one row per place: position, EntryNo, title, organisation.
func (p *Protocol) OrderRows() [][]string {
	var rows [][]string
	for i, c := range p.Order {
		rows = append(rows, []string{strconv.Itoa(i + 1), p.No(c.ApplicationID), c.Title, c.Organisation})
	}
	return rows
}

// Document is the protocol of cat's vote in ed as a PDF document, created at now, in the
// reader's language (Lang).
func (p *Protocol) Document(ed *edition.Edition, cat *edition.Category, now time.Time) pdfdoc.Document {
	res, l, loc := p.Result, p.l(), ed.TimeZone
	header := []string{l.T("Ballot")}
	for _, c := range p.Candidates {
		header = append(header, p.No(c.ApplicationID))
	}
	cands, ballots, order := p.CandidateRows(), p.BallotRows(), p.OrderRows()
	var awards [][]string
	for _, a := range p.Awards {
		awards = append(awards, []string{l.T(a.PrizeName), p.No(a.ApplicationID), p.ByID[a.ApplicationID].Title, l.T(confirmedBy(a))})
	}
	candHeader := []string{l.T("Entry"), l.T("Title"), l.T("Organisation"), l.T("Committee score")}
	if res.Method == edition.VotingBorda {
		candHeader = append(candHeader, l.T("Borda points"))
	}
	count := []pdfdoc.Block{pdfdoc.Table{Label: l.T("Pairwise count d[row, column]: ballots ranking the row above the column"),
		Header: append([]string{""}, header[1:]...), Rows: p.Matrix(p.Count.Pairwise)}}
	if res.Method == edition.VotingSchulze {
		count = append(count, pdfdoc.Table{Label: l.T("Strongest paths p[row, column]"), Header: append([]string{""}, header[1:]...), Rows: p.Matrix(p.Count.Strongest)})
	}
	tb := []pdfdoc.Block{pdfdoc.List{Label: l.T("Tie-breaks applied (committee score, then the chair's decision)"), Items: res.TieBreaks}}
	if res.DecidedAt != nil {
		tb = append(tb, pdfdoc.Answer{Label: l.T("The chair's decision"), Value: l.T("{{.Name}}, {{.When}}: {{.Reason}}",
			"Name", res.DecidedBy, "When", i18n.Instant(*res.DecidedAt, loc), "Reason", res.DecisionReason)})
	}
	if !res.Resolved() {
		tb = append(tb, pdfdoc.Note{Text: l.T("Ties remain for the chair to decide: the order below is provisional.")})
	}
	doc := pdfdoc.Document{
		Title: l.T("Result protocol: {{.Category}}", "Category", cat.Name), Subtitle: ed.Name, Created: now.In(loc),
		Meta: []pdfdoc.Field{{Label: l.T("Method"), Value: l.T(MethodLabel(res.Method))},
			{Label: l.T("Closed"), Value: l.T("{{.Name}}, {{.When}}", "Name", res.ClosedBy, "When", i18n.Instant(res.ClosedAt, loc))},
			{Label: l.T("Ballots"), Value: p.Counts()}},
		Sections: []pdfdoc.Section{
			{Heading: l.T("Candidates"), Blocks: []pdfdoc.Block{pdfdoc.Table{Header: candHeader, Rows: cands}}},
			{Heading: l.T("Ballots"), Intro: l.T("Anonymised, in a random order: 1 = best; equal numbers are ties."),
				Blocks: []pdfdoc.Block{pdfdoc.Table{Header: header, Rows: ballots}}},
			{Heading: l.T("Count"), Blocks: count},
			{Heading: l.T("Tie-breaks"), Blocks: tb},
			{Heading: l.T("Final order"), Blocks: []pdfdoc.Block{pdfdoc.Table{Header: []string{l.T("Position"), l.T("Entry"), l.T("Title"), l.T("Organisation")}, Rows: order}}},
		},
	}
	if l.Lang() != "en" {
		doc.Words = pdfdoc.Words{
			Confidential: l.T("Confidential"),
			Generated:    l.T("Generated {{.When}}", "When", i18n.Instant(now, loc)),
			PageOf: func(page, pages int) string {
				return l.T("Page {{.Page}} of {{.Pages}}", "Page", page, "Pages", pages)
			},
		}
	}
	if p.Deputy != "" {
		doc.Meta = append(doc.Meta, pdfdoc.Field{Label: l.T("Deputy chair"), Value: l.T(p.Deputy)})
	}
	if len(awards) > 0 {
		doc.Sections = append(doc.Sections, pdfdoc.Section{Heading: l.T("Winners confirmed by the chair"),
			Blocks: []pdfdoc.Block{pdfdoc.Table{Header: []string{l.T("Prize"), l.T("Entry"), l.T("Title"), l.T("Confirmed by")}, Rows: awards}}})
	}
	return doc
}

// confirmedBy is who confirmed award a, with what became of it later (LaterStatus), carried for
// translation.
func confirmedBy(a Award) string {
	switch a.Status {
	case AwardDeclined:
		return i18n.Msg("{{.Name}}; later declined (the winner could not attend)", "Name", a.ConfirmedBy)
	case AwardInvalidated:
		return i18n.Msg("{{.Name}}; later invalidated", "Name", a.ConfirmedBy)
	case AwardMoved:
		return i18n.Msg("{{.Name}}; later moved up to a better place", "Name", a.ConfirmedBy)
	}
	return a.ConfirmedBy
}

// ProtocolDocument is the result protocol of cat's closed vote in ed as a PDF document
// (ErrNotClosed while the vote is open), for the protocol's download and the decision pack.
func (s *Service) ProtocolDocument(ctx context.Context, ed *edition.Edition, cat *edition.Category) (pdfdoc.Document, error) {
	p, err := LoadProtocol(ctx, s.Pool, ed.ID, cat.ID)
	if err != nil {
		return pdfdoc.Document{}, err
	}
	return p.Document(ed, cat, s.Now()), nil
}

package ballot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/authz"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/blocks/timefmt"
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
	p := &Protocol{Result: res, ByID: map[int64]Candidate{}}
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

// LaterStatus says what became of an award after the vote (internal/award): nothing for a
// standing one.
func LaterStatus(status string) string {
	switch status {
	case AwardDeclined:
		return "; later declined (the winner could not attend)"
	case AwardInvalidated:
		return "; later invalidated"
	case AwardMoved:
		return "; later moved up to a better place"
	}
	return ""
}

// EntryNo names an entry in the protocol: "No. 12".
func EntryNo(id int64) string { return "No. " + strconv.FormatInt(id, 10) }

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
		row := []string{EntryNo(a.ApplicationID)}
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
func (r *Result) Counts() string {
	return fmt.Sprintf("%d from a council of %d (quorum %d)", r.Ballots, r.Council, r.Quorum)
}

// CandidateRows are the candidates of the protocol, one row each: EntryNo, title,
// organisation, committee score ("—" without one) and, under the Borda count, the points.
func (p *Protocol) CandidateRows() [][]string {
	var rows [][]string
	for _, c := range p.Candidates {
		row := []string{EntryNo(c.ApplicationID), c.Title, c.Organisation, "—"}
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
		row := []string{"Ballot " + strconv.Itoa(i+1)}
		for _, c := range p.Candidates {
			row = append(row, BallotCell(b, c.ApplicationID))
		}
		rows = append(rows, row)
	}
	return rows
}

// OrderRows are the final order, one row per place: position, EntryNo, title, organisation.
func (p *Protocol) OrderRows() [][]string {
	var rows [][]string
	for i, c := range p.Order {
		rows = append(rows, []string{strconv.Itoa(i + 1), EntryNo(c.ApplicationID), c.Title, c.Organisation})
	}
	return rows
}

// Document is the protocol of cat's vote in ed as a PDF document, created at now.
func (p *Protocol) Document(ed *edition.Edition, cat *edition.Category, now time.Time) pdfdoc.Document {
	res := p.Result
	header := []string{"Ballot"}
	for _, c := range p.Candidates {
		header = append(header, EntryNo(c.ApplicationID))
	}
	cands, ballots, order := p.CandidateRows(), p.BallotRows(), p.OrderRows()
	var awards [][]string
	for _, a := range p.Awards {
		awards = append(awards, []string{a.PrizeName, EntryNo(a.ApplicationID), p.ByID[a.ApplicationID].Title, a.ConfirmedBy + LaterStatus(a.Status)})
	}
	candHeader := []string{"Entry", "Title", "Organisation", "Committee score"}
	if res.Method == edition.VotingBorda {
		candHeader = append(candHeader, "Borda points")
	}
	count := []pdfdoc.Block{pdfdoc.Table{Label: "Pairwise count d[row, column]: ballots ranking the row above the column",
		Header: append([]string{""}, header[1:]...), Rows: p.Matrix(p.Count.Pairwise)}}
	if res.Method == edition.VotingSchulze {
		count = append(count, pdfdoc.Table{Label: "Strongest paths p[row, column]", Header: append([]string{""}, header[1:]...), Rows: p.Matrix(p.Count.Strongest)})
	}
	tb := []pdfdoc.Block{pdfdoc.List{Label: "Tie-breaks applied (committee score, then the chair's decision)", Items: res.TieBreaks}}
	if res.DecidedAt != nil {
		tb = append(tb, pdfdoc.Answer{Label: "The chair's decision", Value: res.DecidedBy + ", " + timefmt.Instant(*res.DecidedAt, ed.TimeZone) + ": " + res.DecisionReason})
	}
	if !res.Resolved() {
		tb = append(tb, pdfdoc.Note{Text: "Ties remain for the chair to decide: the order below is provisional."})
	}
	doc := pdfdoc.Document{
		Title: "Result protocol: " + cat.Name, Subtitle: ed.Name, Created: now.In(ed.TimeZone),
		Meta: []pdfdoc.Field{{Label: "Method", Value: MethodLabel(res.Method)},
			{Label: "Closed", Value: res.ClosedBy + ", " + timefmt.Instant(res.ClosedAt, ed.TimeZone)},
			{Label: "Ballots", Value: res.Counts()}},
		Sections: []pdfdoc.Section{
			{Heading: "Candidates", Blocks: []pdfdoc.Block{pdfdoc.Table{Header: candHeader, Rows: cands}}},
			{Heading: "Ballots", Intro: "Anonymised, in a random order: 1 = best; equal numbers are ties.",
				Blocks: []pdfdoc.Block{pdfdoc.Table{Header: header, Rows: ballots}}},
			{Heading: "Count", Blocks: count},
			{Heading: "Tie-breaks", Blocks: tb},
			{Heading: "Final order", Blocks: []pdfdoc.Block{pdfdoc.Table{Header: []string{"Position", "Entry", "Title", "Organisation"}, Rows: order}}},
		},
	}
	if p.Deputy != "" {
		doc.Meta = append(doc.Meta, pdfdoc.Field{Label: "Deputy chair", Value: p.Deputy})
	}
	if len(awards) > 0 {
		doc.Sections = append(doc.Sections, pdfdoc.Section{Heading: "Winners confirmed by the chair",
			Blocks: []pdfdoc.Block{pdfdoc.Table{Header: []string{"Prize", "Entry", "Title", "Confirmed by"}, Rows: awards}}})
	}
	return doc
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

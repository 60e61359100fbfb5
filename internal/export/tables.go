package export

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"prizeportal/internal/application"
	"prizeportal/internal/authz"
	"prizeportal/internal/ballot"
	"prizeportal/internal/blocks/country"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/numfmt"
	"prizeportal/internal/blocks/pdfdoc"
	"prizeportal/internal/db"
	"prizeportal/internal/dossier"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
	"prizeportal/internal/ranking"
	"prizeportal/internal/voting"
)

// builder builds the tables and files of one export, as its requester (actor) at now, recording
// its progress.
type builder struct {
	*producer
	actor authz.Actor
	ed    *edition.Edition
	now   time.Time
	l     *i18n.Localizer // the requester's language (Options.Lang): the workbook's words in it
	p     *progress
}

// ts are keys in the requester's language.
func (b *builder) ts(keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = b.l.T(k)
	}
	return out
}

// no is "No. 12", entry id's number, in the requester's language: in Korean a workbook names it
// "응모작 12", a cell read on its own (the protocol's ballot.EntryNo reads "12번" in a sentence).
func (b *builder) no(id int64) string {
	return b.l.T("No. {{.ID}}", "ID", strconv.FormatInt(id, 10))
}

// title is an entry's title, or "Untitled entry 12", in the requester's language
// (dossier.TitleText).
func (b *builder) title(title string, id int64) string { return b.l.T(dossier.TitleText(title, id)) }

// countryName is the country of code in the requester's language; "" for none or an unknown
// code (country.Name).
func (b *builder) countryName(code string) string {
	if !country.Valid(code) {
		return ""
	}
	return b.l.T(i18n.Country(code))
}

// instant is t in the edition's time zone, in the requester's language (timefmt.Instant).
func (b *builder) instant(t time.Time) string { return b.l.T(i18n.Instant(t, b.ed.TimeZone)) }

// decision is round 1's decision as the workbook words it: eligible, ineligible, clarification.
func (b *builder) decision(d string) string {
	switch d {
	case "eligible":
		return b.l.T(i18n.M("eligible"))
	case "ineligible":
		return b.l.T(i18n.M("ineligible"))
	case "clarification":
		return b.l.T(i18n.M("clarification"))
	}
	return d
}

// vote is what the tables read of a closed vote: its result, the counted ballots, the candidates
// (by entry) in their final order and the awards.
type vote struct {
	result *ballot.Result
	ballot []voting.Ballot
	cands  []ballot.Candidate
	order  []ballot.Candidate // cands in the final order
	awards []ballot.Award
}

// loadVote reads the closed vote of cat in ed (internal/ballot refuses open votes: db.ErrNotFound
// while it is open).
func loadVote(ctx context.Context, q db.DBTX, ed *edition.Edition, cat *edition.Category) (*vote, error) {
	res, err := ballot.ResultOf(ctx, q, cat.ID)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, fmt.Errorf("export: vote of %s: not closed: %w", cat.Key, db.ErrNotFound)
	}
	v := &vote{result: res}
	if v.ballot, err = ballot.Counted(ctx, q, cat.ID); err != nil {
		return nil, err
	}
	if v.cands, err = ballot.Candidates(ctx, q, ed.ID, cat.ID); err != nil {
		return nil, err
	}
	slices.SortFunc(v.cands, func(a, b ballot.Candidate) int { return int(a.ApplicationID - b.ApplicationID) })
	byID := map[int64]ballot.Candidate{}
	for _, c := range v.cands {
		byID[c.ApplicationID] = c
	}
	for _, id := range res.Order {
		v.order = append(v.order, byID[id])
	}
	if v.awards, err = ballot.Awards(ctx, q, cat.ID); err != nil {
		return nil, err
	}
	return v, nil
}

// answerCell is an answer as one cell: the lines of application.AnswerLines (choices as their
// labels, documents by name), marked when the applicant marked it confidential.
func answerCell(f *form.Form, q *form.Question, a form.Answers) string {
	if !f.Visible(q, a) {
		return ""
	}
	ans := a[q.Key]
	lines := application.AnswerLines(q, ans)
	sep := "\n"
	if q.Type == form.MultipleChoice || q.Type == form.File {
		sep = "; "
	}
	cell := strings.Join(lines, sep)
	if ans.Confidential && cell != "" {
		cell = ConfidentialMark + cell
	}
	return cell
}

func yesNo(b bool) string {
	if b {
		return i18n.M("Yes")
	}
	return i18n.M("No")
}

// applicationTables are the entries of ed that actor reads under scope, a table per category.
// Only the secretariat's export (AllEntries) holds the registrants' names, emails and round 1's
// decisions; the others hold what their pages show (the score sheet, the dossier).
func (b *builder) applicationTables(ctx context.Context, scope Scope) ([]Table, error) {
	actor, ed, p := b.actor, b.ed, b.p
	entries, err := Entries(ctx, b.Pool, actor.UserID, ed.ID, scope, b.now)
	if err != nil {
		return nil, err
	}
	if err := p.setTotal(p.total + len(entries)); err != nil {
		return nil, err
	}
	staff := scope == AllEntries
	var out []Table
	for ci := range ed.Categories {
		cat := &ed.Categories[ci]
		t := Table{Name: cat.Name, Header: b.ts(i18n.M("Entry"), i18n.M("Title"), i18n.M("Organisation"), i18n.M("Entity type"), i18n.M("City"),
			i18n.M("Country"), i18n.M("Submitted"), i18n.M("Version"))}
		if staff {
			t.Header = append(t.Header, b.ts(i18n.M("Applicant (account)"), i18n.M("Email"), i18n.M("Round 1 decision"))...)
		}
		nominations := cat.Nominations != nil
		if nominations {
			t.Header = append(t.Header, b.ts(i18n.M("Self-nomination"), i18n.M("Candidate"), i18n.M("Candidate's organisation"),
				i18n.M("Candidate's position"), i18n.M("Candidate heads an organisation"))...)
			if staff {
				t.Header = append(t.Header, b.ts(i18n.M("Candidate's email"), i18n.M("Nominator category"), i18n.M("Nominator's organisation"))...)
			}
		}
		var questions []*form.Question
		if cat.Form != nil {
			questions = cat.Form.Questions()
		}
		for _, q := range questions {
			h := q.Label
			if q.MayBeConfidential {
				// the mark itself is the same in every language: a reader filters the cells by it
				h = b.l.T("{{.Question}} {{.Mark}} if marked", "Question", q.Label, "Mark", strings.TrimSpace(ConfidentialMark))
			}
			t.Header = append(t.Header, h)
		}
		for _, e := range entries {
			if e.CategoryID != cat.ID {
				continue
			}
			title, org := application.Title(e.Answers), e.Organisation
			if e.Nomination != nil {
				title = b.l.T("Nomination of {{.Name}}", "Name", e.Nomination.CandidateName)
				if e.Nomination.CandidateOrganisation != "" {
					org = e.Nomination.CandidateOrganisation
				}
			}
			et := e.EntityType
			if x, ok := ed.EntityType(e.EntityType); ok {
				et = x.Name
			}
			row := []string{b.no(e.ID), b.title(title, e.ID), org, et, e.City, b.countryName(e.Country),
				b.instant(e.SubmittedAt), strconv.Itoa(e.Version)}
			if staff {
				row = append(row, e.Applicant, e.Email, b.decision(e.Decision))
			}
			if nominations {
				n := Nominee{}
				if e.Nomination != nil {
					n = *e.Nomination
				}
				row = append(row, b.l.T(yesNo(n.Self)), n.CandidateName, n.CandidateOrganisation, n.CandidatePosition, b.l.T(yesNo(n.CandidateIsHead)))
				if staff {
					nc := n.NominatorCategory
					if x, ok := cat.Nominations.Category(nc); ok {
						nc = x.Name
					}
					row = append(row, n.CandidateEmail, nc, n.NominatorOrganisation)
				}
			}
			for _, q := range questions {
				row = append(row, answerCell(cat.Form, q, e.Answers))
			}
			t.Rows = append(t.Rows, row)
			if err := p.add(1); err != nil {
				return nil, err
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// scoreTables are the score sheets of ed, a table per category with sheets: the committee's
// (own false: the secretariat and the head, once the round is closed) or actor's own sheets of
// their assigned entries (own true). anonymise names the evaluators "Evaluator N", numbered by
// their account in this export, so each keeps one number throughout it.
func (b *builder) scoreTables(ctx context.Context, anonymise, own bool) ([]Table, error) {
	actor, ed, p := b.actor, b.ed, b.p
	var sheets []Sheet
	var err error
	if own {
		sheets, err = OwnSheets(ctx, b.Pool, actor.UserID, ed.ID, b.now)
	} else {
		sheets, err = CommitteeSheets(ctx, b.Pool, actor.UserID, ed.ID)
	}
	if err != nil {
		return nil, err
	}
	if err := p.setTotal(p.total + len(sheets)); err != nil {
		return nil, err
	}
	names := map[int64]string{}
	if anonymise {
		var ids []int64
		for _, sh := range sheets {
			if _, ok := names[sh.EvaluatorID]; !ok {
				names[sh.EvaluatorID] = ""
				ids = append(ids, sh.EvaluatorID)
			}
		}
		slices.Sort(ids)
		for i, id := range ids {
			// committee.EvaluatorLabel's wording, in the requester's language
			names[id] = b.l.T("Evaluator {{.Number}}", "Number", i+1)
		}
	}
	var out []Table
	for ci := range ed.Categories {
		cat := &ed.Categories[ci]
		name := b.l.T("Scores, {{.Category}}", "Category", cat.Name)
		if own {
			name = b.l.T("Your scores, {{.Category}}", "Category", cat.Name)
		}
		t := Table{Name: name, Header: b.ts(i18n.M("Entry"), i18n.M("Title"), i18n.M("Evaluator"), i18n.M("Sheet status"), i18n.M("Submitted"))}
		for _, c := range cat.Criteria {
			for _, ind := range c.Indicators {
				t.Header = append(t.Header, c.Name+": "+ind.Name)
			}
			t.Header = append(t.Header, b.l.T("{{.Criterion}}: mean", "Criterion", c.Name), b.l.T("{{.Criterion}}: comment", "Criterion", c.Name))
		}
		t.Header = append(t.Header, b.l.T("Overall comment"))
		for _, sh := range sheets {
			if sh.CategoryID != cat.ID {
				continue
			}
			who := sh.Evaluator
			if anonymise {
				who = names[sh.EvaluatorID]
			}
			submitted := ""
			if sh.SubmittedAt != nil {
				submitted = b.instant(*sh.SubmittedAt)
			}
			status := b.l.T("Submitted")
			if sh.Status != "submitted" {
				status = b.l.T("Draft (not counted)")
			}
			row := []string{b.no(sh.ApplicationID), b.title(sh.Title, sh.ApplicationID), who, status, submitted}
			for _, c := range cat.Criteria {
				sum, n := 0, 0
				for _, ind := range c.Indicators {
					if v, ok := sh.Scores[ind.ID]; ok {
						row = append(row, strconv.Itoa(v))
						sum += v
						n++
					} else {
						row = append(row, "")
					}
				}
				mean := ""
				if n > 0 {
					mean = numfmt.Score2(float64(sum) / float64(n))
				}
				row = append(row, mean, sh.Comments[c.Key])
			}
			row = append(row, sh.Overall)
			t.Rows = append(t.Rows, row)
			if err := p.add(1); err != nil {
				return nil, err
			}
		}
		if len(t.Rows) > 0 {
			out = append(out, t)
		}
	}
	return out, nil
}

// closedVotes are the categories of ed whose vote is closed, for actor (internal/export repeats
// the council or secretariat role in SQL, and internal/ballot refuses open votes).
func (b *builder) closedVotes(ctx context.Context) ([]*edition.Category, error) {
	ids, err := ClosedVotes(ctx, b.Pool, b.actor.UserID, b.ed.ID)
	if err != nil {
		return nil, err
	}
	var out []*edition.Category
	for _, id := range ids {
		if c := categoryByID(b.ed, id); c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// voteTables are, per closed vote of ed, the anonymous ballots (as the protocol shows them) and
// the result: the final order with the committee scores, the awards and the tie-breaks.
func (b *builder) voteTables(ctx context.Context) ([]Table, error) {
	ed, p := b.ed, b.p
	cats, err := b.closedVotes(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.setTotal(p.total + len(cats)); err != nil {
		return nil, err
	}
	var out []Table
	for _, cat := range cats {
		pr, err := loadVote(ctx, b.Pool, ed, cat)
		if err != nil {
			return nil, err
		}
		res := pr.result
		ballots := Table{Name: b.l.T("Ballots, {{.Category}}", "Category", cat.Name), Header: b.ts(i18n.M("Ballot"))}
		for _, c := range pr.cands {
			ballots.Header = append(ballots.Header, b.no(c.ApplicationID)+" "+c.Title)
		}
		for i, bl := range pr.ballot {
			row := []string{b.l.T("Ballot {{.Number}}", "Number", i+1)}
			for _, c := range pr.cands {
				row = append(row, b.l.T(ballotCell(bl, c.ApplicationID)))
			}
			ballots.Rows = append(ballots.Rows, row)
		}
		prizes := map[int64][]string{}
		for _, a := range pr.awards {
			prizes[a.ApplicationID] = append(prizes[a.ApplicationID], a.PrizeName)
		}
		result := Table{Name: b.l.T("Results, {{.Category}}", "Category", cat.Name),
			Header: b.ts(i18n.M("Place"), i18n.M("Entry"), i18n.M("Title"), i18n.M("Organisation"), i18n.M("Committee score"), i18n.M("Award"))}
		for i, c := range pr.order {
			sc := ""
			if v, ok := res.Scores[c.ApplicationID]; ok {
				sc = numfmt.Score2(v)
			}
			result.Rows = append(result.Rows, []string{strconv.Itoa(i + 1), b.no(c.ApplicationID), c.Title, c.Organisation, sc,
				strings.Join(prizes[c.ApplicationID], "; ")})
		}
		result.Rows = append(result.Rows, []string{}, []string{b.l.T("Method"), b.l.T(methodLabel(res.Method))},
			[]string{b.l.T("Ballots"), b.l.T("{{.Ballots}} from a council of {{.Council}} (quorum {{.Quorum}})",
				"Ballots", res.Ballots, "Council", res.Council, "Quorum", res.Quorum)},
			[]string{b.l.T("Closed"), b.instant(res.ClosedAt)})
		for _, tb := range res.TieBreaks {
			result.Rows = append(result.Rows, []string{b.l.T("Tie-break"), b.l.T(tb)})
		}
		if res.DecidedAt != nil {
			result.Rows = append(result.Rows, []string{b.l.T("Chair's decision"), res.DecisionReason})
		}
		if !res.Resolved() {
			result.Rows = append(result.Rows, []string{b.l.T("Note"), b.l.T("Ties remain for the chair to decide: the order is provisional.")})
		}
		out = append(out, ballots, result)
		if err := p.add(1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// auditTables is the audit log (admins: internal/export repeats the role in SQL).
func (b *builder) auditTables(ctx context.Context) ([]Table, error) {
	p := b.p
	rows, err := AuditLog(ctx, b.Pool, b.actor.UserID)
	if err != nil {
		return nil, err
	}
	if err := p.setTotal(len(rows)); err != nil {
		return nil, err
	}
	t := Table{Name: b.l.T("Audit log"), Header: b.ts(i18n.M("ID"), i18n.M("At (UTC)"), i18n.M("Actor"), i18n.M("Action"), i18n.M("Object type"),
		i18n.M("Object ID"), i18n.M("IP"), i18n.M("Details"))}
	for _, a := range rows {
		t.Rows = append(t.Rows, []string{strconv.FormatInt(a.ID, 10), a.At.UTC().Format(time.RFC3339), a.Actor, a.Action, a.ObjectType,
			a.ObjectID, a.IP, a.Details})
		if err := p.add(1); err != nil {
			return nil, err
		}
	}
	return []Table{t}, nil
}

// decisionPack builds the decision pack of ed for actor (the secretariat): decision-data.xlsx
// (every entry, the scores once the round is closed, the closed votes), a PDF dossier per
// confirmed semi-finalist (internal/dossier's rules), the result protocol of each closed vote
// and methodology.pdf. The workbook and the PDF documents are in the language of the member who
// asked for the pack (DOMAIN.md: the prize runs in Korean and English).
func (b *builder) decisionPack(ctx context.Context, opts Options) ([]byte, error) {
	actor, ed, p, lang := b.actor, b.ed, b.p, b.l
	// the dossiers and the protocols take their reader's language from the context, as on
	// their downloads
	docCtx := i18n.With(ctx, lang)
	semis, err := dossier.List(ctx, b.Pool, actor.UserID, ed.ID)
	if err != nil {
		return nil, err
	}
	cats, err := b.closedVotes(ctx)
	if err != nil {
		return nil, err
	}
	// the dossiers, the protocols and the note; the workbook's rows add theirs
	if err := p.setTotal(len(semis) + len(cats) + 1); err != nil {
		return nil, err
	}
	tables, err := b.applicationTables(ctx, AllEntries)
	if err != nil {
		return nil, err
	}
	closed, method, err := ScoringClosed(ctx, b.Pool, ed.ID)
	if err != nil {
		return nil, err
	}
	if closed {
		scores, err := b.scoreTables(ctx, opts.Anonymise, false)
		if err != nil {
			return nil, err
		}
		tables = append(tables, scores...)
	}
	votes, err := b.voteTables(ctx)
	if err != nil {
		return nil, err
	}
	tables = append(tables, votes...)
	var book bytes.Buffer
	if err := WriteXLSX(&book, tables); err != nil {
		return nil, err
	}
	out := []File{{Name: "decision-data.xlsx", Data: book.Bytes()}}
	for _, e := range semis {
		pdf, err := b.Documents.Dossier(docCtx, actor, e.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: "dossiers/dossier-" + strconv.FormatInt(e.ID, 10) + "-" + Slug(dossier.Title(e.Title, e.ID)) + ".pdf", Data: pdf})
		if err := p.add(1); err != nil {
			return nil, err
		}
	}
	abstentions := map[string]int{}
	for _, cat := range cats {
		pdf, err := b.Documents.Protocol(docCtx, actor, ed, cat)
		if err != nil {
			return nil, err
		}
		out = append(out, File{Name: "protocols/protocol-" + Slug(cat.Key) + ".pdf", Data: pdf})
		cands, err := ballot.Candidates(ctx, b.Pool, ed.ID, cat.ID)
		if err != nil {
			return nil, err
		}
		counted, err := ballot.Counted(ctx, b.Pool, cat.ID)
		if err != nil {
			return nil, err
		}
		for _, bl := range counted {
			abstentions[cat.Name] += len(cands) - len(bl.Ranks)
		}
		if err := p.add(1); err != nil {
			return nil, err
		}
	}
	conflicts, err := ConflictCounts(ctx, b.Pool, actor.UserID, ed.ID)
	if err != nil {
		return nil, err
	}
	note, err := pdfdoc.Bytes(b.methodologyNote(lang, ed, closed, method, conflicts, cats, abstentions))
	if err != nil {
		return nil, err
	}
	out = append(out, File{Name: "methodology.pdf", Data: note})
	if err := p.add(1); err != nil {
		return nil, err
	}
	var zipped bytes.Buffer
	if err := WriteZIP(&zipped, out, b.now); err != nil {
		return nil, err
	}
	return zipped.Bytes(), nil
}

// methodologyNote explains how the decisions of ed were reached, in l: the criteria with their
// weights and indicators, round 2's aggregation method, the conflicts of interest excluded and
// round 3's voting method with its tie-break chain (DOMAIN.md "Round 2", "Round 3").
func (b *builder) methodologyNote(l *i18n.Localizer, ed *edition.Edition, scoringClosed bool, method string, c Conflicts, cats []*edition.Category, abstentions map[string]int) pdfdoc.Document {
	now := b.now.In(ed.TimeZone)
	doc := pdfdoc.Document{Title: l.T("Methodology note"), Subtitle: ed.Name, Created: now,
		Footer: l.T("{{.Edition}}: methodology note (internal)", "Edition", ed.Name)}
	if l.Lang() != "en" {
		doc.Words = pdfdoc.Words{
			Confidential: l.T("Confidential"),
			Generated:    l.T("Generated {{.When}}", "When", i18n.Instant(now, ed.TimeZone)),
			PageOf: func(page, pages int) string {
				return l.T("Page {{.Page}} of {{.Pages}}", "Page", page, "Pages", pages)
			},
		}
	}
	criteria := pdfdoc.Section{Heading: l.T("Criteria and weights"),
		Intro: l.T("Each evaluator scores every indicator; a sheet's score on a criterion is the mean of its indicator scores, and its overall score the weighted mean of its criterion scores. Only submitted sheets count.")}
	for ci := range ed.Categories {
		cat := &ed.Categories[ci]
		t := pdfdoc.Table{Label: l.T("{{.Category}} (scale {{.Min}} to {{.Max}})", "Category", cat.Name, "Min", strconv.Itoa(cat.Scale.Min), "Max", strconv.Itoa(cat.Scale.Max)),
			Header: []string{l.T("Criterion"), l.T("Weight"), l.T("Indicators")}}
		for _, cr := range cat.Criteria {
			var inds []string
			for _, ind := range cr.Indicators {
				inds = append(inds, ind.Name)
			}
			t.Rows = append(t.Rows, []string{cr.Name, strconv.FormatFloat(cr.Weight, 'f', -1, 64), strings.Join(inds, "; ")})
		}
		criteria.Blocks = append(criteria.Blocks, t)
	}
	m := ranking.Method(method)
	state := l.T("The scoring round is not closed yet: the scores are sealed.")
	if scoringClosed {
		state = l.T("The scoring round is closed.")
	}
	aggregation := pdfdoc.Section{Heading: l.T("Aggregation of the scores (round 2)"), Blocks: []pdfdoc.Block{
		pdfdoc.Answer{Label: l.T("Aggregation method"), Value: l.T("{{.Method}} ({{.Code}}), chosen by the committee head before the scores were unsealed.", "Method", m.Label(), "Code", method)},
		pdfdoc.Note{Text: state},
	}}
	conflicts := pdfdoc.Section{Heading: l.T("Conflicts of interest excluded"),
		Intro: l.T("No evaluator is assigned an entry that matches a conflict of theirs (the registry or their own declarations); a conflict found later hides the entry from them."),
		Blocks: []pdfdoc.Block{pdfdoc.Table{Header: []string{l.T("What"), l.T("Count")}, Rows: [][]string{
			{l.T("Assignments ended by the evaluator's recusal"), strconv.Itoa(c.Recused)},
			{l.T("Assignments removed by the committee head or the secretariat"), strconv.Itoa(c.Removed)},
			{l.T("Active assignments excluded by a conflict"), strconv.Itoa(c.Conflicted)},
		}}}}
	var abst [][]string
	for _, cat := range cats {
		abst = append(abst, []string{l.T("Council abstentions for a conflict, {{.Category}}", "Category", cat.Name), strconv.Itoa(abstentions[cat.Name])})
	}
	if len(abst) > 0 {
		conflicts.Blocks = append(conflicts.Blocks, pdfdoc.Table{Header: []string{l.T("Round 3"), l.T("Count")}, Rows: abst})
	}
	quorum := l.T("A category's vote closes once a majority of the council have cast a ballot.")
	if ed.Voting.Quorum > 0 {
		quorum = l.T("A category's vote closes once {{.Quorum}} members have cast a ballot.", "Quorum", strconv.Itoa(ed.Voting.Quorum))
	}
	votingMethod := ballot.MethodLabel(ed.Voting.Method)
	voting := pdfdoc.Section{Heading: l.T("Voting (round 3)"), Blocks: []pdfdoc.Block{
		pdfdoc.Answer{Label: l.T("Voting method"), Value: l.T("{{.Method}} ({{.Code}}): each council member ranks the confirmed semi-finalists of a category, or abstains on an entry stating a conflict.",
			"Method", votingMethod, "Code", ed.Voting.Method)},
		pdfdoc.Answer{Label: l.T("Quorum"), Value: quorum},
		pdfdoc.List{Label: l.T("Tie-break chain"), Items: []string{
			l.T("1. The count's own order ({{.Method}}).", "Method", votingMethod),
			l.T("2. The committee's aggregate score of round 2, higher first."),
			l.T("3. The chair's recorded decision, with its reason, for ties the scores leave."),
		}},
	}}
	doc.Sections = []pdfdoc.Section{criteria, aggregation, conflicts, voting}
	return doc
}

// categoryByID returns the category of ed with id; nil when there is none.
func categoryByID(ed *edition.Edition, id int64) *edition.Category {
	for i := range ed.Categories {
		if ed.Categories[i].ID == id {
			return &ed.Categories[i]
		}
	}
	return nil
}

func ballotCell(b voting.Ballot, id int64) string {
	if r, ok := b.Ranks[id]; ok {
		return strconv.Itoa(r)
	}
	return i18n.M("abstained")
}

func methodLabel(m string) string {
	if m == edition.VotingBorda {
		return i18n.M("Borda count")
	}
	return i18n.M("Schulze method")
}

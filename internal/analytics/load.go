package analytics

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/db"
	"prizeportal/internal/edition"
	"prizeportal/internal/ranking"
)

// Data is everything the analytics of an edition show a viewer, loaded at once (Load).
type Data struct {
	ChoiceQs    []ChoiceQuestion
	NumberQs    []NumericQuestion
	Submissions []Count
	Choices     []ChoiceCount
	Values      []NumberValue
	Summaries   []NumberSummary
	// Closed reports that the committee head has closed round 2: only then are the score
	// distributions and the semi-finalists' profiles loaded (the scores are sealed until then,
	// DOMAIN.md "Round 2").
	Closed     bool
	Criteria   []Distribution
	Evaluators []Distribution
	Profiles   []Profile
}

// Load reads the analytics of edition ed for viewer: the submission counts, the answers to the
// choice questions of its forms, the answers to their numeric questions and, once round 2 is closed, the score distributions and the semi-finalists' profiles.
// Every query repeats who may read it in SQL.
func Load(ctx context.Context, q db.DBTX, viewer int64, ed *edition.Edition) (Data, error) {
	d := Data{ChoiceQs: ChoiceQuestions(ed), NumberQs: NumericQuestions(ed)}
	editionID := ed.ID
	choices := make([]string, len(d.ChoiceQs))
	for i, c := range d.ChoiceQs {
		choices[i] = c.Question.Key
	}
	numbers := make([]NumberQuestion, len(d.NumberQs))
	for i, n := range d.NumberQs {
		numbers[i] = NumberQuestion{CategoryID: n.Category.ID, Key: n.Question.Key}
	}
	var err error
	if d.Submissions, err = Submissions(ctx, q, viewer, editionID); err != nil {
		return Data{}, err
	}
	if d.Choices, err = Choices(ctx, q, viewer, editionID, choices); err != nil {
		return Data{}, err
	}
	if len(numbers) > 0 {
		if d.Values, d.Summaries, err = Numbers(ctx, q, viewer, editionID, numbers); err != nil {
			return Data{}, err
		}
	}
	st, err := ranking.Round(ctx, q, editionID)
	if err != nil {
		return Data{}, err
	}
	if d.Closed = st.Closed(); !d.Closed {
		return d, nil
	}
	if d.Criteria, d.Evaluators, err = Scores(ctx, q, viewer, editionID); err != nil {
		return Data{}, err
	}
	if d.Profiles, err = Profiles(ctx, q, viewer, editionID); err != nil {
		return Data{}, err
	}
	return d, nil
}

// ownCategories is ed as evaluator reads its analysis: only the categories they score
// (evaluator_categories), the rest of the edition as it is.
func ownCategories(ctx context.Context, q db.DBTX, evaluator int64, ed *edition.Edition) (*edition.Edition, error) {
	ids, err := db.List(ctx, q, "analytics: own categories", pgx.RowTo[int64],
		`SELECT category_id FROM evaluator_categories WHERE user_id = $1`, evaluator)
	if err != nil {
		return nil, err
	}
	own := *ed
	own.Categories = nil
	for _, c := range ed.Categories {
		if slices.Contains(ids, c.ID) {
			own.Categories = append(own.Categories, c)
		}
	}
	return &own, nil
}

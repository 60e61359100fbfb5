// Package edition holds a prize edition as data: its categories, eligibility, criteria with
// indicators and weights, scoring scale, prizes, schedule and application forms (DOMAIN.md,
// "Editions are data" in ARCHITECTURE.md). A definition is read from a YAML file, validated, and
// stored in Postgres. The forms are internal/blocks/form values, checked here with the paths of the file.
package edition

import (
	"slices"
	"strconv"
	"time"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/blocks/timefmt"
)

// Kind is what a category receives: project applications or leadership nominations.
type Kind string

// The kinds of category (DOMAIN.md, "Categories").
const (
	KindProject    Kind = "project"
	KindLeadership Kind = "leadership"
)

// Edition is one edition of the prize as stored, with every time already resolved to an instant.
type Edition struct {
	ID              int64
	Slug            string
	Name            string
	Year            int
	Theme           string
	Intro           string
	ContactEmail    string
	TimeZone        *time.Location
	Schedule        Schedule
	EntityTypes     []EntityType
	Categories      []Category
	SpecialMentions SpecialMentions
	// Scoring holds the settings of round 2 (the committee's scoring), defaults applied.
	Scoring Scoring
	// Voting holds the settings of round 3 (the council's vote), defaults applied.
	Voting Voting
	// Publication says what the portal publishes of the edition, defaults applied.
	Publication Publication
	// RetentionYears is how many whole years after Schedule.WinnersAnnounced the personal data
	// of the edition's unsuccessful entries are kept (internal/privacy purges them then).
	RetentionYears int
	// Terms is the text of the terms and conditions, in its version TermsVersion (from 1; 0 with
	// no text of its own: the portal's default terms apply).
	Terms        string
	TermsVersion int
	// Language is the language the edition is written in, and its applications answered in
	// ("en" unless the definition says otherwise).
	Language string
	// Translations holds, per language, the translations of the edition's texts keyed by the
	// text (Definition.Translations, keys trimmed); read-only. See translate.go.
	Translations map[string]map[string]string
	UpdatedAt    time.Time
	// Status is StatusDraft until the edition's managers publish it (a draft is visible only to
	// them), then StatusPublished.
	Status string
	// Version counts the changes stored (import or studio): a change made on an older version is
	// refused as a conflict.
	Version int
}

// TermsLabel names the version of the terms and conditions a registration accepts now: the
// edition's own ("seoul-2024/2"), or def, the version of the portal's default terms.
func (e *Edition) TermsLabel(def string) string {
	if e.TermsVersion == 0 {
		return def
	}
	return e.Slug + "/" + strconv.Itoa(e.TermsVersion)
}

// Draft reports whether the edition is a draft, visible only to its managers.
func (e *Edition) Draft() bool { return e.Status == StatusDraft }

// DefaultRetentionYears is the retention period of an edition whose definition gives none.
const DefaultRetentionYears = 5

// RetentionEnd is when the retention period of the edition's personal data ends: RetentionYears
// after the winners' announcement.
func (e *Edition) RetentionEnd() time.Time {
	return e.Schedule.WinnersAnnounced.AddDate(e.RetentionYears, 0, 0)
}

// The counting methods of the council's vote (DOMAIN.md "Round 3": a voting system, Schulze by default, or Borda).
const (
	VotingSchulze = "schulze"
	VotingBorda   = "borda"
)

// Voting is the edition's settings of round 3, the vote of the Prize Council (DOMAIN.md "Round 3").
type Voting struct {
	// Method is how ballots are counted: VotingSchulze or VotingBorda.
	Method string
	// Quorum is how many council members must have cast a ballot in a category before its vote
	// may close; 0 means a majority of the council (see QuorumOf).
	Quorum int
	// AttendanceDeadline is when first-place winners must have confirmed their attendance at the
	// ceremony (DOMAIN.md "Round 3"); the zero time means one week before the ceremony starts (see
	// Edition.AttendanceDeadline).
	AttendanceDeadline time.Time
}

// AttendanceDeadline is when first-place winners must have confirmed their attendance at the
// ceremony: the voting block's attendance_deadline, or one week (local) before the ceremony.
func (e *Edition) AttendanceDeadline() time.Time {
	if !e.Voting.AttendanceDeadline.IsZero() {
		return e.Voting.AttendanceDeadline
	}
	start := e.Schedule.Ceremony.Start
	if e.TimeZone != nil {
		start = start.In(e.TimeZone)
	}
	return start.AddDate(0, 0, -7)
}

// QuorumOf returns the number of ballots needed for a council of the given size: Quorum when
// set, otherwise a majority (more than half) of the council.
func (v Voting) QuorumOf(council int) int {
	if v.Quorum > 0 {
		return v.Quorum
	}
	return council/2 + 1
}

// DefaultVoting is Voting with every default applied.
func DefaultVoting() Voting { return Voting{Method: VotingSchulze} }

// DefaultEvaluatorsPerEntry is how many evaluators score each entry when the edition does not
// say (DOMAIN.md "Round 2": N evaluators, an edition setting, 3 by default).
const DefaultEvaluatorsPerEntry = 3

// Scoring is the edition's settings of round 2, the scoring by the Evaluation Committee
// (DOMAIN.md "Round 2").
type Scoring struct {
	// EvaluatorsPerEntry is how many evaluators the assignment gives each entry (>= 1).
	EvaluatorsPerEntry int
	// CriterionCommentsRequired says a score sheet needs a comment on every criterion to be
	// submitted; otherwise they are optional.
	CriterionCommentsRequired bool
	// CountryConflicts makes an evaluator conflicted with every entry from a country they are
	// tied to: the country of their account, and of each city they declared.
	CountryConflicts bool
	// Method is the aggregation method the committee head's ranking page proposes (one of
	// AggregationMethods); the head still records the method explicitly before closing the round
	// (DOMAIN.md "Round 2": the choice is on the record before anyone sees a score).
	Method string
}

// AggregationMethods are the aggregation methods of round 2, as the definition names them:
// internal/ranking computes each of them (its tests check that the two lists agree).
var AggregationMethods = []string{"mean", "median", "trimmed_mean", "zscore"}

// DefaultAggregationMethod is the aggregation method proposed when the definition gives none.
const DefaultAggregationMethod = "mean"

// DefaultScoring is Scoring with every default applied.
func DefaultScoring() Scoring {
	return Scoring{EvaluatorsPerEntry: DefaultEvaluatorsPerEntry, Method: DefaultAggregationMethod}
}

// The choices of which entries of an edition the public best-practice repository shows
// (DOMAIN.md "Data and publication"); in every case only the entries whose applicant consented
// to publication, without what they marked confidential.
const (
	// RepositoryAll: every consented entry (the default).
	RepositoryAll = "all"
	// RepositoryFinalists: only the winners and the semi-finalists of a confirmed list.
	RepositoryFinalists = "finalists"
	// RepositoryNone: none of the edition's entries.
	RepositoryNone = "none"
)

// RepositoryChoices are the values of Publication.Repository, in the order the studio offers them.
var RepositoryChoices = []string{RepositoryAll, RepositoryFinalists, RepositoryNone}

// Publication is what the portal publishes of an edition besides its winners (DOMAIN.md "Data
// and publication": full texts or summaries may be published). The public pages and their
// queries read it from the edition's row.
type Publication struct {
	// Repository says which consented entries the public best-practice repository shows:
	// RepositoryAll, RepositoryFinalists or RepositoryNone.
	Repository string
	// SemiFinalistsList says whether the public page of the semi-finalists shows the confirmed
	// lists from the announcement on; without it, the entrants learn their outcome by email only.
	SemiFinalistsList bool
}

// DefaultPublication is Publication with every default applied: everything published.
func DefaultPublication() Publication {
	return Publication{Repository: RepositoryAll, SemiFinalistsList: true}
}

// EntityType is a kind of registrant, such as City, Company, Institution or Individual.
type EntityType struct {
	ID          int64 // database id; 0 until stored
	Key         string
	Name        string
	Description string
}

// Category is a prize category with its eligibility, criteria, scale and prizes.
type Category struct {
	ID            int64 // database id; 0 until stored
	Key           string
	Name          string
	Kind          Kind
	Description   string
	CoreValue     string
	EligibleTypes []string // entity type keys
	SemiFinalists int
	Scale         Scale
	Criteria      []Criterion
	Prizes        []Prize
	// Form is the application form of the category: the project application form, or for a
	// leadership category the Leadership Application Form. Every category of a valid definition
	// has one; read-only.
	Form *form.Form
	// Nominations holds who may nominate and recommend and when a nomination qualifies; it is
	// non-nil exactly for leadership categories. Read-only.
	Nominations *Nominations
}

// NominatorCategory is one category of people who may nominate a Leadership candidate
// (DOMAIN.md "Leadership nominations"; guidelines §6).
type NominatorCategory struct {
	Key  string
	Name string
	// Head marks the "head of" categories: a letter of recommendation must come from someone in
	// one of them.
	Head bool
}

// Nominations are the nomination rules of a leadership category (DOMAIN.md "Leadership
// nominations"): who may nominate, who may recommend, and the citizen endorsements that may
// replace a letter of recommendation.
type Nominations struct {
	NominatorCategories []NominatorCategory
	// EndorsementsMoreThan is the number of confirmed citizen endorsements a nomination without
	// a letter of recommendation must exceed (30 in 2023: "more than 30 citizens").
	EndorsementsMoreThan int
	// LetterDeadline is the instant letters of recommendation (and endorsements) are due: the
	// application deadline when the definition sets none.
	LetterDeadline time.Time
}

// HeadCategories returns the "head of" nominator categories, the ones a recommender must belong
// to, in the order of the definition.
func (n *Nominations) HeadCategories() []NominatorCategory {
	var heads []NominatorCategory
	for _, c := range n.NominatorCategories {
		if c.Head {
			heads = append(heads, c)
		}
	}
	return heads
}

// Category returns the nominator category with the given key.
func (n *Nominations) Category(key string) (NominatorCategory, bool) {
	for _, c := range n.NominatorCategories {
		if c.Key == key {
			return c, true
		}
	}
	return NominatorCategory{}, false
}

// Qualifies reports whether a nomination without a letter of recommendation qualifies with the
// given number of confirmed citizen endorsements: it needs more than EndorsementsMoreThan
// (DOMAIN.md "Leadership nominations": "signatures from more than 30 citizens").
func (n *Nominations) Qualifies(confirmed int) bool {
	return confirmed > n.EndorsementsMoreThan
}

// Scale is the scoring scale of a category (inclusive bounds).
type Scale struct {
	Min int
	Max int
}

// Criterion is one evaluation criterion with its weight and indicators.
type Criterion struct {
	ID          int64 // database id; 0 until stored
	Key         string
	Name        string
	Description string
	Weight      float64
	Indicators  []Indicator
}

// Indicator is one scored indicator of a criterion.
type Indicator struct {
	ID   int64 // database id; 0 until stored
	Key  string
	Name string
}

// Prize is one place awarded in a category (first, second, ...).
type Prize struct {
	ID    int64 // database id; 0 until stored
	Place int
	Name  string
	Count int
}

// SpecialMentions describes the prizes given by the organisers without applications.
type SpecialMentions struct {
	Description string
	Awards      []SpecialMention
}

// SpecialMention is one kind of special mention and how many are given.
type SpecialMention struct {
	Name        string
	Description string
	Count       int
}

// Schedule is the edition's timeline. Every instant is absolute; show it in the edition's TimeZone.
type Schedule struct {
	ApplicationsOpen       time.Time
	ApplicationDeadline    time.Time
	Screening              Window
	Scoring                Window
	SemiFinalistsAnnounced time.Time
	Voting                 Window
	WinnersAnnounced       time.Time
	Ceremony               Window
	// GracePeriod is how long after ApplicationDeadline the server still accepts saves and
	// submissions (whole seconds, 0 for none). It is never shown to applicants: the published
	// deadline stays ApplicationDeadline.
	GracePeriod time.Duration
}

// Window is a period: Start is inclusive and End is exclusive. Dates given without a time in the
// definition file run from the start of the first day to the end of the last day.
type Window struct {
	Start time.Time
	End   time.Time
}

// Text shows the window in loc for people, always with the zone (timefmt.Window): whole days
// read "1–30 June 2023" (End is exclusive).
func (w Window) Text(loc *time.Location) string { return timefmt.Window(w.Start, w.End, loc) }

// Category returns the category with the given key.
func (e *Edition) Category(key string) (*Category, bool) {
	for i := range e.Categories {
		if e.Categories[i].Key == key {
			return &e.Categories[i], true
		}
	}
	return nil, false
}

// CategoryByID returns the category with the given id.
func (e *Edition) CategoryByID(id int64) (*Category, bool) {
	for i := range e.Categories {
		if e.Categories[i].ID == id {
			return &e.Categories[i], true
		}
	}
	return nil, false
}

// EntityType returns the entity type with the given key.
func (e *Edition) EntityType(key string) (*EntityType, bool) {
	for i := range e.EntityTypes {
		if e.EntityTypes[i].Key == key {
			return &e.EntityTypes[i], true
		}
	}
	return nil, false
}

// Eligible reports whether a registrant of the given entity type may enter the category
// (DOMAIN.md, "Registration": City, Company and Institution only in the project categories,
// Individual only in Leadership; the pairs themselves are edition data).
func (c *Category) Eligible(entityType string) bool {
	return slices.Contains(c.EligibleTypes, entityType)
}

// Criterion returns the criterion of the category with the given key.
func (c *Category) Criterion(key string) (*Criterion, bool) {
	for i := range c.Criteria {
		if c.Criteria[i].Key == key {
			return &c.Criteria[i], true
		}
	}
	return nil, false
}

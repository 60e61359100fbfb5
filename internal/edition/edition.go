// Package edition holds a prize edition as data: its categories, eligibility, criteria with
// indicators and weights, scoring scale, prizes, schedule and application forms (DOMAIN.md,
// "Editions are data" in ARCHITECTURE.md). A definition is read from a YAML file, validated, and
// stored in Postgres. The forms are internal/form values, checked here with the paths of the file.
package edition

import (
	"slices"
	"time"

	"prizeportal/internal/form"
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
	UpdatedAt       time.Time
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
	// Form is the application form of the category; nil when it has none (a leadership
	// category until nominations bring their form). Read-only.
	Form *form.Form
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

// Category returns the category with the given key.
func (e *Edition) Category(key string) (*Category, bool) {
	for i := range e.Categories {
		if e.Categories[i].Key == key {
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

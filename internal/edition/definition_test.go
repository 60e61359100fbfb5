package edition_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// minimal is a small valid definition that the tests vary.
const minimal = `slug: test-2030
name: Test Prize 2030
year: 2030
contact_email: team@example.org
time_zone: Europe/Paris
schedule:
  applications_open: 2030-01-10 09:00
  application_deadline: 2030-02-28
  screening: {start: 2030-03-01, end: 2030-03-15}
  scoring: {start: 2030-03-16, end: 2030-03-29}
  semi_finalists_announced: 2030-04-01 12:00
  voting: {start: 2030-04-02, end: 2030-04-10}
  winners_announced: 2030-04-15
  ceremony: {start: 2030-05-01 18:00, end: 2030-05-01 22:00}
entity_types:
  - {key: city, name: City}
  - {key: person, name: Person}
scale: {min: 0, max: 10}
categories:
  - key: projects
    name: Projects
    kind: project
    eligible_entity_types: [city]
    semi_finalists: 3
    prizes:
      - {place: 1, name: Gold, count: 1}
      - {place: 2, name: Silver, count: 1}
    criteria:
      - key: impact
        name: Impact
        weight: 2
        indicators: [Reach, Depth, {key: cost, name: Cost effectiveness}]
      - key: novelty
        name: Novelty
        indicators: [Originality]
    form:
      sections:
        - key: about
          title: About the project
          questions:
            - {key: title, label: Title, type: short_text, required: true}
            - key: stage
              label: Stage
              type: single_choice
              options: [{key: idea, label: Idea}, {key: done, label: Done}]
            - {key: done_on, label: Finished on, type: date, show_if: {question: stage, equals: done}}
            - {key: story, label: Impact story, type: long_text, max_words: 100, criterion: impact}
  - key: people
    name: People
    kind: leadership
    eligible_entity_types: [person]
    semi_finalists: 2
    scale: {min: 1, max: 3}
    prizes: [{place: 1, name: Laureate, count: 2}]
    criteria:
      - key: vision
        name: Vision
        indicators: [Clarity]
    form:
      sections:
        - key: candidate
          title: The candidate
          questions:
            - {key: achievements, label: Achievements, type: long_text, max_words: 800, required: true, criterion: vision}
    nominations:
      nominator_categories:
        - {key: peer, name: Peer}
        - {key: head, name: Head of an organisation, head: true}
      endorsements_more_than: 10
`

// edit returns src with old replaced by new, failing the test unless old occurs exactly once.
func edit(t *testing.T, src, old, new string) string {
	t.Helper()
	if n := strings.Count(src, old); n != 1 {
		t.Fatalf("edit: %q occurs %d times", old, n)
	}
	return strings.Replace(src, old, new, 1)
}

func mustResolve(t *testing.T, src []byte) (*edition.Definition, *edition.Edition) {
	t.Helper()
	d, err := edition.Parse(src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	e, err := d.Resolve()
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	return d, e
}

func builtin(t *testing.T, name string) []byte {
	t.Helper()
	data, err := edition.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestBuiltinsParseAndValidate(t *testing.T) {
	t.Parallel()
	names := edition.BuiltinNames()
	if want := []string{"seoul-2023", "seoul-2024"}; !slices.Equal(names, want) {
		t.Fatalf("BuiltinNames = %v, want %v", names, want)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			_, e := mustResolve(t, builtin(t, name))
			if e.Slug != name {
				t.Errorf("slug = %q, want %q", e.Slug, name)
			}
		})
	}
	if _, err := edition.Builtin("seoul-2023.yaml"); err != nil {
		t.Errorf("Builtin with extension: %v", err)
	}
	if _, err := edition.Builtin("nope"); err == nil {
		t.Error("Builtin(nope) succeeded")
	}
}

func indicatorNames(c edition.Criterion) []string {
	return collect(c.Indicators, func(in edition.Indicator) string { return in.Name })
}

// TestSeoul2023MatchesDomain checks the reference edition against DOMAIN.md and the guidelines.
func TestSeoul2023MatchesDomain(t *testing.T) {
	t.Parallel()
	_, e := mustResolve(t, builtin(t, "seoul-2023"))

	if e.Name != "Seoul Smart City Prize 2023" || e.Year != 2023 || e.ContactEmail != "info@seoulsmartcityprize.com" ||
		e.Theme != "Fostering digital transformation through innovative and inclusive approaches for sustainable smart cities" {
		t.Errorf("header = %q %d %q %q", e.Name, e.Year, e.ContactEmail, e.Theme)
	}
	var types []string
	for _, et := range e.EntityTypes {
		types = append(types, et.Name)
	}
	if want := []string{"City", "Company", "Institution", "Individual"}; !slices.Equal(types, want) {
		t.Errorf("entity types = %v, want %v", types, want)
	}

	tests := []struct {
		key, name     string
		kind          edition.Kind
		coreValue     string
		eligible      []string
		indicators    []int // per criterion
		criteria      []string
		prizes        []edition.Prize
		semiFinalists int
	}{
		{
			key: "tech-innovacity", name: "Tech-InnovaCity", kind: edition.KindProject, coreValue: "technology and beyond",
			eligible:   []string{"city", "company", "institution"},
			indicators: []int{2, 3, 5, 2, 4},
			criteria:   []string{"Relevance to the Theme", "Aim of Efficiency", "Governance", "Promotion of Multidisciplinary Teamwork", "Data Security and Ethics"},
			prizes:     []edition.Prize{{Place: 1, Name: "First Prize", Count: 1}, {Place: 2, Name: "Second Prize", Count: 1}, {Place: 3, Name: "Third Prize", Count: 1}},
		},
		{
			key: "human-centricity", name: "Human-CentriCity", kind: edition.KindProject, coreValue: "accompanying the vulnerables",
			eligible:   []string{"city", "company", "institution"},
			indicators: []int{3, 3, 5, 3, 4},
			criteria:   []string{"Relevance to the Theme", "Aim of Efficiency", "Governance", "Promotion of Multidisciplinary Teamwork", "Data Security and Ethics"},
			prizes:     []edition.Prize{{Place: 1, Name: "First Prize", Count: 1}, {Place: 2, Name: "Second Prize", Count: 1}, {Place: 3, Name: "Third Prize", Count: 1}},
		},
		{
			key: "leadership", name: "Leadership", kind: edition.KindLeadership,
			eligible:   []string{"individual"},
			indicators: []int{2, 2, 2, 2},
			criteria:   []string{"Relevance to the Theme", "Impact", "Collaborative Effort", "Communication and Engagement"},
			prizes:     []edition.Prize{{Place: 1, Name: "Leadership Prize", Count: 2}},
		},
	}
	if len(e.Categories) != len(tests) {
		t.Fatalf("%d categories, want %d", len(e.Categories), len(tests))
	}
	for i, tt := range tests {
		c := e.Categories[i]
		if c.Key != tt.key || c.Name != tt.name || c.Kind != tt.kind || c.CoreValue != tt.coreValue {
			t.Errorf("category %d = %q %q %q %q", i, c.Key, c.Name, c.Kind, c.CoreValue)
		}
		if !slices.Equal(c.EligibleTypes, tt.eligible) {
			t.Errorf("%s eligible = %v, want %v", c.Key, c.EligibleTypes, tt.eligible)
		}
		if c.SemiFinalists != 5 || c.Scale != (edition.Scale{Min: 1, Max: 5}) {
			t.Errorf("%s semi-finalists %d, scale %v", c.Key, c.SemiFinalists, c.Scale)
		}
		if !slices.Equal(c.Prizes, tt.prizes) {
			t.Errorf("%s prizes = %v, want %v", c.Key, c.Prizes, tt.prizes)
		}
		var names []string
		var counts []int
		for _, cr := range c.Criteria {
			names, counts = append(names, cr.Name), append(counts, len(cr.Indicators))
			if cr.Weight != 1 {
				t.Errorf("%s/%s weight = %v, want 1", c.Key, cr.Key, cr.Weight)
			}
		}
		if !slices.Equal(names, tt.criteria) || !slices.Equal(counts, tt.indicators) {
			t.Errorf("%s criteria = %v %v, want %v %v", c.Key, names, counts, tt.criteria, tt.indicators)
		}
	}

	exact := []struct {
		category, criterion string
		indicators          []string
	}{
		{"tech-innovacity", "relevance-to-the-theme", []string{"Technological Novelty", "Transformative Implementation of Existing Technology"}},
		{"tech-innovacity", "governance", []string{"Transparency", "Institution and Policy", "Accountability", "Monitoring and Evaluation", "Digital Compatibility"}},
		{"human-centricity", "relevance-to-the-theme", []string{"Addressing Digital Divide", "DE&I (Diversity, Equity, and Inclusion)", "Environmental Sustainability"}},
		{"human-centricity", "aim-of-efficiency", []string{"User Friendliness", "Service Accessibility", "Technological Applicability"}},
		{"human-centricity", "multidisciplinary-teamwork", []string{"Collaborative Effort (PPP and PPPP, Public Private People Partnership)", "Stakeholder Diversity", "Citizen Voices"}},
		{"human-centricity", "data-security-and-ethics", []string{"Advocacy for Data Security (Privacy, Transparency, Data Sovereignty, Rights-Respecting)", "Data Management Strategy", "Organizational Responsibility", "Encryption of Private Data"}},
		{"leadership", "impact", []string{"Impact on the quality of life of citizens", "Impact on the smart city field and community"}},
	}
	for _, x := range exact {
		c, _ := e.Category(x.category)
		cr, ok := c.Criterion(x.criterion)
		if !ok {
			t.Errorf("no criterion %s/%s", x.category, x.criterion)
			continue
		}
		if got := indicatorNames(*cr); !slices.Equal(got, x.indicators) {
			t.Errorf("%s/%s indicators = %q, want %q", x.category, x.criterion, got, x.indicators)
		}
	}

	sm := e.SpecialMentions
	if len(sm.Awards) != 2 || sm.Awards[0].Count != 1 || sm.Awards[1].Count != 2 {
		t.Errorf("special mentions = %+v", sm)
	}

	seoul, _ := time.LoadLocation("Asia/Seoul")
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2023, m, d, h, min, 0, 0, seoul) }
	s := e.Schedule
	checks := []struct {
		name      string
		got, want time.Time
	}{
		{"applications open", s.ApplicationsOpen, at(time.March, 1, 0, 0)},
		{"deadline", s.ApplicationDeadline, at(time.May, 31, 23, 59)},
		{"screening start", s.Screening.Start, at(time.June, 1, 0, 0)},
		{"screening end (end of June 30)", s.Screening.End, at(time.July, 1, 0, 0)},
		{"scoring end (end of July 12)", s.Scoring.End, at(time.July, 13, 0, 0)},
		{"semi-finalists", s.SemiFinalistsAnnounced, at(time.July, 13, 0, 0)},
		{"voting", s.Voting.Start, at(time.July, 14, 0, 0)},
		{"voting end", s.Voting.End, at(time.July, 29, 0, 0)},
		{"winners", s.WinnersAnnounced, at(time.July, 31, 0, 0)},
		{"ceremony", s.Ceremony.Start, at(time.September, 24, 0, 0)},
		{"ceremony end", s.Ceremony.End, at(time.September, 27, 0, 0)},
	}
	for _, c := range checks {
		if !c.got.Equal(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if e.TimeZone.String() != "Asia/Seoul" {
		t.Errorf("time zone = %v", e.TimeZone)
	}
}

// TestSixCriterionFramework checks that the later framework (seed 001) is plain data.
func TestSixCriterionFramework(t *testing.T) {
	t.Parallel()
	_, e := mustResolve(t, builtin(t, "seoul-2024"))
	want := map[string][]int{
		"tech-innovacity":  {4, 4, 3, 2, 2, 4},
		"human-centricity": {4, 3, 4, 2, 2, 6},
		"leadership":       {2, 2, 2, 2},
	}
	for key, counts := range want {
		c, ok := e.Category(key)
		if !ok {
			t.Fatalf("no category %s", key)
		}
		var got []int
		for _, cr := range c.Criteria {
			got = append(got, len(cr.Indicators))
		}
		if !slices.Equal(got, counts) {
			t.Errorf("%s indicators per criterion = %v, want %v", key, got, counts)
		}
	}
	hc, _ := e.Category("human-centricity")
	if got := hc.Criteria[0].Name; got != "Problem -Centered Innovation: Appropriate identification of policy problems" {
		t.Errorf("first criterion = %q", got)
	}
	if got := indicatorNames(hc.Criteria[5]); got[5] != "DE&I Contribution" || got[1] != "Human-centeredness of the main effect" {
		t.Errorf("value creation indicators = %q", got)
	}
	ti, _ := e.Category("tech-innovacity")
	if got := ti.Criteria[1].Indicators[0].Name; got != "Applying appropriate technology (appropriate technology matched with identified problems)" {
		t.Errorf("indicator = %q", got)
	}
}

func TestDefaultsAndDerivedKeys(t *testing.T) {
	t.Parallel()
	_, e := mustResolve(t, []byte(minimal))
	projects, _ := e.Category("projects")
	if projects.Scale != (edition.Scale{Min: 0, Max: 10}) {
		t.Errorf("default scale not applied: %v", projects.Scale)
	}
	people, _ := e.Category("people")
	if people.Scale != (edition.Scale{Min: 1, Max: 3}) {
		t.Errorf("category scale not applied: %v", people.Scale)
	}
	if projects.Criteria[0].Weight != 2 || projects.Criteria[1].Weight != 1 {
		t.Errorf("weights = %v, %v; want 2 and the default 1", projects.Criteria[0].Weight, projects.Criteria[1].Weight)
	}
	var keys []string
	for _, in := range projects.Criteria[0].Indicators {
		keys = append(keys, in.Key)
	}
	if want := []string{"reach", "depth", "cost"}; !slices.Equal(keys, want) {
		t.Errorf("indicator keys = %v, want %v", keys, want)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	if want := time.Date(2030, 3, 1, 0, 0, 0, 0, paris); !e.Schedule.ApplicationDeadline.Equal(want) {
		t.Errorf("date-only deadline = %v, want the end of the day %v", e.Schedule.ApplicationDeadline, want)
	}
	if want := time.Date(2030, 5, 1, 22, 0, 0, 0, paris); !e.Schedule.Ceremony.End.Equal(want) {
		t.Errorf("ceremony end = %v, want %v", e.Schedule.Ceremony.End, want)
	}
}

func TestDeriveKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, want string }{
		{"Technological Novelty", "technological-novelty"},
		{"DE&I (Diversity, Equity, and Inclusion)", "de-i-diversity-equity-and-inclusion"},
		{"  Spill-over effect ", "spill-over-effect"},
		{"Direct/main effect of the project", "direct-main-effect-of-the-project"},
		{"Incorporation of citizens' voices", "incorporation-of-citizens-voices"},
		{"!!!", ""},
		{strings.Repeat("word ", 20), strings.TrimSuffix(strings.Repeat("word-", 13), "-")},
	}
	for _, tt := range tests {
		got := edition.DeriveKey(tt.name)
		if got != tt.want {
			t.Errorf("DeriveKey(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if got != "" && !edition.ValidKey(got) {
			t.Errorf("DeriveKey(%q) = %q is not a valid key", tt.name, got)
		}
	}
}

// bad has many problems; each must be reported at the path of its key.
const bad = `slug: Bad Slug
name: ""
year: twenty
contact_email: not-an-email
time_zone: Asia/Seol
schedule:
  applications_open: 2030-03-01
  application_deadline: 2030-02-01
  screening: {start: 2030-03-01, end: 2030-03-20}
  scoring: {start: 2030-03-10, end: 2030-03-31}
  semi_finalists_announced: 2030-04-01
  voting: {start: 2030-04-02, end: 2030-04-10}
  winners_announced: 2030/04/15
  ceremony: {start: 2030-05-01}
entity_types:
  - {key: city, name: City}
  - {key: city, name: Town}
scale: {min: 5, max: 1}
categories:
  - key: projects
    name: Projects
    kind: projet
    colour: blue
    eligible_entity_types: [city]
    semi_finalists: 0
    prizes: [{place: 1, name: Gold, count: 1}]
    criteria: []
  - key: projects
    name: Others
    kind: project
    eligible_entity_types: [citi]
    semi_finalists: 3
    prizes: [{place: 1, name: Gold, count: 1}, {place: 1, name: Again, count: 0}]
    criteria:
      - key: impact
        name: Impact
        weight: 0
        indicators: []
      - key: Impact
        name: ""
        weight: -1
        indicators: [Reach, Reach]
`

func TestValidationReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := edition.Parse([]byte(bad))
	var ve *edition.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Parse error = %v, want a *ValidationError", err)
	}
	paths := []string{
		"slug",
		"name",
		"year",
		"contact_email",
		"time_zone",
		"schedule.application_deadline",
		"schedule.scoring.start",
		"schedule.winners_announced",
		"schedule.ceremony.end",
		"entity_types[1].key",
		"scale.max",
		"categories[0].kind",
		"categories[0].colour",
		"categories[0].semi_finalists",
		"categories[0].criteria",
		"categories[1].key",
		"categories[1].form",
		"categories[1].eligible_entity_types[0]",
		"categories[1].prizes[1].place",
		"categories[1].prizes[1].count",
		"categories[1].criteria[0].weight",
		"categories[1].criteria[0].indicators",
		"categories[1].criteria[1].key",
		"categories[1].criteria[1].name",
		"categories[1].criteria[1].weight",
		"categories[1].criteria[1].indicators[1]",
	}
	for _, p := range paths {
		if !ve.Has(p) {
			t.Errorf("no problem reported at %s", p)
		}
	}
	if len(ve.Problems) != len(paths) {
		t.Errorf("%d problems, want %d:\n%v", len(ve.Problems), len(paths), err)
	}
	msg := err.Error()
	for _, want := range []string{
		"\ncategories[1].criteria[0].weight: must be greater than 0",
		"\ntime_zone: unknown time zone \"Asia/Seol\"",
		"\nschedule.application_deadline: must be after schedule.applications_open",
		"\ncategories[1].eligible_entity_types[0]: unknown entity type \"citi\"",
		"\ncategories[0].criteria: at least one criterion is required",
		"\nyear: must be a whole number",
		"\ncategories[0].colour: unknown key",
		"\nscale.max: must be greater than scale.min",
		"\nentity_types[1].key: duplicate key \"city\" (also at entity_types[0].key)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", strings.TrimPrefix(want, "\n"), msg)
		}
	}
	for _, p := range ve.Problems {
		if p.Path == "time_zone" && p.Line != 5 {
			t.Errorf("time_zone problem on line %d, want 5", p.Line)
		}
		if p.Line == 0 {
			t.Errorf("problem without a line: %v", p)
		}
	}
}

func TestUnknownKeysAreRejectedWithTheirPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		old, new, path string
	}{
		{"year: 2030\n", "year: 2030\nedition: 2\n", "edition"},
		{"  winners_announced:", "  winner_announced: 2030-04-14\n  winners_announced:", "schedule.winner_announced"},
		{"{key: person, name: Person}", "{key: person, name: Person, label: P}", "entity_types[1].label"},
		{"        weight: 2\n", "        weight: 2\n        wieght: 3\n", "categories[0].criteria[0].wieght"},
		{"{key: cost, name: Cost effectiveness}", "{key: cost, name: Cost effectiveness, weight: 2}", "categories[0].criteria[0].indicators[2].weight"},
		{"scale: {min: 1, max: 3}", "scale: {min: 1, max: 3, step: 1}", "categories[1].scale.step"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := edition.Parse([]byte(edit(t, minimal, tt.old, tt.new)))
			var ve *edition.ValidationError
			if !errors.As(err, &ve) || !ve.Has(tt.path) {
				t.Fatalf("error = %v, want an unknown key at %s", err, tt.path)
			}
			if !strings.Contains(err.Error(), tt.path+": unknown key") {
				t.Errorf("error = %v", err)
			}
		})
	}
	_, err := edition.Parse([]byte(edit(t, minimal, "  winners_announced:", "  winner_announced: 2030-04-14\n  winners_announced:")))
	if err == nil || !strings.Contains(err.Error(), `did you mean "winners_announced"?`) {
		t.Errorf("no suggestion in %v", err)
	}
}

func TestDuplicateKeysAndWrongShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		old, new, path, message string
	}{
		{"year: 2030\n", "year: 2030\nyear: 2031\n", "year", "duplicate key (first given on line 3)"},
		{"eligible_entity_types: [city]", "eligible_entity_types: city", "categories[0].eligible_entity_types", "must be a list"},
		{"name: Test Prize 2030", "name: [Test]", "name", "must be a single value"},
		{"semi_finalists: 3", "semi_finalists: 2.5", "categories[0].semi_finalists", "must be a whole number"},
		{"weight: 2", "weight: heavy", "categories[0].criteria[0].weight", "must be a number"},
		{"kind: leadership", "kind: person", "categories[1].kind", `must be "project" or "leadership"`},
		{"[{place: 1, name: Laureate, count: 2}]", "[{place: 1, name: Laureate, count: 3}]", "categories[1].prizes", "award 3 winners but the category has only 2 semi-finalists"},
		{"indicators: [Clarity]", "indicators: [Clarity, {key: clarity, name: Clear}]", "categories[1].criteria[0].indicators[1]", `duplicate key "clarity"`},
		{"  - {key: person, name: Person}\n", "", "categories[1].eligible_entity_types[0]", `unknown entity type "person"`},
		{"scale: {min: 0, max: 10}\n", "", "categories[0].scale", "is required when the edition has no default scale"},
		{"  scoring: {start: 2030-03-16, end: 2030-03-29}", "  scoring: {start: 2030-03-16, end: 2030-03-16 00:00}", "schedule.scoring.end", "must be after schedule.scoring.start"},
		{"time_zone: Europe/Paris", "time_zone: Local", "time_zone", "unknown time zone"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := edition.Parse([]byte(edit(t, minimal, tt.old, tt.new)))
			if err == nil || !strings.Contains(err.Error(), tt.path+": "+tt.message) {
				t.Fatalf("error = %v, want %s: %s", err, tt.path, tt.message)
			}
		})
	}
}

func TestSyntaxErrorHasLine(t *testing.T) {
	t.Parallel()
	_, err := edition.Parse([]byte(edit(t, minimal, "  - {key: city, name: City}", "  - {key: city, name: City")))
	var ve *edition.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Line == 0 {
		t.Fatalf("error = %#v, want one problem with a line", err)
	}
	if !strings.Contains(err.Error(), "YAML syntax error") {
		t.Errorf("error = %v", err)
	}
	if _, err := edition.Parse(nil); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty file: %v", err)
	}
}

func TestParseFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "e.yaml")
	if err := os.WriteFile(path, []byte(minimal), 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := edition.ParseFile(path)
	if err != nil || d.Slug != "test-2030" {
		t.Fatalf("ParseFile = %v, %v", d, err)
	}
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = edition.ParseFile(path)
	var ve *edition.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), path) {
		t.Errorf("ParseFile(bad) = %v", err)
	}
	if _, err := edition.ParseFile(filepath.Join(t.TempDir(), "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// instants lists the schedule in order.
func instants(s edition.Schedule) []time.Time {
	return []time.Time{s.ApplicationsOpen, s.ApplicationDeadline, s.Screening.Start, s.Screening.End,
		s.Scoring.Start, s.Scoring.End, s.SemiFinalistsAnnounced, s.Voting.Start, s.Voting.End,
		s.WinnersAnnounced, s.Ceremony.Start, s.Ceremony.End}
}

// wallDiff is the difference between the wall clocks of two times in their own location.
func wallDiff(a, b time.Time) time.Duration {
	wall := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	}
	return wall(b).Sub(wall(a))
}

func TestOpenOn(t *testing.T) {
	t.Parallel()
	seoul, _ := time.LoadLocation("Asia/Seoul")
	// Europe/Paris, with a daylight-saving change inside the schedule: intervals are kept in
	// local (wall-clock) time.
	short := []byte(edit(t, minimal, "application_deadline: 2030-02-28", "application_deadline: 2030-01-20 17:00"))
	tests := []struct {
		name string
		src  []byte
		now  time.Time
	}{
		{"seoul-2023, UTC morning", builtin(t, "seoul-2023"), time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)},
		{"seoul-2023, late evening in Seoul", builtin(t, "seoul-2023"), time.Date(2026, 12, 31, 23, 30, 0, 0, seoul)},
		{"seoul-2023, in the past", builtin(t, "seoul-2023"), time.Date(2019, 2, 28, 0, 0, 0, 0, seoul)},
		{"seoul-2024", builtin(t, "seoul-2024"), time.Date(2027, 6, 1, 8, 0, 0, 0, time.UTC)},
		{"short application period", short, time.Date(2031, 7, 4, 8, 0, 0, 0, time.UTC)},
		{"short period, before its opening hour", short, time.Date(2031, 7, 4, 6, 59, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, before := mustResolve(t, tt.src)
			if err := d.OpenOn(tt.now); err != nil {
				t.Fatal(err)
			}
			after, err := d.Resolve()
			if err != nil {
				t.Fatal(err)
			}
			s := after.Schedule
			if s.ApplicationsOpen.After(tt.now) || !s.ApplicationDeadline.After(tt.now) {
				t.Fatalf("applications %v to %v do not contain now %v", s.ApplicationsOpen, s.ApplicationDeadline, tt.now)
			}
			b := before.Schedule
			if b.ApplicationDeadline.Sub(b.ApplicationsOpen) > 31*24*time.Hour {
				if left := s.ApplicationDeadline.Sub(tt.now); left < 29*24*time.Hour || left > 31*24*time.Hour {
					t.Errorf("deadline %v is %v after now, want about 30 days", s.ApplicationDeadline, left)
				}
			}
			was, now := instants(b), instants(s)
			for i := 1; i < len(was); i++ {
				if a, b := wallDiff(was[i-1], was[i]), wallDiff(now[i-1], now[i]); a != b {
					t.Errorf("interval %d: %v before the shift, %v after", i, a, b)
				}
			}
			// The source text was edited in place: it parses to the shifted schedule, comments kept.
			_, again := mustResolve(t, d.Source())
			for i, ti := range instants(again.Schedule) {
				if !ti.Equal(now[i]) {
					t.Errorf("source instant %d = %v, want %v", i, ti, now[i])
				}
			}
			if strings.Contains(string(tt.src), "# 1st evaluation") && !strings.Contains(string(d.Source()), "# 1st evaluation") {
				t.Error("comments lost")
			}
		})
	}
}

package edition

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/i18n"
)

// Definition is an edition as written in its YAML file, before validation: schedule values are
// still local date-time strings and indicator keys may be missing. Parse reads one; Resolve turns
// it into an Edition. The file format is documented by the shipped files in defs/.
type Definition struct {
	Slug            string             `yaml:"slug"`
	Name            string             `yaml:"name"`
	Year            int                `yaml:"year"`
	Theme           string             `yaml:"theme,omitempty"`
	Intro           string             `yaml:"intro,omitempty"`
	ContactEmail    string             `yaml:"contact_email"`
	TimeZone        string             `yaml:"time_zone"`
	Schedule        ScheduleDef        `yaml:"schedule"`
	EntityTypes     []EntityTypeDef    `yaml:"entity_types"`
	Scale           *ScaleDef          `yaml:"scale,omitempty"`
	Categories      []CategoryDef      `yaml:"categories"`
	SpecialMentions SpecialMentionsDef `yaml:"special_mentions,omitempty"`
	Scoring         *ScoringDef        `yaml:"scoring,omitempty"`
	Voting          *VotingDef         `yaml:"voting,omitempty"`
	Publication     *PublicationDef    `yaml:"publication,omitempty"`
	// RetentionYears is how many years after the winners' announcement the personal data of
	// the edition's unsuccessful entries are kept; nil means DefaultRetentionYears.
	RetentionYears *int `yaml:"retention_years,omitempty"`
	// Terms is the text of the edition's terms and conditions, which registrants accept
	// (paragraphs separated by blank lines); empty means the portal's default text. Each new text
	// is stored as a new version, and a registration records the version it accepted.
	Terms string `yaml:"terms,omitempty"`
	// Language is the language the edition is written in and its applications are answered in
	// (a code the portal offers, i18n.Supported); empty means English.
	Language string `yaml:"language,omitempty"`
	// Translations holds, per language code, the translation of the edition's texts, keyed by
	// the text as the file writes it (names, descriptions, questions, options, criteria, terms:
	// see Edition.Texts). A text without a translation is shown in the edition's language.
	Translations map[string]map[string]string `yaml:"translations,omitempty"`

	source  []byte                // the file as read (and as shifted by ShiftDays)
	nodes   map[string]*yaml.Node // value node of every path, for line numbers and ShiftDays
	decoded []Problem             // problems found while decoding, reported again by Resolve
}

// ScheduleDef is the schedule as written: local date-times ("2023-05-31 23:59") or dates
// ("2023-06-01") in the edition's time zone.
type ScheduleDef struct {
	ApplicationsOpen       string    `yaml:"applications_open"`
	ApplicationDeadline    string    `yaml:"application_deadline"`
	Screening              WindowDef `yaml:"screening"`
	Scoring                WindowDef `yaml:"scoring"`
	SemiFinalistsAnnounced string    `yaml:"semi_finalists_announced"`
	Voting                 WindowDef `yaml:"voting"`
	WinnersAnnounced       string    `yaml:"winners_announced"`
	Ceremony               WindowDef `yaml:"ceremony"`
	// GracePeriod is how long after ApplicationDeadline saves and submissions are still accepted,
	// as a Go duration ("15m"); optional, default none. Applicants are never told about it.
	GracePeriod string `yaml:"grace_period,omitempty"`
}

// WindowDef is a period as written; a date alone as End means the end of that day.
type WindowDef struct {
	Start string `yaml:"start"`
	End   string `yaml:"end"`
}

// EntityTypeDef is an entity type as written.
type EntityTypeDef struct {
	Key         string `yaml:"key"`
	Name        string `yaml:"name"`
	Description string `yaml:"description,omitempty"`
}

// ScaleDef is a scoring scale as written (inclusive bounds).
type ScaleDef struct {
	Min int `yaml:"min"`
	Max int `yaml:"max"`
}

// CategoryDef is a category as written. A nil Scale means the edition's default scale.
type CategoryDef struct {
	Key                 string         `yaml:"key"`
	Name                string         `yaml:"name"`
	Kind                Kind           `yaml:"kind"`
	Description         string         `yaml:"description,omitempty"`
	CoreValue           string         `yaml:"core_value,omitempty"`
	EligibleEntityTypes []string       `yaml:"eligible_entity_types"`
	SemiFinalists       int            `yaml:"semi_finalists"`
	Scale               *ScaleDef      `yaml:"scale,omitempty"`
	Prizes              []PrizeDef     `yaml:"prizes"`
	Criteria            []CriterionDef `yaml:"criteria"`
	// Form is the application form (required): the project application form, or the
	// Leadership Application Form of a leadership category; see internal/blocks/form.
	Form *form.Form `yaml:"form,omitempty"`
	// Nominations are the nomination rules (required for a leadership category, an error on a
	// project category).
	Nominations *NominationsDef `yaml:"nominations,omitempty"`
}

// NominationsDef is the nominations block of a leadership category as written. A nil
// EndorsementsMoreThan means it was left out (it is required); LetterDeadline is a local
// date-time or date like a schedule value, where a date alone means the end of that day.
type NominationsDef struct {
	NominatorCategories  []NominatorCategoryDef `yaml:"nominator_categories"`
	EndorsementsMoreThan *int                   `yaml:"endorsements_more_than"`
	LetterDeadline       string                 `yaml:"letter_deadline,omitempty"`
}

// NominatorCategoryDef is a nominator category as written.
type NominatorCategoryDef struct {
	Key  string `yaml:"key"`
	Name string `yaml:"name"`
	Head bool   `yaml:"head,omitempty"`
}

// PrizeDef is a prize place as written.
type PrizeDef struct {
	Place int    `yaml:"place"`
	Name  string `yaml:"name"`
	Count int    `yaml:"count"`
}

// CriterionDef is a criterion as written. A nil Weight means 1 (DOMAIN.md, "Round 2": equal
// weights by default).
type CriterionDef struct {
	Key         string         `yaml:"key"`
	Name        string         `yaml:"name"`
	Description string         `yaml:"description,omitempty"`
	Weight      *float64       `yaml:"weight,omitempty"`
	Indicators  []IndicatorDef `yaml:"indicators"`
}

// IndicatorDef is an indicator as written: either a plain name, or a mapping with key and name.
// Without a key, the key is derived from the name (see DeriveKey).
type IndicatorDef struct {
	Key  string `yaml:"key,omitempty"`
	Name string `yaml:"name"`
}

// ScoringDef is the optional scoring block as written (round 2, the Evaluation Committee). A nil
// EvaluatorsPerEntry means the default (3); an empty CriterionComments means "optional"; an empty
// Method means DefaultAggregationMethod.
type ScoringDef struct {
	EvaluatorsPerEntry *int   `yaml:"evaluators_per_entry,omitempty"`
	CriterionComments  string `yaml:"criterion_comments,omitempty"`
	CountryConflicts   bool   `yaml:"country_conflicts,omitempty"`
	Method             string `yaml:"method,omitempty"`
}

// PublicationDef is the optional publication block as written: an empty Repository means
// RepositoryAll, a nil SemiFinalistsList means true.
type PublicationDef struct {
	Repository        string `yaml:"repository,omitempty"`
	SemiFinalistsList *bool  `yaml:"semi_finalists_list,omitempty"`
}

// VotingDef is the optional voting block as written (round 3, the Prize Council). An empty Method
// means schulze; a nil Quorum means a majority of the council; an empty AttendanceDeadline means
// one week before the ceremony starts.
type VotingDef struct {
	Method             string `yaml:"method,omitempty"`
	Quorum             *int   `yaml:"quorum,omitempty"`
	AttendanceDeadline string `yaml:"attendance_deadline,omitempty"`
}

// SpecialMentionsDef is the special mentions section as written.
type SpecialMentionsDef struct {
	Description string              `yaml:"description,omitempty"`
	Awards      []SpecialMentionDef `yaml:"awards,omitempty"`
}

// SpecialMentionDef is one kind of special mention as written.
type SpecialMentionDef struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description,omitempty"`
	Count       int    `yaml:"count"`
}

// Problem is one thing wrong with a definition. Path names the key in the file, such as
// "categories[1].criteria[0].weight"; it is empty for a problem with the file as a whole. Line is
// the line in the file (0 when unknown). Message says it in English or carried for the reader's
// language (i18n.M, i18n.Msg); Text, when set, is Message carried (the validator's problems keep
// their English in Message).
type Problem struct {
	Path    string
	Line    int
	Message string
	Text    string
}

// Shown is the problem's message for i18n.T: Text, or Message when the problem has no Text.
func (p Problem) Shown() string {
	if p.Text != "" {
		return p.Text
	}
	return p.Message
}

// problem is the problem msg (marked or carried) at path, its English in Message.
func problem(path string, line int, msg string) Problem {
	return Problem{Path: path, Line: line, Message: i18n.English(msg), Text: msg}
}

// String formats the problem as "path: message (line N)".
func (p Problem) String() string {
	var b strings.Builder
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	} else if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	b.WriteString(i18n.English(p.Message)) // a message may carry its values (i18n.Msg)
	if p.Path != "" && p.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", p.Line)
	}
	return b.String()
}

// ValidationError lists every problem found in a definition.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems one per line.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "invalid edition definition:\n" + strings.Join(lines, "\n")
}

// Has reports whether a problem was found at path.
func (e *ValidationError) Has(path string) bool {
	for _, p := range e.Problems {
		if p.Path == path {
			return true
		}
	}
	return false
}

// Parse reads a YAML definition strictly (an unknown key is an error) and validates it. When
// anything is wrong the error is a *ValidationError listing every problem with its path; the
// Definition is then still returned, as far as it could be read.
func Parse(data []byte) (*Definition, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &ValidationError{Problems: []Problem{syntaxProblem(err)}}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, &ValidationError{Problems: []Problem{problem("", 0, i18n.M("the file is empty"))}}
	}
	d := &Definition{source: append([]byte(nil), data...)}
	dec := &decoder{nodes: map[string]*yaml.Node{}}
	dec.decode(root.Content[0], reflect.ValueOf(d).Elem(), "")
	d.nodes, d.decoded = dec.nodes, dec.problems
	if dec.tooLarge {
		// What was read is cut off anywhere: validating it would only add noise.
		return d, &ValidationError{Problems: d.withLines(slices.Clone(dec.problems[len(dec.problems)-1:]))}
	}
	if _, problems := d.resolve(); len(problems) > 0 {
		return d, &ValidationError{Problems: d.withLines(problems)}
	}
	return d, nil
}

// ParseFile reads and parses the definition file at path.
func ParseFile(path string) (*Definition, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("edition: %w", err)
	}
	d, err := Parse(data)
	if err != nil {
		return d, fmt.Errorf("edition: %s: %w", path, err)
	}
	return d, nil
}

// Source returns the YAML text of the definition: the file as read (with ShiftDays applied), or
// a rendering of the fields for a definition built in code.
func (d *Definition) Source() []byte {
	if d.source != nil {
		return d.source
	}
	out, err := yaml.Marshal(d)
	if err != nil { // cannot happen: the types are plain
		return nil
	}
	return out
}

var syntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxProblem turns a YAML syntax error into a Problem with its line.
func syntaxProblem(err error) Problem {
	msg := err.Error()
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return problem("", line, i18n.Msg("YAML syntax error: {{.Error}}", "Error", m[2]))
	}
	return problem("", 0, i18n.Msg("YAML syntax error: {{.Error}}", "Error", strings.TrimPrefix(msg, "yaml: ")))
}

// mergeProblems appends the validation problems to the decoding ones, leaving out a validation
// problem at a path that already has one (a value of the wrong type is not also "required").
func mergeProblems(decoding []Problem, validation []form.Problem) []Problem {
	seen := map[string]bool{}
	for _, p := range decoding {
		seen[p.Path] = true
	}
	all := decoding
	for _, p := range validation {
		if !seen[p.Path] {
			all = append(all, Problem{Path: p.Path, Message: p.Message, Text: p.Text})
		}
	}
	return all
}

// withLines fills in the line of each problem from the node at its path, or the nearest
// enclosing path that exists in the file, and sorts the problems in file order.
func (d *Definition) withLines(ps []Problem) []Problem {
	defer slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Line == 0 || b.Line == 0 { // problems without a line go last
			return cmp.Compare(b.Line, a.Line)
		}
		return cmp.Compare(a.Line, b.Line)
	})
	for i := range ps {
		if ps[i].Line != 0 {
			continue
		}
		for p := ps[i].Path; p != ""; p = parentPath(p) {
			if n, ok := d.nodes[p]; ok {
				ps[i].Line = n.Line
				break
			}
		}
	}
	return ps
}

// parentPath strips the last element of a path: "a.b[2]" -> "a.b", "a.b" -> "a".
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// decoder fills a Definition from a yaml.Node tree with reflection, strictly: unknown and
// duplicate keys and values of the wrong shape are recorded as problems with their paths, and
// decoding goes on so that every problem is found in one pass.
type decoder struct {
	problems []Problem
	nodes    map[string]*yaml.Node
	// values counts the values decoded, aliases expanded: an alias repeats its anchor's value
	// wherever it is used, so a small file could otherwise stand for billions of values.
	values   int
	tooLarge bool
}

// maxValues bounds the values of a definition, aliases expanded: far above any real edition
// (seoul-2023 has about 2,000), far below what would exhaust the importer's memory or time.
const maxValues = 200_000

var indicatorDefType = reflect.TypeOf(IndicatorDef{})

// fail records the problem msg (marked or carried) at path, on n's line.
func (dec *decoder) fail(n *yaml.Node, path, msg string) {
	dec.problems = append(dec.problems, problem(path, n.Line, msg))
}

func (dec *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if dec.values++; dec.values > maxValues {
		if !dec.tooLarge {
			dec.tooLarge = true
			dec.fail(n, path, i18n.Msg("the definition has more than {{.Max}} values once its aliases (*name) are expanded: "+
				"an alias repeats its anchor's whole value, so use aliases for small parts only", "Max", maxValues))
		}
		return
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if path != "" {
		dec.nodes[path] = n
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value: the zero value, judged by validation
	}
	if v.Type() == indicatorDefType && n.Kind == yaml.ScalarNode {
		v.FieldByName("Name").SetString(n.Value) // an indicator given by its name alone
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		dec.decode(n, elem.Elem(), path)
		v.Set(elem)
	case reflect.Struct:
		dec.decodeStruct(n, v, path)
	case reflect.Map:
		dec.decodeMap(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			dec.fail(n, path, i18n.M("must be a list"))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			dec.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			dec.fail(n, path, i18n.Msg("must be a single value, not a {{.Kind}}", "Kind", kindName(n)))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode {
			dec.fail(n, path, i18n.Msg("must be true or false, not a {{.Kind}}", "Kind", kindName(n)))
			return
		}
		var b bool
		if n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			dec.fail(n, path, i18n.Msg("must be true or false, got {{.Value}}", "Value", strconv.Quote(n.Value)))
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Float64:
		notA, got := i18n.M("must be a whole number, not a {{.Kind}}"), i18n.M("must be a whole number, got {{.Value}}")
		if v.Kind() == reflect.Float64 {
			notA, got = i18n.M("must be a number, not a {{.Kind}}"), i18n.M("must be a number, got {{.Value}}")
		}
		if n.Kind != yaml.ScalarNode {
			dec.fail(n, path, i18n.Msg(notA, "Kind", kindName(n)))
			return
		}
		tag := n.ShortTag() // "!!int" for 3, "!!float" for 2.5 (which yaml would truncate into an int)
		x := reflect.New(v.Type())
		if tag != "!!int" && (tag != "!!float" || v.Kind() != reflect.Float64) {
			dec.fail(n, path, i18n.Msg(got, "Value", strconv.Quote(n.Value)))
			return
		}
		if err := n.Decode(x.Interface()); err != nil {
			dec.fail(n, path, i18n.Msg(got, "Value", strconv.Quote(n.Value)))
			return
		}
		v.Set(x.Elem())
	default:
		panic("edition: decoder: unsupported type " + v.Type().String())
	}
}

func (dec *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		dec.fail(n, path, i18n.Msg("must be a mapping of keys to values, not a {{.Kind}}", "Kind", kindName(n)))
		return
	}
	t := v.Type()
	fields := map[string]int{}
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("yaml")
		if name, _, _ := strings.Cut(tag, ","); name != "" && name != "-" {
			fields[name] = i
		}
	}
	firstLine := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := k.Value
		p := key
		if path != "" {
			p = path + "." + key
		}
		if k.Kind != yaml.ScalarNode {
			dec.fail(k, path, i18n.M("keys must be plain names"))
			continue
		}
		if line, dup := firstLine[key]; dup {
			dec.fail(k, p, i18n.Msg("duplicate key (first given on line {{.Line}})", "Line", line))
			continue
		}
		firstLine[key] = k.Line
		fi, ok := fields[key]
		if !ok {
			if best := suggest(key, fields); best != "" {
				dec.fail(k, p, i18n.Msg("unknown key (did you mean {{.Key}}?)", "Key", strconv.Quote(best)))
			} else {
				dec.fail(k, p, i18n.M("unknown key"))
			}
			continue
		}
		dec.decode(val, v.Field(fi), p)
	}
}

// decodeMap decodes a mapping with string keys (the translations), each entry at path.key.
func (dec *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		dec.fail(n, path, i18n.Msg("must be a mapping of keys to values, not a {{.Kind}}", "Kind", kindName(n)))
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	firstLine := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			dec.fail(k, path, i18n.M("keys must be texts"))
			continue
		}
		p := path + "." + k.Value
		if line, dup := firstLine[k.Value]; dup {
			dec.fail(k, p, i18n.Msg("duplicate key (first given on line {{.Line}})", "Line", line))
			continue
		}
		firstLine[k.Value] = k.Line
		elem := reflect.New(v.Type().Elem()).Elem()
		dec.decode(val, elem, p)
		m.SetMapIndex(reflect.ValueOf(k.Value), elem)
	}
	v.Set(m)
}

// suggest is a known key close to an unknown one, "" when none is.
func suggest(key string, fields map[string]int) string {
	if len(key) < 4 {
		return ""
	}
	names := slices.Sorted(maps.Keys(fields))
	best, bestDist := "", 3 // only suggest keys at most two edits away
	for _, f := range names {
		if d := editDistance(key, f); d < bestDist {
			best, bestDist = f, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return i18n.M("mapping")
	case yaml.SequenceNode:
		return i18n.M("list")
	default:
		return i18n.M("single value")

	}
}

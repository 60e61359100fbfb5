package edition

import (
	"fmt"
	"net/mail"
	"prizeportal/internal/blocks/form"
	"prizeportal/internal/i18n"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones must load on hosts without a zoneinfo database
)

// MaxKeyLength is the longest key allowed for an edition, entity type, category, criterion or
// indicator.
const MaxKeyLength = 64

var keyPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidKey reports whether s is a key: lowercase letters and digits in groups joined by single
// hyphens, at most MaxKeyLength long.
func ValidKey(s string) bool {
	return len(s) <= MaxKeyLength && keyPattern.MatchString(s)
}

// DeriveKey makes a key from a name: ASCII letters and digits lowercased, every other run of
// characters turned into one hyphen, cut at a hyphen to at most MaxKeyLength. It returns "" when
// the name has no letter or digit. A derived key changes with the name, so give explicit keys
// once scores refer to an indicator.
func DeriveKey(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		} else {
			hyphen = true
		}
	}
	k := b.String()
	if len(k) > MaxKeyLength {
		k = k[:MaxKeyLength+1]
		if i := strings.LastIndexByte(k, '-'); i > 0 {
			k = k[:i]
		} else {
			k = k[:MaxKeyLength]
		}
	}
	return k
}

const keyHint = `must be a lowercase key of letters, digits and hyphens (at most 64), such as "tech-innovacity"`

// Resolve validates the definition and returns the Edition it describes, with every schedule
// value resolved to an instant in the edition's time zone, default weights and scales applied
// and indicator keys derived. Problems are returned as a *ValidationError.
func (d *Definition) Resolve() (*Edition, error) {
	e, problems := d.resolve()
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: d.withLines(problems)}
	}
	return e, nil
}

// resolve builds the Edition and lists every problem, including those found while decoding.
func (d *Definition) resolve() (*Edition, []Problem) {
	c := &form.Checker{KeyValid: ValidKey, KeyHint: keyHint}
	e := &Edition{
		Slug:         d.Slug,
		Name:         d.Name,
		Year:         d.Year,
		Theme:        strings.TrimSpace(d.Theme),
		Intro:        strings.TrimSpace(d.Intro),
		ContactEmail: d.ContactEmail,
	}
	c.Key("slug", d.Slug)
	c.Required("name", d.Name)
	switch {
	case d.Year == 0:
		c.Add("year", "is required")
	case d.Year < 1900 || d.Year > 9999:
		c.Add("year", "must be a year such as 2023, got %d", d.Year)
	}
	if c.Required("contact_email", d.ContactEmail) {
		if a, err := mail.ParseAddress(d.ContactEmail); err != nil || a.Address != d.ContactEmail {
			c.Add("contact_email", "must be an email address such as info@example.org, got %q", d.ContactEmail)
		}
	}
	e.TimeZone = time.UTC // to go on checking the schedule when the zone is wrong
	if c.Required("time_zone", d.TimeZone) {
		loc, err := time.LoadLocation(d.TimeZone)
		if err != nil || d.TimeZone == "Local" {
			c.Add("time_zone", "unknown time zone %q (use an IANA name such as \"Asia/Seoul\")", d.TimeZone)
		} else {
			e.TimeZone = loc
		}
	}
	e.Schedule = d.Schedule.resolve(c, e.TimeZone)

	types := map[string]string{}
	if len(d.EntityTypes) == 0 {
		c.Add("entity_types", "at least one entity type is required")
	}
	for i, t := range d.EntityTypes {
		p := fmt.Sprintf("entity_types[%d]", i)
		c.Key(p+".key", t.Key)
		c.Unique(types, p+".key", t.Key)
		c.Required(p+".name", t.Name)
		e.EntityTypes = append(e.EntityTypes, EntityType{Key: t.Key, Name: t.Name, Description: strings.TrimSpace(t.Description)})
	}

	var defaultScale Scale
	if d.Scale != nil {
		defaultScale = d.Scale.check(c, "scale")
	}
	if len(d.Categories) == 0 {
		c.Add("categories", "at least one category is required")
	}
	categories := map[string]string{}
	for i, cd := range d.Categories {
		p := fmt.Sprintf("categories[%d]", i)
		c.Unique(categories, p+".key", cd.Key)
		cat := cd.resolve(c, p, types, d.Scale != nil, defaultScale)
		cat.Nominations = cd.resolveNominations(c, p, e.TimeZone, e.Schedule)
		e.Categories = append(e.Categories, cat)
	}

	e.SpecialMentions.Description = strings.TrimSpace(d.SpecialMentions.Description)
	for i, a := range d.SpecialMentions.Awards {
		p := fmt.Sprintf("special_mentions.awards[%d]", i)
		c.Required(p+".name", a.Name)
		if a.Count < 1 {
			c.Add(p+".count", "must be at least 1")
		}
		e.SpecialMentions.Awards = append(e.SpecialMentions.Awards,
			SpecialMention{Name: a.Name, Description: strings.TrimSpace(a.Description), Count: a.Count})
	}

	e.Scoring = d.Scoring.resolve(c)
	e.Voting = d.Voting.resolve(c, e.TimeZone, e.Schedule)
	e.Publication = d.Publication.resolve(c)
	e.Terms = strings.TrimSpace(d.Terms)
	e.RetentionYears = DefaultRetentionYears
	if d.RetentionYears != nil {
		if y := *d.RetentionYears; y < 1 || y > 100 {
			c.Add("retention_years", "must be a whole number of years from 1 to 100, got %d", y)
		} else {
			e.RetentionYears = y
		}
	}

	e.Language = DefaultLanguage
	if d.Language != "" {
		if !i18n.Supported(d.Language) || d.Language == i18n.Pseudo {
			c.Add("language", "unknown language %q: the portal offers %s", d.Language, offered())
		} else {
			e.Language = d.Language
		}
	}
	e.Translations = checkTranslations(d, e, c.Add)

	problems := mergeProblems(d.decoded, c.Problems)
	if len(problems) > 0 {
		return nil, problems
	}
	return e, nil
}

// resolve checks the scoring block (nil: every default) and applies the defaults.
func (sd *ScoringDef) resolve(c *form.Checker) Scoring {
	s := DefaultScoring()
	if sd == nil {
		return s
	}
	if sd.EvaluatorsPerEntry != nil {
		if *sd.EvaluatorsPerEntry < 1 {
			c.Add("scoring.evaluators_per_entry", "must be at least 1, got %d", *sd.EvaluatorsPerEntry)
		}
		s.EvaluatorsPerEntry = *sd.EvaluatorsPerEntry
	}
	switch sd.CriterionComments {
	case "", "optional":
	case "required":
		s.CriterionCommentsRequired = true
	default:
		c.Add("scoring.criterion_comments", "must be \"required\" or \"optional\", got %q", sd.CriterionComments)
	}
	s.CountryConflicts = sd.CountryConflicts
	switch {
	case sd.Method == "":
	case slices.Contains(AggregationMethods, sd.Method):
		s.Method = sd.Method
	default:
		c.Add("scoring.method", "must be one of %s (the aggregation method the ranking proposes), got %q",
			quotedList(AggregationMethods), sd.Method)
	}
	return s
}

// resolve checks the publication block (nil: every default) and applies the defaults.
func (pd *PublicationDef) resolve(c *form.Checker) Publication {
	p := DefaultPublication()
	if pd == nil {
		return p
	}
	switch {
	case pd.Repository == "":
	case slices.Contains(RepositoryChoices, pd.Repository):
		p.Repository = pd.Repository
	default:
		c.Add("publication.repository", "must be one of %s (which consented entries the public repository shows), got %q",
			quotedList(RepositoryChoices), pd.Repository)
	}
	if pd.SemiFinalistsList != nil {
		p.SemiFinalistsList = *pd.SemiFinalistsList
	}
	return p
}

// quotedList is "a", "b" or "c".
func quotedList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// resolve checks the voting block (nil: every default) and applies the defaults. The attendance
// deadline is a local date-time in loc (a date alone means the end of that day), after the
// winners are announced and before the ceremony starts.
func (vd *VotingDef) resolve(c *form.Checker, loc *time.Location, s Schedule) Voting {
	v := DefaultVoting()
	if vd == nil {
		return v
	}
	switch vd.Method {
	case "":
	case VotingSchulze, VotingBorda:
		v.Method = vd.Method
	default:
		c.Add("voting.method", "must be \"schulze\" or \"borda\", got %q", vd.Method)
	}
	if vd.Quorum != nil {
		if *vd.Quorum < 1 {
			c.Add("voting.quorum", "must be at least 1, got %d", *vd.Quorum)
		}
		v.Quorum = *vd.Quorum
	}
	if vd.AttendanceDeadline != "" && loc != nil {
		const p = "voting.attendance_deadline"
		lv, err := parseLocal(vd.AttendanceDeadline, loc)
		if err != nil {
			c.Add(p, "%v", err)
			return v
		}
		v.AttendanceDeadline = lv.instant(true)
		switch {
		case !s.WinnersAnnounced.IsZero() && !v.AttendanceDeadline.After(s.WinnersAnnounced):
			c.Add(p, "must be after schedule.winners_announced")
		case !s.Ceremony.Start.IsZero() && v.AttendanceDeadline.After(s.Ceremony.Start):
			c.Add(p, "must not be after schedule.ceremony.start")
		}
	}
	return v
}

func (s ScaleDef) check(c *form.Checker, path string) Scale {
	if s.Min >= s.Max {
		c.Add(path+".max", "must be greater than %s.min (%d)", path, s.Min)
	}
	return Scale{Min: s.Min, Max: s.Max}
}

func (cd CategoryDef) resolve(c *form.Checker, p string, types map[string]string, hasDefault bool, defaultScale Scale) Category {
	cat := Category{
		Key:           cd.Key,
		Name:          cd.Name,
		Kind:          cd.Kind,
		Description:   strings.TrimSpace(cd.Description),
		CoreValue:     strings.TrimSpace(cd.CoreValue),
		SemiFinalists: cd.SemiFinalists,
		Scale:         defaultScale,
	}
	c.Key(p+".key", cd.Key)
	c.Required(p+".name", cd.Name)
	switch cd.Kind {
	case KindProject, KindLeadership:
	case "":
		c.Add(p+".kind", "is required (%q or %q)", KindProject, KindLeadership)
	default:
		c.Add(p+".kind", "must be %q or %q, got %q", KindProject, KindLeadership, cd.Kind)
	}

	if len(cd.EligibleEntityTypes) == 0 {
		c.Add(p+".eligible_entity_types", "at least one entity type is required")
	}
	listed := map[string]string{}
	for j, k := range cd.EligibleEntityTypes {
		pj := fmt.Sprintf("%s.eligible_entity_types[%d]", p, j)
		if _, ok := types[k]; !ok {
			c.Add(pj, "unknown entity type %q", k)
			continue
		}
		if first, dup := listed[k]; dup {
			c.Add(pj, "entity type %q is already listed at %s", k, first)
			continue
		}
		listed[k] = pj
		cat.EligibleTypes = append(cat.EligibleTypes, k)
	}

	// DOMAIN.md "Round 2": the highest-scoring applications of each category become
	// semi-finalists (five in 2023); the number is edition data.
	if cd.SemiFinalists < 1 {
		c.Add(p+".semi_finalists", "must be at least 1")
	}
	switch {
	case cd.Scale != nil:
		cat.Scale = cd.Scale.check(c, p+".scale")
	case !hasDefault:
		c.Add(p+".scale", "is required when the edition has no default scale")
	}

	if len(cd.Prizes) == 0 {
		c.Add(p+".prizes", "at least one prize is required")
	}
	places := map[int]string{}
	total := 0
	for j, pd := range cd.Prizes {
		pj := fmt.Sprintf("%s.prizes[%d]", p, j)
		switch first, dup := places[pd.Place]; {
		case pd.Place < 1:
			c.Add(pj+".place", "must be at least 1")
		case dup:
			c.Add(pj+".place", "place %d is already given at %s", pd.Place, first)
		default:
			places[pd.Place] = pj
		}
		c.Required(pj+".name", pd.Name)
		if pd.Count < 1 {
			c.Add(pj+".count", "must be at least 1")
		}
		total += max(pd.Count, 0)
		cat.Prizes = append(cat.Prizes, Prize{Place: pd.Place, Name: pd.Name, Count: pd.Count})
	}
	// DOMAIN.md "Round 3": the council selects the winners among the semi-finalists.
	if cd.SemiFinalists >= 1 && total > cd.SemiFinalists {
		c.Add(p+".prizes", "award %d winners but the category has only %d semi-finalists", total, cd.SemiFinalists)
	}

	if len(cd.Criteria) == 0 {
		c.Add(p+".criteria", "at least one criterion is required")
	}
	criteria := map[string]string{}
	for j, crd := range cd.Criteria {
		pj := fmt.Sprintf("%s.criteria[%d]", p, j)
		c.Key(pj+".key", crd.Key)
		c.Unique(criteria, pj+".key", crd.Key)
		c.Required(pj+".name", crd.Name)
		// DOMAIN.md "Round 2": the guidelines give no weights; equal weights by default.
		weight := 1.0
		if crd.Weight != nil {
			weight = *crd.Weight
			if weight <= 0 {
				c.Add(pj+".weight", "must be greater than 0")
			}
		}
		cr := Criterion{Key: crd.Key, Name: crd.Name, Description: strings.TrimSpace(crd.Description), Weight: weight}
		if len(crd.Indicators) == 0 {
			c.Add(pj+".indicators", "at least one indicator is required")
		}
		indicators := map[string]string{}
		for k, in := range crd.Indicators {
			pk := fmt.Sprintf("%s.indicators[%d]", pj, k)
			if !c.Required(pk+".name", in.Name) && in.Key == "" {
				continue
			}
			key := in.Key
			if key == "" {
				key = DeriveKey(in.Name)
				if key == "" {
					c.Add(pk, "cannot derive a key from the name %q: give a key", in.Name)
					continue
				}
			} else {
				c.Key(pk+".key", key)
			}
			if first, dup := indicators[key]; dup {
				c.Add(pk, "duplicate key %q (also at %s); give distinct keys", key, first)
			} else {
				indicators[key] = pk
			}
			cr.Indicators = append(cr.Indicators, Indicator{Key: key, Name: in.Name})
		}
		cat.Criteria = append(cat.Criteria, cr)
	}

	// DOMAIN.md "The project application": a project category is entered with its application
	// form; "Leadership nominations": a nomination needs a Leadership Application Form. A
	// narrative answer may be linked to one of the category's criteria.
	switch {
	case cd.Form != nil:
		keys := make([]string, 0, len(cd.Criteria))
		for _, crd := range cd.Criteria {
			keys = append(keys, crd.Key)
		}
		for _, fp := range cd.Form.Check(keys) {
			path := p + ".form"
			if fp.Path != "" {
				path += "." + fp.Path
			}
			c.Add(path, "%s", fp.Message)
		}
		cat.Form = cd.Form.Clone()
	case cd.Kind == KindProject:
		c.Add(p+".form", "is required for a category of kind %q (its application form)", KindProject)
	case cd.Kind == KindLeadership:
		c.Add(p+".form", "is required for a category of kind %q (the Leadership Application Form)", KindLeadership)
	}
	return cat
}

// resolveNominations checks the nominations block of a category against its kind and the
// edition's schedule (s, in loc; a zero instant is one that could not be read) and resolves it.
// It returns nil for any category but a valid leadership one.
func (cd CategoryDef) resolveNominations(c *form.Checker, p string, loc *time.Location, s Schedule) *Nominations {
	p += ".nominations"
	nd := cd.Nominations
	switch {
	case cd.Kind == KindLeadership && nd == nil:
		c.Add(p, "is required for a category of kind %q (who may nominate and recommend)", KindLeadership)
		return nil
	case cd.Kind != KindLeadership && nd != nil:
		c.Add(p, "applies only to a category of kind %q", KindLeadership)
		return nil
	case nd == nil:
		return nil
	}
	n := &Nominations{}

	// DOMAIN.md "Leadership nominations": the eligible nominators; a letter of recommendation
	// comes from someone in one of the "head of" categories.
	if len(nd.NominatorCategories) == 0 {
		c.Add(p+".nominator_categories", "at least one nominator category is required")
	}
	keys := map[string]string{}
	heads := 0
	for i, nc := range nd.NominatorCategories {
		pi := fmt.Sprintf("%s.nominator_categories[%d]", p, i)
		c.Key(pi+".key", nc.Key)
		c.Unique(keys, pi+".key", nc.Key)
		c.Required(pi+".name", nc.Name)
		if nc.Head {
			heads++
		}
		n.NominatorCategories = append(n.NominatorCategories,
			NominatorCategory{Key: nc.Key, Name: strings.TrimSpace(nc.Name), Head: nc.Head})
	}
	if len(nd.NominatorCategories) > 0 && heads == 0 {
		c.Add(p+".nominator_categories", `at least one category must have "head: true" (the categories recommenders belong to)`)
	}

	// Guidelines §4: "Signature from more than 30 citizens can replace the letter of recommendation."
	switch {
	case nd.EndorsementsMoreThan == nil:
		c.Add(p+".endorsements_more_than", "is required (a nomination without a letter qualifies with more than this many citizen endorsements)")
	case *nd.EndorsementsMoreThan < 0:
		c.Add(p+".endorsements_more_than", "must be at least 0, got %d", *nd.EndorsementsMoreThan)
	default:
		n.EndorsementsMoreThan = *nd.EndorsementsMoreThan
	}

	// Letters are due no earlier than the applications, and before the committee scores.
	n.LetterDeadline = s.ApplicationDeadline
	if nd.LetterDeadline != "" {
		pd := p + ".letter_deadline"
		v, err := parseLocal(nd.LetterDeadline, loc)
		if err != nil {
			c.Add(pd, "%v", err)
			return n
		}
		n.LetterDeadline = v.instant(true)
		switch {
		case !s.ApplicationDeadline.IsZero() && n.LetterDeadline.Before(s.ApplicationDeadline):
			c.Add(pd, "must not be before schedule.application_deadline")
		case !s.Scoring.Start.IsZero() && !n.LetterDeadline.Before(s.Scoring.Start):
			c.Add(pd, "must be before schedule.scoring.start")
		}
	}
	return n
}

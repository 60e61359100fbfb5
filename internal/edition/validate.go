package edition

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // time zones must load on hosts without a zoneinfo database

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/i18n"
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

// keyProblem says what is wrong with value, a key that breaks the edition's key rule (ValidKey).
func keyProblem(value string) string {
	return i18n.Msg(`must be a lowercase key of letters, digits and hyphens (at most 64), such as "tech-innovacity", got {{.Value}}`, "Value", strconv.Quote(value))
}

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
	c := &form.Checker{KeyValid: ValidKey, KeyProblem: keyProblem}
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
		c.Add("year", i18n.M("is required"))
	case d.Year < 1900 || d.Year > 9999:
		c.Add("year", i18n.Msg("must be a year such as 2023, got {{.Value}}", "Value", d.Year))
	}
	if c.Required("contact_email", d.ContactEmail) {
		if a, err := mail.ParseAddress(d.ContactEmail); err != nil || a.Address != d.ContactEmail {
			c.Add("contact_email", i18n.Msg("must be an email address such as info@example.org, got {{.Value}}", "Value", strconv.Quote(d.ContactEmail)))
		}
	}
	e.TimeZone = time.UTC // to go on checking the schedule when the zone is wrong
	if c.Required("time_zone", d.TimeZone) {
		loc, err := time.LoadLocation(d.TimeZone)
		if err != nil || d.TimeZone == "Local" {
			c.Add("time_zone", i18n.Msg(`unknown time zone {{.Value}} (use an IANA name such as "Asia/Seoul")`, "Value", strconv.Quote(d.TimeZone)))
		} else {
			e.TimeZone = loc
		}
	}
	e.Schedule = d.Schedule.resolve(c, e.TimeZone)

	types := map[string]string{}
	if len(d.EntityTypes) == 0 {
		c.Add("entity_types", i18n.M("at least one entity type is required"))
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
		c.Add("categories", i18n.M("at least one category is required"))
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
			c.Add(p+".count", i18n.M("must be at least 1"))
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
			c.Add("retention_years", i18n.Msg("must be a whole number of years from 1 to 100, got {{.Value}}", "Value", y))
		} else {
			e.RetentionYears = y
		}
	}

	e.Language = DefaultLanguage
	if d.Language != "" {
		if !i18n.Supported(d.Language) || d.Language == i18n.Pseudo {
			c.Add("language", i18n.Msg("unknown language {{.Value}}: the portal offers {{.Languages}}", "Value", strconv.Quote(d.Language), "Languages", offered()))
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
			c.Add("scoring.evaluators_per_entry", i18n.Msg("must be at least 1, got {{.Value}}", "Value", *sd.EvaluatorsPerEntry))
		}
		s.EvaluatorsPerEntry = *sd.EvaluatorsPerEntry
	}
	switch sd.CriterionComments {
	case "", "optional":
	case "required":
		s.CriterionCommentsRequired = true
	default:
		c.Add("scoring.criterion_comments", i18n.Msg(`must be "required" or "optional", got {{.Value}}`, "Value", strconv.Quote(sd.CriterionComments)))
	}
	s.CountryConflicts = sd.CountryConflicts
	switch {
	case sd.Method == "":
	case slices.Contains(AggregationMethods, sd.Method):
		s.Method = sd.Method
	default:
		c.Add("scoring.method", i18n.Msg("must be one of {{.Choices}} (the aggregation method the ranking proposes), got {{.Value}}",
			"Choices", quotedList(AggregationMethods), "Value", strconv.Quote(sd.Method)))
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
		c.Add("publication.repository", i18n.Msg("must be one of {{.Choices}} (which consented entries the public repository shows), got {{.Value}}",
			"Choices", quotedList(RepositoryChoices), "Value", strconv.Quote(pd.Repository)))
	}
	if pd.SemiFinalistsList != nil {
		p.SemiFinalistsList = *pd.SemiFinalistsList
	}
	return p
}

// quotedList is "a", "b" or "c", carried for the reader's language (i18n.Msg).
func quotedList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	return i18n.Msg("{{.List}} or {{.Last}}", "List", strings.Join(q[:len(q)-1], ", "), "Last", q[len(q)-1])
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
		c.Add("voting.method", i18n.Msg(`must be "schulze" or "borda", got {{.Value}}`, "Value", strconv.Quote(vd.Method)))
	}
	if vd.Quorum != nil {
		if *vd.Quorum < 1 {
			c.Add("voting.quorum", i18n.Msg("must be at least 1, got {{.Value}}", "Value", *vd.Quorum))
		}
		v.Quorum = *vd.Quorum
	}
	if vd.AttendanceDeadline != "" && loc != nil {
		const p = "voting.attendance_deadline"
		lv, err := parseLocal(vd.AttendanceDeadline, loc)
		if err != nil {
			c.Add(p, localProblem(vd.AttendanceDeadline))
			return v
		}
		v.AttendanceDeadline = lv.instant(true)
		switch {
		case !s.WinnersAnnounced.IsZero() && !v.AttendanceDeadline.After(s.WinnersAnnounced):
			c.Add(p, i18n.Msg("must be after {{.Path}}", "Path", "schedule.winners_announced"))
		case !s.Ceremony.Start.IsZero() && v.AttendanceDeadline.After(s.Ceremony.Start):
			c.Add(p, i18n.Msg("must not be after {{.Path}}", "Path", "schedule.ceremony.start"))
		}
	}
	return v
}

func (s ScaleDef) check(c *form.Checker, path string) Scale {
	if s.Min >= s.Max {
		c.Add(path+".max", i18n.Msg("must be greater than {{.Path}}.min ({{.Min}})", "Path", path, "Min", s.Min))
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
		c.Add(p+".kind", i18n.Msg("is required ({{.A}} or {{.B}})", "A", strconv.Quote(string(KindProject)), "B", strconv.Quote(string(KindLeadership))))
	default:
		c.Add(p+".kind", i18n.Msg("must be {{.A}} or {{.B}}, got {{.Value}}", "A", strconv.Quote(string(KindProject)), "B", strconv.Quote(string(KindLeadership)), "Value", strconv.Quote(string(cd.Kind))))
	}

	if len(cd.EligibleEntityTypes) == 0 {
		c.Add(p+".eligible_entity_types", i18n.M("at least one entity type is required"))
	}
	listed := map[string]string{}
	for j, k := range cd.EligibleEntityTypes {
		pj := fmt.Sprintf("%s.eligible_entity_types[%d]", p, j)
		if _, ok := types[k]; !ok {
			c.Add(pj, i18n.Msg("unknown entity type {{.Value}}", "Value", strconv.Quote(k)))
			continue
		}
		if first, dup := listed[k]; dup {
			c.Add(pj, i18n.Msg("entity type {{.Value}} is already listed at {{.First}}", "Value", strconv.Quote(k), "First", first))
			continue
		}
		listed[k] = pj
		cat.EligibleTypes = append(cat.EligibleTypes, k)
	}

	// DOMAIN.md "Round 2": the highest-scoring applications of each category become
	// semi-finalists (five in 2023); the number is edition data.
	if cd.SemiFinalists < 1 {
		c.Add(p+".semi_finalists", i18n.M("must be at least 1"))
	}
	switch {
	case cd.Scale != nil:
		cat.Scale = cd.Scale.check(c, p+".scale")
	case !hasDefault:
		c.Add(p+".scale", i18n.M("is required when the edition has no default scale"))
	}

	if len(cd.Prizes) == 0 {
		c.Add(p+".prizes", i18n.M("at least one prize is required"))
	}
	places := map[int]string{}
	total := 0
	for j, pd := range cd.Prizes {
		pj := fmt.Sprintf("%s.prizes[%d]", p, j)
		switch first, dup := places[pd.Place]; {
		case pd.Place < 1:
			c.Add(pj+".place", i18n.M("must be at least 1"))
		case dup:
			c.Add(pj+".place", i18n.Msg("place {{.Place}} is already given at {{.First}}", "Place", pd.Place, "First", first))
		default:
			places[pd.Place] = pj
		}
		c.Required(pj+".name", pd.Name)
		if pd.Count < 1 {
			c.Add(pj+".count", i18n.M("must be at least 1"))
		}
		total += max(pd.Count, 0)
		cat.Prizes = append(cat.Prizes, Prize{Place: pd.Place, Name: pd.Name, Count: pd.Count})
	}
	// DOMAIN.md "Round 3": the council selects the winners among the semi-finalists.
	if cd.SemiFinalists >= 1 && total > cd.SemiFinalists {
		c.Add(p+".prizes", i18n.Msg("award {{.Winners}} winners but the category has only {{.SemiFinalists}} semi-finalists", "Winners", total, "SemiFinalists", cd.SemiFinalists))
	}

	if len(cd.Criteria) == 0 {
		c.Add(p+".criteria", i18n.M("at least one criterion is required"))
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
				c.Add(pj+".weight", i18n.M("must be greater than 0"))
			}
		}
		cr := Criterion{Key: crd.Key, Name: crd.Name, Description: strings.TrimSpace(crd.Description), Weight: weight}
		if len(crd.Indicators) == 0 {
			c.Add(pj+".indicators", i18n.M("at least one indicator is required"))
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
					c.Add(pk, i18n.Msg("cannot derive a key from the name {{.Name}}: give a key", "Name", strconv.Quote(in.Name)))
					continue
				}
			} else {
				c.Key(pk+".key", key)
			}
			if first, dup := indicators[key]; dup {
				c.Add(pk, i18n.Msg("duplicate key {{.Key}} (also at {{.First}}); give distinct keys", "Key", strconv.Quote(key), "First", first))
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
			c.Add(path, fp.Shown())
		}
		cat.Form = cd.Form.Clone()
	case cd.Kind == KindProject:
		c.Add(p+".form", i18n.Msg("is required for a category of kind {{.Kind}} (its application form)", "Kind", strconv.Quote(string(KindProject))))
	case cd.Kind == KindLeadership:
		c.Add(p+".form", i18n.Msg("is required for a category of kind {{.Kind}} (the Leadership Application Form)", "Kind", strconv.Quote(string(KindLeadership))))
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
		c.Add(p, i18n.Msg("is required for a category of kind {{.Kind}} (who may nominate and recommend)", "Kind", strconv.Quote(string(KindLeadership))))
		return nil
	case cd.Kind != KindLeadership && nd != nil:
		c.Add(p, i18n.Msg("applies only to a category of kind {{.Kind}}", "Kind", strconv.Quote(string(KindLeadership))))
		return nil
	case nd == nil:
		return nil
	}
	n := &Nominations{}

	// DOMAIN.md "Leadership nominations": the eligible nominators; a letter of recommendation
	// comes from someone in one of the "head of" categories.
	if len(nd.NominatorCategories) == 0 {
		c.Add(p+".nominator_categories", i18n.M("at least one nominator category is required"))
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
		c.Add(p+".nominator_categories", i18n.M(`at least one category must have "head: true" (the categories recommenders belong to)`))
	}

	// Guidelines §4: "Signature from more than 30 citizens can replace the letter of recommendation."
	switch {
	case nd.EndorsementsMoreThan == nil:
		c.Add(p+".endorsements_more_than", i18n.M("is required (a nomination without a letter qualifies with more than this many citizen endorsements)"))
	case *nd.EndorsementsMoreThan < 0:
		c.Add(p+".endorsements_more_than", i18n.Msg("must be at least 0, got {{.Value}}", "Value", *nd.EndorsementsMoreThan))
	default:
		n.EndorsementsMoreThan = *nd.EndorsementsMoreThan
	}

	// Letters are due no earlier than the applications, and before the committee scores.
	n.LetterDeadline = s.ApplicationDeadline
	if nd.LetterDeadline != "" {
		pd := p + ".letter_deadline"
		v, err := parseLocal(nd.LetterDeadline, loc)
		if err != nil {
			c.Add(pd, localProblem(nd.LetterDeadline))
			return n
		}
		n.LetterDeadline = v.instant(true)
		switch {
		case !s.ApplicationDeadline.IsZero() && n.LetterDeadline.Before(s.ApplicationDeadline):
			c.Add(pd, i18n.Msg("must not be before {{.Path}}", "Path", "schedule.application_deadline"))
		case !s.Scoring.Start.IsZero() && !n.LetterDeadline.Before(s.Scoring.Start):
			c.Add(pd, i18n.Msg("must be before {{.Path}}", "Path", "schedule.scoring.start"))

		}
	}
	return n
}

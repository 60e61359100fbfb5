package studio

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// A sheet is one page of the studio that edits a part of an edition: its settings, its schedule,
// its categories, its criteria and prizes. Each field stands for one value of the definition and
// is named by that value's path (the path the validator's problems and the diff use), so a
// problem lands next to its field.

// Field is one value of a sheet.
type Field struct {
	Path     string
	Label    string
	Hint     string
	Kind     string // "text", "textarea", "number", "select", "radio"
	Options  []string
	Labels   []string // the Options as people read them, in their order (the option itself when missing)
	Value    string
	Required bool

	get func(*edition.Definition) string
	set func(*edition.Definition, string) error
}

// Group is a set of fields shown together (a category, a criterion). Op, when set, is the
// group's action: Remove the item the group shows, or Add a new item with the group's fields
// (lists.go).
type Group struct {
	Legend string
	Fields []Field
	Op     *Op
}

// Sheet is one studio page of an edition.
type Sheet struct {
	Key    string
	Title  string
	Intro  string
	Groups []Group
	// Op is the Value of the action posted with the sheet's values (lists.go); empty for a
	// change of values only.
	Op string
}

// SheetKeys are the studio's sheets, in the order the edition page lists them.
var SheetKeys = []string{"settings", "schedule", "entities", "categories", "criteria", "rounds"}

// SheetOf is the sheet key of def with the values def holds; false for an unknown key.
func SheetOf(def *edition.Definition, key string) (Sheet, bool) {
	var sh Sheet
	switch key {
	case "settings":
		sh = settingsSheet()
	case "schedule":
		sh = scheduleSheet(def)
	case "entities":
		sh = entitiesSheet(def)
	case "categories":
		sh = categoriesSheet(def)
	case "criteria":
		sh = criteriaSheet(def)
	case "rounds":
		sh = roundsSheet()
	default:
		return Sheet{}, false
	}
	sh.Key = key
	for gi := range sh.Groups {
		for fi := range sh.Groups[gi].Fields {
			f := &sh.Groups[gi].Fields[fi]
			f.Value = f.get(def)
			if f.Kind == "" {
				f.Kind = "text"
			}
		}
	}
	return sh, true
}

// With is the sheet showing values (as posted) instead of the stored ones, with the action
// posted among them ("op").
func (sh Sheet) With(values map[string]string) Sheet {
	sh.Op = values["op"]
	for gi := range sh.Groups {
		fields := append([]Field(nil), sh.Groups[gi].Fields...)
		for fi := range fields {
			if v, ok := values[fields[fi].Path]; ok {
				fields[fi].Value = v
			}
		}
		sh.Groups[gi].Fields = fields
	}
	return sh
}

// Edit is the change that sets every field of the sheet found in values (by path) on a
// definition, then does the action values["op"] names, if any (an item added with the fields of
// its group, or removed); a value that cannot be read (a number that is not one) is a problem at
// its path, a refused action a problem at its Path.
func (sh Sheet) Edit(values map[string]string) func(*edition.Definition) error {
	op := sh.op(values["op"])
	return func(d *edition.Definition) error {
		var problems []edition.Problem
		set := func(fields []Field) {
			for _, f := range fields {
				v, ok := values[f.Path]
				if !ok {
					continue
				}
				if err := f.set(d, strings.TrimSpace(v)); err != nil {
					problems = append(problems, edition.Problem{Path: f.Path, Message: err.Error()})
				}
			}
		}
		for _, g := range sh.Groups {
			if g.Op == nil || !g.Op.Add {
				set(g.Fields)
			}
		}
		if op != nil && len(problems) == 0 {
			if err := op.apply(d, values); err != nil {
				return err
			}
			if op.Add {
				set(op.fields)
			}
		}
		if len(problems) > 0 {
			return &edition.ValidationError{Problems: problems}
		}
		return nil
	}
}

func text(path, label, hint string, ptr func(*edition.Definition) *string) Field {
	return Field{Path: path, Label: label, Hint: hint,
		get: func(d *edition.Definition) string { return *ptr(d) },
		set: func(d *edition.Definition, v string) error { *ptr(d) = v; return nil }}
}

func textarea(path, label, hint string, ptr func(*edition.Definition) *string) Field {
	f := text(path, label, hint, ptr)
	f.Kind = "textarea"
	return f
}

func whole(path, label, hint string, ptr func(*edition.Definition) *int) Field {
	return Field{Path: path, Label: label, Hint: hint, Kind: "number",
		get: func(d *edition.Definition) string { return strconv.Itoa(*ptr(d)) },
		set: func(d *edition.Definition, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil {
				return errors.New(i18n.M("Enter a whole number, such as 5."))
			}
			*ptr(d) = n
			return nil
		}}
}

// optionalWhole is a whole number that may be left empty (its default then applies).
func optionalWhole(path, label, hint string, ptr func(*edition.Definition) **int) Field {
	return Field{Path: path, Label: label, Hint: hint, Kind: "number",
		get: func(d *edition.Definition) string {
			if p := *ptr(d); p != nil {
				return strconv.Itoa(*p)
			}
			return ""
		},
		set: func(d *edition.Definition, v string) error {
			if v == "" {
				*ptr(d) = nil
				return nil
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return errors.New(i18n.M("Enter a whole number, or leave it empty for the default."))
			}
			*ptr(d) = &n
			return nil
		}}
}

func settingsSheet() Sheet {
	return Sheet{Title: i18n.M("Settings"), Intro: i18n.M("The edition's name, address, year, contact, time zone and terms and conditions."), Groups: []Group{{Fields: []Field{
		text("name", i18n.M("Name"), i18n.M("As the public and the emails show it."), func(d *edition.Definition) *string { return &d.Name }),
		text("slug", i18n.M("Address"), i18n.M("The edition's address in links (/editions/address): lower-case letters, digits and hyphens. "+
			"A draft's address may change; a published edition keeps its own."), func(d *edition.Definition) *string { return &d.Slug }),
		whole("year", i18n.M("Year"), "", func(d *edition.Definition) *int { return &d.Year }),
		text("theme", i18n.M("Theme"), i18n.M("Optional."), func(d *edition.Definition) *string { return &d.Theme }),
		textarea("intro", i18n.M("Introduction"), i18n.M("Shown on the edition's public page."), func(d *edition.Definition) *string { return &d.Intro }),
		text("contact_email", i18n.M("Contact email"), i18n.M("The secretariat's address, given in every email."), func(d *edition.Definition) *string { return &d.ContactEmail }),
		text("time_zone", i18n.M("Time zone"), i18n.M("An IANA time zone such as Asia/Seoul or Europe/Paris: every date of the edition is in it."),
			func(d *edition.Definition) *string { return &d.TimeZone }),
		optionalWhole("retention_years", i18n.M("Years personal data are kept"), i18n.M("After the winners' announcement, for the entries that did not win. Empty: 5 years."),
			func(d *edition.Definition) **int { return &d.RetentionYears }),
		textarea("terms", i18n.M("Terms and conditions"), i18n.M("What registrants accept, paragraphs separated by a blank line. Empty: the portal's default terms. "+
			"A new text becomes a new version; each registration records the version it accepted."), func(d *edition.Definition) *string { return &d.Terms }),
	}}}}
}

const dateHint = `A date "2024-05-31" or a date and time "2024-05-31 23:59", in the edition's time zone.`

func scheduleSheet(def *edition.Definition) Sheet {
	date := func(path, label string, ptr func(*edition.Definition) *string) Field {
		f := text("schedule."+path, label, i18n.M(dateHint), ptr)
		f.Required = true
		return f
	}
	sh := Sheet{Title: i18n.M("Schedule"), Intro: i18n.Msg("Every date is in the edition's time zone ({{.Zone}}). Each step starts when the one before ends. "+
		"Once the edition is published, a date that has passed can no longer move, and moving the application deadline emails the applicants who have a draft.", "Zone", def.TimeZone),
		Groups: []Group{
			{Legend: i18n.M("Applications"), Fields: []Field{
				date("applications_open", i18n.M("Applications open"), func(d *edition.Definition) *string { return &d.Schedule.ApplicationsOpen }),
				date("application_deadline", i18n.M("Application deadline"), func(d *edition.Definition) *string { return &d.Schedule.ApplicationDeadline }),
				text("schedule.grace_period", i18n.M("Grace period after the deadline"), i18n.M(i18n.M(`Optional, never shown to applicants: a duration such as "15m".`)),
					func(d *edition.Definition) *string { return &d.Schedule.GracePeriod }),
			}},
			{Legend: i18n.M("Round 1: screening by the secretariat"), Fields: []Field{
				date("screening.start", i18n.M("Screening starts"), func(d *edition.Definition) *string { return &d.Schedule.Screening.Start }),
				date("screening.end", i18n.M("Screening ends"), func(d *edition.Definition) *string { return &d.Schedule.Screening.End }),
			}},
			{Legend: i18n.M("Round 2: scoring by the Evaluation Committee"), Fields: []Field{
				date("scoring.start", i18n.M("Scoring starts"), func(d *edition.Definition) *string { return &d.Schedule.Scoring.Start }),
				date("scoring.end", i18n.M("Scoring ends"), func(d *edition.Definition) *string { return &d.Schedule.Scoring.End }),
				date("semi_finalists_announced", i18n.M("Semi-finalists announced"), func(d *edition.Definition) *string { return &d.Schedule.SemiFinalistsAnnounced }),
			}},
			{Legend: i18n.M("Round 3: the Prize Council's vote"), Fields: []Field{
				date("voting.start", i18n.M("Voting starts"), func(d *edition.Definition) *string { return &d.Schedule.Voting.Start }),
				date("voting.end", i18n.M("Voting ends"), func(d *edition.Definition) *string { return &d.Schedule.Voting.End }),
				date("winners_announced", i18n.M("Winners announced"), func(d *edition.Definition) *string { return &d.Schedule.WinnersAnnounced }),
				date("ceremony.start", i18n.M("Ceremony starts"), func(d *edition.Definition) *string { return &d.Schedule.Ceremony.Start }),
				date("ceremony.end", i18n.M("Ceremony ends"), func(d *edition.Definition) *string { return &d.Schedule.Ceremony.End }),
			}},
		}}
	var letters []Field
	for i, c := range def.Categories {
		if c.Nominations != nil {
			letters = append(letters, text(fmt.Sprintf("categories[%d].nominations.letter_deadline", i), i18n.Msg("Letters of recommendation due, {{.Category}}", "Category", c.Name),
				i18n.M("Optional: the application deadline when empty. "+dateHint),
				func(d *edition.Definition) *string { return &d.Categories[i].Nominations.LetterDeadline }))
		}
	}
	if len(letters) > 0 {
		sh.Groups = append(sh.Groups, Group{Legend: i18n.M("Nominations"), Fields: letters})
	}
	return sh
}

func categoriesSheet(def *edition.Definition) Sheet {
	sh := Sheet{Title: i18n.M("Categories"), Intro: i18n.Msg("What each category rewards and who may enter it. Entity types are given by their keys: {{.Keys}}. "+
		"A category that has entries or registrations cannot be removed once the edition is published."+addCategoryHint, "Keys", entityKeys(def))}
	list := func(d *edition.Definition) *[]edition.CategoryDef { return &d.Categories }
	for i, c := range def.Categories {
		cat := func(d *edition.Definition) *edition.CategoryDef { return &d.Categories[i] }
		p := fmt.Sprintf("categories[%d].", i)
		g := Group{Legend: c.Name, Fields: []Field{
			text(p+"name", i18n.M("Name"), "", func(d *edition.Definition) *string { return &cat(d).Name }),
			textarea(p+"description", "Description", "", func(d *edition.Definition) *string { return &cat(d).Description }),
			text(p+"core_value", i18n.M("Core value"), i18n.M("Optional."), func(d *edition.Definition) *string { return &cat(d).CoreValue }),
			{Path: p + "eligible_entity_types", Label: i18n.M("Eligible entity types"), Hint: i18n.M("Keys separated by commas, such as city, company."),
				get: func(d *edition.Definition) string { return strings.Join(cat(d).EligibleEntityTypes, ", ") },
				set: func(d *edition.Definition, v string) error {
					var keys []string
					for _, k := range strings.Split(v, ",") {
						if k = strings.TrimSpace(k); k != "" {
							keys = append(keys, k)
						}
					}
					cat(d).EligibleEntityTypes = keys
					return nil
				}},
		}, Op: removeOp("categories", i, i18n.Msg("Remove the category {{.Name}}", "Name", c.Name), list, nil)}
		if c.Nominations != nil {
			g.Fields = append(g.Fields, optionalWhole(p+"nominations.endorsements_more_than", i18n.M("Citizen endorsements needed without a letter (more than)"),
				i18n.M("A nomination without a letter of recommendation qualifies with more than this many confirmed endorsements."),
				func(d *edition.Definition) **int { return &cat(d).Nominations.EndorsementsMoreThan }))
		}
		sh.Groups = append(sh.Groups, g)
		sh.Groups = append(sh.Groups, nominatorGroups(def, i)...)
	}
	sh.Groups = append(sh.Groups, categoryAdd(def))
	return sh
}

func entityKeys(def *edition.Definition) string {
	keys := make([]string, len(def.EntityTypes))
	for i, t := range def.EntityTypes {
		keys[i] = t.Key + " (" + t.Name + ")"
	}
	return strings.Join(keys, ", ")
}

func criteriaSheet(def *edition.Definition) Sheet {
	sh := Sheet{Title: i18n.M("Criteria, weights and prizes"), Intro: i18n.M("The committee scores every entry on each criterion; " +
		"a criterion's weight says how much it counts (1 when empty). Once scoring has started the criteria no longer change: " +
		"none is added, removed or changed.")}
	if def.Scale != nil {
		sh.Groups = append(sh.Groups, Group{Legend: i18n.M("Scoring scale"), Fields: []Field{
			whole("scale.min", i18n.M("Lowest score"), "", func(d *edition.Definition) *int { return &d.Scale.Min }),
			whole("scale.max", i18n.M("Highest score"), "", func(d *edition.Definition) *int { return &d.Scale.Max }),
		}})
	}
	for i, c := range def.Categories {
		p := fmt.Sprintf("categories[%d].", i)
		sh.Groups = append(sh.Groups, Group{Legend: c.Name, Fields: []Field{
			whole(p+"semi_finalists", i18n.M("Semi-finalists"), i18n.M("How many entries advance to round 3."),
				func(d *edition.Definition) *int { return &d.Categories[i].SemiFinalists }),
		}})
		sh.Groups = append(sh.Groups, criterionGroups(def, i)...)
		sh.Groups = append(sh.Groups, prizeGroups(def, i)...)
	}
	return sh
}

func weightField(path, label string, crit func(*edition.Definition) *edition.CriterionDef) Field {
	return Field{Path: path, Label: label, Kind: "number", Hint: i18n.M("A number above 0; empty for 1."),
		get: func(d *edition.Definition) string {
			if w := crit(d).Weight; w != nil {
				return strconv.FormatFloat(*w, 'f', -1, 64)
			}
			return ""
		},
		set: func(d *edition.Definition, v string) error {
			if v == "" {
				crit(d).Weight = nil
				return nil
			}
			w, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return errors.New(i18n.M("Enter a number such as 1 or 0.5."))
			}
			crit(d).Weight = &w
			return nil
		}}
}

// UploadSheet is the page that takes a whole changed YAML file of def (its current text to start
// from): the file replaces the definition, checked and reviewed like any change.
func UploadSheet(def *edition.Definition) Sheet {
	src := string(def.Source())
	return Sheet{Key: "yaml", Title: i18n.M("Upload a changed YAML file"),
		Intro: i18n.M("Paste the edition's whole YAML file, changed. The differences are shown before anything is saved, with the same checks as every other page of the studio."),
		Groups: []Group{{Fields: []Field{{Path: "file", Label: i18n.M("YAML file"), Kind: "textarea", Required: true, Value: src,
			get: func(*edition.Definition) string { return src },
			set: func(*edition.Definition, string) error { return nil }}}}}}
}

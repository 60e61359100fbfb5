package studio

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

// The lists of an edition on its sheets: entity types, categories, criteria with their
// indicators, prizes and nominator categories are added and removed, not only changed. Each item
// a sheet shows has a Remove action, each list an Add group with the fields of the new item;
// both are a change like any other (Sheet.Edit through Service.Change: reviewed as a diff,
// validated by edition.Parse, checked by the rules of safety.go).

// Op is the action of a group: it adds an item to a list (the group's fields are the new item's,
// at the path the item will have, so the validator's problems land next to them) or removes the
// item the group shows.
type Op struct {
	// Value is what the action's button posts as "op": "add categories[0].prizes",
	// "remove categories[0].prizes[1]".
	Value string
	// Label is the button's text.
	Label string
	// Path is the item's path (the new item's for an add): where a refusal is shown.
	Path string
	Add  bool

	apply  func(*edition.Definition, map[string]string) error
	fields []Field
}

// op is the action of sh with value, with its group's fields; nil when there is none.
func (sh Sheet) op(value string) *Op {
	if value == "" {
		return nil
	}
	for _, g := range sh.Groups {
		if g.Op != nil && g.Op.Value == value {
			op := *g.Op
			op.fields = g.Fields
			return &op
		}
	}
	return nil
}

func refusal(path, msg string) error {
	return &edition.ValidationError{Problems: []edition.Problem{{Path: path, Message: msg}}}
}

// removeOp removes item i of the list at path; refuse, when set, says why the item must stay
// ("" when it may go).
func removeOp[T any](path string, i int, label string, list func(*edition.Definition) *[]T, refuse func(*edition.Definition) string) *Op {
	item := fmt.Sprintf("%s[%d]", path, i)
	return &Op{Value: "remove " + item, Label: label, Path: item, apply: func(d *edition.Definition, _ map[string]string) error {
		l := list(d)
		if i >= len(*l) {
			return refusal(item, i18n.M("This item is no longer there: open the page again."))
		}
		if refuse != nil {
			if msg := refuse(d); msg != "" {
				return refusal(item, msg)
			}
		}
		*l = slices.Delete(*l, i, i+1)
		return nil
	}}
}

// addOp appends the item start makes (from the posted values) to the list at path, which holds n
// items; the group's fields then set its values.
func addOp[T any](path string, n int, label string, list func(*edition.Definition) *[]T,
	start func(*edition.Definition, map[string]string) (T, error)) *Op {
	item := fmt.Sprintf("%s[%d]", path, n)
	return &Op{Value: "add " + path, Label: label, Path: item, Add: true, apply: func(d *edition.Definition, values map[string]string) error {
		l := list(d)
		if len(*l) != n {
			return refusal(item, i18n.M("The list changed: open the page again."))
		}
		var v T
		if start != nil {
			var err error
			if v, err = start(d, values); err != nil {
				return err
			}
		}
		*l = append(*l, v)
		return nil
	}}
}

// newItem are the fields of a new item: they show nothing (or what was posted) until it exists.
func newItem(fields ...Field) []Field {
	for i := range fields {
		fields[i].get = func(*edition.Definition) string { return "" }
	}
	return fields
}

func yesNo(path, label, hint string, ptr func(*edition.Definition) *bool) Field {
	return Field{Path: path, Label: label, Hint: hint, Kind: "select", Options: []string{"no", "yes"}, Labels: []string{i18n.M("no"), i18n.M("yes")},
		get: func(d *edition.Definition) string { return yesNoText(*ptr(d)) },
		set: func(d *edition.Definition, v string) error {
			b, err := readYesNo(v)
			*ptr(d) = b
			return err
		}}
}

// entitiesSheet lists the entity types: who registers, and who each category admits.
func entitiesSheet(def *edition.Definition) Sheet {
	sh := Sheet{Title: i18n.M("Entity types"), Intro: i18n.M("Who may register: every registrant is of one entity type, and each category " +
		"lists the types eligible for it. A type that a category lists or that registrants hold cannot be removed.")}
	types := func(d *edition.Definition) *[]edition.EntityTypeDef { return &d.EntityTypes }
	for i, t := range def.EntityTypes {
		p := fmt.Sprintf("entity_types[%d].", i)
		et := func(d *edition.Definition) *edition.EntityTypeDef { return &d.EntityTypes[i] }
		key, name := t.Key, t.Name
		sh.Groups = append(sh.Groups, Group{Legend: t.Name + " (" + t.Key + ")", Fields: []Field{
			text(p+"name", i18n.M("Name"), "", func(d *edition.Definition) *string { return &et(d).Name }),
			textarea(p+"description", "Description", i18n.M("Optional: shown to those who register."), func(d *edition.Definition) *string { return &et(d).Description }),
		}, Op: removeOp("entity_types", i, i18n.Msg("Remove the entity type {{.Name}}", "Name", t.Name), types, func(d *edition.Definition) string {
			for _, c := range d.Categories {
				if slices.Contains(c.EligibleEntityTypes, key) {
					return i18n.Msg("{{.Type}} cannot be removed: the category {{.Category}} lists it among its eligible entity types. "+
						"Take it out there first (Categories).", "Type", name, "Category", c.Name)
				}
			}
			return ""
		})})
	}
	n := len(def.EntityTypes)
	p := fmt.Sprintf("entity_types[%d].", n)
	nt := func(d *edition.Definition) *edition.EntityTypeDef { return &d.EntityTypes[n] }
	sh.Groups = append(sh.Groups, Group{Legend: i18n.M("Add an entity type"), Fields: newItem(
		text(p+"key", i18n.M("Key of the new entity type"), i18n.M("Lowercase letters, digits and hyphens, such as university: "+
			"the categories list the type by it."), func(d *edition.Definition) *string { return &nt(d).Key }),
		text(p+"name", i18n.M("Name of the new entity type"), i18n.M("Such as University."), func(d *edition.Definition) *string { return &nt(d).Name }),
		textarea(p+"description", i18n.M("Description of the new entity type"), i18n.M("Optional."), func(d *edition.Definition) *string { return &nt(d).Description }),
	), Op: addOp("entity_types", n, i18n.M("Add the entity type"), types, nil)})
	return sh
}

// categoryAdd is the group that adds a category.
func categoryAdd(def *edition.Definition) Group {
	n := len(def.Categories)
	p := fmt.Sprintf("categories[%d].", n)
	nc := func(d *edition.Definition) *edition.CategoryDef { return &d.Categories[n] }
	kind := text(p+"kind", i18n.M("Kind of the new category"), i18n.M("A project category is entered with an application; "+
		"a leadership category with a nomination."), func(d *edition.Definition) *string { return (*string)(&nc(d).Kind) })
	kind.Kind, kind.Options = "select", []string{string(edition.KindProject), string(edition.KindLeadership)}
	return Group{Legend: i18n.M("Add a category"), Fields: newItem(
		text(p+"key", i18n.M("Key of the new category"), i18n.M("Lowercase letters, digits and hyphens, such as smart-mobility."),
			func(d *edition.Definition) *string { return &nc(d).Key }),
		text(p+"name", i18n.M("Name of the new category"), "", func(d *edition.Definition) *string { return &nc(d).Name }),
		kind,
	), Op: addOp("categories", n, i18n.M("Add the category"), func(d *edition.Definition) *[]edition.CategoryDef { return &d.Categories },
		func(d *edition.Definition, values map[string]string) (edition.CategoryDef, error) {
			return startCategory(d, edition.Kind(strings.TrimSpace(values[p+"kind"])))
		})}
}

// addCategoryHint tells what a new category starts with.
const addCategoryHint = " A new category starts as a copy of the first category of its kind (its eligible entity types, " +
	"semi-finalists, prizes, criteria, application form and nomination rules), so that it is valid from the start: change them next."

// startCategory is a new category of kind: a copy of the first category of that kind in d as
// stored (or of the blank edition's category), without its key, name and texts.
func startCategory(d *edition.Definition, kind edition.Kind) (edition.CategoryDef, error) {
	stored, err := d.Clone()
	if err != nil {
		return edition.CategoryDef{}, err
	}
	var c edition.CategoryDef
	i := slices.IndexFunc(stored.Categories, func(c edition.CategoryDef) bool { return c.Kind == kind })
	if i >= 0 {
		c = stored.Categories[i]
	} else {
		b, err := edition.Parse(blank)
		if b == nil {
			return edition.CategoryDef{}, err
		}
		c = b.Categories[0]
		c.EligibleEntityTypes = nil
		for _, t := range d.EntityTypes {
			c.EligibleEntityTypes = append(c.EligibleEntityTypes, t.Key)
		}
		if kind == edition.KindLeadership {
			more := 30
			c.Nominations = &edition.NominationsDef{EndorsementsMoreThan: &more, NominatorCategories: []edition.NominatorCategoryDef{
				{Key: "head", Name: "Head of an organisation", Head: true}}}
		}
	}
	c.Key, c.Name, c.Description, c.CoreValue = "", "", "", ""
	return c, nil
}

// criterionGroups are the groups of the criteria of category i: each with its remove action,
// and the group that adds one.
func criterionGroups(def *edition.Definition, i int) []Group {
	c := def.Categories[i]
	p := fmt.Sprintf("categories[%d].criteria", i)
	list := func(d *edition.Definition) *[]edition.CriterionDef { return &d.Categories[i].Criteria }
	var out []Group
	for j, cr := range c.Criteria {
		crit := func(d *edition.Definition) *edition.CriterionDef { return &d.Categories[i].Criteria[j] }
		out = append(out, Group{Legend: i18n.Msg("{{.Category}}, criterion {{.Number}}", "Category", c.Name, "Number", strconv.Itoa(j+1)),
			Fields: criterionFields(fmt.Sprintf("%s[%d].", p, j), false, crit),
			Op: removeOp(p, j, i18n.Msg("Remove the criterion {{.Criterion}} of {{.Category}}", "Criterion", cr.Name, "Category", c.Name), list, func(d *edition.Definition) string {
				if f := d.Categories[i].Form; f != nil {
					for _, q := range f.Questions() {
						if q.Criterion == cr.Key {
							return i18n.Msg("The criterion {{.Criterion}} cannot be removed: the question {{.Question}} of the application form is linked to it. "+
								"Unlink the question first (Application forms).", "Criterion", cr.Name, "Question", strconv.Quote(q.Label))
						}
					}
				}
				return ""
			})})
	}
	n := len(c.Criteria)
	crit := func(d *edition.Definition) *edition.CriterionDef { return &d.Categories[i].Criteria[n] }
	cp := fmt.Sprintf("%s[%d].", p, n)
	fields := criterionFields(cp, true, crit)
	key := text(cp+"key", i18n.M("Key of the new criterion"), i18n.M("Optional: made from its name when empty."),
		func(d *edition.Definition) *string { return &crit(d).Key })
	key.set = func(d *edition.Definition, v string) error {
		if v != "" {
			crit(d).Key = v
		}
		return nil
	}
	setName := fields[0].set
	fields[0].set = func(d *edition.Definition, v string) error {
		crit(d).Key = edition.DeriveKey(v) // unless a key is given (set next)
		return setName(d, v)
	}
	out = append(out, Group{Legend: i18n.Msg("Add a criterion to {{.Category}}", "Category", c.Name), Fields: newItem(append(fields, key)...),
		Op: addOp(p, n, i18n.Msg("Add the criterion to {{.Category}}", "Category", c.Name), list, nil)})
	return out
}

// criterionFields are the fields of a criterion at path p (ending in "."); fresh names them as
// the new criterion's.
func criterionFields(p string, fresh bool, crit func(*edition.Definition) *edition.CriterionDef) []Field {
	labels := [4]string{i18n.M("Name"), "Description", i18n.M("Weight"), i18n.M("Indicators")}
	if fresh {
		labels = [4]string{i18n.M("Name of the new criterion"), i18n.M("Description of the new criterion"),
			i18n.M("Weight of the new criterion"), i18n.M("Indicators of the new criterion")}
	}
	return []Field{
		text(p+"name", labels[0], "", func(d *edition.Definition) *string { return &crit(d).Name }),
		textarea(p+"description", labels[1], i18n.M("Optional: what the evaluators judge."), func(d *edition.Definition) *string { return &crit(d).Description }),
		weightField(p+"weight", labels[2], crit),
		{Path: p + "indicators", Label: labels[3], Kind: "textarea", Hint: i18n.M("One per line: what the evaluators look at."),
			get: func(d *edition.Definition) string {
				names := make([]string, len(crit(d).Indicators))
				for k, in := range crit(d).Indicators {
					names[k] = in.Name
				}
				return strings.Join(names, "\n")
			},
			set: func(d *edition.Definition, v string) error {
				was := crit(d).Indicators
				var out []edition.IndicatorDef
				for _, line := range strings.Split(v, "\n") {
					if line = strings.TrimSpace(line); line == "" {
						continue
					}
					// An indicator kept by its name keeps its key (its scores stay with it).
					if k := slices.IndexFunc(was, func(in edition.IndicatorDef) bool { return in.Name == line }); k >= 0 {
						out = append(out, was[k])
					} else {
						out = append(out, edition.IndicatorDef{Name: line})
					}
				}
				crit(d).Indicators = out
				return nil
			}},
	}
}

// prizeGroups are the groups of the prizes of category i, each with its remove action, and the
// group that adds one.
func prizeGroups(def *edition.Definition, i int) []Group {
	c := def.Categories[i]
	p := fmt.Sprintf("categories[%d].prizes", i)
	list := func(d *edition.Definition) *[]edition.PrizeDef { return &d.Categories[i].Prizes }
	var out []Group
	for k, pr := range c.Prizes {
		prize := func(d *edition.Definition) *edition.PrizeDef { return &d.Categories[i].Prizes[k] }
		pp := fmt.Sprintf("%s[%d].", p, k)
		out = append(out, Group{Legend: fmt.Sprintf("%s, prize for place %d", c.Name, pr.Place), Fields: []Field{
			text(pp+"name", i18n.M("Name"), "", func(d *edition.Definition) *string { return &prize(d).Name }),
			whole(pp+"count", i18n.M("Number of awards"), "", func(d *edition.Definition) *int { return &prize(d).Count }),
		}, Op: removeOp(p, k, i18n.Msg("Remove the prize {{.Prize}} of {{.Category}}", "Prize", pr.Name, "Category", c.Name), list, nil)})
	}
	n := len(c.Prizes)
	prize := func(d *edition.Definition) *edition.PrizeDef { return &d.Categories[i].Prizes[n] }
	pp := fmt.Sprintf("%s[%d].", p, n)
	out = append(out, Group{Legend: i18n.Msg("Add a prize to {{.Category}}", "Category", c.Name), Fields: newItem(
		whole(pp+"place", i18n.M("Place of the new prize"), i18n.M("1 for the first prize, 2 for the second…"), func(d *edition.Definition) *int { return &prize(d).Place }),
		text(pp+"name", i18n.M("Name of the new prize"), i18n.M("Such as Grand Prize."), func(d *edition.Definition) *string { return &prize(d).Name }),
		whole(pp+"count", i18n.M("Number of awards of the new prize"), i18n.M("How many winners receive it."), func(d *edition.Definition) *int { return &prize(d).Count }),
	), Op: addOp(p, n, i18n.Msg("Add the prize to {{.Category}}", "Category", c.Name), list, nil)})
	return out
}

// nominatorGroups are the groups of the nominator categories of leadership category i, each
// with its remove action, and the group that adds one; none for a project category.
func nominatorGroups(def *edition.Definition, i int) []Group {
	c := def.Categories[i]
	if c.Nominations == nil {
		return nil
	}
	p := fmt.Sprintf("categories[%d].nominations.nominator_categories", i)
	list := func(d *edition.Definition) *[]edition.NominatorCategoryDef {
		return &d.Categories[i].Nominations.NominatorCategories
	}
	headHint := i18n.M("Yes: its members may write letters of recommendation (heads of organisations).")
	var out []Group
	for k, nc := range c.Nominations.NominatorCategories {
		nom := func(d *edition.Definition) *edition.NominatorCategoryDef {
			return &d.Categories[i].Nominations.NominatorCategories[k]
		}
		np := fmt.Sprintf("%s[%d].", p, k)
		out = append(out, Group{Legend: fmt.Sprintf("%s, nominator category %s", c.Name, nc.Key), Fields: []Field{
			text(np+"name", i18n.M("Name"), "", func(d *edition.Definition) *string { return &nom(d).Name }),
			yesNo(np+"head", i18n.M("Head of an organisation"), headHint, func(d *edition.Definition) *bool { return &nom(d).Head }),
		}, Op: removeOp(p, k, i18n.Msg("Remove the nominator category {{.Key}} of {{.Category}}", "Key", nc.Key, "Category", c.Name), list, nil)})
	}
	n := len(c.Nominations.NominatorCategories)
	nom := func(d *edition.Definition) *edition.NominatorCategoryDef {
		return &d.Categories[i].Nominations.NominatorCategories[n]
	}
	np := fmt.Sprintf("%s[%d].", p, n)
	out = append(out, Group{Legend: i18n.Msg("Add a nominator category to {{.Category}}", "Category", c.Name), Fields: newItem(
		text(np+"key", i18n.M("Key of the new nominator category"), i18n.M("Lowercase letters, digits and hyphens, such as mayor."),
			func(d *edition.Definition) *string { return &nom(d).Key }),
		text(np+"name", i18n.M("Name of the new nominator category"), i18n.M("Such as Mayor of a city."), func(d *edition.Definition) *string { return &nom(d).Name }),
		yesNo(np+"head", i18n.M("Is the new nominator category a head of an organisation"), headHint, func(d *edition.Definition) *bool { return &nom(d).Head }),
	), Op: addOp(p, n, i18n.Msg("Add the nominator category to {{.Category}}", "Category", c.Name), list, nil)})
	return out
}

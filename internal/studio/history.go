package studio

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"prizeportal/internal/audit"
	"prizeportal/internal/authz"
	"prizeportal/internal/edition"
	"prizeportal/internal/i18n"
)

var pathPart = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\])?$`)

// Describe names the value at path of def for people: the label of its field on a studio sheet
// ("Application deadline"), or its parts by name: "Tech-InnovaCity › Aim of Efficiency › weight"
// for "categories[0].criteria[1].weight". Parts def does not hold keep their key. To name many
// values of one definition, use Describer.
func Describe(def *edition.Definition, path string) string { return Describer(def)(path) }

// Describer is Describe for def, with the labels of the studio's sheets read once.
func Describer(def *edition.Definition) func(path string) string {
	labels := map[string]string{}
	if def != nil {
		for _, key := range SheetKeys {
			sh, _ := SheetOf(def, key)
			for _, g := range sh.Groups {
				for _, f := range g.Fields {
					if _, seen := labels[f.Path]; seen {
						continue
					}
					labels[f.Path] = f.Label
					// A value of a list item is named with its item.
					if g.Legend != "" && strings.Contains(f.Path, "[") {
						labels[f.Path] = g.Legend + " › " + f.Label
					}
				}
			}
		}
	}
	return func(path string) string {
		if l, ok := labels[path]; ok {
			return l
		}
		return describeParts(def, path)
	}
}

// describeParts names each part of path by the name def gives it.
func describeParts(def *edition.Definition, path string) string {
	var out []string
	var cat *edition.CategoryDef
	var crit *edition.CriterionDef
	var section int = -1
	for _, part := range strings.Split(path, ".") {
		m := pathPart.FindStringSubmatch(part)
		if m == nil {
			out = append(out, part)
			continue
		}
		key, idx := m[1], -1
		if m[2] != "" {
			idx, _ = strconv.Atoi(m[2])
		}
		name := ""
		switch {
		case def == nil || idx < 0:
		case key == "categories" && idx < len(def.Categories):
			cat = &def.Categories[idx]
			name = cat.Name
		case key == "criteria" && cat != nil && idx < len(cat.Criteria):
			crit = &cat.Criteria[idx]
			name = crit.Name
		case key == "indicators" && crit != nil && idx < len(crit.Indicators):
			name = crit.Indicators[idx].Name
		case key == "nominator_categories" && cat != nil && cat.Nominations != nil && idx < len(cat.Nominations.NominatorCategories):
			name = cat.Nominations.NominatorCategories[idx].Key
		case key == "prizes" && cat != nil && idx < len(cat.Prizes):
			name = cat.Prizes[idx].Name
		case key == "sections" && cat != nil && cat.Form != nil && idx < len(cat.Form.Sections):
			section = idx
			name = cat.Form.Sections[idx].Title
		case key == "questions" && cat != nil && cat.Form != nil && section >= 0 && idx < len(cat.Form.Sections[section].Questions):
			name = cat.Form.Sections[section].Questions[idx].Label
		case key == "entity_types" && idx < len(def.EntityTypes):
			name = def.EntityTypes[idx].Name
		}
		if name == "" {
			name = strings.ReplaceAll(key, "_", " ")
			if idx >= 0 {
				name += " " + strconv.Itoa(idx+1)
			}
		}
		out = append(out, name)
	}
	return strings.Join(out, " › ")
}

// Entry is one change in an edition's history.
type Entry struct {
	Row     audit.Row
	Reason  string
	Changes []edition.Difference
}

// What says what the entry did, for people.
func (e Entry) What() string {
	switch e.Row.Action {
	case "edition.import":
		return i18n.M("Imported from a YAML file")
	case "edition.change":
		return i18n.M("Changed in the studio")
	case "edition.copy":
		return i18n.M("Created as a copy")
	case "edition.create":
		return i18n.M("Created blank")
	case "edition.publish":
		return i18n.M("Published")
	}
	return e.Row.Action
}

// HistoryPage is one page of an edition's history, newest first.
type HistoryPage struct {
	Entries []Entry
	Total   int
}

// History is the page page of edition slug's history: every import, change, copy and
// publication, with the values each changed and its reason.
func (s *Service) History(ctx context.Context, actor authz.Actor, slug string, page int) (HistoryPage, error) {
	e, err := s.Managed(ctx, actor, slug)
	if err != nil {
		return HistoryPage{}, err
	}
	p, err := audit.Search(ctx, s.Pool, audit.Filter{Action: "edition.", ObjectType: "edition", ObjectID: strconv.FormatInt(e.ID, 10), Page: page})
	if err != nil {
		return HistoryPage{}, err
	}
	out := HistoryPage{Total: p.Total}
	for _, r := range p.Rows {
		var d struct {
			Reason  string               `json:"reason"`
			Changes []edition.Difference `json:"changes"`
		}
		if r.Details != "" {
			if err := json.Unmarshal([]byte(r.Details), &d); err != nil {
				return HistoryPage{}, fmt.Errorf("studio: history: %w", err)
			}
		}
		out.Entries = append(out.Entries, Entry{Row: r, Reason: d.Reason, Changes: d.Changes})
	}
	return out, nil
}

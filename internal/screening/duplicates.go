package screening

import (
	"strconv"

	"prizeportal/internal/application"
	"prizeportal/internal/i18n"
)

// duplicateCheck is what the portal found for CheckDuplicate (DOMAIN.md "Registration": the same
// project may not be entered in both project categories): the entries in other categories the
// duplicate finder pairs with this one, each with how alike they are, or that it found none.
// The secretariat member still decides: a likely duplicate is not necessarily one.
func (p *EntryPage) duplicateCheck() AutoCheck {
	if len(p.Duplicates) == 0 {
		return AutoCheck{Text: i18n.Msg("Passed: no entry in another category looks like this one (title, summary or organisation {{.Threshold}} alike or more).",
			"Threshold", percent(application.DuplicateThreshold))}
	}
	var found string
	for _, d := range p.Duplicates {
		other, sim := d.B, d
		if other.ID == p.Entry.ID {
			other = d.A
		}
		title := other.Title
		if title == "" {
			title = i18n.Msg("Untitled entry", "ID", other.ID)
		}
		one := i18n.Msg("“{{.Title}}” (entry {{.ID}}, {{.Category}}, {{.Organisation}}; title {{.TitleAlike}}, summary {{.SummaryAlike}}, organisation {{.OrganisationAlike}} alike)",
			"Title", title, "ID", other.ID, "Category", other.Category, "Organisation", other.Organisation,
			"TitleAlike", percent(sim.Title), "SummaryAlike", percent(sim.Summary), "OrganisationAlike", percent(sim.Organisation))
		if found == "" {
			found = one
		} else {
			found = i18n.Msg("{{.First}}; {{.Next}}", "First", found, "Next", one)
		}
	}
	return AutoCheck{Failed: true, Text: i18n.Msg("Likely the same project as {{.Found}}. Compare them in Likely duplicates ({{.Href}}) before you confirm.",
		"Found", found, "Href", "/secretariat/duplicates?edition="+strconv.FormatInt(p.Edition.ID, 10))}
}

// percent writes a similarity from 0 to 1 as a whole percentage.
func percent(v float64) string { return strconv.Itoa(int(v*100+0.5)) + "%" }

package screening

import (
	"strconv"
	"strings"

	"prizeportal/internal/application"
)

// duplicateCheck is what the portal found for CheckDuplicate (DOMAIN.md "Registration": the same
// project may not be entered in both project categories): the entries in other categories the
// duplicate finder pairs with this one, each with how alike they are, or that it found none.
// The secretariat member still decides: a likely duplicate is not necessarily one.
func (p *EntryPage) duplicateCheck() AutoCheck {
	alike := "title, summary or organisation " + percent(application.DuplicateThreshold) + " alike or more"
	if len(p.Duplicates) == 0 {
		return AutoCheck{Text: "Passed: no entry in another category looks like this one (" + alike + ")."}
	}
	var found []string
	for _, d := range p.Duplicates {
		other, sim := d.B, d
		if other.ID == p.Entry.ID {
			other = d.A
		}
		title := other.Title
		if title == "" {
			title = "Untitled entry"
		}
		found = append(found, "“"+title+"” (entry "+strconv.FormatInt(other.ID, 10)+", "+other.Category+", "+other.Organisation+
			"; title "+percent(sim.Title)+", summary "+percent(sim.Summary)+", organisation "+percent(sim.Organisation)+" alike)")
	}
	return AutoCheck{Failed: true, Text: "Likely the same project as " + strings.Join(found, "; ") +
		". Compare them in Likely duplicates (/secretariat/duplicates?edition=" + strconv.FormatInt(p.Edition.ID, 10) + ") before you confirm."}
}

// percent writes a similarity from 0 to 1 as a whole percentage.
func percent(v float64) string { return strconv.Itoa(int(v*100+0.5)) + "%" }

package edition_test

import (
	"strings"
	"testing"

	"prizeportal/internal/i18n"
)

// TestPublicTexts: the public page's schedule runs in the rounds' order in the edition's zone,
// the stage follows the clock, every category names its eligible types, and the weights are
// shares of the category's total.
func TestPublicTexts(t *testing.T) {
	t.Parallel()
	_, e := mustResolve(t, builtin(t, "seoul-2023"))
	ms := e.Milestones()
	if len(ms) != 8 || ms[0].Label != "Applications open" || ms[7].Label != "Prize ceremony" || !ms[0].Start.Equal(e.Schedule.ApplicationsOpen) {
		t.Errorf("milestones: %+v", ms)
	}
	if got := e.Stage(e.Schedule.ApplicationsOpen.Add(-1)); !strings.HasPrefix(i18n.English(got), "Applications open on ") {
		t.Errorf("stage before the opening: %q", got)
	}
	if got := e.Stage(e.Schedule.WinnersAnnounced); !strings.HasPrefix(i18n.English(got), "The winners were announced on ") {
		t.Errorf("stage after the announcement: %q", got)
	}
	for _, ty := range e.EntityTypes {
		if len(e.CategoriesFor(ty.Key)) == 0 {
			t.Errorf("entity type %s has no category", ty.Key)
		}
	}
	c := &e.Categories[0]
	if got := c.Share(c.Criteria[0]); !strings.HasSuffix(got, "%") {
		t.Errorf("share %q", got)
	}
}

package pages

import "testing"

func TestChangeLabelLowersTheArticle(t *testing.T) {
	for title, want := range map[string]string{
		"The candidate":       "Change the candidate",
		"A project":           "Change a project",
		"Project description": "Change Project description",
		"Theory":              "Change Theory",
	} {
		if got := changeLabel(title); got != want {
			t.Errorf("changeLabel(%q) = %q, want %q", title, got, want)
		}
	}
}

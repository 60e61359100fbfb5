package wording_test

import (
	"slices"
	"testing"

	"prizeportal/internal/notify/wording"
)

func TestFillAndCheck(t *testing.T) {
	t.Parallel()
	offered := []wording.Param{{Name: wording.Name}, {Name: wording.Link}}
	v := wording.Values{wording.Name: "Min-jun", wording.Link: "https://x.example/a"}
	if got := wording.Fill("Dear {{name}}, see {{ link }}.", v); got != "Dear Min-jun, see https://x.example/a." {
		t.Fatalf("Fill = %q", got)
	}
	if got := wording.FillLine("Hello {{name}}", wording.Values{wording.Name: "A\r\nB"}); got != "Hello A B" {
		t.Fatalf("FillLine = %q", got)
	}
	for tmpl, want := range map[string][]string{
		"Dear {{name}}":                   nil,
		"Dear {{aplicant_name}} {{name}}": {"{{aplicant_name}}"},
		"{{Name}} and {{deadline}}":       {"{{Name}}", "{{deadline}}"},
		"Dear {{name":                     {`a "{{" without its "}}"`},
		"Dear name}} {{x}} {{x}}":         {"{{x}}", `a "}}" without its "{{"`},
	} {
		if got := wording.Check(tmpl, offered); !slices.Equal(got, want) {
			t.Errorf("Check(%q) = %q, want %q", tmpl, got, want)
		}
	}
}

// TestRegistry holds every email's defaults to the placeholders it offers, each with a sample.
func TestRegistry(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, e := range wording.All() {
		if e.Key == "" || e.Name == "" || e.Subject == "" || e.Body == "" || seen[e.Key] {
			t.Errorf("entry %+v: a key (unique), a name, a subject and a body are needed", e)
		}
		seen[e.Key] = true
		for _, tmpl := range []string{e.Subject, e.Body} {
			if bad := wording.Check(tmpl, e.Params); len(bad) > 0 {
				t.Errorf("%s: default uses %v", e.Key, bad)
			}
		}
		for _, p := range e.Params {
			if p.Sample == "" || p.Description == "" {
				t.Errorf("%s: placeholder %s without a description or sample", e.Key, p.Name)
			}
		}
	}
}

package edition_test

import (
	"bytes"
	"strings"
	"testing"

	"prizeportal/internal/blocks/form"
	"prizeportal/internal/edition"
)

func seoul(t *testing.T) (was, d *edition.Definition) {
	t.Helper()
	was, err := edition.ParseBuiltin("seoul-2023")
	if err != nil {
		t.Fatal(err)
	}
	if d, err = was.Clone(); err != nil {
		t.Fatal(err)
	}
	return was, d
}

func TestRewriteEditsChangedValuesInPlace(t *testing.T) {
	was, d := seoul(t)
	d.Schedule.ApplicationDeadline = "2023-05-30 23:59"
	d.Name = "Seoul Smart City Prize 2023 (revised)"
	d.Rewrite(was)
	want := strings.Replace(string(was.Source()), "application_deadline: 2023-05-31 23:59", "application_deadline: 2023-05-30 23:59", 1)
	want = strings.Replace(want, "name: Seoul Smart City Prize 2023\n", "name: Seoul Smart City Prize 2023 (revised)\n", 1)
	if string(d.Source()) != want {
		t.Errorf("the rewritten file differs from the original by more than the two values")
	}
	diff := edition.Diff(was, d)
	if len(diff) != 2 || diff[0].Path != "name" || diff[1].Path != "schedule.application_deadline" ||
		diff[1].Old != "2023-05-31 23:59" || diff[1].New != "2023-05-30 23:59" {
		t.Errorf("diff = %+v", diff)
	}
}

func TestRewriteMergesNewValuesKeepingComments(t *testing.T) {
	was, d := seoul(t)
	w := 2.5
	d.Categories[0].Criteria[1].Weight = &w
	f := d.Categories[0].Form
	f.Sections[0].Questions = append(f.Sections[0].Questions, form.Question{Key: "city_size", Label: "Population of the city",
		Type: form.Number, Unit: "people", ShowIf: &form.Condition{Question: "stage", Equals: "completed"}})
	d.Rewrite(was)
	src := d.Source()
	back, err := edition.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if diff := edition.Diff(d, back); len(diff) != 0 {
		t.Errorf("the file does not read back as the fields: %+v", diff)
	}
	if !bytes.Contains(src, []byte("# §5 and §8.")) || !bytes.Contains(src, []byte("key: city_size")) {
		t.Errorf("the merged file lost its comments or the new question")
	}
	diff := edition.Diff(was, back)
	var paths []string
	for _, df := range diff {
		paths = append(paths, df.Path)
	}
	got := strings.Join(paths, " ")
	if !strings.Contains(got, "categories[0].criteria[1].weight") || !strings.Contains(got, "categories[0].form.sections[0].questions[") {
		t.Errorf("diff paths = %s", got)
	}
}

func TestDiffOfEqualDefinitionsIsEmpty(t *testing.T) {
	was, d := seoul(t)
	if diff := edition.Diff(was, d); len(diff) != 0 {
		t.Errorf("a clone differs: %+v", diff)
	}
	d.Rewrite(was)
	if !bytes.Equal(d.Source(), was.Source()) {
		t.Error("rewriting an unchanged definition changed its file")
	}
}

// BenchmarkRewrite measures what a studio change costs the server besides the database: the
// copy of the stored definition, the change, the rewritten file and its reading back. "value":
// a new deadline, edited in place; "structure": a new weight, merged into the document.
func BenchmarkRewrite(b *testing.B) {
	was, err := edition.ParseBuiltin("seoul-2023")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(*edition.Definition)
	}{
		{"value", func(d *edition.Definition) { d.Schedule.ApplicationDeadline = "2023-05-30 23:59" }},
		{"structure", func(d *edition.Definition) { w := 2.0; d.Categories[0].Criteria[0].Weight = &w }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				d, err := was.Clone()
				if err != nil {
					b.Fatal(err)
				}
				c.edit(d)
				d.Rewrite(was)
				if _, err := edition.Parse(d.Source()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestDiffOfAnItemRemovedInTheMiddleShowsThatItem: removing the first of a category's criteria
// lists that criterion's values alone (matched by key), not every later criterion as changed; a
// reordering alone still shows (matched by position), so a move is never "nothing changed".
func TestDiffOfAnItemRemovedInTheMiddleShowsThatItem(t *testing.T) {
	was, d := seoul(t)
	gone := d.Categories[0].Criteria[0]
	d.Categories[0].Criteria = d.Categories[0].Criteria[1:]
	diff := edition.Diff(was, d)
	if len(diff) == 0 {
		t.Fatal("no difference")
	}
	for _, df := range diff {
		if df.New != "" || !strings.HasPrefix(df.Path, "categories[0].criteria[0].") {
			t.Errorf("a difference other than the removed criterion: %+v", df)
		}
	}
	if diff[0].Path != "categories[0].criteria[0].key" || diff[0].Old != gone.Key {
		t.Errorf("first difference %+v, want the removed criterion's key %q", diff[0], gone.Key)
	}

	_, moved := seoul(t)
	c := moved.Categories[0].Criteria
	c[0], c[1] = c[1], c[0]
	if diff := edition.Diff(was, moved); len(diff) == 0 {
		t.Error("a reordering shows no difference")
	}
}

package edition

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Difference is one value that differs between two definitions: its path in the file (as in
// Problem.Path, e.g. "categories[0].criteria[1].weight") and its text before and after; an empty
// Old is a value added, an empty New a value removed. The edition studio shows the differences
// of a change before and after it is made, and the audit log keeps them (ARCHITECTURE.md: every
// write that matters is audited; the edition studio shows a change as a diff).
type Difference struct {
	Path string `json:"path"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
}

// String is the difference in one line: "path: old → new".
func (d Difference) String() string {
	switch {
	case d.Old == "":
		return fmt.Sprintf("%s: added %q", d.Path, d.New)
	case d.New == "":
		return fmt.Sprintf("%s: removed %q", d.Path, d.Old)
	}
	return fmt.Sprintf("%s: %q → %q", d.Path, d.Old, d.New)
}

// Diff lists the values that differ between a and b, in file order (b's, then what only a has).
// Both are compared as their fields say, not as their texts: comments, quoting and the order of
// keys do not count. A nil definition has no values.
//
// Values are matched two ways, and the shorter non-empty list wins: by position (a list item
// compared with the item at the same index: a reordering shows as the values that moved) and by
// identity (an item of a list with keys, such as a category, a criterion or a question, compared
// with the item of the same key, or a prize with the same place: an item added or removed in the
// middle of a list shows as that item alone, not as every later item changed).
func Diff(a, b *Definition) []Difference {
	av, bv := a.flatten(), b.flatten()
	byPosition := diffBy(av, bv, func(v pathValue) string { return v.path })
	byIdentity := diffBy(av, bv, func(v pathValue) string { return v.id })
	if len(byIdentity) > 0 && len(byIdentity) < len(byPosition) {
		return byIdentity
	}
	return byPosition
}

// diffBy lists the differences of av and bv, matching values by the name match gives them.
func diffBy(av, bv []pathValue, match func(pathValue) string) []Difference {
	old := make(map[string]string, len(av))
	for _, v := range av {
		old[match(v)] = v.value
	}
	var out []Difference
	seen := make(map[string]bool, len(bv))
	for _, v := range bv {
		m := match(v)
		seen[m] = true
		if was, ok := old[m]; !ok || was != v.value {
			out = append(out, Difference{Path: v.path, Old: was, New: v.value})
		}
	}
	for _, v := range av {
		if !seen[match(v)] {
			out = append(out, Difference{Path: v.path, Old: v.value})
		}
	}
	return out
}

// pathValue is a scalar of a definition: its path (list items by index), its identity (list
// items by their key or place where they have one, else by index) and its text.
type pathValue struct{ path, id, value string }

// itemIdentity names a list item by its key ("{key}") or a prize by its place ("{place 1}");
// "" for an item with neither.
func itemIdentity(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := n.Content[i+1]; v.Kind == yaml.ScalarNode && v.Value != "" {
			switch n.Content[i].Value {
			case "key":
				return "{" + v.Value + "}"
			case "place":
				return "{place " + v.Value + "}"
			}
		}
	}
	return ""
}

// flatten lists every scalar value of the definition's fields with its path, in field order.
func (d *Definition) flatten() []pathValue {
	if d == nil {
		return nil
	}
	var n yaml.Node
	if err := n.Encode(d); err != nil { // cannot happen: the types are plain
		panic("edition: flatten: " + err.Error())
	}
	var out []pathValue
	var walk func(n *yaml.Node, path, id string)
	walk = func(n *yaml.Node, path, id string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path, id)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p, q := n.Content[i].Value, n.Content[i].Value
				if path != "" {
					p, q = path+"."+p, id+"."+q
				}
				walk(n.Content[i+1], p, q)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				at := fmt.Sprintf("[%d]", i)
				item := itemIdentity(c)
				if item == "" {
					item = at
				}
				walk(c, path+at, id+item)
			}
		case yaml.ScalarNode:
			if n.Tag != "!!null" {
				out = append(out, pathValue{path, id, n.Value})
			}
		}
	}
	walk(&n, "", "")
	return out
}

// Clone is a deep copy of d, read again from its source.
func (d *Definition) Clone() (*Definition, error) {
	c, err := Parse(d.Source())
	if c == nil {
		return nil, err
	}
	return c, nil
}

// Rewrite makes d's source text match its fields after they were changed in code (the edition
// studio changes fields, not text). The new values are merged into the document d was read from,
// so the file keeps its comments, its order of keys and the style of the values that stay; what
// was added is written in the encoder's style. was is d as it was read, before the change. Should
// the merged text not read back as the fields say, the source is rendered from the fields.
func (d *Definition) Rewrite(was *Definition) {
	if len(Diff(was, d)) == 0 {
		return
	}
	if d.editInPlace(was) {
		return
	}
	d.nodes = map[string]*yaml.Node{}
	if merged, ok := mergeInto(was.Source(), d); ok {
		if back, _ := Parse(merged); back != nil && len(Diff(back, d)) == 0 {
			d.source = merged
			return
		}
	}
	d.source = nil
	d.source = d.Source()
}

// editInPlace edits d's source text where the changed values stand (a new deadline, a corrected
// name), leaving every other byte as it was: possible when every difference is a plain scalar
// value that was already in the file. It reports whether it did.
func (d *Definition) editInPlace(was *Definition) bool {
	var edits []sourceEdit
	for _, df := range Diff(was, d) {
		n := d.nodes[df.Path]
		if d.source == nil || df.Old == "" || df.New == "" || n == nil || n.Kind != yaml.ScalarNode ||
			n.Value != df.Old || n.Style != 0 || !plainScalar(df.New) {
			return false
		}
		edits = append(edits, sourceEdit{node: n, old: df.Old, new: df.New})
	}
	saved := slices.Clone(d.source)
	d.editSource(edits)
	if d.source != nil {
		if back, _ := Parse(d.source); back != nil && len(Diff(back, d)) == 0 {
			return true
		}
	}
	d.source = saved
	return false
}

// plainScalar reports whether s can stand as a plain YAML scalar on its line, in a block or a
// flow mapping, and read back as itself (Rewrite checks the result anyway).
func plainScalar(s string) bool {
	return s != "" && strings.TrimSpace(s) == s && !strings.ContainsAny(s, "\n\t,[]{}") &&
		!strings.ContainsAny(s[:1], "-?:#&*!|>'\"%@`") && !strings.Contains(s, ": ") && !strings.Contains(s, " #")
}

// mergeInto is the document src with d's fields merged into it (see Rewrite).
func mergeInto(src []byte, d *Definition) ([]byte, bool) {
	var doc, fresh yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, false
	}
	if err := fresh.Encode(d); err != nil {
		return nil, false
	}
	mergeNode(doc.Content[0], &fresh)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, false
	}
	if err := enc.Close(); err != nil {
		return nil, false
	}
	return b.Bytes(), true
}

// mergeNode makes old hold new's values, keeping old's comments, key order and styles.
func mergeNode(old, nu *yaml.Node) {
	if old.Kind == yaml.AliasNode || old.Kind != nu.Kind {
		if old.Kind == yaml.ScalarNode && nu.Kind == yaml.MappingNode && len(nu.Content) == 2 &&
			nu.Content[0].Value == "name" && nu.Content[1].Value == old.Value {
			return // an indicator written by its name alone, unchanged
		}
		head, line, foot := old.HeadComment, old.LineComment, old.FootComment
		*old = *nu
		old.HeadComment, old.LineComment, old.FootComment = head, line, foot
		return
	}
	switch old.Kind {
	case yaml.MappingNode:
		newAt := map[string]int{}
		for i := 0; i+1 < len(nu.Content); i += 2 {
			newAt[nu.Content[i].Value] = i
		}
		var content []*yaml.Node
		kept := map[string]bool{}
		for i := 0; i+1 < len(old.Content); i += 2 {
			k := old.Content[i].Value
			j, ok := newAt[k]
			if !ok {
				continue // a key left out
			}
			mergeNode(old.Content[i+1], nu.Content[j+1])
			content = append(content, old.Content[i], old.Content[i+1])
			kept[k] = true
		}
		for i := 0; i+1 < len(nu.Content); i += 2 {
			if !kept[nu.Content[i].Value] {
				content = append(content, nu.Content[i], nu.Content[i+1])
			}
		}
		old.Content = content
	case yaml.SequenceNode:
		n := min(len(old.Content), len(nu.Content))
		for i := range n {
			mergeNode(old.Content[i], nu.Content[i])
		}
		old.Content = append(old.Content[:n], nu.Content[n:]...)
	case yaml.ScalarNode:
		if old.Value == nu.Value {
			return
		}
		old.Value = nu.Value
		// A date written plainly stays plain; any other value takes the encoder's tag and style.
		if !(old.Tag == "!!timestamp" && nu.Tag == "!!str") {
			old.Tag, old.Style = nu.Tag, nu.Style
		} else if old.Style != 0 && nu.Style == 0 {
			old.Style = 0
		}
	}
}

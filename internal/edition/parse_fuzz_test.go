package edition_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"prizeportal/internal/edition"
)

// FuzzParse feeds arbitrary files to the edition importer (Parse, then Resolve): it must never
// panic, and a file it refuses gets a *ValidationError whose every problem says something, with
// a line when it has no path; a file it accepts resolves.
func FuzzParse(f *testing.F) {
	for _, name := range edition.BuiltinNames() {
		data, err := edition.Builtin(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		minimal,
		bad,
		"",
		"---\n...\n",
		"slug: [\n",
		"slug: &a x\nname: *a\n",
		"categories: &c [*c]\n",
		"categories:\n  - &x {key: a, criteria: [{name: c, indicators: &i [a, b, c]}, {name: d, indicators: *i}]}\n  - *x\n",
		"scale: {min: 10, max: 0}\nyear: 1e99\ntime_zone: Mars/Olympus\n",
		"categories: [{key: \"\\u0000\", name: \"\\uFFFF\", prizes: [{place: -1, count: 99999999999999999999}]}]\n",
		"? [a, b]\n: c\n",
		"schedule: {applications_open: 2030-02-30, application_deadline: yesterday}\n",
		"!!binary aGVsbG8=\n",
		"slug: a\nslug: b\nunknown_key: 1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		d, err := edition.Parse(data)
		if err != nil {
			var ve *edition.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("Parse error is not a list of problems: %#v", err)
			}
			for _, p := range ve.Problems {
				if strings.TrimSpace(p.Message) == "" || (p.Path == "" && p.Line == 0 && !strings.Contains(p.Message, "empty") &&
					!strings.Contains(p.Message, "YAML")) {
					t.Fatalf("unclear problem %+v in %v", p, err)
				}
				if !utf8.ValidString(p.String()) {
					t.Fatalf("problem not valid UTF-8: %q", p.String())
				}
			}
			if d != nil {
				_, _ = d.Resolve() // what could be read must not make Resolve panic either
			}
		} else {
			e, err := d.Resolve()
			if err != nil || e == nil {
				t.Fatalf("Parse accepted a definition that Resolve refuses: %v", err)
			}
		}
		if time.Since(start) > 20*time.Second {
			t.Fatalf("Parse of %d bytes took %v", len(data), time.Since(start))
		}
	})
}

// TestParseBoundsAliases checks that a small file cannot stand for an enormous definition
// through aliases (a "billion laughs" file): the importer refuses it quickly with a clear error.
func TestParseBoundsAliases(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("slug: x\ncategories:\n  - key: a\n    criteria:\n      - &k\n        name: k\n        indicators: [")
	b.WriteString(strings.TrimSuffix(strings.Repeat("x,", 200), ","))
	b.WriteString("]\n")
	for i := range 300 {
		b.WriteString("  - {key: c" + string(rune('a'+i%26)) + ", criteria: [" + strings.TrimSuffix(strings.Repeat("*k,", 300), ",") + "]}\n")
	}
	_, err := edition.Parse([]byte(b.String())) // 18 million values once expanded
	var ve *edition.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || !strings.Contains(err.Error(), "aliases") || ve.Problems[0].Line == 0 {
		t.Fatalf("Parse = %v, want one problem about aliases, with its line", err)
	}
}

package components

import (
	"bytes"
	"context"
	"testing"

	"prizeportal/internal/i18n"
)

func TestRichDrawsTheMarksOfASentence(t *testing.T) {
	targets := map[string]Target{"get": {Href: "/file.yaml", Download: true}, "send": {Href: "/upload"}}
	for _, c := range []struct{ in, want string }{
		{"**Register**: choose your category.", "<strong>Register</strong>: choose your category."},
		{"평가는 **세 단계**로 진행됩니다.", "평가는 <strong>세 단계</strong>로 진행됩니다."},
		{"No mail server is configured (`PORTAL_SMTP_URL`): kept.", "No mail server is configured (<code>PORTAL_SMTP_URL</code>): kept."},
		{"[download it](get), or [upload one](send) to see it.",
			`<a href="/file.yaml" download>download it</a>, or <a href="/upload">upload one</a> to see it.`},
		{"[먼저 올리거나](send) [내려받으십시오](get).",
			`<a href="/upload">먼저 올리거나</a> <a href="/file.yaml" download>내려받으십시오</a>.`},
		// what is not a whole mark stays text, and is escaped as text
		{"a * b, **open, `x, [no](where) and [x] <b>", "a * b, **open, `x, [no](where) and [x] &lt;b&gt;"},
		{"", ""},
	} {
		var buf bytes.Buffer
		if err := Rich(c.in, targets).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if got := buf.String(); got != c.want {
			t.Errorf("Rich(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestSpansMarkEachPieceInThePseudoLocale(t *testing.T) {
	s := i18n.PseudoOpen + "Open [the page](p) now." + i18n.PseudoClose
	got := Spans(s, map[string]Target{"p": {Href: "/p"}})
	want := []string{"⟦Open ⟧", "⟦the page⟧", "⟦ now.⟧"}
	if len(got) != len(want) {
		t.Fatalf("%d spans, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Text != want[i] {
			t.Errorf("span %d: %q, want %q", i, got[i].Text, want[i])
		}
	}
}

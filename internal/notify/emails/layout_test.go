package emails

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

func TestLayoutNamesPrizeAndEditionAndEscapes(t *testing.T) {
	m := Meta{PrizeName: "Seoul Smart City Prize", EditionName: "Seoul Smart City Prize 2023", BaseURL: "https://prize.example.org"}
	var b strings.Builder
	ctx := templ.WithChildren(context.Background(), Button("https://prize.example.org/verify/a?b=1&c=2", "Confirm <now>"))
	if err := Layout(m, "Confirm your email address").Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		`<html lang="en">`, "<title>Confirm your email address</title>", "<h1 style=",
		"Seoul Smart City Prize</p>", "Seoul Smart City Prize 2023</p>",
		`href="https://prize.example.org/verify/a?b=1&amp;c=2"`, "Confirm &lt;now&gt;",
		`href="https://prize.example.org"`, "replies are not read",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("layout lacks %q:\n%s", want, html)
		}
	}
	b.Reset()
	if err := Layout(Meta{}, "Hi").Render(context.Background(), &b); err != nil || !strings.Contains(b.String(), "Prize Portal") {
		t.Errorf("empty Meta: %v\n%s", err, b.String())
	}
	if f := m.TextFooter(); !strings.Contains(f, "\n-- \nSeoul Smart City Prize 2023\n") || !strings.Contains(f, "https://prize.example.org") {
		t.Errorf("TextFooter = %q", f)
	}
	if f := (Meta{PrizeName: "Seoul Prize", EditionName: "2024 edition"}).TextFooter(); !strings.Contains(f, "Seoul Prize · 2024 edition") {
		t.Errorf("TextFooter = %q", f)
	}
}

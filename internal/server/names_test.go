package server_test

import (
	"context"
	"html"
	"strings"
	"testing"
)

// TestRegistrationRefusesControlCharactersInName: a name with a line break (which would break
// the header of every email to that person) is refused with a message next to the name and in
// the summary, and everything else typed is kept.
func TestRegistrationRefusesControlCharactersInName(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, "seoul-2023")
	c := e.client(t)
	for _, name := range []string{"Min-jun\r\nBcc: all@example.org", "Min-jun\tKim", "Min-jun\u2028Kim", "Min-jun\x1bKim"} {
		form := registration("seoul-smart", "mj@seoul.example")
		form.Set("name", name)
		res := c.post("/register", form)
		if res.status != 422 {
			t.Fatalf("name %q: status %d, want 422", name, res.status)
		}
		body := html.UnescapeString(res.body)
		if strings.Count(body, "Enter the name on one line, without tabs or other control characters.") < 2 {
			t.Errorf("name %q: no message next to the field and in the summary:\n%s", name, res.body)
		}
		if !strings.Contains(res.body, "There is a problem") {
			t.Errorf("name %q: no error summary", name)
		}
		for _, kept := range []string{`value="seoul-smart"`, `value="Seoul Metropolitan Government"`, `value="mj@seoul.example"`,
			`value="+82 2 120 0000"`, `value="Seoul"`} {
			if !strings.Contains(res.body, kept) {
				t.Errorf("name %q: the page lost %s", name, kept)
			}
		}
	}
	var n int
	e.pool.QueryRow(context.Background(), `SELECT count(*) FROM users`).Scan(&n)
	if n != 0 {
		t.Fatal("an account was created")
	}
}

package field_test

import (
	"testing"

	"prizeportal/internal/blocks/field"
)

func TestNameProblem(t *testing.T) {
	for _, ok := range []string{"Min-jun Kim", `Ann "The Boss" O'Neil`, "Bob <bob@example.org>", "김민준", "José Ñúñez", "\u202eevil"} {
		if msg := field.NameProblem(ok); msg != "" {
			t.Errorf("NameProblem(%q) = %q, want none", ok, msg)
		}
	}
	for _, bad := range []string{"Kim\r\nBcc: x@example.org", "Kim\nMin-jun", "Kim\rMin", "Kim\tMin-jun", "Kim\x1b[31m", "Kim\x00", "Kim\u0085", "Kim\u2028Min", "Kim\u2029Min", "Kim\x7f"} {
		if field.NameProblem(bad) == "" {
			t.Errorf("NameProblem(%q) accepts it", bad)
		}
	}
}

func TestErrorsName(t *testing.T) {
	var errs field.Errors
	errs.Name("a", "", "Enter your name.")
	errs.Name("b", "Kim\nMin", "Enter your name.")
	errs.Name("c", "Min-jun Kim", "Enter your name.")
	if errs.Get("a") != "Enter your name." || errs.Get("b") != field.NameProblem("Kim\nMin") || errs.Get("c") != "" || len(errs) != 2 {
		t.Fatalf("errors = %+v", errs)
	}
}

package country

import "testing"

func TestList(t *testing.T) {
	if n := len(All()); n < 240 {
		t.Fatalf("%d countries", n)
	}
	if Name("KR") != "Korea (South)" || !Valid("np") || Valid("XX") {
		t.Fatalf("KR=%q", Name("KR"))
	}
	if All()[0].Name > All()[1].Name {
		t.Fatal("not sorted by name")
	}
}

package award_test

import (
	"strings"
	"testing"

	"prizeportal/internal/award"
)

// TestCheckAnswer: attending needs the representative's name and title; "no" needs nothing; no
// answer is refused.
func TestCheckAnswer(t *testing.T) {
	in, errs := award.CheckAnswer("yes", " Kim Min-ji ", " Mayor ")
	if errs.Any() || !in.CanAttend || in.RepresentativeName != "Kim Min-ji" || in.RepresentativeTitle != "Mayor" {
		t.Fatalf("yes: %+v %v", in, errs)
	}
	if in, errs := award.CheckAnswer("no", "", ""); errs.Any() || in.CanAttend {
		t.Errorf("no: %+v %v", in, errs)
	}
	if _, errs := award.CheckAnswer("", "", ""); errs.Get("attend") == "" {
		t.Errorf("no answer: %v", errs)
	}
	_, errs = award.CheckAnswer("yes", "", strings.Repeat("x", award.MaxName+1))
	if errs.Get("representative_name") == "" || errs.Get("representative_title") == "" {
		t.Errorf("missing name, long title: %v", errs)
	}
}

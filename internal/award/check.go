package award

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"prizeportal/internal/blocks/field"
)

// CheckAnswer turns a first-place winner's answer as typed ("yes" or "no" to attend, the
// representative's name and title) into an Answer (DOMAIN.md "Round 3": first-place winners must
// attend the ceremony with their highest-level representative): attending needs the
// representative's name and title, each at most MaxName characters. The problems are keyed
// "attend", "representative_name" and "representative_title".
func CheckAnswer(attend, name, title string) (Answer, field.Errors) {
	in := Answer{CanAttend: attend == "yes", RepresentativeName: strings.TrimSpace(name), RepresentativeTitle: strings.TrimSpace(title)}
	var errs field.Errors
	switch attend {
	case "yes":
		if in.RepresentativeName == "" {
			errs.Add("representative_name", "Enter the name of the representative who attends.")
		} else if msg := field.NameProblem(in.RepresentativeName); msg != "" {
			errs.Add("representative_name", msg)
		} else if utf8.RuneCountInString(in.RepresentativeName) > MaxName {
			errs.Add("representative_name", fmt.Sprintf("Keep the representative's name to %d characters.", MaxName))
		}
		if in.RepresentativeTitle == "" {
			errs.Add("representative_title", "Enter the representative's title, for example Mayor.")
		} else if utf8.RuneCountInString(in.RepresentativeTitle) > MaxName {
			errs.Add("representative_title", fmt.Sprintf("Keep the representative's title to %d characters.", MaxName))
		}
	case "no":
	default:
		errs.Add("attend", "Say whether you can attend the ceremony.")
	}
	return in, errs
}

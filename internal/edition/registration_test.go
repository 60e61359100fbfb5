package edition_test

import (
	"strings"
	"testing"
	"time"

	"prizeportal/internal/edition"
)

func TestRegistrationRunsFromOpeningToDeadline(t *testing.T) {
	open := time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC)
	e := &edition.Edition{Name: "Prize 2023", TimeZone: time.UTC,
		Schedule: edition.Schedule{ApplicationsOpen: open, ApplicationDeadline: open.AddDate(0, 2, 0)}}
	if got := e.RegistrationClosed(open.Add(-time.Second)); got != "Registration for Prize 2023 opens on 1 April 2023." {
		t.Errorf("before: %q", got)
	}
	if got := e.RegistrationClosed(open); got != "" {
		t.Errorf("open: %q", got)
	}
	if got := e.RegistrationClosed(open.AddDate(0, 2, 0)); !strings.HasPrefix(got, "Registration for Prize 2023 closed on 1 June 2023") {
		t.Errorf("after: %q", got)
	}
}

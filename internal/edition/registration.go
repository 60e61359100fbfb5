package edition

import (
	"time"

	"prizeportal/internal/blocks/timefmt"
)

// RegistrationClosed says why the edition takes no registrations at now, or "" while it does:
// registration runs from the opening of applications to the application deadline (DOMAIN.md,
// "Registration" and "Schedule").
func (e *Edition) RegistrationClosed(now time.Time) string {
	switch {
	case now.Before(e.Schedule.ApplicationsOpen):
		return "Registration for " + e.Name + " opens on " + timefmt.Instant(e.Schedule.ApplicationsOpen, e.TimeZone) + "."
	case !now.Before(e.Schedule.ApplicationDeadline):
		return "Registration for " + e.Name + " closed on " + timefmt.Instant(e.Schedule.ApplicationDeadline, e.TimeZone) + ", the application deadline."
	}
	return ""
}

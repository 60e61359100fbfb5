package nomination

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"prizeportal/internal/blocks/field"
	"prizeportal/internal/blocks/throttle"
	"prizeportal/internal/i18n"
)

// Emails a nominator has the portal send to other people (the candidate's consent request, the
// recommender's invitation and its new links) come from the prize's address to someone who did
// not ask for them, so they are limited: per nomination, per recipient address (across all
// nominations, so that nobody is flooded) and per nominator account. The secretariat's own
// requests are not limited. The counts are throttle events in Postgres, taken atomically
// (throttle.TakeAll), so the limits hold under parallel requests and across instances.
var (
	// EmailsPerNominationDay: a few emails a day from one nomination.
	EmailsPerNominationDay = throttle.Policy{Kind: "nomination-emails-day", Window: 24 * time.Hour, Max: 4}
	// EmailsPerNomination: a small total for the nomination's whole life (an edition).
	EmailsPerNomination = throttle.Policy{Kind: "nomination-emails", Window: 366 * 24 * time.Hour, Max: 12}
	// EmailsPerRecipientDay: emails to one address a day, by endorsement key (NormEmail), so
	// that name+tag@domain is the same inbox.
	EmailsPerRecipientDay = throttle.Policy{Kind: "nomination-recipient-day", Window: 24 * time.Hour, Max: 3}
	// EmailsPerAccountDay: emails a day from one nominator account, across its nominations.
	EmailsPerAccountDay = throttle.Policy{Kind: "nomination-account-day", Window: 24 * time.Hour, Max: 10}
)

// EmailLimitError means an email was refused because a limit is reached; Message says which,
// and when the next one can go, in words for the nominator (carried for the reader's language,
// i18n.Msg).
type EmailLimitError struct{ Message string }

func (e *EmailLimitError) Error() string {
	return "nomination: email limit: " + i18n.English(e.Message)
}

// TakeEmail counts one email that account has the portal send to address to through nomination
// id, at now, or refuses it with an *EmailLimitError and counts nothing. tx must commit for the
// email to count; the caller queues the email in the same transaction.
func TakeEmail(ctx context.Context, tx pgx.Tx, account, id int64, to string, now time.Time) error {
	nom, recipient := strconv.FormatInt(id, 10), NormEmail(to)
	err := throttle.TakeAll(ctx, tx, now,
		throttle.Limit{Policy: EmailsPerNomination, Key: nom},
		throttle.Limit{Policy: EmailsPerNominationDay, Key: nom},
		throttle.Limit{Policy: EmailsPerRecipientDay, Key: recipient},
		throttle.Limit{Policy: EmailsPerAccountDay, Key: strconv.FormatInt(account, 10)})
	var le *throttle.LimitError
	if !errors.As(err, &le) {
		return err
	}
	return &EmailLimitError{Message: limitMessage(le.Limit.Policy.Kind, le.Count, to, le.Wait)}
}

// limitMessage says which limit of kind (a policy's Kind) was reached after count emails, to
// address to, and when the next email can go (after wait), carried for the reader's language.
func limitMessage(kind string, count int, to string, wait time.Duration) string {
	when := describeWait(wait)
	var msg string
	switch kind {
	case EmailsPerNomination.Kind:
		msg = i18n.Msg("This nomination has sent {{.Count}} emails (consent requests, letter invitations and new links together), the most it may send. If another one is really needed, contact the secretariat.", "Count", count)
	case EmailsPerNominationDay.Kind:
		msg = i18n.Msg("This nomination has sent {{.Count}} emails in the last 24 hours, the most it may send in a day. You can send the next one {{.When}}.", "Count", count, "When", when)
	case EmailsPerRecipientDay.Kind:
		msg = i18n.Msg("{{.Address}} has been emailed {{.Count}} times in the last 24 hours, the most we send one address in a day, so that nobody is flooded. You can send the next one {{.When}}.", "Address", strings.TrimSpace(to), "Count", count, "When", when)
	default:
		msg = i18n.Msg("You have sent {{.Count}} emails through the portal in the last 24 hours, the most an account may send in a day. You can send the next one {{.When}}.", "Count", count, "When", when)
	}
	return msg
}

// describeWait puts a wait of up to a day into words, carried for the reader's language
// (i18n.Msg): "in 5 minutes", "in about 3 hours".
func describeWait(d time.Duration) string {
	if d < 2*time.Hour {
		return throttle.Phrase(d)
	}
	return i18n.Msg("in about {{.Hours}} hours", "Hours", int((d+30*time.Minute)/time.Hour))
}

// Text that a nominator chooses and the portal then sends to someone else (names, positions and
// organisations in the consent request and the letter invitation) is plain: a name, not a place
// to put a link or an address for replies. Web addresses, "www." names, bare domain names such
// as example.org (a dot between letters without a space: email programs turn them into links)
// and email addresses are refused; a name is at most MaxSenderText characters.
const MaxSenderText = 200

var linkLike = regexp.MustCompile(`(?i)(://|\bwww\.|@|[\p{L}\p{N}-]\.\p{L}{2,})`)

// checkSenderText adds to errs, under name, what makes v unfit to be sent to someone else.
func checkSenderText(errs *field.Errors, name, v string) {
	switch {
	case errs.Get(name) != "": // one message per field
	case len([]rune(v)) > MaxSenderText:
		errs.Add(name, "Use at most "+strconv.Itoa(MaxSenderText)+" characters.")
	case linkLike.MatchString(v):
		errs.Add(name, "Write the name without a web or email address: this text is sent to other people by email, and email programs turn addresses into links.")
	}
}

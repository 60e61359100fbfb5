package server_test

import (
	"strings"
	"testing"
)

// TestChairPagesLinkTheProtocolAfterTheClose: once the chair closes a category's vote, the
// chair's ballot page and dashboard link its result protocol (before, neither does).
func TestChairPagesLinkTheProtocolAfterTheClose(t *testing.T) {
	t.Parallel()
	w := newBallotWorld(t, votingDay, 3, 3)
	chair := w.e.signedInClient(t, w.members[0])
	protocol := `href="` + strings.ReplaceAll(w.url("protocol"), "&", "&amp;") + `"`
	for _, path := range []string{w.url(""), "/dashboard"} {
		if r := chair.get(path); strings.Contains(r.body, protocol) {
			t.Errorf("%s links the protocol before the close", path)
		}
	}
	w.vote(t, w.members[0], 1, 2, 3)
	w.vote(t, w.members[1], 2, 1, 3)
	if r := chair.post(w.url("close"), nil); r.status != 303 {
		t.Fatalf("close: %d", r.status)
	}
	for _, path := range []string{w.url(""), "/dashboard"} {
		if r := chair.get(path); !strings.Contains(r.body, protocol) {
			t.Errorf("%s does not link the protocol after the close:\n%s", path, r.body)
		}
	}
}

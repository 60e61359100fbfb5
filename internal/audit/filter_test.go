package audit_test

import (
	"net/url"
	"testing"
	"time"

	"prizeportal/internal/audit"
	"prizeportal/internal/i18n"
)

func TestParseFilterReadsUTCDays(t *testing.T) {
	f, errs := audit.ParseFilter(url.Values{"action": {" role. "}, "from": {"2023-05-01"}, "to": {"2023-05-31"}}, 2)
	if errs.Any() || f.Action != "role." || f.Page != 2 || !f.Any() ||
		!f.From.Equal(time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC)) || !f.To.Equal(time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("filter %+v %v", f, errs)
	}
	if _, errs := audit.ParseFilter(url.Values{"from": {"31/05/2023"}}, 1); errs.Get("from") == "" {
		t.Error("a malformed date was accepted")
	}
	if _, errs := audit.ParseFilter(url.Values{"from": {"2023-06-02"}, "to": {"2023-06-01"}}, 1); errs.Get("to") == "" {
		t.Error("an end before the start was accepted")
	}
	if f, _ := audit.ParseFilter(url.Values{}, 1); f.Any() {
		t.Error("no filter filters")
	}
	for _, c := range []struct {
		row  audit.Row
		want string
	}{
		{audit.Row{ActorID: 3, ActorName: "Ana", ActorLogin: "ana"}, "Ana (ana)"},
		{audit.Row{ActorID: 3}, "account 3"},
		{audit.Row{ActorLabel: "system"}, "system"},
		{audit.Row{}, "anonymous visitor"},
	} {
		if got := i18n.English(c.row.ActorText()); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}

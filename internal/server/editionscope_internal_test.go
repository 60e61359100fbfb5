package server

import (
	"context"
	"errors"
	"net/http/httptest"
	"strconv"
	"testing"

	"prizeportal/internal/authz"
	"prizeportal/internal/edition"
)

// TestEditionScope: an edition-scoped route acts on ?edition=ID when the actor serves it by the
// route's rule, else on the newest edition they serve, with the picker of those editions; an
// edition not served, an unparsable one, or none served is forbidden; the head's rule offers
// the secretariat's editions but acts only where the actor is head; a handler that points
// ?edition= at another edition gets it through scope.
func TestEditionScope(t *testing.T) {
	t.Parallel()
	s, pool := outboxServer(t, nil)
	ctx := context.Background()
	ids := map[string]int64{}
	for _, name := range []string{"seoul-2023", "seoul-2024"} {
		def, err := edition.ParseBuiltin(name)
		if err != nil {
			t.Fatal(err)
		}
		e, err := edition.Import(ctx, pool, def)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = e.EditionID
	}
	old, newest := ids["seoul-2023"], ids["seoul-2024"]
	both := authz.Actor{UserID: 9, Grants: []authz.Grant{{Role: authz.RoleSecretariat, EditionID: old}, {Role: authz.RoleSecretariat, EditionID: newest},
		{Role: authz.RoleCommitteeHead, EditionID: old}}}
	resolve := func(actor authz.Actor, rule authz.EditionRule, query string) (*edition.Edition, []string, error) {
		t.Helper()
		r := httptest.NewRequest("GET", "/x"+query, nil)
		r = r.WithContext(authz.WithActor(r.Context(), actor))
		r, err := s.inEdition(r, rule)
		if err != nil {
			return nil, nil, err
		}
		ed, picker, err := s.scope(r)
		var opts []string
		for _, o := range picker.Options {
			if o.Selected {
				opts = append(opts, "*"+o.Value)
			} else {
				opts = append(opts, o.Value)
			}
		}
		return ed, opts, err
	}
	str := strconv.FormatInt
	ed, opts, err := resolve(both, authz.Secretariat, "")
	if err != nil || ed.ID != newest || len(opts) != 2 || opts[0] != "*"+str(newest, 10) {
		t.Fatalf("default: %v %v %v", ed, opts, err)
	}
	if ed, _, err := resolve(both, authz.Secretariat, "?edition="+str(old, 10)); err != nil || ed.ID != old {
		t.Fatalf("chosen: %v %v", ed, err)
	}
	for _, q := range []string{"?edition=x", "?edition=0", "?edition=" + str(newest+old, 10)} {
		if _, _, err := resolve(both, authz.Secretariat, q); !errors.Is(err, authz.ErrForbidden) {
			t.Errorf("%s: %v", q, err)
		}
	}
	if _, _, err := resolve(both, authz.CouncilMembers, ""); !errors.Is(err, authz.ErrForbidden) {
		t.Errorf("no edition served: %v", err)
	}
	// The head's rule offers both editions (secretariat in each) and acts in the head's own.
	if _, _, err := resolve(both, authz.RankingHead, ""); !errors.Is(err, authz.ErrForbidden) {
		t.Errorf("head's rule in an edition the actor is not head of: %v", err)
	}
	if ed, opts, err := resolve(both, authz.RankingHead, "?edition="+str(old, 10)); err != nil || ed.ID != old || len(opts) != 2 {
		t.Errorf("head's rule: %v %v %v", ed, opts, err)
	}
	// A handler that points ?edition= at its object's edition gets that one.
	r := httptest.NewRequest("GET", "/x", nil)
	r = r.WithContext(authz.WithActor(r.Context(), both))
	if r, err = s.inEdition(r, authz.Secretariat); err != nil {
		t.Fatal(err)
	}
	r.URL.RawQuery = "edition=" + str(old, 10)
	if ed, _, err := s.scope(r); err != nil || ed.ID != old {
		t.Errorf("rescoped: %v %v", ed, err)
	}
	// A route without an edition rule has no scope.
	if _, _, err := s.scope(httptest.NewRequest("GET", "/x", nil)); err == nil {
		t.Error("scope without a rule")
	}
}

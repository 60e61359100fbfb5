package edition_test

import (
	"context"
	"errors"
	"testing"

	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/edition"
)

const votingBlock = `voting:
  method: schulze
`

func TestVotingSettings(t *testing.T) {
	t.Parallel()
	src := string(builtin(t, "seoul-2023"))
	_, e := mustResolve(t, []byte(src))
	if e.Voting != edition.DefaultVoting() || e.Voting.Method != edition.VotingSchulze {
		t.Errorf("seoul-2023 voting = %+v", e.Voting)
	}
	_, e = mustResolve(t, []byte(edit(t, src, votingBlock, "")))
	if e.Voting != edition.DefaultVoting() {
		t.Errorf("defaults = %+v", e.Voting)
	}
	_, e = mustResolve(t, []byte(edit(t, src, votingBlock, "voting:\n  method: borda\n  quorum: 5\n")))
	if want := (edition.Voting{Method: edition.VotingBorda, Quorum: 5}); e.Voting != want {
		t.Errorf("set = %+v, want %+v", e.Voting, want)
	}
	for _, tt := range []struct{ block, path string }{
		{"voting:\n  method: condorcet\n", "voting.method"},
		{"voting:\n  quorum: 0\n", "voting.quorum"},
		{"voting:\n  quorum: most\n", "voting.quorum"},
		{"voting:\n  counting: borda\n", "voting.counting"},
	} {
		_, err := edition.Parse([]byte(edit(t, src, votingBlock, tt.block)))
		var ve *edition.ValidationError
		if !errors.As(err, &ve) || !ve.Has(tt.path) {
			t.Errorf("%q: error %v, want a problem at %s", tt.block, err, tt.path)
		}
	}
	// The quorum: a majority of the council unless set.
	for _, tt := range []struct{ quorum, council, want int }{{0, 7, 4}, {0, 6, 4}, {0, 1, 1}, {5, 7, 5}} {
		if got := (edition.Voting{Quorum: tt.quorum}).QuorumOf(tt.council); got != tt.want {
			t.Errorf("QuorumOf(%d) with quorum %d = %d, want %d", tt.council, tt.quorum, got, tt.want)
		}
	}
}

func TestVotingSettingsStored(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	src := edit(t, string(builtin(t, "seoul-2023")), votingBlock, "voting:\n  method: borda\n  quorum: 3\n")
	res, err := edition.Import(ctx, pool, parse(t, []byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	want := edition.Voting{Method: edition.VotingBorda, Quorum: 3}
	e, err := edition.ByID(ctx, pool, res.EditionID)
	if err != nil || e.Voting != want {
		t.Fatalf("ByID voting = %+v, %v; want %+v", e.Voting, err, want)
	}
	dbtest.Exec(t, pool, `UPDATE editions SET voting = '{}' WHERE id = $1`, res.EditionID)
	if e, err := edition.ByID(ctx, pool, res.EditionID); err != nil || e.Voting != edition.DefaultVoting() {
		t.Fatalf("ByID of '{}' = %+v, %v", e.Voting, err)
	}
}

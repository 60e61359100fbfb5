package localpg

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// other is a user and group that own none of the test's folders, standing for the postgres user
// of a root portal.
func other() *syscall.Credential {
	return &syscall.Credential{Uid: uint32(os.Getuid()) + 54321, Gid: uint32(os.Getgid()) + 54321}
}

// TestSearchPermissionFollowsTheOwnerGroupOtherRule: a folder lets a user in by its owner bits
// for its owner, else by its group bits for a member of its group, else by its other bits; the
// first closed folder on the way is the one named.
func TestSearchPermissionFollowsTheOwnerGroupOtherRule(t *testing.T) {
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		// Root may enter anything: give the folder to an ordinary user and group.
		if err := os.Chown(dir, 43210, 43210); err != nil {
			t.Fatal(err)
		}
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	owner := &syscall.Credential{Uid: st.Uid, Gid: st.Gid + 1}
	member := &syscall.Credential{Uid: st.Uid + 1, Gid: st.Gid}
	inGroups := &syscall.Credential{Uid: st.Uid + 1, Gid: st.Gid + 1, Groups: []uint32{st.Gid}}
	stranger := &syscall.Credential{Uid: st.Uid + 1, Gid: st.Gid + 1}
	for _, c := range []struct {
		mode os.FileMode
		cred *syscall.Credential
		want bool
	}{
		{0o700, owner, true}, {0o070, owner, false},
		{0o710, member, true}, {0o701, member, false}, {0o010, inGroups, true},
		{0o701, stranger, true}, {0o770, stranger, false},
	} {
		if err := os.Chmod(dir, c.mode); err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(dir)
		if got := maySearch(fi, c.cred); got != c.want {
			t.Errorf("mode %v, cred %+v: may search = %v, want %v", c.mode, *c.cred, got, c.want)
		}
	}
	os.Chmod(dir, 0o700)

	// A folder of mode 0700 closes everything below it to others, whatever their modes.
	below := filepath.Join(dir, "open", "var")
	if err := os.MkdirAll(below, 0o755); err != nil {
		t.Fatal(err)
	}
	if closed, err := searchBlocked(below, other()); closed == "" || err != nil || !strings.HasPrefix(dir, closed) {
		t.Errorf("searchBlocked = %q, %v; want a folder on the way to %s", closed, err, dir)
	}
	if closed, err := searchBlocked(below, nil); closed != "" || err != nil {
		t.Errorf("this process's own user: searchBlocked = %q, %v; want none", closed, err)
	}
}

// TestWhereTheClusterLives is the decision a root portal makes for its postgres user: a data
// folder the user can reach stays; one it cannot reach moves under the relocation root to a path
// that depends on the requested folder only (so the next start finds it), or to a temporary
// folder for a throwaway cluster; a folder already holding data it cannot reach, or a link to
// such a place, is refused with what to do; a link into the relocation root is followed.
func TestWhereTheClusterLives(t *testing.T) {
	closedDir := t.TempDir() // mode 0700: closed to other()
	root := filepath.Join(closedDir, "relocated")
	requested := filepath.Join(closedDir, "var", "pgdata")
	os.MkdirAll(filepath.Dir(requested), 0o755)

	if p, err := place(requested, nil, false, root); err != nil || p.dir != requested || p.relocated {
		t.Errorf("as this process's user: %+v, %v; want the requested folder", p, err)
	}
	self := &syscall.Credential{Uid: uint32(os.Getuid()), Gid: uint32(os.Getgid())}
	if p, err := place(requested, self, false, root); err != nil || p.dir != requested || p.relocated {
		t.Errorf("a user who may enter: %+v, %v; want the requested folder", p, err)
	}

	p, err := place(requested, other(), false, root)
	if err != nil || !p.relocated || !p.link || p.temporary || !strings.HasPrefix(p.dir, root+"/") || filepath.Base(p.dir) != "pgdata" {
		t.Fatalf("closed folder: %+v, %v; want a linked folder under %s", p, err, root)
	}
	again, _ := place(requested, other(), false, root)
	elsewhere, _ := place(requested+"2", other(), false, root)
	if again.dir != p.dir || elsewhere.dir == p.dir {
		t.Errorf("relocated folders: %s, again %s, for another folder %s; want the same for the same folder only", p.dir, again.dir, elsewhere.dir)
	}
	if p, err := place(requested, other(), true, root); err != nil || !p.temporary || p.link {
		t.Errorf("closed folder, throwaway cluster: %+v, %v; want a temporary folder", p, err)
	}

	// An empty folder (left by a failed start) is replaced; one holding data is not.
	os.Mkdir(requested, 0o700)
	if p, err := place(requested, other(), false, root); err != nil || !p.link {
		t.Errorf("empty closed folder: %+v, %v; want it relocated", p, err)
	}
	os.WriteFile(filepath.Join(requested, "PG_VERSION"), []byte("15\n"), 0o600)
	if _, err := place(requested, other(), false, root); err == nil || !strings.Contains(err.Error(), "mv "+requested) || strings.Contains(err.Error(), "\n") {
		t.Errorf("closed folder with data: %v; want one line saying how to move it", err)
	}
	os.RemoveAll(requested)

	// The link made by a relocation is followed, even before its target is made again.
	os.Symlink(p.dir, requested)
	if got, err := place(requested, other(), false, root); err != nil || got.dir != p.dir || !got.relocated || got.link {
		t.Errorf("link into the relocation root: %+v, %v; want it followed", got, err)
	}
	os.Remove(requested)

	// Once the relocated folder holds data, it is found through the link only: deleting the link
	// (with the clone or var/, to start from scratch) starts anew, the earlier data set aside.
	if p.setAside {
		t.Errorf("first relocation: %+v; nothing to set aside", p)
	}
	os.MkdirAll(p.dir, 0o700)
	os.WriteFile(filepath.Join(p.dir, "PG_VERSION"), []byte("15\n"), 0o600)
	if got, err := place(requested, other(), false, root); err != nil || got.dir != p.dir || !got.link || !got.setAside {
		t.Errorf("relocated data without its link: %+v, %v; want the same folder, linked anew, the earlier data set aside", got, err)
	}

	os.Symlink(filepath.Join(closedDir, "private", "pgdata"), requested)
	os.Mkdir(filepath.Join(closedDir, "private"), 0o700)
	if _, err := place(requested, other(), false, root); err == nil || !strings.Contains(err.Error(), "links to") {
		t.Errorf("link to a closed folder: %v; want it refused", err)
	}
}

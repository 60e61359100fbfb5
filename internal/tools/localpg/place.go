package localpg

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// RelocationRoot is where a cluster lives when the portal runs as root and the postgres user,
// which runs the server, may not reach the requested data folder (a clone in root's home, mode
// 0700, or in any os.MkdirTemp folder): RelocationRoot/<hash>/pgdata, <hash> being the first 12
// hex digits of the SHA-256 of the requested folder's absolute path, so that the next start from
// the same folder finds the same data. The requested folder becomes a symbolic link to it, which
// later starts follow (also after the clone moved), and RelocationRoot/<hash>/origin names the
// requested folder. Nothing of the user's is opened up.
const RelocationRoot = "/var/lib/prize-portal"

// placement is where the server keeps its data.
type placement struct {
	dir       string // the folder the server is given (-D)
	relocated bool   // dir is not the requested folder but one the postgres user can reach
	link      bool   // the requested folder must be made a symbolic link to dir
	temporary bool   // dir is a fresh temporary folder, deleted by Stop (Ephemeral clusters)
	setAside  bool   // dir holds an earlier cluster no folder links to: move it aside, start anew
}

// place decides where the cluster asked for in requested (an absolute path whose parent exists)
// lives when the server runs with cred (nil: as this process's own user, which reaches whatever
// this process reaches). A symbolic link is followed. When the postgres user may not reach the
// folder, an Ephemeral cluster goes to a temporary folder, and a lasting one to
// root/<hash>/pgdata. When that already holds data whose link was deleted (the clone or its var/
// was deleted, as one does to start from scratch), the start begins anew as it would have with
// the data inside the clone, and the earlier data is set aside, not deleted (see Start).
// It changes nothing on disk.
func place(requested string, cred *syscall.Credential, ephemeral bool, root string) (placement, error) {
	if cred == nil {
		return placement{dir: requested}, nil
	}
	fi, err := os.Lstat(requested)
	exists := err == nil
	if exists && fi.Mode()&os.ModeSymlink != 0 {
		target, err := os.Readlink(requested)
		if err != nil {
			return placement{}, fmt.Errorf("localpg: read the link %s: %w", requested, err)
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(requested), target)
		}
		target = filepath.Clean(target)
		under := strings.HasPrefix(target, root+string(filepath.Separator))
		if under {
			// Ours: its folders are (re)made by prepareRelocated, a missing cluster by initdb.
			return placement{dir: target, relocated: true}, nil
		}
		if closed, _ := searchBlocked(filepath.Dir(target), cred); closed != "" {
			return placement{}, fmt.Errorf("localpg: %s links to %s, which the postgres user (it runs the database server) cannot reach as %s is closed to it: point the link to a folder it can reach, or remove the link", requested, target, closed)
		}
		return placement{dir: target}, nil
	}
	closed, err := searchBlocked(filepath.Dir(requested), cred)
	if closed == "" {
		return placement{dir: requested}, nil
	}
	if err != nil && !errors.Is(err, os.ErrPermission) {
		return placement{}, fmt.Errorf("localpg: data folder %s: %w", requested, err)
	}
	if exists {
		if empty, _ := isEmptyDir(requested); !empty {
			dest := relocatedDir(requested, root)
			return placement{}, fmt.Errorf("localpg: the postgres user (it runs the database server) cannot reach the cluster in %s as %s is closed to it: move it with `mkdir -p %s && mv %s %s` and start again, or delete it to start from scratch", requested, closed, filepath.Dir(dest), requested, dest)
		}
	}
	if ephemeral {
		return placement{relocated: true, temporary: true}, nil
	}
	dir := relocatedDir(requested, root)
	empty, err := isEmptyDir(dir)
	return placement{dir: dir, relocated: true, link: true, setAside: err == nil && !empty}, nil
}

// relocatedDir is the folder under root that stands in for requested.
func relocatedDir(requested, root string) string {
	sum := sha256.Sum256([]byte(requested))
	return filepath.Join(root, hex.EncodeToString(sum[:])[:12], "pgdata")
}

// prepareRelocated makes the folders above dir, a cluster folder under root: root and
// root/<hash> are root's, mode 0711 (the postgres user may pass, nobody else may list them), and
// root/<hash>/origin names requested. It checks that the postgres user can then reach dir's parent.
func prepareRelocated(dir, requested, root string, cred *syscall.Credential) error {
	fail := func(err error) error {
		return fmt.Errorf("localpg: the postgres user (it runs the database server) cannot reach %s, and %s could not be prepared for the cluster instead (%v): clone the portal into a folder the postgres user can reach, or set DATABASE_URL", requested, root, err)
	}
	for _, d := range []string{root, filepath.Dir(dir)} {
		if err := os.Mkdir(d, 0o711); err != nil && !errors.Is(err, os.ErrExist) {
			return fail(err)
		}
		if err := os.Chmod(d, 0o711); err != nil {
			return fail(err)
		}
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(dir), "origin"), []byte(requested+"\n"), 0o600); err != nil {
		return fail(err)
	}
	if closed, err := searchBlocked(filepath.Dir(dir), cred); closed != "" {
		if err == nil {
			err = fmt.Errorf("%s is closed to it", closed)
		}
		return fail(err)
	}
	return nil
}

// linkTo makes requested a symbolic link to dir, replacing an empty folder (left by a start
// that failed before this rule existed).
func linkTo(requested, dir string) error {
	if target, err := os.Readlink(requested); err == nil && target == dir {
		return nil
	}
	if fi, err := os.Lstat(requested); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("localpg: %s is in the way of a link to the cluster in %s: remove it and start again", requested, dir)
		}
		if err := os.Remove(requested); err != nil {
			return fmt.Errorf("localpg: %s is in the way of a link to the cluster in %s (%v): remove it and start again", requested, dir, err)
		}
	}
	if err := os.Symlink(dir, requested); err != nil {
		return fmt.Errorf("localpg: link %s to the cluster in %s: %w", requested, dir, err)
	}
	return nil
}

// tempRoot is the folder for the server's socket and throwaway clusters: the system's temporary
// folder (TMPDIR), or /tmp when the server's user cannot reach TMPDIR (libpam-tmpdir gives root
// a TMPDIR of mode 0700).
func tempRoot(cred *syscall.Credential) (string, error) {
	for _, d := range []string{os.TempDir(), "/tmp"} {
		if closed, _ := searchBlocked(d, cred); closed == "" {
			return d, nil
		}
	}
	return "", fmt.Errorf("localpg: the postgres user (it runs the database server) can reach neither %s nor /tmp, where the server's socket goes: set TMPDIR to a folder it can reach", os.TempDir())
}

// searchBlocked returns the first folder on the way to dir (dir included, symbolic links
// resolved) that the server's user may not enter (search permission), with the error when a
// folder could not be examined; "" when it may reach dir. A nil cred is this process's own user,
// which may. Access control lists are not read: a folder opened to the user by an ACL only counts
// as closed, which at worst moves the cluster when it need not.
func searchBlocked(dir string, cred *syscall.Credential) (string, error) {
	if cred == nil {
		return "", nil
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return dir, err
	}
	p := string(filepath.Separator)
	for _, part := range append([]string{""}, strings.Split(strings.Trim(real, string(filepath.Separator)), string(filepath.Separator))...) {
		p = filepath.Join(p, part)
		fi, err := os.Stat(p)
		if err != nil {
			return p, err
		}
		if !maySearch(fi, cred) {
			return p, nil
		}
	}
	return "", nil
}

// maySearch applies the Unix permission bits of folder fi to cred: the owner's bits for its
// owner, else the group's bits for a member of its group, else the others' bits. Root passes.
func maySearch(fi os.FileInfo, cred *syscall.Credential) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || !fi.IsDir() {
		return false
	}
	perm := fi.Mode().Perm()
	switch {
	case cred.Uid == 0:
		return true
	case st.Uid == cred.Uid:
		return perm&0o100 != 0
	case st.Gid == cred.Gid || slices.Contains(cred.Groups, st.Gid):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

func isEmptyDir(dir string) (bool, error) {
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return true, nil
	}
	return false, err
}

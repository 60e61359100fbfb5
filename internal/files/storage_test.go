package files_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"prizeportal/internal/config"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/files"
	"prizeportal/internal/files/filestest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestLocalConformance(t *testing.T) {
	t.Parallel()
	filestest.Conformance(t, filestest.NewLocal(t))
}

func TestS3Conformance(t *testing.T) {
	t.Parallel()
	filestest.Conformance(t, filestest.NewS3(t))
}

func TestLocalLeavesNoTemporaryFiles(t *testing.T) {
	t.Parallel()
	l := filestest.NewLocal(t)
	ctx := context.Background()
	if err := l.Put(ctx, "ab/done", strings.NewReader("complete"), -1); err != nil {
		t.Fatal(err)
	}
	if err := l.Put(ctx, "ab/failed", strings.NewReader("short"), 100); err == nil {
		t.Fatal("short put succeeded")
	}
	entries, err := os.ReadDir(filepath.Join(l.Dir(), "ab"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "done" {
		t.Fatalf("directory holds %v", entries)
	}
	st, err := os.Stat(filepath.Join(l.Dir(), "ab", "done"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("stat = %v, %v; want mode 0600", st, err)
	}
}

// TestLocalKeysCannotEscape plants symbolic links inside the storage directory that point out of
// it: keys are valid, but os.Root refuses to follow the links, so nothing outside is written,
// read or removed.
func TestLocalKeysCannotEscape(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte("outside"), 0o600); err != nil {
		t.Fatal(err)
	}
	l := filestest.NewLocal(t)
	if err := os.Symlink(outside, filepath.Join(l.Dir(), "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(l.Dir(), "link")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := l.Put(ctx, "out/new", strings.NewReader("x"), 1); err == nil {
		t.Error("put through a link out of the root succeeded")
	}
	if _, err := os.Stat(filepath.Join(outside, "new")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was created outside the root: %v", err)
	}
	for _, key := range []string{"out/secret", "link"} {
		if r, _, err := l.Open(ctx, key); err == nil {
			r.Close()
			t.Errorf("open %s: read a file outside the root", key)
		}
		if _, err := l.Stat(ctx, key); err == nil {
			t.Errorf("stat %s: reached a file outside the root", key)
		}
	}
	if err := l.Delete(ctx, "out/secret"); err == nil {
		t.Error("delete through a link out of the root succeeded")
	}
	// Putting over the link replaces the link itself (inside the root), never its target.
	if err := l.Put(ctx, "link", strings.NewReader("overwritten"), -1); err != nil {
		t.Fatal(err)
	}
	// Deleting the directory link removes the link, not what it points to.
	if err := l.Delete(ctx, "out"); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(secret); err != nil || string(b) != "outside" {
		t.Errorf("the file outside the root changed: %q, %v", b, err)
	}
	// Keys with dot-dot, absolute paths or backslashes never reach the file system.
	for _, key := range []string{"../secret", "/etc/passwd", "ab/../../secret", `..\secret`} {
		if err := l.Put(ctx, key, strings.NewReader("x"), 1); !errors.Is(err, files.ErrInvalidKey) {
			t.Errorf("put %q: err = %v, want ErrInvalidKey", key, err)
		}
	}
}

func TestNewKey(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 1000 {
		k := files.NewKey()
		if !files.ValidKey(k) || seen[k] || len(k) != 29 || k[:2] != k[3:5] {
			t.Fatalf("key %q (seen before: %v)", k, seen[k])
		}
		seen[k] = true
	}
}

func TestFromConfig(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := files.FromConfig(ctx, config.Config{DataDir: dir, Storage: "local"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Put(ctx, "ab/x", strings.NewReader("local"), -1); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "files", "ab", "x")); err != nil || string(b) != "local" {
		t.Fatalf("local storage wrote %q, %v", b, err)
	}

	s3cfg := filestest.S3Config(t)
	st, err = files.FromConfig(ctx, config.Config{Storage: "s3", S3: s3cfg})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Put(ctx, "ab/y", strings.NewReader("s3"), 2); err != nil {
		t.Fatal(err)
	}
	if info, err := st.Stat(ctx, "ab/y"); err != nil || info.Size != 2 {
		t.Fatalf("stat = %+v, %v", info, err)
	}

	missing := s3cfg
	missing.Bucket = "no-such-bucket"
	_, err = files.FromConfig(ctx, config.Config{Storage: "s3", S3: missing})
	if err == nil || !strings.Contains(err.Error(), `bucket "no-such-bucket" does not exist`) {
		t.Fatalf("missing bucket: err = %v", err)
	}
}

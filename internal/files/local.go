package files

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"syscall"
)

// Local is a Storage on the local disk. Every access goes through an os.Root, so no key (and no
// symbolic link planted in the directory) can reach a file outside it. Objects are written to a
// temporary file next to their final place, synced and then renamed into place, so a
// half-written object is never visible and a crash leaves at most a stray temporary file (their
// names start with ".", which no key may).
type Local struct {
	root *os.Root
}

var _ Storage = (*Local)(nil)

// NewLocal opens (creating it if needed, mode 0700) the directory dir as a local storage.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("files: local storage: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("files: local storage: %w", err)
	}
	return &Local{root: root}, nil
}

// Dir returns the directory of the storage.
func (l *Local) Dir() string { return l.root.Name() }

// Close releases the directory.
func (l *Local) Close() error { return l.root.Close() }

// Put writes r to a temporary file and renames it to key once complete and synced.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64) (err error) {
	if !ValidKey(key) {
		return fmt.Errorf("files: put %q: %w", key, ErrInvalidKey)
	}
	dir := path.Dir(key)
	if dir != "." {
		if err := l.root.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("files: put %s: %w", key, err)
		}
	}
	tmp := path.Join(dir, ".tmp-"+rand16())
	f, err := l.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			_ = l.root.Remove(tmp)
		}
	}()
	src := io.Reader(ctxReader{ctx, r})
	if size >= 0 {
		// One byte more than announced is enough to tell that the size was wrong.
		src = io.LimitReader(src, size+1)
	}
	// A plain writer (not *os.File) keeps io.Copy from trying ReadFrom tricks that would hide
	// errors of r behind the file's own; the copy buffer is 32 KiB whatever the object's size.
	n, err := io.Copy(struct{ io.Writer }{f}, src)
	if err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	if size >= 0 && n != size {
		return fmt.Errorf("files: put %s: %w (announced %d, read %d)", key, errSizeMismatch, size, n)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	if err := l.root.Rename(tmp, key); err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	// Sync the directory too, so the new name survives a power cut.
	if d, err := l.root.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// Open opens the file of key.
func (l *Local) Open(ctx context.Context, key string) (Reader, Info, error) {
	if !ValidKey(key) {
		return nil, Info{}, fmt.Errorf("files: open %q: %w", key, ErrInvalidKey)
	}
	f, err := l.root.Open(key)
	if err != nil {
		return nil, Info{}, fmt.Errorf("files: open %s: %w", key, notExist(err))
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = ErrNotExist
	}
	if err != nil {
		f.Close()
		return nil, Info{}, fmt.Errorf("files: open %s: %w", key, err)
	}
	return f, Info{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// Stat returns the size and modification time of the file of key.
func (l *Local) Stat(ctx context.Context, key string) (Info, error) {
	if !ValidKey(key) {
		return Info{}, fmt.Errorf("files: stat %q: %w", key, ErrInvalidKey)
	}
	st, err := l.root.Stat(key)
	if err == nil && !st.Mode().IsRegular() {
		err = ErrNotExist
	}
	if err != nil {
		return Info{}, fmt.Errorf("files: stat %s: %w", key, notExist(err))
	}
	return Info{Key: key, Size: st.Size(), ModTime: st.ModTime()}, nil
}

// Delete removes the file of key; a missing file is not an error.
func (l *Local) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("files: delete %q: %w", key, ErrInvalidKey)
	}
	st, err := l.root.Lstat(key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil && st.IsDir() {
		// A key is never a directory; refuse rather than remove a shard of other objects.
		return fmt.Errorf("files: delete %s: %w", key, ErrInvalidKey)
	}
	if err := l.root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("files: delete %s: %w", key, err)
	}
	return nil
}

// notExist maps "not a directory" on the way to a key (a key whose parent is a file) to
// ErrNotExist as well.
func notExist(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && errors.Is(pe.Err, syscall.ENOTDIR) {
		return fmt.Errorf("%w: %v", ErrNotExist, err)
	}
	return err
}

// rand16 returns 16 random characters for a temporary file name.
func rand16() string { return rand.Text()[:16] }

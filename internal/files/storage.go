// Package files stores uploaded documents: one Storage interface with a local-disk implementation
// (the default, under PORTAL_DATA_DIR/files) and an S3-compatible one, a streaming receiver for
// multipart/form-data uploads that checks each file's type by its content, the files table that
// holds the metadata, and Serve, the one way a stored file is sent to a browser.
//
// Who may upload or download a file is decided by the callers (the application and nomination
// areas, through authz); this package only stores, checks and serves.
package files

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"io/fs"
	"strings"
	"time"
)

// Storage keeps objects (streams of bytes) under keys. Keys are made by NewKey or checked by
// ValidKey; both implementations refuse any other key with ErrInvalidKey.
type Storage interface {
	// Put stores the content of r under key, replacing any object there. size is the length of r
	// when known, or -1. The object becomes visible only once it is complete: a failed or
	// cancelled Put (an error from r, a cancelled ctx, a size that does not match) leaves no
	// object and no partial content under key.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Open opens the object under key for reading, sequentially or at any offset, with its size
	// and modification time. The caller closes it. A missing object gives an error wrapping
	// ErrNotExist.
	Open(ctx context.Context, key string) (Reader, Info, error)
	// Stat returns the size and modification time of the object under key; an error wrapping
	// ErrNotExist when there is none.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the object under key. Deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
}

// Reader is the content of an open object: it reads in order, seeks and reads at an offset (so a
// ZIP's central directory can be read without downloading the whole file).
type Reader interface {
	io.ReadSeekCloser
	io.ReaderAt
}

// Info describes a stored object.
type Info struct {
	Key     string
	Size    int64
	ModTime time.Time
}

var (
	// ErrNotExist means there is no object under the key. It is fs.ErrNotExist, so
	// errors.Is(err, fs.ErrNotExist) works too.
	ErrNotExist = fs.ErrNotExist
	// ErrInvalidKey means a key is not one that NewKey could have made (see ValidKey).
	ErrInvalidKey = errors.New("files: invalid storage key")
	// errSizeMismatch means a Put read a different number of bytes than its size announced.
	errSizeMismatch = errors.New("files: content length does not match the announced size")
)

// maxKeyLen bounds a key (S3 allows 1024 bytes; file systems 255 per name).
const maxKeyLen = 200

// NewKey returns a fresh random key (130 bits from crypto/rand), sharded into a directory by its
// first two characters so that no directory of the local storage grows too large.
func NewKey() string {
	t := rand.Text()
	return t[:2] + "/" + t
}

// ValidKey reports whether key is acceptable to every Storage: one to 200 bytes of segments
// separated by "/", each segment made of ASCII letters, digits, "-", "_" and ".", none empty and
// none starting with "." (so no "..", no hidden names, no absolute paths, and nothing that
// could collide with the temporary files of the local storage).
func ValidKey(key string) bool {
	if key == "" || len(key) > maxKeyLen {
		return false
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || seg[0] == '.' {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			switch {
			case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
			default:
				return false
			}
		}
	}
	return true
}

// ctxReader stops reading once ctx is done, so a Put of a long stream can be cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

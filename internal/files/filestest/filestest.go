// Package filestest gives tests file storages (a local one in a temporary directory, and an S3
// one against an in-memory S3 server, gofakes3, started on httptest) and the conformance suite
// every files.Storage passes.
package filestest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"prizeportal/internal/config"
	"prizeportal/internal/files"
)

// NewLocal returns a local storage in a fresh temporary directory.
func NewLocal(t testing.TB) *files.Local {
	t.Helper()
	l, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// S3Config starts an in-memory S3 server over plain http with an empty bucket for this test and
// returns the configuration that reaches it, as PORTAL_S3_* would give it. Over plain http
// minio-go signs multipart parts with streaming (aws-chunked) signatures, which gofakes3 does not
// decode: store only objects of known size up to one part through it, or use NewS3.
func S3Config(t testing.TB) config.S3 {
	t.Helper()
	srv := httptest.NewUnstartedServer(fakeS3(t))
	srv.Config.ErrorLog = quiet
	srv.Start()
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return config.S3{Endpoint: u.Host, Bucket: testBucket, AccessKey: "test-access", SecretKey: "test-secret", Region: "us-east-1"}
}

const testBucket = "portal-test"

// quiet drops the fake server's complaints about its own double WriteHeader calls.
var quiet = log.New(io.Discard, "", 0)

// fakeS3 is an in-memory S3 API with the empty bucket testBucket.
func fakeS3(t testing.TB) http.Handler {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(testBucket); err != nil {
		t.Fatal(err)
	}
	return gofakes3.New(backend).Server()
}

// NewS3 returns an S3 storage on a fresh in-memory S3 server reached over https, as in
// production, with the smallest part size S3 allows so that multipart uploads are exercised by
// small streams.
func NewS3(t testing.TB) *files.S3 {
	t.Helper()
	srv := httptest.NewUnstartedServer(fakeS3(t))
	srv.Config.ErrorLog = quiet
	srv.StartTLS()
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	s, err := files.NewS3(files.S3Options{
		Endpoint: u.Host, Bucket: testBucket, AccessKey: "test-access", SecretKey: "test-secret",
		Region: "us-east-1", UseSSL: true, PartSize: 5 << 20, Transport: srv.Client().Transport,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// Conformance checks that st behaves as files.Storage promises. Every implementation runs it.
func Conformance(t *testing.T, st files.Storage) {
	ctx := context.Background()
	put := func(t *testing.T, key string, data []byte, size int64) {
		t.Helper()
		if err := st.Put(ctx, key, bytes.NewReader(data), size); err != nil {
			t.Fatalf("put %s: %v", key, err)
		}
	}
	read := func(t *testing.T, key string) ([]byte, files.Info) {
		t.Helper()
		r, info, err := st.Open(ctx, key)
		if err != nil {
			t.Fatalf("open %s: %v", key, err)
		}
		defer r.Close()
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("read %s: %v", key, err)
		}
		return b, info
	}
	gone := func(t *testing.T, key string) {
		t.Helper()
		if _, err := st.Stat(ctx, key); !errors.Is(err, files.ErrNotExist) {
			t.Fatalf("stat %s: err = %v, want ErrNotExist", key, err)
		}
		if _, _, err := st.Open(ctx, key); !errors.Is(err, files.ErrNotExist) {
			t.Fatalf("open %s: err = %v, want ErrNotExist", key, err)
		}
	}

	t.Run("RoundTrip", func(t *testing.T) {
		data := []byte("%PDF-1.7 small document")
		for _, size := range []int64{int64(len(data)), -1} {
			key := files.NewKey()
			put(t, key, data, size)
			got, info := read(t, key)
			if !bytes.Equal(got, data) || info.Size != int64(len(data)) || info.Key != key || info.ModTime.IsZero() {
				t.Fatalf("size %d: got %q, %+v", size, got, info)
			}
			st2, err := st.Stat(ctx, key)
			if err != nil || st2.Size != info.Size || !st2.ModTime.Equal(info.ModTime) {
				t.Fatalf("stat = %+v, %v; open said %+v", st2, err, info)
			}
		}
	})

	t.Run("Empty", func(t *testing.T) {
		for _, size := range []int64{0, -1} {
			key := files.NewKey()
			put(t, key, nil, size)
			if got, info := read(t, key); len(got) != 0 || info.Size != 0 {
				t.Fatalf("size %d: got %d bytes, %+v", size, len(got), info)
			}
		}
	})

	t.Run("LargeStreamOfUnknownSize", func(t *testing.T) {
		// Larger than two S3 parts of the minimum size, generated, never held whole.
		const n = 12<<20 + 12345
		key := files.NewKey()
		want := sha256.New()
		if err := st.Put(ctx, key, io.TeeReader(io.LimitReader(&pattern{}, n), want), -1); err != nil {
			t.Fatal(err)
		}
		r, info, err := st.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		got := sha256.New()
		if m, err := io.Copy(got, r); err != nil || m != n || info.Size != n {
			t.Fatalf("read %d bytes (err %v), info %+v, want %d", m, err, info, n)
		}
		if !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
			t.Fatal("content differs")
		}
		// Random access: the last bytes, and a seek into the middle.
		tail := make([]byte, 5)
		if _, err := r.ReadAt(tail, n-5); err != nil && !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
		if !bytes.Equal(tail, patternAt(n-5, 5)) {
			t.Fatalf("ReadAt tail = %q", tail)
		}
		if _, err := r.Seek(7<<20, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		mid := make([]byte, 9)
		if _, err := io.ReadFull(r, mid); err != nil || !bytes.Equal(mid, patternAt(7<<20, 9)) {
			t.Fatalf("after seek read %q, %v", mid, err)
		}
	})

	t.Run("PutReplaces", func(t *testing.T) {
		key := files.NewKey()
		put(t, key, []byte("first version"), -1)
		put(t, key, []byte("second"), -1)
		if got, _ := read(t, key); string(got) != "second" {
			t.Fatalf("got %q", got)
		}
	})

	t.Run("NestedKeys", func(t *testing.T) {
		put(t, "a/b/c/d.pdf", []byte("deep"), 4)
		if got, _ := read(t, "a/b/c/d.pdf"); string(got) != "deep" {
			t.Fatalf("got %q", got)
		}
		gone(t, "a/b/c")
		if err := st.Delete(ctx, "a/b/c/d.pdf"); err != nil {
			t.Fatal(err)
		}
		gone(t, "a/b/c/d.pdf")
	})

	t.Run("FailedPutLeavesNothing", func(t *testing.T) {
		boom := errors.New("client went away")
		for _, size := range []int64{-1, 6 << 20} {
			key := files.NewKey()
			// Fails after more than one S3 part has been sent.
			r := io.MultiReader(io.LimitReader(&pattern{}, 6<<20-1), failReader{boom})
			if err := st.Put(ctx, key, r, size); !errors.Is(err, boom) {
				t.Fatalf("size %d: put err = %v, want %v", size, err, boom)
			}
			gone(t, key)
		}
		// A failed replacement keeps the previous content.
		key := files.NewKey()
		put(t, key, []byte("kept"), -1)
		if err := st.Put(ctx, key, io.MultiReader(strings.NewReader("partial"), failReader{boom}), -1); err == nil {
			t.Fatal("put succeeded")
		}
		if got, _ := read(t, key); string(got) != "kept" {
			t.Fatalf("got %q", got)
		}
	})

	t.Run("WrongSizeLeavesNothing", func(t *testing.T) {
		for _, c := range []struct {
			data string
			size int64
		}{{"short", 10}, {"longer than announced", 6}} {
			key := files.NewKey()
			if err := st.Put(ctx, key, strings.NewReader(c.data), c.size); err == nil {
				t.Fatalf("%q as %d bytes: put succeeded", c.data, c.size)
			}
			gone(t, key)
		}
	})

	t.Run("CancelledPutLeavesNothing", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		key := files.NewKey()
		r := &cancelAfter{r: &pattern{}, n: 1 << 20, cancel: cancel}
		err := st.Put(cctx, key, r, -1)
		if err == nil {
			t.Fatal("put succeeded")
		}
		gone(t, key)
	})

	t.Run("MissingAndDelete", func(t *testing.T) {
		key := files.NewKey()
		gone(t, key)
		if err := st.Delete(ctx, key); err != nil {
			t.Fatalf("delete of a missing object: %v", err)
		}
		put(t, key, []byte("x"), 1)
		if err := st.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
		gone(t, key)
	})

	t.Run("InvalidKeys", func(t *testing.T) {
		for _, key := range []string{"", "/abs", "a/../b", "../up", "..", ".", "a//b", "a/", ".hidden", "a/.tmp-x", `a\b`, "a b", "ä", "a?b", "a%2F..", strings.Repeat("k", 201)} {
			if err := st.Put(ctx, key, strings.NewReader("x"), 1); !errors.Is(err, files.ErrInvalidKey) {
				t.Errorf("put %q: err = %v, want ErrInvalidKey", key, err)
			}
			if _, _, err := st.Open(ctx, key); !errors.Is(err, files.ErrInvalidKey) {
				t.Errorf("open %q: err = %v, want ErrInvalidKey", key, err)
			}
			if _, err := st.Stat(ctx, key); !errors.Is(err, files.ErrInvalidKey) {
				t.Errorf("stat %q: err = %v, want ErrInvalidKey", key, err)
			}
			if err := st.Delete(ctx, key); !errors.Is(err, files.ErrInvalidKey) {
				t.Errorf("delete %q: err = %v, want ErrInvalidKey", key, err)
			}
		}
	})

	t.Run("ModTimeIsRecent", func(t *testing.T) {
		before := time.Now().Add(-time.Hour)
		key := files.NewKey()
		put(t, key, []byte("x"), 1)
		info, err := st.Stat(ctx, key)
		if err != nil || info.ModTime.Before(before) || info.ModTime.After(time.Now().Add(time.Hour)) {
			t.Fatalf("stat = %+v, %v", info, err)
		}
	})
}

// pattern is an endless, deterministic stream: byte i is patternByte(i).
type pattern struct{ off int64 }

func (p *pattern) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = patternByte(p.off + int64(i))
	}
	p.off += int64(len(b))
	return len(b), nil
}

func patternByte(i int64) byte { return byte(i*7 + i/251) }

func patternAt(off, n int64) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = patternByte(off + int64(i))
	}
	return b
}

type failReader struct{ err error }

func (f failReader) Read([]byte) (int, error) { return 0, f.err }

// cancelAfter cancels its context once n bytes have been read, then keeps giving data.
type cancelAfter struct {
	r      io.Reader
	n      int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(b []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
	}
	k, err := c.r.Read(b)
	c.n -= int64(k)
	return k, err
}

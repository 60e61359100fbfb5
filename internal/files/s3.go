package files

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options configure an S3-compatible storage.
type S3Options struct {
	// Endpoint is host or host:port of the S3 API, without scheme (s3.eu-central-1.amazonaws.com,
	// minio.internal:9000).
	Endpoint string
	// Bucket must exist; the portal never creates it.
	Bucket               string
	AccessKey, SecretKey string
	// Region is the bucket's region; empty lets the client ask the server.
	Region string
	// UseSSL selects https.
	UseSSL bool
	// PartSize is the size of each part of a multipart upload, which is also the memory one
	// upload of unknown length holds; zero means DefaultPartSize. S3 requires at least 5 MiB.
	PartSize uint64
	// Transport replaces the HTTP transport (tests); nil uses the default.
	Transport http.RoundTripper
}

// DefaultPartSize is the part size of multipart uploads: each upload of unknown length buffers
// one part in memory, so this bounds the memory of one upload to S3.
const DefaultPartSize = 8 << 20

// minPartSize is the smallest part S3 accepts (except for the last part).
const minPartSize = 5 << 20

// S3 is a Storage on an S3-compatible object store (Amazon S3, MinIO, Ceph, Garage...), through
// minio-go. Streams of unknown length are sent as multipart uploads, one part at a time; a failed
// upload is aborted, so no partial object becomes visible. Configure the bucket to abort
// incomplete multipart uploads after a day, for the rare upload whose abort fails too.
type S3 struct {
	client   *minio.Client
	bucket   string
	partSize uint64
}

var _ Storage = (*S3)(nil)

// NewS3 returns a storage on the bucket of o. It does not contact the server: call Check for that.
func NewS3(o S3Options) (*S3, error) {
	if o.PartSize == 0 {
		o.PartSize = DefaultPartSize
	}
	if o.PartSize < minPartSize {
		return nil, fmt.Errorf("files: s3: part size %d is below the 5 MiB S3 requires", o.PartSize)
	}
	client, err := minio.New(o.Endpoint, &minio.Options{
		Creds:     credentials.NewStaticV4(o.AccessKey, o.SecretKey, ""),
		Secure:    o.UseSSL,
		Region:    o.Region,
		Transport: o.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("files: s3: %w", err)
	}
	return &S3{client: client, bucket: o.Bucket, partSize: o.PartSize}, nil
}

// Check verifies that the bucket exists and the credentials may use it, so a misconfigured
// storage is reported at start rather than at the first upload.
func (s *S3) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("files: s3: cannot reach bucket %q at %s (check PORTAL_S3_ENDPOINT, PORTAL_S3_USE_SSL and the access keys): %w", s.bucket, s.client.EndpointURL().Host, err)
	}
	if !ok {
		return fmt.Errorf("files: s3: bucket %q does not exist at %s (create it, then set PORTAL_S3_BUCKET)", s.bucket, s.client.EndpointURL().Host)
	}
	return nil
}

// Put uploads r under key: in one request when its size is known and at most one part, as a
// multipart upload otherwise.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	if !ValidKey(key) {
		return fmt.Errorf("files: put %q: %w", key, ErrInvalidKey)
	}
	if size >= 0 {
		// minio-go reads exactly size bytes: this reader makes a shorter or longer stream fail.
		r = &exactReader{r: r, left: size}
	} else {
		// An empty stream of unknown length is sent as an empty object: a multipart upload
		// would need an empty part, which not every S3 server accepts.
		br := bufio.NewReaderSize(r, 16)
		if _, err := br.Peek(1); errors.Is(err, io.EOF) {
			r, size = bytes.NewReader(nil), 0
		} else if err != nil {
			return fmt.Errorf("files: put %s: %w", key, err)
		} else {
			r = br
		}
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{
		ContentType: "application/octet-stream",
		PartSize:    s.partSize,
	})
	if err != nil {
		return fmt.Errorf("files: put %s: %w", key, err)
	}
	return nil
}

// Open opens the object of key; reads and seeks become ranged GET requests.
func (s *S3) Open(ctx context.Context, key string) (Reader, Info, error) {
	if !ValidKey(key) {
		return nil, Info{}, fmt.Errorf("files: open %q: %w", key, ErrInvalidKey)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, Info{}, fmt.Errorf("files: open %s: %w", key, s3Err(err))
	}
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		return nil, Info{}, fmt.Errorf("files: open %s: %w", key, s3Err(err))
	}
	return obj, Info{Key: key, Size: st.Size, ModTime: st.LastModified}, nil
}

// Stat returns the size and modification time of the object of key.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	if !ValidKey(key) {
		return Info{}, fmt.Errorf("files: stat %q: %w", key, ErrInvalidKey)
	}
	st, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if err != nil {
		return Info{}, fmt.Errorf("files: stat %s: %w", key, s3Err(err))
	}
	return Info{Key: key, Size: st.Size, ModTime: st.LastModified}, nil
}

// Delete removes the object of key; S3 deletes are idempotent.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("files: delete %q: %w", key, ErrInvalidKey)
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("files: delete %s: %w", key, s3Err(err))
	}
	return nil
}

// s3Err adds ErrNotExist to the error of a missing object.
func s3Err(err error) error {
	switch minio.ToErrorResponse(err).Code {
	case minio.NoSuchKey, "NotFound":
		return fmt.Errorf("%w: %v", ErrNotExist, err)
	}
	return err
}

// exactReader passes on exactly left bytes of r and fails when r holds fewer or more, so the
// upload it feeds is aborted rather than stored short or truncated.
type exactReader struct {
	r    io.Reader
	left int64
}

func (e *exactReader) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return e.probe(0)
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	switch {
	case errors.Is(err, io.EOF) && e.left > 0:
		return n, fmt.Errorf("%w: stream ended %d bytes early", errSizeMismatch, e.left)
	case err == nil && e.left == 0:
		// Decide before passing on the last bytes: the server stores the object as soon as it
		// has size bytes, so a longer stream must fail while some are still missing.
		return e.probe(n)
	}
	return n, err
}

// probe reads one byte past the announced end: any byte there means the size was wrong, and the
// n bytes just read are withheld.
func (e *exactReader) probe(n int) (int, error) {
	var one [1]byte
	for range 100 {
		m, err := e.r.Read(one[:])
		if m > 0 {
			return 0, fmt.Errorf("%w: stream is longer than announced", errSizeMismatch)
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return n, io.EOF
			}
			return n, err
		}
	}
	return n, io.ErrNoProgress
}

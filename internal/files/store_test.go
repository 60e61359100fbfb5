package files_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"prizeportal/internal/db"
	"prizeportal/internal/db/dbtest"
	"prizeportal/internal/files"
	"prizeportal/internal/files/filestest"
)

func TestRecordByIDDelete(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	var userID int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (login_id, email, name, password_hash) VALUES ('kim', 'kim@example.org', 'Kim', 'x') RETURNING id`).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	s := files.Stored{Key: files.NewKey(), Name: "사업계획서.pdf", Size: 1234, Type: files.PDF, ContentType: "application/pdf", SHA256: strings.Repeat("ab", 32)}
	f, err := files.Record(ctx, pool, s, userID, now)
	if err != nil {
		t.Fatal(err)
	}
	if f.ID == 0 || f.Key != s.Key || f.Name != s.Name || f.Size != 1234 || f.ContentType != "application/pdf" ||
		f.SHA256 != s.SHA256 || f.UploadedBy == nil || *f.UploadedBy != userID || !f.CreatedAt.Equal(now) {
		t.Fatalf("recorded %+v", f)
	}
	got, err := files.ByID(ctx, pool, f.ID)
	if err != nil || got.Key != f.Key || !got.CreatedAt.Equal(now) {
		t.Fatalf("ByID = %+v, %v", got, err)
	}
	if _, err := files.Record(ctx, pool, s, userID, now); !errors.Is(err, db.ErrConflict) {
		t.Fatalf("same key twice: %v", err)
	}
	// An upload without an account (a recommender's letter).
	anon, err := files.Record(ctx, pool, files.Stored{Key: files.NewKey(), Name: "letter.pdf", Size: 1, ContentType: "application/pdf", SHA256: strings.Repeat("0", 64)}, 0, now)
	if err != nil || anon.UploadedBy != nil {
		t.Fatalf("anonymous upload: %+v, %v", anon, err)
	}
	deleted, err := files.Delete(ctx, pool, f.ID)
	if err != nil || deleted.Key != f.Key {
		t.Fatalf("Delete = %+v, %v", deleted, err)
	}
	if _, err := files.ByID(ctx, pool, f.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("ByID after delete: %v", err)
	}
	if _, err := files.Delete(ctx, pool, f.ID); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("Delete twice: %v", err)
	}
}

// TestUploadRecordServe goes the whole way: a request stores a file, its metadata is recorded in
// Postgres, and Serve sends it back with the download headers.
func TestUploadRecordServe(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	ctx := context.Background()
	for name, st := range map[string]files.Storage{"local": filestest.NewLocal(t), "s3": filestest.NewS3(t)} {
		t.Run(name, func(t *testing.T) {
			data := pdfDoc(5000)
			res, err := receive(t, st, map[string]files.Limits{"doc": documents}, file("doc", "사업 계획서.pdf", data))
			if err != nil || len(res.Files) != 1 {
				t.Fatalf("res = %+v, err = %v", res, err)
			}
			rec, err := files.Record(ctx, pool, res.Files[0], 0, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			meta, err := files.ByID(ctx, pool, rec.ID)
			if err != nil {
				t.Fatal(err)
			}

			w := httptest.NewRecorder()
			if err := files.Serve(w, httptest.NewRequest(http.MethodGet, "/files/1", nil), st, meta); err != nil {
				t.Fatal(err)
			}
			h := w.Result().Header
			want := map[string]string{
				"Content-Type":            "application/pdf",
				"Content-Disposition":     `attachment; filename="__ ___.pdf"; filename*=UTF-8''%EC%82%AC%EC%97%85%20%EA%B3%84%ED%9A%8D%EC%84%9C.pdf`,
				"X-Content-Type-Options":  "nosniff",
				"Cache-Control":           "private, no-store",
				"Content-Length":          "5000",
				"Content-Security-Policy": "default-src 'none'; sandbox",
			}
			for k, v := range want {
				if h.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, h.Get(k), v)
				}
			}
			if w.Code != http.StatusOK || w.Body.String() != string(data) {
				t.Fatalf("status %d, %d bytes", w.Code, w.Body.Len())
			}

			// A range (a download resumed).
			r := httptest.NewRequest(http.MethodGet, "/files/1", nil)
			r.Header.Set("Range", "bytes=4990-")
			w = httptest.NewRecorder()
			if err := files.Serve(w, r, st, meta); err != nil {
				t.Fatal(err)
			}
			if w.Code != http.StatusPartialContent || w.Body.String() != string(data[4990:]) || w.Result().Header.Get("Content-Disposition") == "" {
				t.Fatalf("range: status %d, body %q", w.Code, w.Body.String())
			}

			// Metadata that does not match the object, and an object that is gone, are errors
			// reported before anything is written.
			bad := meta
			bad.Size++
			w = httptest.NewRecorder()
			if err := files.Serve(w, httptest.NewRequest(http.MethodGet, "/", nil), st, bad); err == nil || w.Body.Len() != 0 || len(w.Result().Header) != 0 {
				t.Fatalf("size mismatch: err %v, wrote %d bytes", err, w.Body.Len())
			}
			if err := st.Delete(ctx, meta.Key); err != nil {
				t.Fatal(err)
			}
			w = httptest.NewRecorder()
			if err := files.Serve(w, httptest.NewRequest(http.MethodGet, "/", nil), st, meta); !errors.Is(err, files.ErrNotExist) || w.Body.Len() != 0 {
				t.Fatalf("missing object: err %v", err)
			}
			body, _ := io.ReadAll(w.Body)
			if len(body) != 0 {
				t.Fatal("wrote a body")
			}
		})
	}
}

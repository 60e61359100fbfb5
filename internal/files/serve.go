package files

import (
	"fmt"
	"net/http"
)

// Serve sends the file meta, read from st, as a download: Content-Disposition: attachment with
// its name (RFC 6266, filename* for non-ASCII names), its recorded content type with
// X-Content-Type-Options: nosniff, Content-Length, Cache-Control: private, no-store and a
// sandboxing Content-Security-Policy, so no browser renders an uploaded file as part of the portal.
// Range and HEAD requests are answered too (large PDFs resume).
//
// It checks no access: the caller must have decided that the actor may see the file, and should
// answer 404 otherwise. An error is returned only before anything is written: a missing object
// (wrapping ErrNotExist) or one whose size differs from the metadata is an internal error.
func Serve(w http.ResponseWriter, r *http.Request, st Storage, meta File) error {
	obj, info, err := st.Open(r.Context(), meta.Key)
	if err != nil {
		return fmt.Errorf("files: serve file %d: %w", meta.ID, err)
	}
	defer obj.Close()
	if info.Size != meta.Size {
		return fmt.Errorf("files: serve file %d: stored object has %d bytes, recorded size is %d", meta.ID, info.Size, meta.Size)
	}
	contentType := meta.ContentType
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", ContentDisposition(meta.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	// ServeContent sets Content-Length (or Content-Range) from the object's size.
	http.ServeContent(w, r, "", info.ModTime, obj)
	return nil
}

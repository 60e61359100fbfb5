// Package static embeds the portal's CSS, scripts and images and serves them under names that
// carry a hash of their content, so browsers may cache them for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed assets
var assets embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

var (
	hashed   = map[string]string{} // logical name -> hashed name
	logical  = map[string]string{} // hashed name -> logical name
	contents = map[string][]byte{}
)

func init() {
	err := fs.WalkDir(assets, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "assets/")
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		h := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		hashed[name], logical[h], contents[name] = h, name, b
		return nil
	})
	if err != nil {
		panic(err)
	}
}

// Path returns the URL of the asset with logical name (such as "app.css"). It panics on an
// unknown name, which tests catch at once.
func Path(name string) string {
	h, ok := hashed[name]
	if !ok {
		panic("static: unknown asset " + name)
	}
	return Prefix + h
}

// Handler serves hashed asset names with a long cache lifetime; unknown names are 404.
func Handler(notFound http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := logical[strings.TrimPrefix(r.URL.Path, Prefix)]
		if !ok {
			notFound.ServeHTTP(w, r)
			return
		}
		if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(contents[name])
	})
}

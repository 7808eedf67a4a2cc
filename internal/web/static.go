package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// asset is one embedded static file, with its fingerprinted name and a
// gzipped copy when that is smaller.
type asset struct {
	name  string // style.css
	url   string // /static/style.1a2b3c4d5e.css
	body  []byte
	gz    []byte
	ctype string
	etag  string
}

var assets = loadAssets()

// loadAssets reads the static files. The stylesheets in static/css/ are
// joined, in name order, into one style.css: one request per page, and each
// part of the product keeps its styles in a file of its own.
func loadAssets() map[string]*asset {
	out := map[string]*asset{}
	var css bytes.Buffer
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(p, "static/css/") {
			css.Write(b)
			css.WriteByte('\n')
			return nil
		}
		addAsset(out, strings.TrimPrefix(p, "static/"), b)
		return nil
	})
	addAsset(out, "style.css", css.Bytes())
	return out
}

func addAsset(out map[string]*asset, name string, b []byte) {
	sum := sha256.Sum256(b)
	hash := hex.EncodeToString(sum[:])[:10]
	ext := path.Ext(name)
	a := &asset{
		name: name, body: b, etag: `"` + hash + `"`,
		url:   "/static/" + strings.TrimSuffix(name, ext) + "." + hash + ext,
		ctype: mime.TypeByExtension(ext),
	}
	if a.ctype == "" {
		a.ctype = "application/octet-stream"
	}
	if strings.HasPrefix(a.ctype, "text/") || strings.Contains(a.ctype, "javascript") || strings.Contains(a.ctype, "svg") || strings.Contains(a.ctype, "json") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(b)
		zw.Close()
		if buf.Len() < len(b) {
			a.gz = buf.Bytes()
		}
	}
	out[a.url] = a
	out["/static/"+name] = a
	out[name] = a
}

// assetURL returns the fingerprinted URL of a static file, cacheable for a
// year since any change gives a new URL.
func assetURL(name string) string {
	if a, ok := assets[name]; ok {
		return a.url
	}
	return "/static/" + name
}

// Static serves embedded assets: fingerprinted URLs for a year, plain names
// for a few minutes (for links from outside).
func (s *Server) Static(w http.ResponseWriter, r *http.Request) {
	a, ok := assets[r.URL.Path]
	if !ok {
		s.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Del("Content-Security-Policy")
	if r.URL.Path == a.url {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	h.Set("Content-Type", a.ctype)
	h.Set("ETag", a.etag)
	h.Set("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match == a.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := a.body
	if a.gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	h.Set("Content-Length", itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

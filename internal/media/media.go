// Package media keeps the images, videos, audio and files of every site:
// uploads checked by their content (not by the name or type the browser
// claims), size limits, images re-encoded (which drops anything hidden in
// them) with resized variants for srcset, files stored under the media
// directory with names the server chooses.
package media

import (
	"strconv"
	"strings"
	"time"
)

// Kind is what a media item is.
type Kind string

// The kinds of media.
const (
	Image Kind = "image"
	Video Kind = "video"
	Audio Kind = "audio"
	File  Kind = "file" // a downloadable document (PDF, office files, archives)
)

// Item is one stored media file with what readers need to use it: alt text
// for images (required), a caption, and for video and audio a transcript and
// a WebVTT captions track.
type Item struct {
	ID         int64
	SiteID     int64
	Kind       Kind
	Name       string // the file name shown for download, made safe
	Path       string // where the file lives, relative to the media directory
	MIME       string
	Size       int64
	Width      int
	Height     int
	Alt        string
	Caption    string
	Transcript string
	TrackPath  string // WebVTT captions, relative to the media directory
	Variants   []int  // widths of the resized copies that exist
	SHA256     string
	CreatedBy  string
	Created    time.Time
	Updated    time.Time
}

// URL returns the public URL of the original file.
func (m *Item) URL() string { return "/media/" + m.Path }

// VariantURL returns the URL of the copy at width w.
func (m *Item) VariantURL(w int) string { return "/media/" + VariantPath(m.Path, w) }

// VariantPath returns the path of the copy of path at width w:
// 2026/11/abc.jpg → 2026/11/abc-640.jpg.
func VariantPath(path string, w int) string {
	dot := strings.LastIndexByte(path, '.')
	if dot < 0 {
		return path + "-" + strconv.Itoa(w)
	}
	return path[:dot] + "-" + strconv.Itoa(w) + path[dot:]
}

// SrcSet returns the srcset attribute value of an image: every variant and
// the original.
func (m *Item) SrcSet() string {
	var b strings.Builder
	for _, w := range m.Variants {
		if w >= m.Width {
			continue
		}
		b.WriteString(m.VariantURL(w))
		b.WriteString(" ")
		b.WriteString(strconv.Itoa(w))
		b.WriteString("w, ")
	}
	b.WriteString(m.URL())
	b.WriteString(" ")
	b.WriteString(strconv.Itoa(max(m.Width, 1)))
	b.WriteString("w")
	return b.String()
}

// Src returns the URL of the smallest copy at least w pixels wide, or the
// original.
func (m *Item) Src(w int) string {
	best := 0
	for _, v := range m.Variants {
		if v >= w && v < m.Width && (best == 0 || v < best) {
			best = v
		}
	}
	if best == 0 {
		return m.URL()
	}
	return m.VariantURL(best)
}

package media

import (
	"bytes"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// Limits on uploads.
const (
	MaxImageBytes = 20 << 20  // an image as uploaded
	MaxFileBytes  = 100 << 20 // a document, video or audio file
	MaxPixels     = 40_000_000
	MaxName       = 120 // characters of a file name
)

// kindOf describes an accepted type: what the stored file is called and
// served as.
type kindOf struct {
	kind Kind
	mime string
	ext  string
}

// sniff decides what a file is from its bytes, never from the name or the
// type the browser claims, and refuses what the portal does not publish:
// SVG (it can carry script), HTML, executables, PDFs with actions or
// scripts. name only chooses between formats that share a container (a
// .docx and an .xlsx are both ZIP files).
func sniff(b []byte, name string) (kindOf, error) {
	head := b[:min(len(b), 512)]
	ct := http.DetectContentType(head)
	ext := strings.ToLower(path.Ext(name))
	lower := bytes.ToLower(b[:min(len(b), 4096)])
	switch {
	case bytes.Contains(lower, []byte("<svg")) || ext == ".svg" || ext == ".svgz":
		return kindOf{}, fault.OnField("file", "media.svg_refused")
	case strings.HasPrefix(ct, "image/jpeg"):
		return kindOf{Image, "image/jpeg", ".jpg"}, nil
	case strings.HasPrefix(ct, "image/png"):
		return kindOf{Image, "image/png", ".png"}, nil
	case strings.HasPrefix(ct, "image/gif"):
		return kindOf{Image, "image/png", ".png"}, nil // re-encoded as PNG
	case strings.HasPrefix(ct, "image/webp"):
		return kindOf{Image, "image/jpeg", ".jpg"}, nil // re-encoded as JPEG
	case ct == "application/pdf":
		if pdfActive(b) {
			return kindOf{}, fault.OnField("file", "media.pdf_active")
		}
		return kindOf{File, "application/pdf", ".pdf"}, nil
	case ct == "video/mp4" || bytes.Equal(b[min(4, len(b)):min(8, len(b))], []byte("ftyp")) && !isAudioBrand(b):
		return kindOf{Video, "video/mp4", ".mp4"}, nil
	case ct == "video/webm":
		return kindOf{Video, "video/webm", ".webm"}, nil
	case ct == "audio/mpeg" || bytes.HasPrefix(b, []byte("ID3")):
		return kindOf{Audio, "audio/mpeg", ".mp3"}, nil
	case ct == "audio/wave":
		return kindOf{Audio, "audio/wav", ".wav"}, nil
	case ct == "application/ogg":
		return kindOf{Audio, "audio/ogg", ".ogg"}, nil
	case bytes.Equal(b[min(4, len(b)):min(8, len(b))], []byte("ftyp")):
		return kindOf{Audio, "audio/mp4", ".m4a"}, nil
	case ct == "application/zip":
		if m, ok := officeTypes[ext]; ok {
			return kindOf{File, m, ext}, nil
		}
		return kindOf{File, "application/zip", ".zip"}, nil
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		if m, ok := legacyOffice[ext]; ok {
			return kindOf{File, m, ext}, nil
		}
		return kindOf{}, fault.OnField("file", "media.type_refused")
	case strings.HasPrefix(ct, "text/plain"):
		if ext == ".csv" {
			return kindOf{File, "text/csv; charset=utf-8", ".csv"}, nil
		}
		if ext == ".vtt" && bytes.HasPrefix(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), []byte("WEBVTT")) {
			return kindOf{File, "text/vtt; charset=utf-8", ".vtt"}, nil
		}
		return kindOf{File, "text/plain; charset=utf-8", ".txt"}, nil
	}
	return kindOf{}, fault.OnField("file", "media.type_refused")
}

func isAudioBrand(b []byte) bool {
	if len(b) < 12 {
		return false
	}
	brand := string(b[8:12])
	return brand == "M4A " || brand == "M4B "
}

var officeTypes = map[string]string{
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
}

var legacyOffice = map[string]string{
	".doc": "application/msword",
	".xls": "application/vnd.ms-excel",
	".ppt": "application/vnd.ms-powerpoint",
}

// pdfActive reports whether a PDF asks its reader to run something:
// JavaScript, launching a program, opening an action on load, or carrying
// embedded files. A portal's documents need none of that.
func pdfActive(b []byte) bool {
	for _, key := range [][]byte{[]byte("/JavaScript"), []byte("/JS"), []byte("/Launch"), []byte("/OpenAction"), []byte("/EmbeddedFile"), []byte("/AA"), []byte("/RichMedia"), []byte("/XFA")} {
		for i := 0; ; {
			j := bytes.Index(b[i:], key)
			if j < 0 {
				break
			}
			end := i + j + len(key)
			// A whole name: /JS, not /JSomething.
			if end >= len(b) || !isNameChar(b[end]) {
				return true
			}
			i = end
		}
	}
	return false
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// CleanName makes an uploaded file's name safe to show and to send back in
// Content-Disposition: the last path element only (no ../ or C:\), no
// control characters or NUL, NFC, at most MaxName characters, and the
// extension of what the file really is.
func CleanName(name, ext string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '\u202e' || r == '\u202d' || r == '\u200f' || r == '\u200e' {
			return -1
		}
		return r
	}, name)
	name = vietnamese.Clean(name)
	base := strings.TrimSpace(strings.TrimSuffix(name, path.Ext(name)))
	base = strings.Trim(base, ". ")
	if utf8.RuneCountInString(base) > MaxName {
		base = string([]rune(base)[:MaxName])
	}
	if base == "" {
		base = "tep"
	}
	return base + ext
}

// Disposition returns a Content-Disposition header that downloads a file
// under name: an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987).
func Disposition(name string) string {
	ascii := vietnamese.Slug(strings.TrimSuffix(name, path.Ext(name)), 80)
	if ascii == "" {
		ascii = "tep"
	}
	var b strings.Builder
	for _, c := range []byte(name) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(hex2(c)))
		}
	}
	return `attachment; filename="` + ascii + strings.ToLower(path.Ext(name)) + `"; filename*=UTF-8''` + b.String()
}

func hex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

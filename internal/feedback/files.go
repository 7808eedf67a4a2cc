package feedback

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/jpeg"
	"image/png"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// Limits on attachments.
const (
	MaxFiles     = 3
	MaxFileBytes = 5 << 20
	MaxPixels    = 40_000_000 // refuse decompression bombs before decoding
)

// Upload is a file as it arrived: the name and type the client claimed,
// and the bytes.
type Upload struct {
	Name string
	Type string
	Data []byte
}

// sniff tells a file's type from its first bytes, whatever it is called.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	}
	return ""
}

var extTypes = map[string]string{".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}

// CheckFile accepts an image (JPEG, PNG) or a PDF whose content, name and
// claimed type agree, within the size limit. Images are decoded and
// re-encoded, which drops their metadata (a phone photo's GPS position is
// personal data) and anything hidden after the picture; PDFs with scripts
// or embedded files are refused. field names the form field for errors.
func CheckFile(field string, u Upload) (*File, error) {
	name := vietnamese.Clean(path.Base(strings.ReplaceAll(u.Name, `\`, "/")))
	if name == "" || name == "." || name == "/" {
		name = "tep"
	}
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	if len(u.Data) == 0 {
		return nil, fault.OnField(field, "feedback.file_empty", name)
	}
	if len(u.Data) > MaxFileBytes {
		return nil, fault.OnField(field, "feedback.file_too_large", name, MaxFileBytes>>20)
	}
	kind := sniff(u.Data)
	if kind == "" {
		return nil, fault.OnField(field, "feedback.file_type", name)
	}
	if want, ok := extTypes[strings.ToLower(path.Ext(name))]; !ok || want != kind {
		return nil, fault.OnField(field, "feedback.file_mislabeled", name)
	}
	if ct := strings.ToLower(strings.TrimSpace(strings.Split(u.Type, ";")[0])); ct != "" && ct != "application/octet-stream" && ct != kind && !(ct == "image/jpg" && kind == "image/jpeg") {
		return nil, fault.OnField(field, "feedback.file_mislabeled", name)
	}
	data := u.Data
	switch kind {
	case "image/jpeg", "image/png":
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return nil, fault.OnField(field, "feedback.file_broken", name)
		}
		if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
			return nil, fault.OnField(field, "feedback.file_too_large", name, MaxFileBytes>>20)
		}
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fault.OnField(field, "feedback.file_broken", name)
		}
		var out bytes.Buffer
		if kind == "image/png" {
			err = png.Encode(&out, img)
		} else {
			err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 85})
		}
		if err != nil {
			return nil, fault.OnField(field, "feedback.file_broken", name)
		}
		if out.Len() <= MaxFileBytes {
			data = out.Bytes()
		}
	case "application/pdf":
		tail := data[max(0, len(data)-2048):]
		if !bytes.Contains(tail, []byte("%%EOF")) {
			return nil, fault.OnField(field, "feedback.file_broken", name)
		}
		for _, bad := range []string{"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/OpenAction", "/AA"} {
			if bytes.Contains(data, []byte(bad)) {
				return nil, fault.OnField(field, "feedback.file_active", name)
			}
		}
	}
	sum := sha256.Sum256(data)
	return &File{Name: name, Type: kind, Size: int64(len(data)), SHA: hex.EncodeToString(sum[:]), Data: data}, nil
}

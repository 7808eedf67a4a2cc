// Package attach keeps the files attached to published items (documents,
// procedures' forms, drafts for comment, listings): PDF, Word and Excel
// files, checked by their content, never by the name or type the uploader
// declares, limited in size, and stored on disk under the media directory by
// their SHA-256, so the same file uploaded twice is stored once.
package attach

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/vietnamese"
)

// Kinds of files accepted.
const (
	PDF  = "pdf"
	DOCX = "docx"
	DOC  = "doc"
	XLSX = "xlsx"
	XLS  = "xls"
)

// Limits on what is accepted.
const (
	MaxSize     = 20 << 20 // bytes per file
	MaxPerOwner = 10       // files per item
	MaxName     = 200      // characters of a file name
)

// File is one attached file.
type File struct {
	ID       int64
	SiteID   int64
	Owner    string // document, procedure, consultation, listing
	OwnerID  int64
	Name     string // the name shown and used when downloading
	Kind     string // pdf, docx, doc, xlsx, xls
	Size     int64
	SHA256   string
	Position int
	Created  time.Time
}

// ContentType returns the MIME type the file is served with.
func (f *File) ContentType() string { return ContentType(f.Kind) }

// Previewable reports whether browsers show the file inline (PDF).
func (f *File) Previewable() bool { return f.Kind == PDF }

// ContentType returns the MIME type of a kind.
func ContentType(kind string) string {
	switch kind {
	case PDF:
		return "application/pdf"
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case DOC:
		return "application/msword"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case XLS:
		return "application/vnd.ms-excel"
	}
	return "application/octet-stream"
}

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Sniff returns the kind of a file from its content: PDF by its "%PDF-"
// header, DOCX and XLSX as zip archives holding word/document.xml or
// xl/workbook.xml, DOC and XLS by the OLE compound file header (the two
// share it; the name's extension tells them apart). It returns "" for
// anything else.
func Sniff(b []byte, name string) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(b, oleMagic):
		if strings.EqualFold(filepath.Ext(name), ".xls") {
			return XLS
		}
		return DOC
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return ""
		}
		for _, f := range z.File {
			switch f.Name {
			case "word/document.xml":
				return DOCX
			case "xl/workbook.xml":
				return XLSX
			}
		}
	}
	return ""
}

// extKinds maps a file name's extension to the kind it claims.
var extKinds = map[string]string{".pdf": PDF, ".docx": DOCX, ".doc": DOC, ".xlsx": XLSX, ".xls": XLS}

// Check reads an upload and returns its content and kind, or an Invalid
// fault naming the file: too large, empty, of a kind not accepted, or not
// what its name says it is.
func Check(name string, r io.Reader) ([]byte, string, error) {
	name = CleanName(name)
	if name == "" {
		return nil, "", fault.OnField("file", "attach.name_missing")
	}
	claimed, ok := extKinds[strings.ToLower(filepath.Ext(name))]
	if !ok {
		return nil, "", fault.OnField("file", "attach.kind_refused", name)
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, "", fault.Wrap(err, fault.Invalid, "attach.unreadable", name)
	}
	if len(b) > MaxSize {
		return nil, "", fault.OnField("file", "attach.too_large", name, MaxSize>>20)
	}
	if len(b) == 0 {
		return nil, "", fault.OnField("file", "attach.empty", name)
	}
	kind := Sniff(b, name)
	if kind == "" {
		return nil, "", fault.OnField("file", "attach.content_unknown", name)
	}
	if kind != claimed {
		return nil, "", fault.OnField("file", "attach.lies", name, strings.ToUpper(claimed), strings.ToUpper(kind))
	}
	return b, kind, nil
}

// CleanName keeps the last element of an uploaded file name, without
// control characters or path separators, at most MaxName characters.
func CleanName(name string) string {
	name = vietnamese.Clean(strings.ReplaceAll(name, "\\", "/"))
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == '"' || r == ';' || r < 0x20 {
			return -1
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > MaxName {
		ext := filepath.Ext(name)
		name = string([]rune(name)[:MaxName-len(ext)]) + ext
	}
	if name == "." || name == ".." {
		return ""
	}
	return name
}

// Store keeps the rows that describe attached files.
type Store interface {
	AddAttachment(ctx context.Context, f *File) error
	Attachment(ctx context.Context, id int64) (*File, error)
	Attachments(ctx context.Context, owner string, ownerIDs ...int64) ([]*File, error)
	DeleteAttachment(ctx context.Context, id int64) error
}

// Files stores attachments: rows in the database, bytes under Dir.
type Files struct {
	store Store
	// Dir is the media directory; files go to Dir/attachments/ab/abcdef….
	Dir string
}

// New returns Files storing bytes under dir.
func New(s Store, dir string) *Files { return &Files{store: s, Dir: dir} }

// ErrNoMedia is returned when no media directory is configured.
var ErrNoMedia = errors.New("attach: no media directory (--media)")

// Add checks an upload and attaches it to an item; the caller has checked
// the permission and joins its transaction through ctx. The bytes are
// written before the row: a rolled-back transaction leaves at most an
// unreferenced file, never a row without its file.
func (fs *Files) Add(ctx context.Context, siteID int64, owner string, ownerID int64, name string, r io.Reader) (*File, error) {
	b, kind, err := Check(name, r)
	if err != nil {
		return nil, err
	}
	existing, err := fs.store.Attachments(ctx, owner, ownerID)
	if err != nil {
		return nil, err
	}
	if len(existing) >= MaxPerOwner {
		return nil, fault.OnField("file", "attach.too_many", MaxPerOwner)
	}
	sum, err := fs.write(b)
	if err != nil {
		return nil, err
	}
	f := &File{SiteID: siteID, Owner: owner, OwnerID: ownerID, Name: CleanName(name), Kind: kind, Size: int64(len(b)),
		SHA256: sum, Position: len(existing), Created: time.Now()}
	if err := fs.store.AddAttachment(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

func (fs *Files) write(b []byte) (string, error) {
	if fs.Dir == "" {
		return "", fault.Wrap(ErrNoMedia, fault.Internal, "attach.no_media")
	}
	h := sha256.Sum256(b)
	sum := hex.EncodeToString(h[:])
	path := fs.path(sum)
	if _, err := os.Stat(path); err == nil {
		return sum, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return "", fmt.Errorf("attach: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return "", fmt.Errorf("attach: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", fmt.Errorf("attach: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("attach: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("attach: %w", err)
	}
	return sum, nil
}

func (fs *Files) path(sum string) string {
	return filepath.Join(fs.Dir, "attachments", sum[:2], sum)
}

// Open returns the bytes of an attached file.
func (fs *Files) Open(f *File) (*os.File, error) {
	if fs.Dir == "" {
		return nil, ErrNoMedia
	}
	if len(f.SHA256) != 64 {
		return nil, fault.New(fault.NotFound, "attach.not_found")
	}
	return os.Open(fs.path(f.SHA256))
}

// Get returns an attachment's row.
func (fs *Files) Get(ctx context.Context, id int64) (*File, error) {
	return fs.store.Attachment(ctx, id)
}

// Of returns the files of items, in order.
func (fs *Files) Of(ctx context.Context, owner string, ids ...int64) ([]*File, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return fs.store.Attachments(ctx, owner, ids...)
}

// Remove detaches a file from its item (the bytes stay: another item may
// share them).
func (fs *Files) Remove(ctx context.Context, id int64) error {
	return fs.store.DeleteAttachment(ctx, id)
}

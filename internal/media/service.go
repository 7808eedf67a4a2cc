package media

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // decoders registered for image.Decode
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/jobs"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/vietnamese"
)

// VariantWidths are the widths of the resized copies made of every image
// larger than them, for srcset.
var VariantWidths = []int{320, 640, 1024, 1600}

// JobVariants makes an image's resized copies.
const JobVariants = "media.variants"

// Filter selects media for the library.
type Filter struct {
	SiteID  int64
	Kind    Kind
	Query   string
	Page    int
	PerPage int
}

// Store keeps media items.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	AfterCommit(ctx context.Context, key string, f func())
	CreateMedia(ctx context.Context, m *Item) error
	UpdateMedia(ctx context.Context, m *Item) error
	MediaItem(ctx context.Context, id int64) (*Item, error)
	MediaByPath(ctx context.Context, path string) (*Item, error)
	MediaList(ctx context.Context, f Filter) ([]*Item, int, error)
}

// Recorder writes audit entries.
type Recorder interface {
	Record(ctx context.Context, action string, siteID int64, target string, detail any) error
}

// Service stores and describes media.
type Service struct {
	store Store
	log   Recorder
	dir   string
	jobs  *jobs.Queue
	// Index receives captions and transcripts; nil until search is wired.
	Index search.Indexer
	now   func() time.Time
}

// NewService returns the media service keeping files under dir, and
// registers the variants job on q.
func NewService(st Store, log Recorder, dir string, q *jobs.Queue) *Service {
	s := &Service{store: st, log: log, dir: dir, jobs: q, now: time.Now}
	if q != nil {
		q.Handle(JobVariants, s.runVariants)
	}
	return s
}

// Dir returns the directory holding the files.
func (s *Service) Dir() string { return s.dir }

// Upload is a file sent by a staff member with its descriptions.
type Upload struct {
	Name       string // as the browser sent it; only used for display
	Body       io.Reader
	Alt        string
	Caption    string
	Transcript string
}

// Add checks an upload by its content, re-encodes images, stores the file
// under a name of the server's choosing and records it. Images need alt
// text. Resized copies are made by a durable job right after.
func (s *Service) Add(ctx context.Context, siteID int64, up Upload) (*Item, error) {
	if err := access.Check(ctx, access.DraftContent, siteID); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(up.Body, MaxFileBytes+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, fault.OnField("file", "media.too_large", MaxFileBytes>>20)
	}
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, fault.OnField("file", "media.empty")
	}
	if len(b) > MaxFileBytes {
		return nil, fault.OnField("file", "media.too_large", MaxFileBytes>>20)
	}
	k, err := sniff(b, up.Name)
	if err != nil {
		return nil, err
	}
	m := &Item{SiteID: siteID, Kind: k.kind, MIME: k.mime, Name: CleanName(up.Name, k.ext), CreatedBy: access.From(ctx).Name}
	if err := m.describe(up.Alt, up.Caption, up.Transcript); err != nil {
		return nil, err
	}
	if k.kind == Image {
		if len(b) > MaxImageBytes {
			return nil, fault.OnField("file", "media.too_large", MaxImageBytes>>20)
		}
		if b, m.Width, m.Height, err = reencode(b, k.ext); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256(b)
	m.SHA256 = hex.EncodeToString(sum[:])
	m.Size = int64(len(b))
	m.Path, err = s.write(b, m.Name, k.ext)
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateMedia(ctx, m); err != nil {
			return err
		}
		if m.Kind == Image && s.jobs != nil && m.Width > VariantWidths[0] {
			if err := s.jobs.Enqueue(ctx, &jobs.Job{Kind: JobVariants, Ref: m.ID, SiteID: siteID}); err != nil {
				return err
			}
		}
		if err := s.index(ctx, m); err != nil {
			return err
		}
		return s.log.Record(ctx, "media.add", siteID, "media:"+strconv.FormatInt(m.ID, 10), map[string]any{"name": m.Name, "kind": m.Kind, "size": m.Size})
	})
	if err != nil {
		os.Remove(filepath.Join(s.dir, filepath.FromSlash(m.Path)))
		return nil, err
	}
	return m, nil
}

func (m *Item) describe(alt, caption, transcript string) error {
	m.Alt, m.Caption = vietnamese.Clean(alt), vietnamese.Clean(caption)
	m.Transcript = strings.TrimSpace(vietnamese.NFC(strings.ToValidUTF8(transcript, "")))
	var errs fault.List
	if m.Kind == Image && m.Alt == "" {
		errs = append(errs, fault.OnField("alt", "media.alt_required"))
	}
	if utf8.RuneCountInString(m.Alt) > 300 {
		errs = append(errs, fault.OnField("alt", "media.alt_too_long", 300))
	}
	if utf8.RuneCountInString(m.Caption) > 1000 {
		errs = append(errs, fault.OnField("caption", "media.caption_too_long", 1000))
	}
	if len(m.Transcript) > 200_000 {
		errs = append(errs, fault.OnField("transcript", "media.transcript_too_long"))
	}
	return errs.Err()
}

// Describe changes a media item's alt text, caption and transcript, and for
// a video its captions track: trackID names a WebVTT file of the same
// site's library (0 leaves the track as it is, -1 removes it).
func (s *Service) Describe(ctx context.Context, id int64, alt, caption, transcript string, trackID int64) (*Item, error) {
	var out *Item
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		m, err := s.store.MediaItem(ctx, id)
		if err != nil {
			return err
		}
		if err := access.Check(ctx, access.EditContent, m.SiteID); err != nil {
			return err
		}
		if err := m.describe(alt, caption, transcript); err != nil {
			return err
		}
		switch {
		case trackID == -1:
			m.TrackPath = ""
		case trackID > 0:
			tr, err := s.store.MediaItem(ctx, trackID)
			if err != nil || tr.SiteID != m.SiteID || !strings.HasPrefix(tr.MIME, "text/vtt") || m.Kind != Video && m.Kind != Audio {
				return fault.OnField("track", "media.track_invalid")
			}
			m.TrackPath = tr.Path
		}
		if err := s.store.UpdateMedia(ctx, m); err != nil {
			return err
		}
		if err := s.index(ctx, m); err != nil {
			return err
		}
		out = m
		return s.log.Record(ctx, "media.describe", m.SiteID, "media:"+strconv.FormatInt(m.ID, 10), map[string]any{"alt": m.Alt})
	})
	return out, err
}

// Item returns a media item for the staff interface.
func (s *Service) Item(ctx context.Context, id int64) (*Item, error) {
	m, err := s.store.MediaItem(ctx, id)
	if err != nil {
		return nil, err
	}
	return m, access.Check(ctx, access.ViewSite, m.SiteID)
}

// List searches a site's media library.
func (s *Service) List(ctx context.Context, f Filter) ([]*Item, int, error) {
	if err := access.Check(ctx, access.ViewSite, f.SiteID); err != nil {
		return nil, 0, err
	}
	if f.PerPage <= 0 || f.PerPage > 100 {
		f.PerPage = 40
	}
	f.Page = max(f.Page, 1)
	f.Query = vietnamese.Clean(f.Query)
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	return s.store.MediaList(ctx, f)
}

// ByPath returns the item stored at a path (for serving downloads with
// their names).
func (s *Service) ByPath(ctx context.Context, p string) (*Item, error) {
	return s.store.MediaByPath(ctx, p)
}

func (s *Service) index(ctx context.Context, m *Item) error {
	if s.Index == nil || !Searchable(m) {
		return nil
	}
	return s.Index.Put(ctx, SearchDoc(m))
}

// Searchable reports whether an item goes into the search index: those with
// a caption or a transcript, which say what they show.
func Searchable(m *Item) bool { return m.Caption != "" || m.Transcript != "" }

// SearchDoc is how a media item is indexed.
func SearchDoc(m *Item) search.Doc {
	return search.Doc{SiteID: m.SiteID, Kind: search.KindMedia, Ref: strconv.FormatInt(m.ID, 10), Lang: "vi",
		Title: m.Name, Summary: m.Caption, Body: m.Alt + "\n" + m.Transcript, Path: m.URL(), Published: m.Created}
}

// write stores b under YYYY/MM/RANDOM-slug.ext and returns that path. The
// server picks every byte of the name, so no uploaded name reaches the file
// system.
func (s *Service) write(b []byte, name, ext string) (string, error) {
	now := s.now().UTC()
	var rnd [8]byte
	rand.Read(rnd[:])
	slug := vietnamese.Slug(strings.TrimSuffix(name, ext), 50)
	file := hex.EncodeToString(rnd[:])
	if slug != "" {
		file += "-" + slug
	}
	rel := fmt.Sprintf("%04d/%02d/%s%s", now.Year(), now.Month(), file, ext)
	full := filepath.Join(s.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o750); err != nil {
		return "", err
	}
	return rel, writeAtomic(full, b)
}

func writeAtomic(full string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(full), ".tai-len-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), full)
}

// reencode decodes an image (refusing decompression bombs) and encodes it
// again, which drops metadata and anything appended to or hidden in the
// file.
func reencode(b []byte, ext string) ([]byte, int, int, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, 0, 0, fault.OnField("file", "media.image_broken")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > MaxPixels {
		return nil, 0, 0, fault.OnField("file", "media.image_too_big", MaxPixels/1_000_000)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, 0, 0, fault.OnField("file", "media.image_broken")
	}
	out, err := encode(img, ext)
	return out, img.Bounds().Dx(), img.Bounds().Dy(), err
}

func encode(img image.Image, ext string) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if ext == ".png" {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, flatten(img), &jpeg.Options{Quality: 82})
	}
	return buf.Bytes(), err
}

// flatten puts an image with transparency on white, for JPEG.
func flatten(img image.Image) image.Image {
	if _, ok := img.(*image.YCbCr); ok {
		return img
	}
	b := img.Bounds()
	dst := image.NewRGBA(b)
	draw.Draw(dst, b, image.White, image.Point{}, draw.Src)
	draw.Draw(dst, b, img, b.Min, draw.Over)
	return dst
}

// runVariants makes the resized copies of an image.
func (s *Service) runVariants(ctx context.Context, j *jobs.Job) error {
	m, err := s.store.MediaItem(ctx, j.Ref)
	if err != nil {
		return err
	}
	made, err := s.MakeVariants(m)
	if err != nil {
		return err
	}
	m.Variants = made
	return s.store.UpdateMedia(ctx, m)
}

// MakeVariants writes the resized copies of an image and returns their
// widths.
func (s *Service) MakeVariants(m *Item) ([]int, error) {
	f, err := os.Open(filepath.Join(s.dir, filepath.FromSlash(m.Path)))
	if err != nil {
		return nil, err
	}
	img, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	ext := filepath.Ext(m.Path)
	var made []int
	for _, w := range VariantWidths {
		if w >= m.Width {
			break
		}
		h := max(1, m.Height*w/m.Width)
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, img.Bounds(), xdraw.Src, nil)
		b, err := encode(dst, ext)
		if err != nil {
			return nil, err
		}
		if err := writeAtomic(filepath.Join(s.dir, filepath.FromSlash(VariantPath(m.Path, w))), b); err != nil {
			return nil, err
		}
		made = append(made, w)
	}
	slices.Sort(made)
	return made, nil
}

// Store puts a file made by the server itself (the demo's generated
// images) into the library without the upload checks.
func (s *Service) Store(ctx context.Context, m *Item, b []byte, ext string) error {
	sum := sha256.Sum256(b)
	m.SHA256, m.Size = hex.EncodeToString(sum[:]), int64(len(b))
	p, err := s.write(b, m.Name, ext)
	if err != nil {
		return err
	}
	m.Path = p
	return s.store.CreateMedia(ctx, m)
}

// ByID returns a media item for public pages (no permission needed: only
// items shown on published pages are looked up this way).
func (s *Service) ByID(ctx context.Context, id int64) (*Item, error) {
	return s.store.MediaItem(ctx, id)
}

// SetDir moves where files are kept (the --media flag), before serving.
func (s *Service) SetDir(dir string) { s.dir = dir }

// WriteGenerated stores a file the server made itself (the demo's
// pictures) and returns its path; the caller records the item.
func (s *Service) WriteGenerated(name, ext string, b []byte) (string, error) {
	return s.write(b, name, ext)
}

// WriteVariant stores the copy of the image at path resized to width w.
func (s *Service) WriteVariant(path string, w int, b []byte) error {
	return writeAtomic(filepath.Join(s.dir, filepath.FromSlash(VariantPath(path, w))), b)
}

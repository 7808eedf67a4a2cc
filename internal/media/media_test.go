package media_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/fault"
	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/site"
	"github.com/congvn/cong/internal/store"
	"github.com/congvn/cong/internal/store/storetest"
)

func setup(t *testing.T, db *store.DB) (*server.Services, context.Context, int64) {
	t.Helper()
	svc := server.NewServices(db)
	svc.Media.SetDir(t.TempDir())
	ctx := access.With(context.Background(), access.System("test", "cli"))
	u := &site.Unit{Code: "01", Name: "Thành phố Hà Nội", Kind: site.City}
	if err := svc.Sites.CreateUnit(ctx, u); err != nil {
		t.Fatal(err)
	}
	st := &site.Site{Code: "hanoi", UnitID: u.ID, Kind: site.Portal, Name: "Hà Nội", Langs: []string{"vi"}, Hosts: []string{"hanoi.test"}}
	if err := svc.Sites.CreateSite(ctx, st); err != nil {
		t.Fatal(err)
	}
	return svc, ctx, st.ID
}

func jpegOf(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, nil)
	return b.Bytes()
}

func pngOf(w, h int) []byte {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)))
	return b.Bytes()
}

// bombPNG is a valid PNG header claiming a huge image.
func bombPNG() []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 0
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestUploadsAreCheckedByContent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc, ctx, siteID := setup(t, db)
		m := svc.Media
		add := func(name string, b []byte, alt string) (*media.Item, error) {
			return m.Add(ctx, siteID, media.Upload{Name: name, Body: bytes.NewReader(b), Alt: alt})
		}
		// A JPEG with something appended: re-encoded, the payload is gone.
		payload := append(jpegOf(1200, 800), []byte("<script>alert(1)</script>")...)
		it, err := add("Ảnh hội nghị.JPEG", payload, "Toàn cảnh hội nghị")
		if err != nil {
			t.Fatal(err)
		}
		stored, err := os.ReadFile(filepath.Join(m.Dir(), filepath.FromSlash(it.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(stored, []byte("<script>")) || it.Width != 1200 || it.Height != 800 || it.MIME != "image/jpeg" || it.Name != "Ảnh hội nghị.jpg" {
			t.Errorf("stored image: %+v (payload kept: %v)", it, bytes.Contains(stored, []byte("<script>")))
		}
		// The variants job makes the srcset copies.
		if n, err := svc.Jobs.RunDue(context.Background()); err != nil || n != 1 {
			t.Fatalf("variants job: %d %v", n, err)
		}
		it, _ = m.Item(ctx, it.ID)
		if len(it.Variants) != 3 || !strings.Contains(it.SrcSet(), "-640.jpg 640w") {
			t.Errorf("variants %v srcset %q", it.Variants, it.SrcSet())
		}
		for _, w := range it.Variants {
			if _, err := os.Stat(filepath.Join(m.Dir(), filepath.FromSlash(media.VariantPath(it.Path, w)))); err != nil {
				t.Errorf("variant %d: %v", w, err)
			}
		}
		// A GIF becomes a PNG.
		var g bytes.Buffer
		gif.Encode(&g, image.NewPaletted(image.Rect(0, 0, 10, 10), []color.Color{color.White, color.Black}), nil)
		if it, err := add("a.gif", g.Bytes(), "Biểu đồ"); err != nil || it.MIME != "image/png" || !strings.HasSuffix(it.Path, ".png") {
			t.Errorf("gif: %+v %v", it, err)
		}

		refused := []struct {
			name, file string
			body       []byte
			alt, key   string
		}{
			{"html posing as a photo", "anh.jpg", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "x", "media.type_refused"},
			{"svg with script", "logo.png", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>`), "x", "media.svg_refused"},
			{"svg by name", "logo.svg", []byte(`<svg/>`), "x", "media.svg_refused"},
			{"pdf with javascript", "to-trinh.pdf", []byte("%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj\n2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n%%EOF"), "", "media.pdf_active"},
			{"executable", "setup.pdf", append([]byte("MZ\x90\x00"), make([]byte, 600)...), "", "media.type_refused"},
			{"image without alt", "anh.png", pngOf(50, 50), "  ", "media.alt_required"},
			{"decompression bomb", "bom.png", bombPNG(), "x", "media.image_too_big"},
			{"broken image", "hong.jpg", []byte("\xff\xd8\xff\xe0 not really a jpeg"), "x", "media.image_broken"},
			{"empty", "trong.txt", nil, "", "media.empty"},
		}
		for _, c := range refused {
			_, err := add(c.file, c.body, c.alt)
			f := fault.As(err)
			if l, ok := err.(fault.List); ok && len(l) > 0 {
				f = l[0]
			}
			if f == nil || f.Key != c.key {
				t.Errorf("%s: %v, want %s", c.name, err, c.key)
			}
		}

		// Hostile names: only the last element, no control characters, not too long.
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF")
		for _, name := range []string{"../../etc/passwd.pdf", `C:\Windows\system32\văn bản.pdf`, "a\x00b\u202egpj.exe.pdf", strings.Repeat("Quyết định số 42/2022 về việc ", 20) + ".pdf", "....pdf"} {
			it, err := add(name, pdf, "")
			if err != nil {
				t.Errorf("%q: %v", name, err)
				continue
			}
			if strings.ContainsAny(it.Name, "/\\\x00\u202e") || strings.Contains(it.Path, "..") || utf8.RuneCountInString(it.Name) > media.MaxName+4 || !strings.HasSuffix(it.Name, ".pdf") {
				t.Errorf("%q stored as name %q path %q", name, it.Name, it.Path)
			}
			full, _ := filepath.Abs(filepath.Join(m.Dir(), filepath.FromSlash(it.Path)))
			dir, _ := filepath.Abs(m.Dir())
			if !strings.HasPrefix(full, dir+string(filepath.Separator)) {
				t.Errorf("%q written outside the media directory: %s", name, full)
			}
			if d := media.Disposition(it.Name); strings.ContainsAny(d, "\r\n") || !strings.HasPrefix(d, `attachment; filename="`) {
				t.Errorf("disposition %q", d)
			}
		}
		// A video with a WebVTT captions track from the library.
		mp4 := append([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), make([]byte, 200)...)
		video, err := add("phong-su.mp4", mp4, "")
		if err != nil || video.Kind != media.Video || video.MIME != "video/mp4" {
			t.Fatalf("video: %+v %v", video, err)
		}
		vtt, err := add("phu-de.vtt", []byte("WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào\n"), "")
		if err != nil || vtt.MIME != "text/vtt; charset=utf-8" {
			t.Fatalf("vtt: %+v %v", vtt, err)
		}
		if video, err = m.Describe(ctx, video.ID, "", "Phóng sự", "Lời thoại đầy đủ", vtt.ID); err != nil || video.TrackPath != vtt.Path {
			t.Errorf("track: %+v %v", video, err)
		}
		if _, err := m.Describe(ctx, video.ID, "", "", "", it.ID); err == nil {
			t.Errorf("an image accepted as a captions track")
		}
		// Searching the library, with or without diacritics.
		list, total, err := m.List(ctx, media.Filter{SiteID: siteID, Query: "hoi nghi"})
		if err != nil || total != 1 || list[0].Alt != "Toàn cảnh hội nghị" {
			t.Errorf("search: %d %v", total, err)
		}
	})
}

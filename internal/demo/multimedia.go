package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"math"
	"path/filepath"
	"time"

	"github.com/congvn/cong/internal/media"
	"github.com/congvn/cong/internal/search"
	"github.com/congvn/cong/internal/store"
)

// demoVideo is a six-second clip made for the demo with ffmpeg's colour
// gradient source and a quiet tone (no third-party material):
//
//	ffmpeg -f lavfi -i "gradients=s=320x180:d=6:speed=0.02:c0=0x1a4d8f:c1=0xf2c14e:c2=0xc8102e:nb_colors=3,format=yuv420p" \
//	  -f lavfi -i "sine=frequency=220:duration=6:sample_rate=24000,volume=0.2" \
//	  -c:v libvpx -b:v 50k -c:a libopus -b:a 16k -shortest pho-phuong-ha-noi.webm
//
//go:embed assets/pho-phuong-ha-noi.webm
var demoVideo []byte

// The captions of the video and the transcripts of both clips: a reader
// who cannot hear them reads the same.
const (
	demoCaptions = "WEBVTT\n\n00:00.000 --> 00:03.000\n[Nhạc nền] Hà Nội, một sáng đầu đông.\n\n" +
		"00:03.000 --> 00:06.000\nCác tuyến phố được chỉnh trang, rợp bóng cây xanh.\n"
	demoVideoTranscript = "[Nhạc nền] Hà Nội, một sáng đầu đông. Các tuyến phố được chỉnh trang, rợp bóng cây xanh."
	demoAudioTranscript = "Bản tin phát thanh: Ủy ban nhân dân Thành phố đề nghị người dân, doanh nghiệp tra cứu và nộp hồ sơ thủ tục hành chính trực tuyến trên Cổng Dịch vụ công."
)

// demoAV are the city portal's video, its captions and a radio bulletin.
type demoAV struct{ video, captions, audio int64 }

// multimedia writes the video, its captions and a generated audio clip as
// media items of site siteID.
func multimedia(ctx context.Context, db *store.DB, m *media.Service, ix search.Indexer, siteID int64, now time.Time) (demoAV, error) {
	ids, err := db.NextIDs(ctx, "media", 3)
	if err != nil {
		return demoAV{}, err
	}
	av := demoAV{video: ids[0], captions: ids[1], audio: ids[2]}
	files := []struct {
		m *media.Item
		b []byte
	}{
		{&media.Item{ID: av.captions, Kind: media.File, Name: "pho-phuong-ha-noi-phu-de.vtt", MIME: "text/vtt; charset=utf-8",
			Caption: "Phụ đề tiếng Việt"}, []byte(demoCaptions)},
		{&media.Item{ID: av.video, Kind: media.Video, Name: "pho-phuong-ha-noi.webm", MIME: "video/webm",
			Caption: "Phố phường Hà Nội đầu đông (video 6 giây).", Transcript: demoVideoTranscript}, demoVideo},
		{&media.Item{ID: av.audio, Kind: media.Audio, Name: "ban-tin-phat-thanh.wav", MIME: "audio/wav",
			Caption: "Bản tin phát thanh của Thành phố.", Transcript: demoAudioTranscript}, chime()},
	}
	var items []*media.Item
	for _, f := range files {
		path, err := m.WriteGenerated(f.m.Name, filepath.Ext(f.m.Name), f.b)
		if err != nil {
			return demoAV{}, err
		}
		sum := sha256.Sum256(f.b)
		f.m.SiteID, f.m.Path, f.m.Size, f.m.SHA256, f.m.Created, f.m.CreatedBy = siteID, path, int64(len(f.b)), hex.EncodeToString(sum[:]), now, "demo"
		items = append(items, f.m)
	}
	items[1].TrackPath = items[0].Path // the video's captions
	return av, demoMedia(ctx, db, ix, items)
}

// demoMedia stores the demo's media items and puts those that say what
// they show into the search index (collected by the build's batch).
func demoMedia(ctx context.Context, db *store.DB, ix search.Indexer, items []*media.Item) error {
	if err := db.InsertMedia(ctx, items); err != nil {
		return err
	}
	for _, it := range items {
		if media.Searchable(it) {
			if err := ix.Put(ctx, media.SearchDoc(it)); err != nil {
				return err
			}
		}
	}
	return nil
}

// chime returns a two-second WAV of three soft notes (8 kHz, 8-bit mono),
// the signature tune of the radio bulletin.
func chime() []byte {
	const rate, secs = 8000, 2
	n := rate * secs
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+n))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate), uint16(1), uint16(8)} {
		binary.Write(&b, binary.LittleEndian, v) // format: PCM, mono, rate, bytes/s, block, bits
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(n))
	notes := []float64{523.25, 659.25, 783.99}
	for i := range n {
		f := notes[min(i*len(notes)/n, len(notes)-1)]
		t := float64(i) / rate
		env := math.Exp(-3 * math.Mod(t, float64(secs)/float64(len(notes))))
		b.WriteByte(byte(128 + 60*env*math.Sin(2*math.Pi*f*t)))
	}
	return b.Bytes()
}

package feedback

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/fnv"
	"math/bits"
	"strings"

	"github.com/congvn/cong/internal/vietnamese"
)

// words returns the folded words of s (no tones, lower case, letters and
// digits only), for comparing texts however they were typed.
func words(s string) []string {
	return strings.FieldsFunc(vietnamese.Slug(s, 0), func(r rune) bool { return r == '-' })
}

// Fingerprint is the key of exact duplicates: the same kind, category and
// words, whatever the spacing, case, tones or punctuation.
func Fingerprint(k Kind, category, title, body string) string {
	h := sha256.New()
	h.Write([]byte(string(k) + "\n" + category + "\n"))
	h.Write([]byte(strings.Join(words(title+" "+body), " ")))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// MinSketchWords is the shortest text, in words, whose SimHash is compared:
// shorter texts are too alike by chance.
const MinSketchWords = 8

// Sketch returns the 64-bit SimHash of a text's word trigrams (Charikar
// 2002): texts that differ in a few words have sketches a few bits apart.
// It returns 0 for texts shorter than MinSketchWords.
func Sketch(title, body string) uint64 {
	ws := words(title + " " + body)
	if len(ws) < MinSketchWords {
		return 0
	}
	var v [64]int
	for i := 0; i+2 < len(ws); i++ {
		h := fnv.New64a()
		h.Write([]byte(ws[i] + " " + ws[i+1] + " " + ws[i+2]))
		x := h.Sum64()
		for b := 0; b < 64; b++ {
			if x&(1<<b) != 0 {
				v[b]++
			} else {
				v[b]--
			}
		}
	}
	var out uint64
	for b := 0; b < 64; b++ {
		if v[b] > 0 {
			out |= 1 << b
		}
	}
	if out == 0 {
		out = 1 // 0 means "no sketch"
	}
	return out
}

// NearDistance is the largest number of differing sketch bits at which two
// texts are reported as near duplicates.
const NearDistance = 5

// Distance is the number of bits in which two sketches differ.
func Distance(a, b uint64) int { return bits.OnesCount64(a ^ b) }

// bandWidths split the 64 bits into NearDistance+1 bands: by the pigeonhole
// principle two sketches at most NearDistance bits apart agree on at least
// one whole band, so candidates are found by equality on indexed columns.
var bandWidths = [NearDistance + 1]uint{11, 11, 11, 11, 10, 10}

// Bands splits a sketch into its bands.
func Bands(s uint64) [NearDistance + 1]int64 {
	var out [NearDistance + 1]int64
	shift := uint(0)
	for i, w := range bandWidths {
		out[i] = int64((s >> shift) & (1<<w - 1))
		shift += w
	}
	return out
}

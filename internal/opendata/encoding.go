package opendata

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// The text encodings a CSV file is recognised in. Vietnamese offices send
// UTF-8 (Excel's "CSV UTF-8" adds a byte order mark), Windows-1258 (older
// Excel "CSV" on Vietnamese Windows, with tones as combining marks) and
// UTF-16 (Excel's "Unicode text").
const (
	EncUTF8    = "UTF-8"
	EncUTF8BOM = "UTF-8 BOM"
	EncUTF16LE = "UTF-16LE"
	EncUTF16BE = "UTF-16BE"
	EncCP1258  = "Windows-1258"
)

// cp1258Undefined are the bytes Windows-1258 gives no character: a file
// that is not UTF-8 and holds one of them is in some other encoding
// (TCVN3, VNI…), which we do not guess.
var cp1258Undefined = [256]bool{0x81: true, 0x8A: true, 0x8D: true, 0x8E: true, 0x8F: true, 0x90: true, 0x9A: true, 0x9D: true, 0x9E: true}

// DetectEncoding reads r to the end and names its encoding, or returns ""
// when it is none of those recognised.
func DetectEncoding(r io.Reader) (string, error) {
	enc, _, err := detect(r)
	return enc, err
}

// detect also reports whether a UTF-8 text is already in NFC, so that it
// need not be rewritten.
func detect(r io.Reader) (enc string, nfc bool, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return EncUTF8BOM, false, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return EncUTF16LE, false, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return EncUTF16BE, false, nil
	}
	valid, legacy := true, true
	nfc = true
	buf := make([]byte, 64<<10)
	var carry []byte
	for {
		n, err := br.Read(buf)
		chunk := append(carry, buf[:n]...)
		carry = nil
		if valid {
			// A rune cut at the chunk's end is checked with the next chunk.
			end := len(chunk)
			for i := 0; i < 3 && end-i > 0; i++ {
				if utf8.RuneStart(chunk[end-i-1]) {
					if !utf8.FullRune(chunk[end-i-1:]) {
						carry = append([]byte(nil), chunk[end-i-1:]...)
						chunk = chunk[:end-i-1]
					}
					break
				}
			}
			valid = utf8.Valid(chunk)
			if valid && nfc {
				// Cut where normalisation may restart, so a mark that
				// follows its letter across chunks is seen with it.
				cut := norm.NFC.LastBoundary(chunk)
				if cut > 0 && err == nil {
					carry = append(append([]byte(nil), chunk[cut:]...), carry...)
					chunk = chunk[:cut]
				}
				nfc = norm.NFC.IsNormal(chunk)
			}
		}
		for _, b := range chunk {
			if cp1258Undefined[b] {
				legacy = false
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", false, err
		}
	}
	if len(carry) > 0 && (!utf8.Valid(carry) || !norm.NFC.IsNormal(carry)) {
		valid = valid && utf8.Valid(carry)
		nfc = false
	}
	switch {
	case valid:
		return EncUTF8, nfc, nil
	case legacy:
		return EncCP1258, false, nil
	}
	return "", false, nil
}

// DecodeText returns a reader of r converted from enc to UTF-8 in Unicode
// normalisation form C, without a byte order mark: Windows-1258 writes tones
// as combining marks, which would not match the same words typed elsewhere.
func DecodeText(r io.Reader, enc string) io.Reader {
	switch enc {
	case EncUTF8BOM:
		r = transform.NewReader(r, unicode.UTF8BOM.NewDecoder())
	case EncUTF16LE:
		r = transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder())
	case EncUTF16BE:
		r = transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder())
	case EncCP1258:
		r = transform.NewReader(r, charmap.Windows1258.NewDecoder())
	}
	return transform.NewReader(r, norm.NFC)
}

// convertFile rewrites the text file at path in UTF-8, NFC, when it is in
// another encoding (or not normalised), and returns the encoding it came in.
func convertFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	enc, nfc, err := detect(f)
	f.Close()
	if err != nil || enc == "" || enc == EncUTF8 && nfc {
		return enc, err
	}
	in, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	tmp := path + ".utf8"
	out, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(out, 64<<10)
	if _, err := io.Copy(w, DecodeText(in, enc)); err != nil {
		out.Close()
		os.Remove(tmp)
		return "", err
	}
	if err := w.Flush(); err != nil {
		out.Close()
		os.Remove(tmp)
		return "", err
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return "", err
	}
	return enc, os.Rename(tmp, path)
}

package vietnamese

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hà Nội", "ha noi"},
		{"Đà Nẵng", "da nang"},
		{"ĐƯỜNG Trường Sơn", "duong truong son"},
		{"Phường Văn Miếu - Quốc Tử Giám", "phuong van mieu - quoc tu giam"},
		{"Ha\u0300 Nô\u0323i", "ha noi"}, // decomposed input
		{"Ủy ban nhân dân", "uy ban nhan dan"},
		{"42/2022/NĐ-CP", "42/2022/nd-cp"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNFC(t *testing.T) {
	decomposed := "Ha\u0300 No\u0302\u0323i"
	if got := NFC(decomposed); got != "Hà Nội" {
		t.Errorf("NFC(%q) = %q", decomposed, got)
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Sở\tTư   pháp \n", "Sở Tư pháp"},
		{"\uFEFFHà\x00 Nội", "Hà Nội"},
		{"bad \xff utf8", "bad utf8"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Phường Ba Đình", 0, "phuong-ba-dinh"},
		{"Xã Ứng Hòa", 0, "xa-ung-hoa"},
		{"Phường Văn Miếu - Quốc Tử Giám", 0, "phuong-van-mieu-quoc-tu-giam"},
		{"  --Đề án 06!! ", 0, "de-an-06"},
		{"Sở Nông nghiệp và Môi trường", 20, "so-nong-nghiep-va"},
		{"!!!", 0, ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.in, tt.max); got != tt.want {
			t.Errorf("Slug(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestSortVietnamese(t *testing.T) {
	// The Vietnamese alphabet puts Đ after D and Ư after U; a byte sort puts
	// them after Z.
	names := []string{"Xã Đông Anh", "Xã Dân Hòa", "Xã Ứng Hòa", "Xã Yên Xuân", "Xã Ba Vì", "Xã Bát Tràng", "Xã Uy Nỗ"}
	want := []string{"Xã Ba Vì", "Xã Bát Tràng", "Xã Dân Hòa", "Xã Đông Anh", "Xã Uy Nỗ", "Xã Ứng Hòa", "Xã Yên Xuân"}
	got := slices.Clone(names)
	slices.SortFunc(got, Compare)
	if !slices.Equal(got, want) {
		t.Errorf("Compare order = %q, want %q", got, want)
	}
	byKey := slices.Clone(names)
	slices.SortFunc(byKey, func(a, b string) int { return slices.Compare(SortKey(a), SortKey(b)) })
	if !slices.Equal(byKey, want) {
		t.Errorf("SortKey order = %q, want %q", byKey, want)
	}
}

// foldReference is the definition Fold implements quickly: decompose the
// whole string, drop the marks, lower-case, "đ" as "d".
func foldReference(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func TestFoldMatchesReference(t *testing.T) {
	pool := []rune("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁẢÃẠỲÝỸ" +
		"ÇçØøßÆæŁłĳ ΑαΩωΣσςЖжЙйЁё中文한국어ﬁ① 0-9/.,\"*" + "\u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b🙂👍🏽")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		n := rng.IntN(12)
		rs := make([]rune, n)
		for j := range rs {
			rs[j] = pool[rng.IntN(len(pool))]
		}
		s := string(rs)
		if got, want := Fold(s), foldReference(s); got != want {
			t.Fatalf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	s := "Ủy ban nhân dân thành phố Hà Nội ban hành Quyết định số 42/2022/NĐ-CP về việc cung cấp thông tin"
	for b.Loop() {
		Fold(s)
	}
}

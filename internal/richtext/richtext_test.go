package richtext

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// hostile are inputs that try to run script or load something from
// elsewhere; none may survive.
var hostile = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=//evil.example/x.js></SCRIPT>`,
	`<img src=x onerror=alert(1)>`,
	`<img src="javascript:alert(1)">`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="JaVaScRiPt:alert(1)">x</a>`,
	`<a href="java&#x09;script:alert(1)">x</a>`,
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`,
	"<a href=\"\x01javascript:alert(1)\">x</a>",
	`<a href=" javascript:alert(1)">x</a>`,
	`<a href="vbscript:msgbox(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`,
	`<a href="//evil.example/">x</a>`,
	`<a href="/\evil.example/">x</a>`,
	`<p style="background:url(javascript:alert(1))">x</p>`,
	`<div style="behavior:url(x.htc)">x</div>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<object data="x.swf"></object><embed src="x.swf">`,
	`<svg><script>alert(1)</script></svg>`,
	`<svg onload=alert(1)><circle r=10 /></svg>`,
	`<svg><foreignObject><body onload=alert(1)><p>x</p></body></foreignObject></svg>`,
	`<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
	`<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>`,
	`<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">`,
	`<style><img src=x onerror=alert(1)></style>`,
	`<textarea><img src=x onerror=alert(1)></textarea>`,
	`<xmp><img src=x onerror=alert(1)></xmp>`,
	`<template><img src=x onerror=alert(1)></template>`,
	`<!--><img src=x onerror=alert(1)>-->`,
	`<![CDATA[<img src=x onerror=alert(1)>]]>`,
	`<base href="https://evil.example/"><a href="/x">x</a>`,
	`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
	`<link rel=stylesheet href=https://evil.example/x.css>`,
	`<a href="https://ok.example" onclick="alert(1)" target="_blank" style="color:red">ok</a>`,
	`<p onmouseover="alert(1)" class="x" id="y">hi</p>`,
	`<details open ontoggle=alert(1)>x</details>`,
	`<video><source onerror=alert(1)></video><audio src=x onerror=alert(1)>`,
	`<input autofocus onfocus=alert(1)>`,
	`<isindex action=javascript:alert(1) type=image>`,
	`<table background="javascript:alert(1)"><tr><td>x</td></tr></table>`,
	`<img src="https://ok.example/a.png" srcset="javascript:alert(1) 1x">`,
	`<a href="https://ok.example/&quot;onclick=&quot;alert(1)">x</a>`,
	`<p>` + strings.Repeat("<span>", 5000) + "deep" + strings.Repeat("</span>", 5000) + `</p>`,
	strings.Repeat("<div>", 3000) + "deep" + strings.Repeat("</div>", 3000),
}

func TestSanitizeHostile(t *testing.T) {
	for _, in := range hostile {
		out := Sanitize(in)
		checkSafe(t, in, out)
		if again := Sanitize(out); again != out {
			t.Errorf("not stable:\n in   %.200q\n out  %.200q\n again %.200q", in, out, again)
		}
	}
}

// checkSafe parses out as a browser would and fails on anything outside the
// allowlist, any event handler, style, or unsafe URL.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div"})
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			allowed, ok := kept[n.DataAtom]
			if !ok || n.Namespace != "" {
				t.Errorf("element <%s> survived\n in  %.200q\n out %.200q", n.Data, in, out)
			}
			for _, a := range n.Attr {
				if a.Key == "rel" && n.DataAtom == atom.A {
					continue
				}
				if !contains(allowed, a.Key) {
					t.Errorf("attribute %s on <%s> survived: %.200q", a.Key, n.Data, out)
				}
				if a.Key == "href" || a.Key == "src" {
					v := strings.ToLower(a.Val)
					if !(strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "mailto:") || strings.HasPrefix(v, "tel:") || strings.HasPrefix(v, "#") || strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") && !strings.HasPrefix(v, "/\\")) {
						t.Errorf("unsafe URL %q survived: %.200q", a.Val, out)
					}
				}
			}
		}
		if n.Type == html.CommentNode {
			t.Errorf("comment survived: %.200q", out)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	low := strings.ToLower(out)
	for _, bad := range []string{"<script", "onerror", "onload", "javascript:", "<style", "<iframe", "<svg"} {
		// Escaped text (&lt;script&gt;) is harmless; a live tag is not.
		if strings.Contains(low, bad) && !strings.Contains(low, "&lt;"+strings.TrimPrefix(bad, "<")) && bad[0] == '<' {
			t.Errorf("%s in output: %.200q", bad, out)
		}
	}
}

func TestSanitizeKeepsStructure(t *testing.T) {
	cases := []struct{ in, want string }{
		{`<h1>Tiêu đề</h1><p>Đoạn <b>đậm</b> và <i>nghiêng</i></p>`, `<h2>Tiêu đề</h2><p>Đoạn <strong>đậm</strong> và <em>nghiêng</em></p>`},
		{`<p><a href="https://hanoi.gov.vn/">Hà Nội</a></p>`, `<p><a href="https://hanoi.gov.vn/" rel="noopener noreferrer">Hà Nội</a></p>`},
		{`<p><a href="/tin-tuc/bai-1">bài</a> <a href="mailto:a@b.vn">thư</a></p>`, `<p><a href="/tin-tuc/bai-1">bài</a> <a href="mailto:a@b.vn">thư</a></p>`},
		{`<table><tr><th scope="col" style="x">A</th></tr><tr><td colspan="2">B</td></tr></table>`, `<table><tbody><tr><th scope="col">A</th></tr><tr><td colspan="2">B</td></tr></tbody></table>`},
		{`<p><img src="/media/1/a.jpg" alt="Ảnh" width="640" onclick="x"></p>`, `<p><img src="/media/1/a.jpg" alt="Ảnh" width="640"/></p>`},
		{`<p>&nbsp;</p><p>x</p><p> </p>`, `<p>x</p>`},
		{`<div><p>a</p><p>b</p></div><div>c</div>`, `<p>a</p><p>b</p><p>c</p>`},
		{`<ul><li>một</li><li>hai<ol><li>ba</li></ol></li></ul>`, `<ul><li>một</li><li>hai<ol><li>ba</li></ol></li></ul>`},
		{`<p>a < b & c > d</p>`, `<p>a &lt; b &amp; c &gt; d</p>`},
		{"Hoa\u0300 Kie\u0302\u0301m", "Hoa\u0300 Kie\u0302\u0301m"},
	}
	for _, c := range cases {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q)\n got  %q\n want %q", c.in, got, c.want)
		}
	}
}

func TestPasteFromWord(t *testing.T) {
	b, err := os.ReadFile("testdata/word.html")
	if err != nil {
		t.Fatal(err)
	}
	out := Sanitize(string(b))
	checkSafe(t, "word.html", out)
	for _, want := range []string{
		`<h2>Kế hoạch chuyển đổi số năm 2026</h2>`,
		`<p>Ủy ban nhân dân phường ban hành <strong>kế hoạch</strong> với các nội dung <em>chủ yếu</em> sau:</p>`,
		`<ul><li>Hoàn thiện hạ tầng số<ul><li>Mạng cáp quang đến tổ dân phố</li></ul></li><li>Phát triển dữ liệu số</li></ul>`,
		`<ol><li>Bước một</li><li>Bước hai</li></ol>`,
		`<td><p><strong>Chỉ tiêu</strong></p></td>`,
		`<td><p>Dịch vụ công trực tuyến</p></td>`,
		`<a href="https://hanoi.gov.vn/chuyen-doi-so" rel="noopener noreferrer">Cổng thông tin Thành phố</a> và mục lục.`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Word paste lost %q\nout: %s", want, out)
		}
	}
	for _, junk := range []string{"mso", "Mso", "style", "class", "o:p", "·", "font", "file:", "xml", "&nbsp;"} {
		if strings.Contains(out, junk) {
			t.Errorf("Word junk %q kept:\n%s", junk, out)
		}
	}
}

func TestPasteFromGoogleDocs(t *testing.T) {
	b, err := os.ReadFile("testdata/gdocs.html")
	if err != nil {
		t.Fatal(err)
	}
	out := Sanitize(string(b))
	checkSafe(t, "gdocs.html", out)
	for _, want := range []string{
		`<h2>Thông báo tiếp công dân</h2>`,
		`<p>Lịch tiếp công dân <strong>tháng 12</strong><em> như sau</em></p>`,
		`<ul><li><p>Thứ Hai: Chủ tịch UBND</p></li><li><p>Thứ Năm: Phó Chủ tịch</p></li></ul>`,
		`<table><tbody><tr><td><p>Ngày</p></td><td><p>Địa điểm</p></td></tr></tbody></table>`,
		`<a href="https://dichvucong.gov.vn/" rel="noopener noreferrer">Cổng Dịch vụ công quốc gia</a>`,
		`<img src="https://lh7-rt.googleusercontent.com/docsz/AD_4nXabc" width="300" height="200" alt=""/>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Google Docs paste lost %q\nout: %s", want, out)
		}
	}
	if strings.Contains(out, "<strong><h2>") || strings.Contains(out, "docs-internal") || strings.Contains(out, "style") || strings.Contains(out, "dir=") {
		t.Errorf("Google Docs wrapper or styles kept:\n%s", out)
	}
}

func TestDataImagesGoThroughTheCallback(t *testing.T) {
	var got []string
	out := SanitizeWith(`<p><img src="data:image/png;base64,iVBORw0KGgo=" alt="a"><img src="data:text/html,x"></p>`, Options{
		Image: func(uri string) (string, bool) {
			got = append(got, uri)
			return "/media/1/x.png", true
		},
	})
	if len(got) != 1 || out != `<p><img src="/media/1/x.png" alt="a"/></p>` {
		t.Errorf("got %v, %q", got, out)
	}
}

func TestText(t *testing.T) {
	got := Text(`<h2>Tiêu đề</h2><p>Một&nbsp;đoạn <strong>đậm</strong></p><ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr></table>`)
	want := "Tiêu đề\nMột đoạn đậm\na\nb\nx y"
	if got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if got := FromText("Dòng một\nDòng hai\n\n<b>Đoạn</b> hai"); got != "<p>Dòng một<br>Dòng hai</p><p>&lt;b&gt;Đoạn&lt;/b&gt; hai</p>" {
		t.Errorf("FromText = %q", got)
	}
}

func FuzzSanitize(f *testing.F) {
	for _, h := range hostile[:20] {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Sanitize(in)
		checkSafe(t, in, out)
		if again := Sanitize(out); again != out {
			t.Errorf("not stable: %q -> %q -> %q", in, out, again)
		}
	})
}

package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/content"
)

// pasteJS pastes HTML into the editor as a browser does when the user
// presses Ctrl+V after copying from a word processor, and returns the
// HTML the form will post.
const pasteJS = `(function (html) {
	const pm = document.querySelector('.trinh-soan .ProseMirror');
	pm.focus();
	const dt = new DataTransfer();
	dt.setData('text/html', html);
	dt.setData('text/plain', 'x');
	pm.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
	return document.getElementById('body').value;
})`

// TestEditorPastesFromWordAndGoogleDocs pastes the clipboard HTML of
// Microsoft Word and of Google Docs into the editor in Chromium: headings,
// nested lists, tables and links are kept, styles and Word's markup are
// not; the saved article keeps the structure.
func TestEditorPastesFromWordAndGoogleDocs(t *testing.T) {
	tl := need(t, toolChromium)
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	env := startEnv(t)
	b := newBrowser(t, tl.chromium)
	b.signIn(env, adminEmail, nil)
	for _, c := range []struct {
		file string
		want []string
	}{
		{"word.html", []string{"<h2>Kế hoạch chuyển đổi số năm 2026</h2>", "<strong>kế hoạch</strong>", "<em>chủ yếu</em>",
			"<ul><li><p>Hoàn thiện hạ tầng số</p><ul><li><p>Mạng cáp quang đến tổ dân phố</p></li></ul></li><li><p>Phát triển dữ liệu số</p></li></ul>",
			"<ol><li><p>Bước một</p></li><li><p>Bước hai</p></li></ol>", "<table", "Dịch vụ công trực tuyến", `href="https://hanoi.gov.vn/chuyen-doi-so"`}},
		{"gdocs.html", []string{"<h2>Thông báo tiếp công dân</h2>", "<strong>tháng 12</strong>", "<em> như sau</em>",
			"<ul><li><p>Thứ Hai: Chủ tịch UBND</p></li>", "<table", "Địa điểm", `href="https://dichvucong.gov.vn/"`}},
	} {
		t.Run(c.file, func(t *testing.T) {
			b := b.with(t)
			src, err := os.ReadFile(filepath.Join(root, "internal", "richtext", "testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			b.open(env.URL("", "/quan-tri/trang/hanoi/noi-dung/moi"), http.StatusOK)
			b.do("wait for the editor", chromedp.WaitVisible(".trinh-soan .ProseMirror"))
			arg, _ := json.Marshal(string(src))
			got := run(b, "paste", chromedp.Evaluate[string](pasteJS+"("+string(arg)+")"))
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("pasted HTML lacks %s\n%s", w, got)
				}
			}
			for _, junk := range []string{"mso", "Mso", "style=", "class=", "o:p", "·", "docs-internal", "font-family", "<span"} {
				if strings.Contains(got, junk) {
					t.Errorf("pasted HTML keeps %q:\n%s", junk, got)
				}
			}
			// Saved through the form, the structure reaches the server.
			b.do("title", chromedp.SendKeys(chromedp.ID("title"), "Bài dán từ "+c.file))
			if st := b.click(`form.bien-tap button.nut-chinh`); st != http.StatusOK {
				t.Fatalf("save: status %d", st)
			}
			loc := b.location()
			if !strings.Contains(loc, "/noi-dung/") || strings.HasSuffix(loc, "/moi") {
				t.Fatalf("after saving, at %s", loc)
			}
		})
	}
	list, _, err := env.App.Content.Find(asAdmin(), contentFilterTitle("Bài dán từ word.html"))
	if err != nil || len(list) != 1 {
		t.Fatalf("saved article: %d %v", len(list), err)
	}
	a, _ := env.App.Content.Article(asAdmin(), list[0].ID)
	if !strings.Contains(a.Body, "<ol><li><p>Bước một</p></li>") || !strings.Contains(a.Body, "<td>") {
		t.Errorf("the saved body lost the structure: %s", a.Body)
	}
}

// TestEditorWorksWithoutJavaScript: with scripts off the body is a plain
// textarea, and what is typed there is saved as paragraphs.
func TestEditorWorksWithoutJavaScript(t *testing.T) {
	tl := need(t, toolChromium)
	env := startEnv(t)
	b := newBrowser(t, tl.chromium)
	b.signIn(env, adminEmail, nil)
	b.do("turn JavaScript off", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	b.open(env.URL("", "/quan-tri/trang/hanoi/noi-dung/moi"), http.StatusOK)
	if b.count(".trinh-soan") != 0 || b.count("textarea#body") != 1 {
		t.Fatal("without JavaScript the editor should be the plain textarea")
	}
	b.do("type", chromedp.SendKeys(chromedp.ID("title"), "Bài viết không cần JavaScript"),
		chromedp.SendKeys(chromedp.ID("body"), "Đoạn thứ nhất.\n\nĐoạn thứ hai <b>không</b> đậm."))
	if st := b.click(`form.bien-tap button.nut-chinh`); st != http.StatusOK {
		t.Fatalf("save: status %d", st)
	}
	list, _, _ := env.App.Content.Find(asAdmin(), contentFilterTitle("Bài viết không cần JavaScript"))
	if len(list) != 1 {
		t.Fatal("not saved")
	}
	a, _ := env.App.Content.Article(asAdmin(), list[0].ID)
	if a.Body != "<p>Đoạn thứ nhất.</p><p>Đoạn thứ hai &lt;b&gt;không&lt;/b&gt; đậm.</p>" {
		t.Errorf("body %q", a.Body)
	}
}

func asAdmin() context.Context {
	return access.With(context.Background(), access.System("e2e", "cli"))
}

func contentFilterTitle(title string) content.Filter {
	return content.Filter{SiteID: 1, Query: title, PerPage: 5}
}

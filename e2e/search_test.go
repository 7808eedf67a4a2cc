package e2e

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// combobox is the state of the header's search box and its suggestions.
type combobox struct {
	Expanded string   `json:"expanded"`
	Active   string   `json:"active"`
	Hidden   bool     `json:"hidden"`
	Options  []string `json:"options"`
	Selected []string `json:"selected"`
}

const readCombobox = `(() => {
  const i = document.getElementById('o-tim-kiem'), l = document.getElementById('goi-y-tim-kiem');
  const os = l ? [...l.querySelectorAll('[role=option]')] : [];
  return {expanded: i.getAttribute('aria-expanded') || '', active: i.getAttribute('aria-activedescendant') || '',
    hidden: !l || l.hidden, options: os.map(o => o.textContent),
    selected: os.filter(o => o.getAttribute('aria-selected') === 'true').map(o => o.id)};
})()`

// TestSearchSuggestions types into the header's search box: titles
// completing the words show under it as an ARIA combobox (typed without
// diacritics), arrows choose, Escape closes, Enter opens the chosen one;
// axe-core finds nothing wrong while they show.
func TestSearchSuggestions(t *testing.T) {
	tl := need(t, toolChromium, toolAxe)
	src, err := os.ReadFile(tl.axe)
	if err != nil {
		t.Fatal(err)
	}
	env := startEnv(t)
	b := newBrowser(t, tl.chromium)
	b.open(env.URL("", "/"), http.StatusOK)
	b.do("type into the search box", chromedp.SendKeys(chromedp.ID("o-tim-kiem"), "xa dong an"))
	b.do("wait for suggestions", chromedp.WaitVisible("#goi-y-tim-kiem [role=option]"))
	c := run(b, "read the combobox", chromedp.Evaluate[combobox](readCombobox))
	if c.Expanded != "true" || c.Hidden || len(c.Options) == 0 || !strings.Contains(c.Options[0], "Đông Anh") {
		t.Fatalf("suggestions for “xa dong an”: %+v", c)
	}
	b.axe("search-suggestions", string(src))
	b.do("press ArrowDown", chromedp.KeyEvent(kb.ArrowDown))
	c = run(b, "read the combobox", chromedp.Evaluate[combobox](readCombobox))
	if c.Active != "goi-y-0" || len(c.Selected) != 1 || c.Selected[0] != "goi-y-0" {
		t.Errorf("after ArrowDown: %+v", c)
	}
	b.do("press Escape", chromedp.KeyEvent(kb.Escape))
	c = run(b, "read the combobox", chromedp.Evaluate[combobox](readCombobox))
	if c.Expanded != "false" || !c.Hidden || c.Active != "" {
		t.Errorf("after Escape: %+v", c)
	}
	b.do("type on", chromedp.SendKeys(chromedp.ID("o-tim-kiem"), "h"))
	b.do("wait for suggestions", chromedp.WaitVisible("#goi-y-tim-kiem [role=option]"))
	b.do("choose the first", chromedp.KeyEvent(kb.ArrowDown))
	c = run(b, "read the combobox", chromedp.Evaluate[combobox](readCombobox))
	if c.Active != "goi-y-0" {
		t.Fatalf("after typing on and ArrowDown: %+v", c)
	}
	want := run(b, "read its address", chromedp.Evaluate[string](`document.getElementById('goi-y-0').getAttribute('data-url')`))
	b.do("press Enter", chromedp.KeyEvent(kb.Enter))
	loc := ""
	for range 50 {
		if loc = b.location(); loc == want {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if loc != want {
		t.Errorf("Enter on a suggestion went to %s, want %s", loc, want)
	}
}

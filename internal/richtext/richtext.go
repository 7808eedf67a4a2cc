// Package richtext sanitises the HTML of rich text fields (article bodies,
// page contents) on the server, whatever the editor in the browser sent. It
// parses the input with the HTML5 parser (golang.org/x/net/html), keeps an
// allowlist of elements and attributes, turns what word processors paste
// (Microsoft Word's list paragraphs, Google Docs' styled spans) into plain
// semantic markup, and renders the tree again, so the output is well-formed
// and parses back to the same tree: what the browser sees is what was
// checked.
package richtext

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxInput is the largest rich text accepted, in bytes; longer input is cut
// by the caller's validation before it gets here.
const MaxInput = 1 << 20

// maxDepth bounds nesting: deeper content is kept as text, so a crafted
// document cannot make rendering or the reader's browser work unboundedly.
const maxDepth = 64

// Options adjust sanitising for one caller.
type Options struct {
	// Image is called for each <img> whose source is a data: URI (images
	// pasted from a word processor); it returns the URL of the stored image,
	// or false to drop the image.
	Image func(dataURI string) (string, bool)
}

// Sanitize returns the safe form of untrusted HTML.
func Sanitize(in string) string { return SanitizeWith(in, Options{}) }

// SanitizeWith sanitises with options.
func SanitizeWith(in string, o Options) string {
	if len(in) > MaxInput {
		in = in[:MaxInput]
	}
	in = strings.ToValidUTF8(in, "")
	out := once(in, o)
	// Rendering a cleaned tree can in rare cases produce markup that parses
	// into a different tree (mutation); a second pass over our own output
	// settles it, and the tests check that a third changes nothing.
	if again := once(out, Options{}); again != out {
		out = again
	}
	return out
}

func once(in string, o Options) string {
	ctx := &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div"}
	nodes, err := html.ParseFragment(strings.NewReader(in), ctx)
	if err != nil {
		return ""
	}
	root := &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div"}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	wordLists(root)
	c := cleaner{o: o}
	c.children(root, 0)
	tidy(root)
	var buf bytes.Buffer
	for n := root.FirstChild; n != nil; n = n.NextSibling {
		html.Render(&buf, n)
	}
	return strings.TrimSpace(buf.String())
}

// dropped are removed with everything inside them.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Svg: true, atom.Math: true, atom.Template: true, atom.Noscript: true, atom.Noembed: true,
	atom.Noframes: true, atom.Form: true, atom.Input: true, atom.Button: true, atom.Select: true,
	atom.Textarea: true, atom.Head: true, atom.Title: true, atom.Meta: true, atom.Link: true,
	atom.Base: true, atom.Frame: true, atom.Frameset: true, atom.Applet: true, atom.Audio: true,
	atom.Video: true, atom.Source: true, atom.Track: true, atom.Canvas: true, atom.Colgroup: true,
	atom.Col: true, atom.Xmp: true, atom.Plaintext: true, atom.Dialog: true,
	atom.Param: true, atom.Picture: true, atom.Map: true, atom.Area: true, atom.Slot: true,
}

// kept are the allowed elements, each with its allowed attributes.
var kept = map[atom.Atom][]string{
	atom.P: {"lang"}, atom.Br: nil, atom.H2: nil, atom.H3: nil, atom.H4: nil, atom.H5: nil, atom.H6: nil,
	atom.Strong: nil, atom.Em: nil, atom.U: nil, atom.S: nil, atom.Sub: nil, atom.Sup: nil, atom.Mark: nil,
	atom.Blockquote: {"lang"}, atom.Q: {"lang"}, atom.Ul: nil, atom.Ol: {"start", "reversed"}, atom.Li: nil,
	atom.A: {"href", "title", "hreflang"}, atom.Img: {"src", "alt", "width", "height", "title"},
	atom.Table: nil, atom.Caption: nil, atom.Thead: nil, atom.Tbody: nil, atom.Tfoot: nil, atom.Tr: nil,
	atom.Th: {"colspan", "rowspan", "scope"}, atom.Td: {"colspan", "rowspan"},
	atom.Figure: nil, atom.Figcaption: nil, atom.Hr: nil, atom.Code: nil, atom.Pre: nil,
	atom.Abbr: {"title"}, atom.Cite: nil, atom.Dl: nil, atom.Dt: nil, atom.Dd: nil, atom.Small: nil,
	atom.Time: {"datetime"}, atom.Span: {"lang"},
}

// renamed maps presentational elements to their semantic twins.
var renamed = map[atom.Atom]atom.Atom{
	atom.B: atom.Strong, atom.I: atom.Em, atom.Strike: atom.S, atom.Del: atom.S, atom.Ins: atom.U,
	atom.H1: atom.H2, atom.Address: atom.P, atom.Center: atom.P, atom.Var: atom.Em, atom.Dfn: atom.Em,
	atom.Kbd: atom.Code, atom.Samp: atom.Code, atom.Tt: atom.Code, atom.Big: atom.Strong,
}

type cleaner struct{ o Options }

// children cleans every child of n in place.
func (c *cleaner) children(n *html.Node, depth int) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		c.node(ch, depth+1)
		ch = next
	}
}

func (c *cleaner) node(n *html.Node, depth int) {
	switch n.Type {
	case html.TextNode:
		return
	case html.ElementNode:
	default: // comments, doctypes
		n.Parent.RemoveChild(n)
		return
	}
	if n.Namespace != "" || dropped[n.DataAtom] || n.DataAtom == 0 && isDroppedName(n.Data) {
		n.Parent.RemoveChild(n)
		return
	}
	if depth > maxDepth {
		replaceWithText(n)
		return
	}
	c.styles(n)
	if to, ok := renamed[n.DataAtom]; ok {
		n.DataAtom, n.Data = to, to.String()
	}
	if n.DataAtom == atom.Span && attr(n, "lang") == "" {
		c.children(n, depth)
		unwrap(n)
		return
	}
	allowed, ok := kept[n.DataAtom]
	if !ok {
		// Unknown or layout elements (div, section, font, o:p…): keep what
		// is inside.
		c.children(n, depth)
		if isBlockish(n.DataAtom) {
			n.DataAtom, n.Data, n.Attr = atom.P, "p", nil
			if hasBlockChild(n) {
				unwrap(n)
			}
			return
		}
		unwrap(n)
		return
	}
	var attrs []html.Attribute
	for _, a := range n.Attr {
		if a.Namespace != "" || !contains(allowed, a.Key) {
			continue
		}
		v, ok := cleanAttr(n.DataAtom, a.Key, a.Val, c.o)
		if ok {
			attrs = append(attrs, html.Attribute{Key: a.Key, Val: v})
		}
	}
	n.Attr = attrs
	switch n.DataAtom {
	case atom.A:
		if attr(n, "href") == "" {
			c.children(n, depth)
			unwrap(n)
			return
		}
		if isExternal(attr(n, "href")) {
			n.Attr = append(n.Attr, html.Attribute{Key: "rel", Val: "noopener noreferrer"})
		}
	case atom.Img:
		if attr(n, "src") == "" {
			n.Parent.RemoveChild(n)
			return
		}
		if !hasAttr(n, "alt") {
			n.Attr = append(n.Attr, html.Attribute{Key: "alt", Val: ""})
		}
	}
	c.children(n, depth)
}

// styles turns the inline styles word processors use for emphasis into
// elements, before the style attribute is dropped: Google Docs writes bold
// as <span style="font-weight:700"> and wraps a whole paste in <b
// style="font-weight:normal">, which is not bold at all.
func (c *cleaner) styles(n *html.Node) {
	st := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", ""))
	if st == "" {
		return
	}
	bold := strings.Contains(st, "font-weight:700") || strings.Contains(st, "font-weight:bold") || strings.Contains(st, "font-weight:600") || strings.Contains(st, "font-weight:800")
	normal := strings.Contains(st, "font-weight:normal") || strings.Contains(st, "font-weight:400")
	italic := strings.Contains(st, "font-style:italic")
	if (n.DataAtom == atom.B || n.DataAtom == atom.Strong) && normal {
		n.DataAtom, n.Data = atom.Span, "span"
		removeAttr(n, "lang")
		return
	}
	if n.DataAtom != atom.Span {
		return
	}
	switch {
	case bold && italic:
		n.DataAtom, n.Data = atom.Strong, "strong"
		em := &html.Node{Type: html.ElementNode, DataAtom: atom.Em, Data: "em"}
		for ch := n.FirstChild; ch != nil; {
			next := ch.NextSibling
			n.RemoveChild(ch)
			em.AppendChild(ch)
			ch = next
		}
		n.AppendChild(em)
	case bold:
		n.DataAtom, n.Data = atom.Strong, "strong"
	case italic:
		n.DataAtom, n.Data = atom.Em, "em"
	}
}

func isDroppedName(name string) bool {
	name = strings.ToLower(name)
	// Word's <xml>, <o:…>, <v:…> and <w:…> carry settings, not text.
	return name == "xml" || strings.HasPrefix(name, "v:") || strings.HasPrefix(name, "w:") || name == "style"
}

func isBlockish(a atom.Atom) bool {
	switch a {
	case atom.Div, atom.Section, atom.Article, atom.Aside, atom.Header, atom.Footer, atom.Main, atom.Nav, atom.Details, atom.Summary, atom.Fieldset, atom.Legend, atom.Hgroup:
		return true
	}
	return false
}

// blockElements are those that may not sit inside a <p>.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Blockquote: true, atom.Figure: true,
	atom.Hr: true, atom.Pre: true, atom.Dl: true,
}

func hasBlockChild(n *html.Node) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && blockElements[ch.DataAtom] {
			return true
		}
	}
	return false
}

// cleanAttr validates one attribute's value.
func cleanAttr(el atom.Atom, key, val string, o Options) (string, bool) {
	val = strings.TrimSpace(val)
	switch key {
	case "href":
		return safeURL(val, false)
	case "src":
		if strings.HasPrefix(strings.ToLower(val), "data:image/") && o.Image != nil {
			return o.Image(val)
		}
		return safeURL(val, true)
	case "width", "height", "colspan", "rowspan", "start":
		if len(val) == 0 || len(val) > 4 || strings.Trim(val, "0123456789") != "" {
			return "", false
		}
		return val, true
	case "scope":
		switch val {
		case "row", "col", "rowgroup", "colgroup":
			return val, true
		}
		return "", false
	case "reversed":
		return "", true
	case "lang", "hreflang":
		if len(val) > 20 || strings.Trim(strings.ToLower(val), "abcdefghijklmnopqrstuvwxyz-") != "" {
			return "", false
		}
		return val, true
	case "datetime":
		if len(val) > 40 || strings.Trim(val, "0123456789-:TZ+. ") != "" {
			return "", false
		}
		return val, true
	}
	if len(val) > 500 {
		val = val[:500]
	}
	return strings.ToValidUTF8(val, ""), true
}

// safeURL allows http, https, mailto and tel links and site-relative paths;
// images only http(s) and paths. Everything else (javascript:, data:,
// vbscript:, file:, protocol-relative //host) is refused. Control characters
// and white space inside the scheme, which browsers ignore, cannot smuggle
// one in: the scheme is read after removing them.
func safeURL(u string, image bool) (string, bool) {
	if u == "" || len(u) > 2000 {
		return "", false
	}
	var b strings.Builder
	for _, r := range u {
		if r < 0x20 || r == 0x7f {
			continue
		}
		b.WriteRune(r)
	}
	u = b.String()
	if strings.HasPrefix(u, "#") && !image {
		return u, true
	}
	if strings.HasPrefix(u, "/") {
		if strings.HasPrefix(u, "//") || strings.HasPrefix(u, "/\\") {
			return "", false
		}
		return u, true
	}
	colon := strings.IndexByte(u, ':')
	if colon < 0 {
		// A relative path such as "trang-khac": ambiguous on our URLs; refuse.
		return "", false
	}
	scheme := strings.ToLower(strings.Join(strings.Fields(u[:colon]), ""))
	switch scheme {
	case "http", "https":
		if !strings.HasPrefix(u[colon:], "://") || len(u) < colon+4 {
			return "", false
		}
		return u, true
	case "mailto", "tel":
		if image {
			return "", false
		}
		return u, true
	}
	return "", false
}

func isExternal(href string) bool {
	return strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://")
}

// tidy removes empty paragraphs and inline elements (Word pastes many
// <p>&nbsp;</p>) and merges adjacent text.
func tidy(n *html.Node) {
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		if ch.Type == html.ElementNode {
			tidy(ch)
			switch ch.DataAtom {
			case atom.P, atom.Strong, atom.Em, atom.U, atom.S, atom.Sub, atom.Sup, atom.Mark, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Span, atom.Small, atom.Code:
				if blank(ch) {
					n.RemoveChild(ch)
				}
			}
		}
		ch = next
	}
}

// blank reports whether n holds no image and only white space (including
// no-break spaces).
func blank(n *html.Node) bool {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			if strings.TrimSpace(strings.ReplaceAll(ch.Data, "\u00a0", " ")) != "" {
				return false
			}
		case html.ElementNode:
			if ch.DataAtom == atom.Img || ch.DataAtom == atom.Br && ch.NextSibling != nil || !blank(ch) {
				return false
			}
		}
	}
	return true
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func removeAttr(n *html.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Key != key {
			out = append(out, a)
		}
	}
	n.Attr = out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// unwrap replaces n by its children.
func unwrap(n *html.Node) {
	p := n.Parent
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		n.RemoveChild(ch)
		p.InsertBefore(ch, n)
		ch = next
	}
	p.RemoveChild(n)
}

// replaceWithText replaces n by its text content.
func replaceWithText(n *html.Node) {
	t := &html.Node{Type: html.TextNode, Data: textOf(n)}
	n.Parent.InsertBefore(t, n)
	n.Parent.RemoveChild(n)
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && dropped[n.DataAtom] {
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}

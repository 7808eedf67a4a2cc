package richtext

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Microsoft Word puts lists on the clipboard as paragraphs styled
// "mso-list:l0 level2 lfo1", each starting with its bullet or number inside
// conditional comments ([if !supportLists] … [endif]). wordLists turns each
// run of such paragraphs into nested <ul>/<ol> lists before the styles are
// dropped.

var (
	msoLevel   = regexp.MustCompile(`level(\d+)`)
	msoOrdered = regexp.MustCompile(`^\(?([0-9]+|[a-zA-Z]|[ivxlcdmIVXLCDM]+)[.)]$`)
)

func wordLists(root *html.Node) {
	for n := root.FirstChild; n != nil; n = n.NextSibling {
		if n.Type != html.ElementNode {
			continue
		}
		if isWordItem(n) {
			n = convertRun(n)
			continue
		}
		wordLists(n)
	}
}

func isWordItem(n *html.Node) bool {
	if n.Type != html.ElementNode || n.DataAtom != atom.P {
		return false
	}
	st := strings.ToLower(attr(n, "style"))
	return strings.Contains(st, "mso-list:") && !strings.Contains(st, "mso-list:none") && !strings.Contains(st, "mso-list:ignore")
}

// convertRun replaces the run of list paragraphs starting at first with a
// list, and returns the list.
func convertRun(first *html.Node) *html.Node {
	var run []*html.Node
	for n := first; n != nil; n = n.NextSibling {
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) == "" {
			continue
		}
		if !isWordItem(n) {
			break
		}
		run = append(run, n)
	}
	parent := first.Parent
	type level struct {
		depth int
		list  *html.Node
	}
	var stack []level
	var top *html.Node
	for _, p := range run {
		depth := 1
		if m := msoLevel.FindStringSubmatch(strings.ToLower(attr(p, "style"))); m != nil {
			depth, _ = strconv.Atoi(m[1])
		}
		marker := takeMarker(p)
		kind := atom.Ul
		if msoOrdered.MatchString(marker) {
			kind = atom.Ol
		}
		li := &html.Node{Type: html.ElementNode, DataAtom: atom.Li, Data: "li"}
		for ch := p.FirstChild; ch != nil; {
			next := ch.NextSibling
			p.RemoveChild(ch)
			li.AppendChild(ch)
			ch = next
		}
		for len(stack) > 0 && stack[len(stack)-1].depth > depth {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 || stack[len(stack)-1].depth < depth {
			l := &html.Node{Type: html.ElementNode, DataAtom: kind, Data: kind.String()}
			if len(stack) == 0 {
				if top == nil {
					top = l
				} else {
					// A second top-level list in the same run: append to it.
					l = top
				}
			} else if last := stack[len(stack)-1].list.LastChild; last != nil {
				last.AppendChild(l)
			} else {
				stack[len(stack)-1].list.AppendChild(l)
			}
			stack = append(stack, level{depth, l})
		}
		stack[len(stack)-1].list.AppendChild(li)
	}
	parent.InsertBefore(top, first)
	for _, p := range run {
		// Whitespace between the paragraphs goes too.
		if prev := p.PrevSibling; prev != nil && prev != top && prev.Type == html.TextNode && strings.TrimSpace(prev.Data) == "" {
			parent.RemoveChild(prev)
		}
		parent.RemoveChild(p)
	}
	return top
}

// takeMarker removes the bullet or number Word writes at the start of a list
// paragraph and returns its text.
func takeMarker(p *html.Node) string {
	var start, end *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil && end == nil; ch = ch.NextSibling {
			if ch.Type == html.CommentNode {
				d := strings.ToLower(strings.TrimSpace(ch.Data))
				if start == nil && strings.Contains(d, "supportlists") {
					start = ch
				} else if start != nil && strings.Contains(d, "endif") {
					end = ch
				}
				continue
			}
			if ch.Type == html.ElementNode && start == nil {
				find(ch)
			}
		}
	}
	find(p)
	if start == nil || end == nil || start.Parent != end.Parent {
		return ""
	}
	var marker strings.Builder
	for n := start.NextSibling; n != nil && n != end; {
		next := n.NextSibling
		marker.WriteString(textOf(n))
		n.Parent.RemoveChild(n)
		n = next
	}
	return strings.TrimSpace(strings.ReplaceAll(marker.String(), "\u00a0", " "))
}

// Text returns the plain text of sanitised HTML, one line per block, for the
// search index, summaries and revision diffs.
func Text(in string) string {
	nodes, err := html.ParseFragment(strings.NewReader(in), &html.Node{Type: html.ElementNode, DataAtom: atom.Div, Data: "div"})
	if err != nil {
		return ""
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(strings.ReplaceAll(n.Data, "\u00a0", " "))
			return
		case html.ElementNode:
			if dropped[n.DataAtom] {
				return
			}
			if n.DataAtom == atom.Img {
				if alt := attr(n, "alt"); alt != "" {
					b.WriteString("[" + alt + "]")
				}
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.P, atom.Li, atom.Br, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Tr, atom.Blockquote, atom.Figcaption, atom.Caption, atom.Pre, atom.Dt, atom.Dd, atom.Div:
				b.WriteByte('\n')
			case atom.Td, atom.Th:
				b.WriteByte('\t')
			}
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// FromText turns plain text (from the textarea when JavaScript is off, or
// an import) into paragraphs: blank lines separate paragraphs, single line
// breaks become <br>.
func FromText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, para := range strings.Split(s, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		for i, l := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(html.EscapeString(strings.TrimSpace(l)))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

// LooksLikeHTML reports whether s holds markup rather than plain text.
func LooksLikeHTML(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "<") && strings.Contains(s, ">")
}

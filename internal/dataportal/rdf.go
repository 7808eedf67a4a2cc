package dataportal

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
)

// A small RDF graph and its three serialisations (Turtle, RDF/XML,
// JSON-LD): enough for DCAT, with no dependency.

// term is an IRI, a blank node or a literal.
type term struct {
	kind  byte // 'i' IRI, 'b' blank node, 'l' literal
	value string
	lang  string
	dt    string // datatype IRI of a typed literal
}

type triple struct{ s, p, o term }

type graph struct {
	triples []triple
	blanks  int
}

func iriT(s string) term                    { return term{kind: 'i', value: s} }
func litT(s string) term                    { return term{kind: 'l', value: s} }
func langT(s, lang string) term             { return term{kind: 'l', value: s, lang: lang} }
func typedT(s, dt string) term              { return term{kind: 'l', value: s, dt: dt} }
func (g *graph) add(s, p, o term)           { g.triples = append(g.triples, triple{s, p, o}) }
func (g *graph) addIRI(s term, p, o string) { g.add(s, iriT(p), iriT(o)) }

func (g *graph) blank() term {
	g.blanks++
	return term{kind: 'b', value: fmt.Sprintf("b%d", g.blanks)}
}

// Namespaces, with the prefixes every serialisation declares.
const (
	nsRDF   = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsDCAT  = "http://www.w3.org/ns/dcat#"
	nsDCT   = "http://purl.org/dc/terms/"
	nsFOAF  = "http://xmlns.com/foaf/0.1/"
	nsVCARD = "http://www.w3.org/2006/vcard/ns#"
	nsXSD   = "http://www.w3.org/2001/XMLSchema#"
	nsHydra = "http://www.w3.org/ns/hydra/core#"
	nsSPDX  = "http://spdx.org/rdf/terms#"
	nsSKOS  = "http://www.w3.org/2004/02/skos/core#"
	nsOWL   = "http://www.w3.org/2002/07/owl#"
	nsADMS  = "http://www.w3.org/ns/adms#"
)

var prefixes = []struct{ name, ns string }{
	{"rdf", nsRDF}, {"dcat", nsDCAT}, {"dct", nsDCT}, {"foaf", nsFOAF}, {"vcard", nsVCARD}, {"xsd", nsXSD},
	{"hydra", nsHydra}, {"spdx", nsSPDX}, {"skos", nsSKOS}, {"owl", nsOWL}, {"adms", nsADMS},
}

// qname compacts an IRI with a declared prefix when its local part is a
// plain name.
func qname(iri string) (string, bool) {
	for _, p := range prefixes {
		if local, ok := strings.CutPrefix(iri, p.ns); ok && local != "" && plainLocal(local) {
			return p.name + ":" + local, true
		}
	}
	return "", false
}

func plainLocal(s string) bool {
	for i, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || i > 0 && (r >= '0' && r <= '9' || r == '-')) {
			return false
		}
	}
	return true
}

// subjects groups triples by subject, in first-seen order.
func (g *graph) subjects() ([]term, map[term][]triple) {
	var order []term
	by := map[term][]triple{}
	for _, t := range g.triples {
		if _, ok := by[t.s]; !ok {
			order = append(order, t.s)
		}
		by[t.s] = append(by[t.s], t)
	}
	return order, by
}

// turtle writes the graph in Turtle (also served as Notation 3).
func (g *graph) turtle() []byte {
	var b bytes.Buffer
	for _, p := range prefixes {
		fmt.Fprintf(&b, "@prefix %s: <%s> .\n", p.name, p.ns)
	}
	order, by := g.subjects()
	for _, s := range order {
		b.WriteString("\n" + ttlTerm(s))
		for i, t := range by[s] {
			sep := " ;\n    "
			if i == 0 {
				sep = " "
			}
			p := ttlTerm(t.p)
			if t.p.value == nsRDF+"type" {
				p = "a"
			}
			b.WriteString(sep + p + " " + ttlTerm(t.o))
		}
		b.WriteString(" .\n")
	}
	return b.Bytes()
}

func ttlTerm(t term) string {
	switch t.kind {
	case 'b':
		return "_:" + t.value
	case 'i':
		if q, ok := qname(t.value); ok {
			return q
		}
		return "<" + iriEscape(t.value) + ">"
	}
	s := `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(t.value) + `"`
	switch {
	case t.lang != "":
		s += "@" + t.lang
	case t.dt != "":
		s += "^^" + ttlTerm(iriT(t.dt))
	}
	return s
}

// iriEscape escapes what an IRI reference may not hold in Turtle.
func iriEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r <= ' ' || strings.ContainsRune("<>\"{}|^`\\", r) {
			fmt.Fprintf(&b, "%%%02X", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// rdfXML writes the graph in RDF/XML, one rdf:Description per subject.
func (g *graph) rdfXML() []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header + "<rdf:RDF")
	for _, p := range prefixes {
		fmt.Fprintf(&b, "\n  xmlns:%s=\"%s\"", p.name, p.ns)
	}
	b.WriteString(">\n")
	order, by := g.subjects()
	for _, s := range order {
		if s.kind == 'b' {
			fmt.Fprintf(&b, "  <rdf:Description rdf:nodeID=\"%s\">\n", s.value)
		} else {
			fmt.Fprintf(&b, "  <rdf:Description rdf:about=\"%s\">\n", xmlEscape(s.value))
		}
		for _, t := range by[s] {
			name, _ := qname(t.p.value)
			switch t.o.kind {
			case 'i':
				fmt.Fprintf(&b, "    <%s rdf:resource=\"%s\"/>\n", name, xmlEscape(t.o.value))
			case 'b':
				fmt.Fprintf(&b, "    <%s rdf:nodeID=\"%s\"/>\n", name, t.o.value)
			default:
				attr := ""
				if t.o.lang != "" {
					attr = ` xml:lang="` + t.o.lang + `"`
				} else if t.o.dt != "" {
					attr = ` rdf:datatype="` + xmlEscape(t.o.dt) + `"`
				}
				fmt.Fprintf(&b, "    <%s%s>%s</%s>\n", name, attr, xmlEscape(t.o.value), name)
			}
		}
		b.WriteString("  </rdf:Description>\n")
	}
	b.WriteString("</rdf:RDF>\n")
	return b.Bytes()
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// jsonLD writes the graph as JSON-LD: a context with the prefixes and a
// flat @graph of nodes.
func (g *graph) jsonLD() []byte {
	ctx := map[string]string{}
	for _, p := range prefixes {
		ctx[p.name] = p.ns
	}
	order, by := g.subjects()
	nodes := []map[string]any{}
	for _, s := range order {
		n := map[string]any{}
		if s.kind == 'b' {
			n["@id"] = "_:" + s.value
		} else {
			n["@id"] = s.value
		}
		for _, t := range by[s] {
			key, _ := qname(t.p.value)
			if t.p.value == nsRDF+"type" {
				types, _ := n["@type"].([]string)
				q, ok := qname(t.o.value)
				if !ok {
					q = t.o.value
				}
				n["@type"] = append(types, q)
				continue
			}
			var v map[string]any
			switch t.o.kind {
			case 'i':
				v = map[string]any{"@id": t.o.value}
			case 'b':
				v = map[string]any{"@id": "_:" + t.o.value}
			default:
				v = map[string]any{"@value": t.o.value}
				if t.o.lang != "" {
					v["@language"] = t.o.lang
				} else if t.o.dt != "" {
					v["@type"] = t.o.dt
				}
			}
			list, _ := n[key].([]any)
			n[key] = append(list, v)
		}
		nodes = append(nodes, n)
	}
	keys := make([]string, 0, len(ctx))
	for k := range ctx {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out, _ := json.MarshalIndent(map[string]any{"@context": ctx, "@graph": nodes}, "", "  ")
	return append(out, '\n')
}

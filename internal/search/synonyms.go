package search

import (
	_ "embed"
	"slices"
	"strings"
)

//go:embed synonyms.txt
var synonymsFile string

// synonyms are groups of equivalent folded phrases: an abbreviation and
// what it stands for (UBND = ủy ban nhân dân).
var synonyms = parseSynonyms(synonymsFile)

// parseSynonyms reads lines of "A = B = C"; "#" starts a comment.
func parseSynonyms(s string) [][][]string {
	var out [][][]string
	for _, line := range strings.Split(s, "\n") {
		line, _, _ = strings.Cut(line, "#")
		var group [][]string
		for _, p := range strings.Split(line, "=") {
			if words := Tokens(p); len(words) > 0 && !slices.ContainsFunc(group, func(g []string) bool { return slices.Equal(g, words) }) {
				group = append(group, words)
			}
		}
		if len(group) > 1 {
			out = append(out, group)
		}
	}
	return out
}

// expandSynonyms replaces every run of single words that spells a member
// of a synonym group with one clause whose alternatives are the group's
// members.
func expandSynonyms(cs []Clause) []Clause {
	var out []Clause
	for i := 0; i < len(cs); {
		best, bestLen := -1, 0
		for gi, g := range synonyms {
			for _, m := range g {
				if len(m) > bestLen && i+len(m) <= len(cs) && wordsAt(cs[i:], m) {
					best, bestLen = gi, len(m)
				}
			}
		}
		if best < 0 {
			out = append(out, cs[i])
			i++
			continue
		}
		texts := make([]string, bestLen)
		for j := range bestLen {
			texts[j] = cs[i+j].Text
		}
		out = append(out, Clause{Alts: slices.Clone(synonyms[best]), Text: strings.Join(texts, " ")})
		i += bestLen
	}
	return out
}

func wordsAt(cs []Clause, words []string) bool {
	for j, w := range words {
		c := cs[j]
		if !c.Word || len(c.Alts) != 1 || len(c.Alts[0]) != 1 || c.Alts[0][0] != w {
			return false
		}
	}
	return true
}

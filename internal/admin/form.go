package admin

import (
	"strings"

	"github.com/congvn/cong/internal/fault"
)

func fieldError(field, key string, args ...any) error { return fault.OnField(field, key, args...) }

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

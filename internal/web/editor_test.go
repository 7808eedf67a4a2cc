package web

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// The vendored editor bundle must be the one the lockfile describes: its
// header names each package at the version package-lock.json pins. After
// changing a version, run `npm ci && npm run build` in editor/.
func TestEditorBundleMatchesLockfile(t *testing.T) {
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	for file, v := range map[string]any{"../../editor/package.json": &pkg, "../../editor/package-lock.json": &lock} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	var names []string
	for n := range pkg.DevDependencies {
		names = append(names, n)
	}
	sort.Strings(names)
	var want []string
	for _, n := range names {
		p, ok := lock.Packages["node_modules/"+n]
		if !ok {
			t.Fatalf("%s is not in package-lock.json", n)
		}
		want = append(want, n+"@"+p.Version)
	}
	a, ok := assets["editor.js"]
	if !ok {
		t.Fatal("static/editor.js is not embedded")
	}
	head, _, _ := strings.Cut(string(a.body), "\n")
	if !strings.Contains(head, "with "+strings.Join(want, " ")+".") {
		t.Errorf("editor.js header %q does not match the lockfile: %v", head, want)
	}
	if len(a.body) < 100_000 || a.gz == nil {
		t.Errorf("editor.js is %d bytes (gzip: %v)", len(a.body), a.gz != nil)
	}
}

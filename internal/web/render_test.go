package web

import "testing"

// Every page's template set parses (the server parses each only when the
// page is first rendered).
func TestTemplatesParse(t *testing.T) {
	tpl, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.sets) < 20 {
		t.Fatalf("only %d page templates found", len(tpl.sets))
	}
	if err := tpl.ParseAll(); err != nil {
		t.Fatal(err)
	}
}

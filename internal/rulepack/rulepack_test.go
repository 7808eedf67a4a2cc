package rulepack

import (
	"errors"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/site"
)

func TestDefaultPackParsesAndCitesTheLaw(t *testing.T) {
	p := Default()
	if p.Version == "" || p.Feedback.AnswerDays == 0 || p.Feedback.QuestionDays == 0 {
		t.Fatalf("incomplete default pack: %+v", p)
	}
	for _, k := range []string{KindCity, KindAgency, KindWard, KindCommune} {
		if len(p.For(k)) < 10 {
			t.Errorf("kind %s has only %d rules", k, len(p.For(k)))
		}
		if p.ByCheck(k, "documents") == nil || p.ByCheck(k, "contact_en") == nil {
			t.Errorf("kind %s lacks the documents or English contact rule", k)
		}
	}
	for _, s := range p.Sections {
		if !strings.Contains(s.Law, "Điều") && !strings.Contains(s.Law, "Thông tư") {
			t.Errorf("section %s cites no article: %q", s.ID, s.Law)
		}
	}
	en := p.Section("lien-he-en")
	if en == nil || !en.English || !strings.Contains(en.Law, "Điều 7 khoản 2") {
		t.Errorf("English contact rule does not cite Decree 42 Art. 7.2: %+v", en)
	}
	menu := p.Menu(KindCommune)
	for i := 1; i < len(menu); i++ {
		if menu[i-1].MenuOrder > menu[i].MenuOrder {
			t.Errorf("menu out of order: %v", menu)
		}
	}
	if p.Section("du-thao").AppliesTo(KindCommune) {
		t.Error("communes do not issue drafts for public comment in the default pack")
	}
}

func TestParseReportsEveryErrorWithItsLine(t *testing.T) {
	src := `version = 1
bogus = 2
[feedback]
answer_days = ten
question_days = 5
[section van-ban]
name = Văn bản
name_en = Documents
kinds = city, town
check = documents
fresh_days = -3
[section van-ban]
[wrong header]
no equals sign here
`
	_, err := Parse("test.rules", strings.NewReader(src))
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("got %v, want Errors", err)
	}
	want := []string{
		"test.rules:2: bogus",
		"test.rules:3: answer_days and question_days",
		"test.rules:4: answer_days",
		"test.rules:6: section van-ban: law is missing",
		"test.rules:9: kinds: unknown kind \"town\"",
		"test.rules:11: fresh_days",
		"test.rules:12: section \"van-ban\" is defined twice (first on line 6)",
		"test.rules:13: unknown header",
		"test.rules:14: expected key = value",
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("missing %q in:\n%s", w, msg)
		}
	}
}

func TestOverrideChangesTheRules(t *testing.T) {
	// An operator's pack after a change of law: a new decree, a shorter
	// deadline, drafts now required of communes too.
	text := strings.Replace(DefaultText(), "version = 2024.1", "version = 2026.1", 1)
	text = strings.Replace(text, "answer_days = 10", "answer_days = 7", 1)
	text = strings.Replace(text, "kinds = city, agency\ncheck = drafts", "kinds = city, agency, ward, commune\ncheck = drafts", 1)
	p, err := Parse("hanoi-2026.rules", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != "2026.1" || p.Feedback.AnswerDays != 7 || !p.Section("du-thao").AppliesTo(KindCommune) {
		t.Errorf("override not applied: %s %d %v", p.Version, p.Feedback.AnswerDays, p.Section("du-thao").Kinds)
	}
}

func TestKindOf(t *testing.T) {
	ward := &site.Unit{Kind: site.Ward}
	cases := []struct {
		st   *site.Site
		u    *site.Unit
		want string
	}{
		{&site.Site{Kind: site.Portal}, ward, KindWard},
		{&site.Site{Kind: site.Portal}, &site.Unit{Kind: site.City}, KindCity},
		{&site.Site{Kind: site.Section}, ward, KindSection},
		{&site.Site{Kind: site.Data}, nil, KindData},
		{&site.Site{Kind: site.Portal}, &site.Unit{Kind: site.District}, KindOther},
	}
	for _, c := range cases {
		if got := KindOf(c.st, c.u); got != c.want {
			t.Errorf("KindOf(%s, %v) = %s, want %s", c.st.Kind, c.u, got, c.want)
		}
	}
}

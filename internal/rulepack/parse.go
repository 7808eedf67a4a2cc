package rulepack

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/congvn/cong/internal/vietnamese"
)

// LineError is one problem in a pack file, at a line.
type LineError struct {
	File string
	Line int
	Msg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Errors are every problem found in a pack file; a pack with any is refused
// whole.
type Errors []*LineError

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// maxPackSize bounds a pack file; the default is about 15 KB.
const maxPackSize = 1 << 20

var (
	idRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	checkRE = regexp.MustCompile(`^[a-z_]+(:[a-z0-9-]+)?$`)
	pathRE  = regexp.MustCompile(`^/[a-z0-9/-]*$`)
)

// Parse reads a pack in the rule pack format:
//
//	# comment
//	version = 2024.1           top-level keys come first
//	[feedback]                 the deadlines of feedback handling
//	answer_days = 10
//	[section van-ban]          one rule per section
//	name = Văn bản
//	kinds = city, agency, ward, commune
//
// Values run to the end of the line (surrounding double quotes are removed);
// lists are separated by commas; booleans are yes/no or true/false. Every
// problem is reported with its line, and a pack with any is refused.
func Parse(name string, r io.Reader) (*Pack, error) {
	p := &Pack{Source: name}
	var errs Errors
	fail := func(line int, format string, args ...any) {
		errs = append(errs, &LineError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	sc := bufio.NewScanner(io.LimitReader(r, maxPackSize+1))
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	block := "" // "", "feedback" or "section"
	var sec *Section
	seen := map[string]int{} // keys seen in the current block -> line
	feedbackLine := 0
	n, size := 0, 0
	for sc.Scan() {
		n++
		raw := sc.Text()
		size += len(raw) + 1
		if !utf8.ValidString(raw) {
			fail(n, "not valid UTF-8")
			continue
		}
		line := strings.TrimSpace(vietnamese.NFC(raw))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if !strings.HasSuffix(line, "]") {
				fail(n, "a header must end with ]")
				continue
			}
			head := strings.Fields(strings.TrimSpace(line[1 : len(line)-1]))
			seen = map[string]int{}
			switch {
			case len(head) == 1 && head[0] == "feedback":
				if feedbackLine != 0 {
					fail(n, "[feedback] appears twice (first on line %d)", feedbackLine)
				}
				feedbackLine, block, sec = n, "feedback", nil
			case len(head) == 2 && head[0] == "section":
				if !idRE.MatchString(head[1]) {
					fail(n, "section id %q: use lower-case letters, digits and hyphens", head[1])
				}
				for _, s := range p.Sections {
					if s.ID == head[1] {
						fail(n, "section %q is defined twice (first on line %d)", head[1], s.Line)
					}
				}
				p.Sections = append(p.Sections, Section{ID: head[1], Line: n, MinItems: 1})
				sec = &p.Sections[len(p.Sections)-1]
				block = "section"
			default:
				fail(n, "unknown header %s: expected [feedback] or [section ID]", line)
				block, sec = "unknown", nil
			}
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			fail(n, "expected key = value")
			continue
		}
		key, val = strings.TrimSpace(key), unquote(strings.TrimSpace(val))
		if prev, dup := seen[key]; dup && key != "basis" {
			fail(n, "%s is set twice in this block (first on line %d)", key, prev)
			continue
		}
		seen[key] = n
		var err error
		switch block {
		case "":
			err = p.setTop(key, val)
		case "feedback":
			err = p.Feedback.set(key, val)
		case "section":
			// The sections slice may have grown: point at the last one.
			sec = &p.Sections[len(p.Sections)-1]
			err = sec.set(key, val)
		default:
			continue // the header was already reported
		}
		if err != nil {
			fail(n, "%s: %v", key, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			fail(n+1, "line longer than 64 KB")
		} else {
			fail(n, "%v", err)
		}
	}
	if size > maxPackSize {
		fail(n, "the pack is larger than %d bytes", maxPackSize)
	}
	errs = append(errs, p.validate(name, feedbackLine)...)
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *LineError) int { return a.Line - b.Line })
		return nil, errs
	}
	return p, nil
}

func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		if s, err := strconv.Unquote(v); err == nil {
			return s
		}
		return v[1 : len(v)-1]
	}
	return v
}

func (p *Pack) setTop(key, val string) error {
	switch key {
	case "version":
		p.Version = val
	case "title":
		p.Title = val
	case "in_force_from":
		if _, err := time.Parse(time.DateOnly, val); err != nil {
			return errors.New("expected a date YYYY-MM-DD")
		}
		p.InForceFrom = val
	case "basis":
		p.Basis = append(p.Basis, val)
	default:
		return errors.New("unknown key (expected version, title, in_force_from, basis)")
	}
	return nil
}

func (f *Feedback) set(key, val string) error {
	var dst *int
	switch key {
	case "answer_days":
		dst = &f.AnswerDays
	case "question_days":
		dst = &f.QuestionDays
	case "extension_days":
		dst = &f.ExtensionDays
	case "remind_days_before":
		dst = &f.RemindDaysBefore
	case "escalate_after_days":
		dst = &f.EscalateAfterDays
	case "law":
		f.Law = val
		return nil
	default:
		return errors.New("unknown key (expected answer_days, question_days, extension_days, remind_days_before, escalate_after_days, law)")
	}
	v, err := days(val)
	*dst = v
	return err
}

func days(val string) (int, error) {
	v, err := strconv.Atoi(val)
	if err != nil || v < 0 || v > 3650 {
		return 0, errors.New("expected a number of days from 0 to 3650")
	}
	return v, nil
}

func (s *Section) set(key, val string) error {
	var err error
	switch key {
	case "name":
		s.Name = val
	case "name_en":
		s.NameEn = val
	case "path":
		if val != "" && !pathRE.MatchString(val) {
			return errors.New("expected a path such as /van-ban (lower-case ASCII, digits, hyphens)")
		}
		s.Path = val
	case "menu":
		s.MenuOrder, err = strconv.Atoi(val)
		if err != nil || s.MenuOrder < 0 || s.MenuOrder > 1000 {
			return errors.New("expected a menu position from 0 (not in the menu) to 1000")
		}
	case "kinds":
		s.Kinds = nil
		for _, k := range strings.Split(val, ",") {
			k = strings.TrimSpace(k)
			if !slices.Contains(Kinds, k) {
				return fmt.Errorf("unknown kind %q (expected %s)", k, strings.Join(Kinds, ", "))
			}
			if !slices.Contains(s.Kinds, k) {
				s.Kinds = append(s.Kinds, k)
			}
		}
	case "check":
		if !checkRE.MatchString(val) {
			return errors.New("expected a check name such as documents or listing:plan")
		}
		s.Check = val
	case "min_items":
		s.MinItems, err = strconv.Atoi(val)
		if err != nil || s.MinItems < 0 || s.MinItems > 100000 {
			return errors.New("expected a number from 0 to 100000")
		}
	case "fresh_days":
		s.FreshDays, err = days(val)
	case "english":
		s.English, err = boolean(val)
	case "law":
		s.Law = val
	case "how":
		s.How = val
	case "when":
		s.When = val
	case "duration":
		s.Duration = val
	default:
		return errors.New("unknown key (expected name, name_en, path, menu, kinds, check, min_items, fresh_days, english, law, how, when, duration)")
	}
	return err
}

func boolean(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "yes", "true", "có":
		return true, nil
	case "no", "false", "không":
		return false, nil
	}
	return false, errors.New("expected yes or no")
}

// validate checks what a pack must hold as a whole.
func (p *Pack) validate(name string, feedbackLine int) Errors {
	var errs Errors
	fail := func(line int, format string, args ...any) {
		errs = append(errs, &LineError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	if p.Version == "" {
		fail(1, "version is missing")
	}
	if feedbackLine == 0 {
		fail(1, "[feedback] is missing")
	} else if p.Feedback.AnswerDays == 0 || p.Feedback.QuestionDays == 0 {
		fail(feedbackLine, "answer_days and question_days must be set and above 0")
	}
	if len(p.Sections) == 0 {
		fail(1, "no [section]")
	}
	for _, s := range p.Sections {
		if s.Name == "" {
			fail(s.Line, "section %s: name is missing", s.ID)
		}
		if s.NameEn == "" {
			fail(s.Line, "section %s: name_en is missing", s.ID)
		}
		if len(s.Kinds) == 0 {
			fail(s.Line, "section %s: kinds is missing", s.ID)
		}
		if s.Check == "" {
			fail(s.Line, "section %s: check is missing", s.ID)
		}
		if s.Law == "" {
			fail(s.Line, "section %s: law is missing (every rule cites its article)", s.ID)
		}
		if s.MenuOrder > 0 && s.Path == "" {
			fail(s.Line, "section %s: a menu entry needs a path", s.ID)
		}
	}
	return errs
}

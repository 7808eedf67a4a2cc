package calendar

import (
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, Zone)
	if err != nil {
		panic(err)
	}
	return t.Add(9 * time.Hour)
}

// The lunar dates the holiday table rests on, computed for UTC+7.
func TestLunarDates(t *testing.T) {
	tests := []struct {
		year       int
		tet, gioTo string
	}{
		{2024, "2024-02-10", "2024-04-18"},
		{2025, "2025-01-29", "2025-04-07"},
		{2026, "2026-02-17", "2026-04-26"},
		{2027, "2027-02-06", "2027-04-16"},
		{2028, "2028-01-26", "2028-04-04"},
	}
	for _, tt := range tests {
		if got := LunarNewYear(tt.year).Format(time.DateOnly); got != tt.tet {
			t.Errorf("Tết %d = %s, want %s", tt.year, got, tt.tet)
		}
		g, ok := LunarToSolar(tt.year, 3, 10, false)
		if !ok || g.Format(time.DateOnly) != tt.gioTo {
			t.Errorf("Giỗ Tổ %d = %s, want %s", tt.year, g.Format(time.DateOnly), tt.gioTo)
		}
	}
	// 2025 had a leap 6th month (nhuận tháng Sáu), starting 25 July 2025.
	if l, ok := LunarToSolar(2025, 6, 1, true); !ok || l.Format(time.DateOnly) != "2025-07-25" {
		t.Errorf("leap 6th month 2025 starts %v %v, want 2025-07-25", l, ok)
	}
	if _, ok := LunarToSolar(2026, 6, 1, true); ok {
		t.Error("2026 has no leap 6th month")
	}
}

// Every lunar holiday in the data falls where the astronomy says.
func TestDataMatchesLunarCalendar(t *testing.T) {
	c := Default()
	for y, v := range c.Years() {
		tet := LunarNewYear(y)
		gio, _ := LunarToSolar(y, 3, 10, false)
		var sawTet, sawGio bool
		for _, e := range v.Off {
			d, _ := time.Parse(time.DateOnly, e.Date)
			switch {
			case strings.Contains(e.Name, "mùng 1 tháng Giêng"):
				sawTet = true
				if !d.Equal(tet) {
					t.Errorf("%d: %s on %s, but Tết is %s", y, e.Name, e.Date, tet.Format(time.DateOnly))
				}
			case strings.HasPrefix(e.Name, "Giỗ Tổ"):
				sawGio = true
				if !d.Equal(gio) {
					t.Errorf("%d: %s on %s, but 10/3 lunar is %s", y, e.Name, e.Date, gio.Format(time.DateOnly))
				}
			case strings.Contains(e.Name, "Giỗ Tổ"): // moved to a working day
				sawGio = true
				if wd := gio.Weekday(); wd != time.Saturday && wd != time.Sunday {
					t.Errorf("%d: Giỗ Tổ moved though 10/3 lunar (%s) is a %s", y, gio.Format(time.DateOnly), wd)
				}
			}
			if strings.Contains(e.Name, "mùng 1 tháng Giêng") || strings.Contains(e.Name, "mùng 1 rơi") {
				sawTet = true
			}
		}
		if !sawTet || !sawGio {
			t.Errorf("%d: Tết listed %v, Giỗ Tổ listed %v", y, sawTet, sawGio)
		}
		for _, e := range v.Off {
			d := date(e.Date)
			if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Errorf("%d: %s (%s) is listed as a day off but is a %s anyway", y, e.Date, e.Name, wd)
			}
		}
		for _, e := range v.Work {
			if wd := date(e.Date).Weekday(); wd != time.Saturday && wd != time.Sunday {
				t.Errorf("%d: make-up day %s is a %s, not a weekend day", y, e.Date, wd)
			}
		}
	}
	for _, y := range []int{2025, 2026, 2027} {
		if in, _ := c.Covered(y); !in {
			t.Errorf("year %d is not in the data", y)
		}
	}
}

func TestWorkingDays(t *testing.T) {
	c := Default()
	tests := []struct {
		day  string
		want bool
	}{
		{"2025-01-01", false}, // Tết Dương lịch
		{"2025-01-02", true},
		{"2025-01-29", false}, // mùng 1 Tết Ất Tỵ
		{"2025-04-26", true},  // a Saturday worked in exchange for 2 May
		{"2025-05-02", false},
		{"2025-09-01", false},
		{"2026-02-18", false},
		{"2026-04-27", false}, // Giỗ Tổ fell on a Sunday
		{"2026-04-28", true},
		{"2026-01-10", true}, // make-up Saturday
		{"2026-01-11", false},
		{"2027-09-03", false},
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(date(tt.day)); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := Default()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2025-03-03", 10, "2025-03-17"}, // two ordinary weeks
		{"2025-03-07", 1, "2025-03-10"},  // Friday: the next working day is Monday
		// Received the Friday before Tết Ất Tỵ: 24/1, then 3/2 onwards.
		{"2025-01-24", 1, "2025-02-03"},
		{"2025-01-24", 10, "2025-02-14"},
		// Over 30/4–1/5/2025 with the swap: 28, 29, (30, 1, 2 off), 5, 6.
		{"2025-04-25", 2, "2025-04-28"}, // Saturday 26/4 is worked
		{"2025-04-27", 4, "2025-05-06"},
	}
	for _, tt := range tests {
		got := c.AddWorkingDays(date(tt.from), tt.n)
		if got.Format(time.DateOnly) != tt.want || got.Hour() != 23 {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want end of %s", tt.from, tt.n, got, tt.want)
		}
		if back := c.WorkingDaysBetween(date(tt.from), got); back != tt.n {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.want, back, tt.n)
		}
	}
	// Late at night in Vietnam is already the next day in UTC terms only for
	// the west: 23:30 ICT on Friday is still Friday.
	late := time.Date(2025, 3, 7, 16, 30, 0, 0, time.UTC) // 23:30 ICT Friday
	if got := c.AddWorkingDays(late, 1).Format(time.DateOnly); got != "2025-03-10" {
		t.Errorf("from Friday 23:30 ICT: %s", got)
	}
}

func TestStatutoryForUncoveredYear(t *testing.T) {
	c := Default()
	v := Statutory(2030)
	if len(v.Off) < 9 {
		t.Fatalf("2030: %d days off, want at least 9: %+v", len(v.Off), v.Off)
	}
	tet := LunarNewYear(2030) // 3 February 2030, a Sunday
	if c.IsWorkingDay(tet.Add(12 * time.Hour)) {
		t.Error("Tết 2030 is a working day")
	}
	if c.IsWorkingDay(time.Date(2030, 9, 2, 9, 0, 0, 0, Zone)) {
		t.Error("2 September 2030 is a working day")
	}
	if in, _ := c.Covered(2030); in {
		t.Error("2030 claims to be in the data")
	}
}

func TestOperatorOverride(t *testing.T) {
	over := `{"years": {"2027": {"confirmed": true, "sources": ["Thông báo thử"], "off": [{"date": "2027-02-04", "name": "Tết (thử)"}], "work": [{"date": "2027-02-20", "name": "Làm bù (thử)"}]}}}`
	c, err := Load(strings.NewReader(over), Default())
	if err != nil {
		t.Fatal(err)
	}
	if c.IsWorkingDay(date("2027-02-04")) {
		t.Error("the override's day off is a working day")
	}
	if !c.IsWorkingDay(date("2027-02-10")) {
		t.Error("the built-in 2027 schedule still applies after an override of 2027")
	}
	if !c.IsWorkingDay(date("2027-02-20")) {
		t.Error("the override's make-up Saturday is not a working day")
	}
	if c.IsWorkingDay(date("2025-01-29")) {
		t.Error("years not in the override lost their holidays")
	}
	for _, bad := range []string{`{"years": {"20x7": {}}}`, `{"years": {"2027": {"off": [{"date": "2028-01-01"}]}}}`, `{"years": {"2027": {"off": [{"date": "31/12/2027"}]}}}`, `{"yeers": {}}`} {
		if _, err := Load(strings.NewReader(bad), nil); err == nil {
			t.Errorf("Load(%s) accepted", bad)
		}
	}
}

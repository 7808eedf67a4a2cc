// Package calendar knows Vietnam's working days: Saturdays and Sundays off,
// the public holidays of the Labour Code (Bộ luật Lao động 2019, Art. 112)
// including the lunar ones (Tết Nguyên đán, Giỗ Tổ Hùng Vương), and the
// days the Government swaps or adds each year. Holidays are data per year
// (holidays.json, shipped in the binary), which an operator can override
// with a file of the same shape when a new schedule is announced. Deadlines
// counted in working days (feedback answers, information requests) use it.
package calendar

import (
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Zone is Vietnam's time zone (UTC+7, no daylight saving): a day is a
// working day or not in Vietnam, wherever the server runs.
var Zone = time.FixedZone("ICT", 7*3600)

//go:embed holidays.json
var builtin embed.FS

// Entry is one day in the holiday file.
type Entry struct {
	Date string `json:"date"` // YYYY-MM-DD
	Name string `json:"name"`
}

// Year is the schedule of one year: the working days that are off, and the
// weekend days that are worked to make up for a swap.
type Year struct {
	Confirmed bool     `json:"confirmed"`
	Sources   []string `json:"sources"`
	Off       []Entry  `json:"off"`
	Work      []Entry  `json:"work"`
}

// File is the holiday file's shape.
type File struct {
	Note  string          `json:"note,omitempty"`
	Years map[string]Year `json:"years"`
}

type day struct {
	y int
	m time.Month
	d int
}

func dayOf(t time.Time) day {
	t = t.In(Zone)
	return day{t.Year(), t.Month(), t.Day()}
}

// Calendar answers which days are working days. It is safe for concurrent
// use; years outside its data are computed from the Labour Code's rules
// (see statutory) the first time they are asked for.
type Calendar struct {
	mu    sync.Mutex
	off   map[day]string
	work  map[day]string
	years map[int]Year // years given as data
	done  map[int]bool // years given or computed
}

var (
	defaultOnce sync.Once
	defaultCal  *Calendar
)

// Default returns the calendar of the built-in holiday file.
func Default() *Calendar {
	defaultOnce.Do(func() {
		f, err := builtin.Open("holidays.json")
		if err != nil {
			panic(err)
		}
		defer f.Close()
		c, err := Load(f, nil)
		if err != nil {
			panic("calendar: built-in holidays.json: " + err.Error())
		}
		defaultCal = c
	})
	return defaultCal
}

// Load reads a holiday file. Years in it replace the same years of base
// (nil: start empty), so an operator's file need only hold the years that
// changed.
func Load(r io.Reader, base *Calendar) (*Calendar, error) {
	var f File
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	years := map[int]Year{}
	if base != nil {
		base.mu.Lock()
		for y, v := range base.years {
			years[y] = v
		}
		base.mu.Unlock()
	}
	for k, v := range f.Years {
		y, err := strconv.Atoi(k)
		if err != nil || y < 1900 || y > 2200 {
			return nil, fmt.Errorf("calendar: year %q is not a year", k)
		}
		for _, list := range [][]Entry{v.Off, v.Work} {
			for _, e := range list {
				t, err := time.Parse(time.DateOnly, e.Date)
				if err != nil {
					return nil, fmt.Errorf("calendar: %s: date %q: %w", k, e.Date, err)
				}
				if t.Year() != y {
					return nil, fmt.Errorf("calendar: %s: date %s belongs to another year", k, e.Date)
				}
			}
		}
		years[y] = v
	}
	c := &Calendar{off: map[day]string{}, work: map[day]string{}, years: years, done: map[int]bool{}}
	for y, v := range years {
		c.addYear(y, v)
	}
	return c, nil
}

// LoadFile reads an operator's holiday file over the built-in one.
func LoadFile(path string) (*Calendar, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	defer f.Close()
	return Load(f, Default())
}

func (c *Calendar) addYear(y int, v Year) {
	for _, e := range v.Off {
		t, _ := time.Parse(time.DateOnly, e.Date)
		c.off[dayOf(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, Zone))] = e.Name
	}
	for _, e := range v.Work {
		t, _ := time.Parse(time.DateOnly, e.Date)
		c.work[dayOf(time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, Zone))] = e.Name
	}
	c.done[y] = true
}

// ensure fills in a year missing from the data with the statutory holidays.
// Called with c.mu held.
func (c *Calendar) ensure(y int) {
	if c.done[y] {
		return
	}
	c.addYear(y, Statutory(y))
}

// Covered reports whether year y is in the data (as opposed to computed),
// and whether its schedule is the officially announced one.
func (c *Calendar) Covered(y int) (inData, confirmed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.years[y]
	return ok, ok && v.Confirmed
}

// Years lists the years in the data with their sources.
func (c *Calendar) Years() map[int]Year {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[int]Year, len(c.years))
	for y, v := range c.years {
		out[y] = v
	}
	return out
}

// Holiday returns the name of the holiday or swapped day off on t's date in
// Vietnam, if any.
func (c *Calendar) Holiday(t time.Time) (string, bool) {
	d := dayOf(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ensure(d.y)
	n, ok := c.off[d]
	return n, ok
}

// IsWorkingDay reports whether t's date in Vietnam is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	d := dayOf(t)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ensure(d.y)
	if _, ok := c.work[d]; ok {
		return true
	}
	if _, ok := c.off[d]; ok {
		return false
	}
	wd := time.Date(d.y, d.m, d.d, 12, 0, 0, 0, Zone).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// EndOfDay returns the last second of t's date in Vietnam.
func EndOfDay(t time.Time) time.Time {
	t = t.In(Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 23, 59, 59, 0, Zone)
}

// AddWorkingDays returns the end (23:59:59 in Vietnam) of the n-th working
// day after from's date: a request received on any day, at any hour, has n
// full working days counted from the next one, as deadlines in working days
// are counted in Vietnamese administrative practice. n <= 0 gives the end of
// from's own date.
func (c *Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	t := from.In(Zone)
	t = time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, Zone)
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if c.IsWorkingDay(t) {
			n--
		}
	}
	return EndOfDay(t)
}

// WorkingDaysBetween counts the working days after a's date up to and
// including b's date (0 when b is not after a).
func (c *Calendar) WorkingDaysBetween(a, b time.Time) int {
	da, db := a.In(Zone), b.In(Zone)
	t := time.Date(da.Year(), da.Month(), da.Day(), 12, 0, 0, 0, Zone)
	end := time.Date(db.Year(), db.Month(), db.Day(), 12, 0, 0, 0, Zone)
	n := 0
	for t.Before(end) {
		t = t.AddDate(0, 0, 1)
		if c.IsWorkingDay(t) {
			n++
		}
	}
	return n
}

// Statutory computes a year's days off from the Labour Code alone, for
// years the data does not cover: 1 January; Tết, the last day of the lunar
// year and the first four of the new one; Giỗ Tổ Hùng Vương (10th day of
// the 3rd lunar month); 30 April; 1 May; 2 September and the day next to it
// (1 September when the 2nd is a Tuesday, else the 3rd). A holiday on a
// Saturday or Sunday moves to the next working day (Art. 112.3). The
// Government's yearly swaps cannot be computed: they come as data.
func Statutory(y int) Year {
	at := func(m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, Zone) }
	type h struct {
		t    time.Time
		name string
	}
	var hs []h
	hs = append(hs, h{at(time.January, 1), "Tết Dương lịch"})
	tet := LunarNewYear(y)
	tet = time.Date(tet.Year(), tet.Month(), tet.Day(), 12, 0, 0, 0, Zone)
	hs = append(hs, h{tet.AddDate(0, 0, -1), "Tết Nguyên đán (ngày cuối năm âm lịch)"})
	for i := 0; i < 4; i++ {
		hs = append(hs, h{tet.AddDate(0, 0, i), fmt.Sprintf("Tết Nguyên đán (mùng %d tháng Giêng)", i+1)})
	}
	if g, ok := LunarToSolar(y, 3, 10, false); ok {
		hs = append(hs, h{time.Date(g.Year(), g.Month(), g.Day(), 12, 0, 0, 0, Zone), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"})
	}
	hs = append(hs, h{at(time.April, 30), "Ngày Chiến thắng"}, h{at(time.May, 1), "Ngày Quốc tế Lao động"},
		h{at(time.September, 2), "Quốc khánh"})
	if at(time.September, 2).Weekday() == time.Tuesday {
		hs = append(hs, h{at(time.September, 1), "Quốc khánh (ngày liền kề)"})
	} else {
		hs = append(hs, h{at(time.September, 3), "Quốc khánh (ngày liền kề)"})
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].t.Before(hs[j].t) })
	taken := map[string]bool{}
	for _, x := range hs {
		taken[x.t.Format(time.DateOnly)] = true
	}
	weekend := func(t time.Time) bool { return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday }
	v := Year{Sources: []string{"Bộ luật Lao động số 45/2019/QH14, Điều 112 (tính tự động, chưa có thông báo chính thức)"}}
	for _, x := range hs {
		t, name := x.t, x.name
		if weekend(t) {
			name = "Nghỉ bù " + name
			for weekend(t) || taken[t.Format(time.DateOnly)] {
				t = t.AddDate(0, 0, 1)
			}
			taken[t.Format(time.DateOnly)] = true
		}
		if t.Year() == y {
			v.Off = append(v.Off, Entry{Date: t.Format(time.DateOnly), Name: name})
		}
	}
	return v
}

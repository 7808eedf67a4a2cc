package calendar

import (
	"math"
	"time"
)

// The Vietnamese lunisolar calendar, computed astronomically for Vietnam's
// time zone (UTC+7), after Hồ Ngọc Đức's published algorithm ("Âm lịch Việt
// Nam", which follows Jean Meeus, Astronomical Algorithms). It is used to
// check the holiday table and to fill in the statutory lunar holidays of a
// year the table does not cover yet. The Vietnamese calendar differs from
// the Chinese one in some years because months begin at new moon in UTC+7.

const vnZone = 7.0

// epochJD is the Julian day number of 1970-01-01.
const epochJD = 2440588

func jdOf(y int, m time.Month, d int) int {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return epochJD + int(t.Unix()/86400)
}

func dateOfJD(jd int) time.Time {
	return time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, jd-epochJD)
}

// newMoon returns the Julian date (fractional) of the k-th new moon after
// 1900-01-01.
func newMoon(k float64) float64 {
	t := k / 1236.85
	t2, t3 := t*t, t*t*t
	dr := math.Pi / 180
	jd1 := 2415020.75933 + 29.53058868*k + 0.0001178*t2 - 0.000000155*t3
	jd1 += 0.00033 * math.Sin((166.56+132.87*t-0.009173*t2)*dr)
	m := 359.2242 + 29.10535608*k - 0.0000333*t2 - 0.00000347*t3
	mpr := 306.0253 + 385.81691806*k + 0.0107306*t2 + 0.00001236*t3
	f := 21.2964 + 390.67050646*k - 0.0016528*t2 - 0.00000239*t3
	c1 := (0.1734-0.000393*t)*math.Sin(m*dr) + 0.0021*math.Sin(2*dr*m)
	c1 = c1 - 0.4068*math.Sin(mpr*dr) + 0.0161*math.Sin(dr*2*mpr)
	c1 -= 0.0004 * math.Sin(dr*3*mpr)
	c1 = c1 + 0.0104*math.Sin(dr*2*f) - 0.0051*math.Sin(dr*(m+mpr))
	c1 = c1 - 0.0074*math.Sin(dr*(m-mpr)) + 0.0004*math.Sin(dr*(2*f+m))
	c1 = c1 - 0.0004*math.Sin(dr*(2*f-m)) - 0.0006*math.Sin(dr*(2*f+mpr))
	c1 = c1 + 0.0010*math.Sin(dr*(2*f-mpr)) + 0.0005*math.Sin(dr*(2*mpr+m))
	var deltat float64
	if t < -11 {
		deltat = 0.001 + 0.000839*t + 0.0002261*t2 - 0.00000845*t3 - 0.000000081*t*t3
	} else {
		deltat = -0.000278 + 0.000265*t + 0.000262*t2
	}
	return jd1 + c1 - deltat
}

// sunLongitude returns the sun's longitude in radians at Julian date jdn.
func sunLongitude(jdn float64) float64 {
	t := (jdn - 2451545.0) / 36525
	t2 := t * t
	dr := math.Pi / 180
	m := 357.52910 + 35999.05030*t - 0.0001559*t2 - 0.00000048*t*t2
	l0 := 280.46645 + 36000.76983*t + 0.0003032*t2
	dl := (1.914600 - 0.004817*t - 0.000014*t2) * math.Sin(dr*m)
	dl += (0.019993-0.000101*t)*math.Sin(dr*2*m) + 0.000290*math.Sin(dr*3*m)
	l := (l0 + dl) * dr
	return l - 2*math.Pi*math.Floor(l/(2*math.Pi))
}

// sunSector returns which of the 12 solar terms (0..11) the local day jd
// starts in.
func sunSector(jd int) int {
	return int(math.Floor(sunLongitude(float64(jd)-0.5-vnZone/24) / math.Pi * 6))
}

func newMoonDay(k int) int { return int(math.Floor(newMoon(float64(k)) + 0.5 + vnZone/24)) }

// month11 returns the first day of the 11th lunar month of year y (the month
// holding the winter solstice).
func month11(y int) int {
	off := jdOf(y, 12, 31) - 2415021
	k := int(math.Floor(float64(off) / 29.530588853))
	nm := newMoonDay(k)
	if sunSector(nm) >= 9 {
		nm = newMoonDay(k - 1)
	}
	return nm
}

func leapMonthOffset(a11 int) int {
	k := int(math.Floor((float64(a11)-2415021.076998695)/29.530588853 + 0.5))
	i := 1
	arc := sunSector(newMoonDay(k + i))
	for {
		last := arc
		i++
		arc = sunSector(newMoonDay(k + i))
		if arc == last || i >= 14 {
			break
		}
	}
	return i - 1
}

// LunarToSolar returns the solar date of day d of lunar month m (leap: the
// intercalary month of that number) of the lunar year that begins in solar
// year y. ok is false for a leap month that does not exist that year.
func LunarToSolar(y, m, d int, leap bool) (date time.Time, ok bool) {
	var a11, b11 int
	if m < 11 {
		a11, b11 = month11(y-1), month11(y)
	} else {
		a11, b11 = month11(y), month11(y+1)
	}
	k := int(math.Floor(0.5 + (float64(a11)-2415021.076998695)/29.530588853))
	off := m - 11
	if off < 0 {
		off += 12
	}
	if b11-a11 > 365 {
		leapOff := leapMonthOffset(a11)
		leapMonth := leapOff - 2
		if leapMonth < 0 {
			leapMonth += 12
		}
		if leap && m != leapMonth {
			return time.Time{}, false
		}
		if leap || off >= leapOff {
			off++
		}
	} else if leap {
		return time.Time{}, false
	}
	return dateOfJD(newMoonDay(k+off) + d - 1), true
}

// LunarNewYear returns the solar date of Tết (the 1st day of the 1st lunar
// month) of solar year y.
func LunarNewYear(y int) time.Time {
	t, _ := LunarToSolar(y, 1, 1, false)
	return t
}

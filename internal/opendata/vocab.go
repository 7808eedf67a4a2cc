package opendata

import "strings"

// License is one entry of the managed list of licences, with CKAN's
// license_list fields.
type License struct {
	ID       string
	Title    string
	TitleVi  string
	URL      string
	OKD      bool // conforms to the Open Definition
	OSI      bool
	Data     bool // suited to data
	Content  bool
	Software bool
	Family   string
}

// Licenses is the managed list. The ids are CKAN's, so harvesters map them
// without a table of their own; CC BY 4.0 is the portal's default.
var Licenses = []License{
	{ID: "cc-by-4.0", Title: "Creative Commons Attribution 4.0", TitleVi: "Creative Commons Ghi công 4.0 (CC BY 4.0)",
		URL: "https://creativecommons.org/licenses/by/4.0/", OKD: true, Data: true, Content: true},
	{ID: "cc-by-sa-4.0", Title: "Creative Commons Attribution Share-Alike 4.0", TitleVi: "Creative Commons Ghi công – Chia sẻ tương tự 4.0 (CC BY-SA 4.0)",
		URL: "https://creativecommons.org/licenses/by-sa/4.0/", OKD: true, Data: true, Content: true},
	{ID: "cc-zero", Title: "Creative Commons CCZero", TitleVi: "Creative Commons CC0 (dành cho phạm vi công cộng)",
		URL: "https://creativecommons.org/publicdomain/zero/1.0/", OKD: true, Data: true, Content: true},
	{ID: "odc-by", Title: "Open Data Commons Attribution License", TitleVi: "Giấy phép Ghi công Open Data Commons (ODC-BY)",
		URL: "https://opendatacommons.org/licenses/by/1-0/", OKD: true, Data: true},
	{ID: "odc-odbl", Title: "Open Data Commons Open Database License (ODbL)", TitleVi: "Giấy phép Cơ sở dữ liệu mở Open Data Commons (ODbL)",
		URL: "https://opendatacommons.org/licenses/odbl/1-0/", OKD: true, Data: true},
	{ID: "odc-pddl", Title: "Open Data Commons Public Domain Dedication and License (PDDL)", TitleVi: "Giấy phép dành cho phạm vi công cộng Open Data Commons (PDDL)",
		URL: "https://opendatacommons.org/licenses/pddl/1-0/", OKD: true, Data: true},
	{ID: "other-open", Title: "Other (Open)", TitleVi: "Giấy phép mở khác", OKD: true, Data: true, Content: true},
	{ID: "notspecified", Title: "License not specified", TitleVi: "Chưa xác định giấy phép"},
}

// DefaultLicense is what a new dataset gets unless its publisher says
// otherwise.
const DefaultLicense = "cc-by-4.0"

// LicenseByID returns a licence of the managed list.
func LicenseByID(id string) (License, bool) {
	for _, l := range Licenses {
		if l.ID == id {
			return l, true
		}
	}
	return License{}, false
}

// DisplayTitle returns the licence's title in lang.
func (l License) DisplayTitle(lang string) string {
	if lang == "vi" && l.TitleVi != "" {
		return l.TitleVi
	}
	return l.Title
}

// Frequencies are the update frequencies a publisher promises, named as the
// EU frequency vocabulary (which DCAT-AP's dct:accrualPeriodicity uses).
var Frequencies = []string{"DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "BIANNUAL", "ANNUAL", "IRREG", "NEVER"}

// FrequencyURI returns the EU vocabulary URI of a frequency code.
func FrequencyURI(code string) string {
	if code == "" {
		return ""
	}
	return "http://publications.europa.eu/resource/authority/frequency/" + code
}

// Formats lists the formats the staff interface offers, with the media type
// each is served as.
var Formats = map[string]string{
	"CSV":     "text/csv",
	"JSON":    "application/json",
	"XLSX":    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"XLS":     "application/vnd.ms-excel",
	"PDF":     "application/pdf",
	"XML":     "application/xml",
	"ZIP":     "application/zip",
	"TXT":     "text/plain",
	"DOCX":    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"GEOJSON": "application/geo+json",
}

// FormatOf guesses a format from a file name.
func FormatOf(filename string) string {
	i := strings.LastIndexByte(filename, '.')
	if i < 0 {
		return ""
	}
	f := strings.ToUpper(filename[i+1:])
	if _, ok := Formats[f]; ok {
		return f
	}
	return ""
}

// Mimetype returns the media type of a format, "" when unknown.
func Mimetype(format string) string { return Formats[strings.ToUpper(format)] }

package bulk

import (
	"strings"
	"testing"
)

func TestReadReportsBadRowsByLine(t *testing.T) {
	jsonl := "{\"a\": \"1\"}\n\n{bad json}\n{\"a\": [\"x\", \"y\"], \"b\": 2}\n"
	rows, bad, err := Read(strings.NewReader(jsonl), "")
	if err != nil || len(rows) != 2 || len(bad) != 1 || bad[0].Line != 3 {
		t.Fatalf("jsonl: rows %v bad %v err %v", rows, bad, err)
	}
	if rows[1].Line != 4 || rows[1].Get("a") != "x\ny" || rows[1].Get("b") != "2" {
		t.Errorf("row 4: %+v", rows[1])
	}
	csvText := "\xEF\xBB\xBFA,b\n1,2\n\"multi\nline\",3\n4\n5,6\n"
	rows, bad, err = Read(strings.NewReader(csvText), "")
	if err != nil || len(rows) != 3 || len(bad) != 1 || bad[0].Line != 5 {
		t.Fatalf("csv: rows %v bad %v err %v", rows, bad, err)
	}
	if rows[1].Line != 3 || len(rows[1].List("a")) != 2 || rows[2].Line != 6 {
		t.Errorf("csv lines: %+v", rows)
	}
}

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/congvn/cong/internal/demo"
	"github.com/congvn/cong/internal/rulepack"
	"github.com/congvn/cong/internal/server"
	"github.com/congvn/cong/internal/store"
)

// demoInstallation builds the demo in a fresh installation of engine e.
func demoInstallation(t *testing.T, e store.Engine) []string {
	t.Helper()
	inst, _ := installation(t, e)
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Dir: flagValue(inst, "--data"), URL: flagValue(inst, "--db"), Media: flagValue(inst, "--media")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Build(ctx, server.NewServices(db)); err != nil {
		t.Fatal(err)
	}
	return inst
}

func TestAuditCommand(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		inst := demoInstallation(t, e)
		// A compliant commune passes: exit 0.
		code, out := runCmd(t, append([]string{"audit", "--site", "so-y-te"}, inst...)...)
		if code != 0 || !strings.Contains(out, "ĐẠT") {
			t.Errorf("so-y-te: %d\n%s", code, out)
		}
		// The Department of Justice has no EMC code: exit 1, and why.
		code, out = runCmd(t, append([]string{"audit", "--site", "so-tu-phap"}, inst...)...)
		if code != 1 || !strings.Contains(out, "emc") || !strings.Contains(out, "thiếu: emc_id") {
			t.Errorf("so-tu-phap: %d\n%s", code, out)
		}
		// All sites, as JSON.
		code, out = runCmd(t, append([]string{"audit", "--json"}, inst...)...)
		var rep struct {
			OK    bool `json:"ok"`
			Sites []struct {
				Site     string `json:"site"`
				Failed   int    `json:"failed"`
				Findings []struct {
					Rule    string `json:"rule"`
					Status  string `json:"status"`
					Reasons []struct {
						Key string `json:"key"`
					} `json:"reasons"`
				} `json:"findings"`
			} `json:"sites"`
			Failing int `json:"failing_sites"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("not JSON: %v\n%.500s", err, out)
		}
		if code != 1 || rep.OK || rep.Failing == 0 || len(rep.Sites) < 140 {
			t.Errorf("all sites: exit %d, %d sites, %d failing", code, len(rep.Sites), rep.Failing)
		}
		code, out = runCmd(t, append([]string{"audit", "--site", "khong-co"}, inst...)...)
		if code != 1 || !strings.Contains(out, "Không có trang này") {
			t.Errorf("unknown site: %d %s", code, out)
		}
		// An operator's pack: the EMC rule dropped, so the department passes.
		text := rulepack.DefaultText()
		text = text[:strings.Index(text, "[section emc]")]
		pack := filepath.Join(t.TempDir(), "hanoi-2026.rules")
		os.WriteFile(pack, []byte(text), 0o644)
		code, out = runCmd(t, append([]string{"audit", "--site", "so-tu-phap", "--rules", pack}, inst...)...)
		if code != 0 {
			t.Errorf("with the operator's pack: %d\n%s", code, out)
		}
	})
}

func TestRulesCommand(t *testing.T) {
	code, out := runCmd(t, "rules", "print")
	if code != 0 || !strings.Contains(out, "[section van-ban]") {
		t.Fatalf("rules print: %d", code)
	}
	bad := filepath.Join(t.TempDir(), "bad.rules")
	os.WriteFile(bad, []byte(strings.Replace(out, "fresh_days = 90", "fresh_days = chín mươi", 1)), 0o644)
	code, msg := runCmd(t, "rules", "check", bad)
	line := 1 + strings.Count(out[:strings.Index(out, "fresh_days = 90")], "\n")
	if code != 1 || !strings.Contains(msg, "bad.rules:"+itoa(line)+": fresh_days") {
		t.Errorf("rules check of a bad pack: %d %s (want line %d)", code, msg, line)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestImportCommand(t *testing.T) {
	eachEngine(t, func(t *testing.T, e store.Engine) {
		inst := demoInstallation(t, e)
		dir := t.TempDir()
		good := filepath.Join(dir, "van-ban.csv")
		os.WriteFile(good, []byte("so_ky_hieu,hinh_thuc,co_quan_ban_hanh,trich_yeu,ngay_ban_hanh\n"+
			"901/QĐ-UBND,Quyết định,UBND Phường Hoàn Kiếm,Về việc thử nhập,02/01/2026\n"+
			"902/QĐ-UBND,Nghị định lạ,UBND Phường Hoàn Kiếm,Loại sai,03/01/2026\n"), 0o644)
		code, out := runCmd(t, append([]string{"import", "documents", "--site", "phuong-hoan-kiem"}, append(inst, good)...)...)
		if code != 1 || !strings.Contains(out, "dòng 3") || !strings.Contains(out, "Nghị định lạ") || !strings.Contains(out, "không nhập gì") {
			t.Errorf("all or nothing: %d\n%s", code, out)
		}
		code, out = runCmd(t, append([]string{"import", "documents", "--site", "phuong-hoan-kiem", "--partial"}, append(inst, good)...)...)
		if code != 1 || !strings.Contains(out, "Đã nhập 1/2") {
			t.Errorf("partial: %d\n%s", code, out)
		}
		code, out = runCmd(t, append([]string{"import", "procedures", "--site", "phuong-hoan-kiem"}, append(inst, "../../internal/procedure/testdata/thu-tuc-mau.jsonl")...)...)
		if code != 0 || !strings.Contains(out, "Đã nhập 3/3") {
			t.Errorf("procedures: %d\n%s", code, out)
		}
	})
}

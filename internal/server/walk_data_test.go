package server_test

import (
	"strings"
	"testing"

	"github.com/congvn/cong/internal/opendata"
	"github.com/congvn/cong/internal/server/servertest"
)

// walkDataset gives the walk a dataset of the target site with a CSV
// resource, for the data portal's staff forms.
func walkDataset(env *servertest.Env, t *testing.T, siteID int64) (string, string) {
	t.Helper()
	ctx := asSystem(t)
	d := &opendata.Dataset{SiteID: siteID, Title: "Dữ liệu của phường Cửa Nam"}
	if err := env.App.Data.CreateDataset(ctx, d); err != nil {
		t.Fatal(err)
	}
	r := &opendata.Resource{Name: "Bảng", Format: "CSV"}
	if err := env.App.Data.AddResource(ctx, d.ID, r, &opendata.File{Name: "bang.csv", Body: strings.NewReader("a,b\n1,2\n")}); err != nil {
		t.Fatal(err)
	}
	return d.ID, r.ID
}

package server_test

import (
	"context"
	"testing"

	"github.com/congvn/cong/internal/access"
	"github.com/congvn/cong/internal/auditlog"
	"github.com/congvn/cong/internal/site"
)

func auditFilterAll(action string) auditlog.Filter {
	return auditlog.Filter{AllSites: true, Action: action, Limit: 100}
}

func asSystem(t *testing.T) context.Context {
	return access.With(t.Context(), access.System("test", "cli"))
}

func siteSettings(st *site.Site) site.Settings {
	return site.Settings{Name: st.Name, NameEn: st.NameEn, Langs: st.Langs, Contact: st.Contact, EMCID: st.EMCID}
}

package storage_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/storage"
)

func TestViews(t *testing.T) {
	s, path := openStore(t)
	ctx := t.Context()
	snap := saveShop(t, s)
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	orders := backend.View{Project: snap.Project, Name: "Orders, upstream", SavedAt: at, ViewSpec: backend.ViewSpec{Select: "+orders", Exclude: "stg_payments",
		IncludeTests: true, IndirectSelection: "eager", GroupBy: "schema", Open: []string{"group:schema:main.marts", "main"},
		Lens: "runs", Runtime: true}}
	for _, v := range []backend.View{
		orders,
		{Project: snap.Project, Name: "alpha", ViewSpec: backend.ViewSpec{Select: "*"}, SavedAt: at},
		{Project: snap.Project, Name: "Zeta 注文", ViewSpec: backend.ViewSpec{Select: "tag:x"}, SavedAt: at},
		{Project: "another_project", Name: "alpha", ViewSpec: backend.ViewSpec{Select: "other"}, SavedAt: at},
	} {
		if err := s.SaveView(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	views, err := s.Views(ctx, snap.Project)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range views {
		names = append(names, v.Name)
	}
	if strings.Join(names, "|") != "alpha|Orders, upstream|Zeta 注文" {
		t.Errorf("views listed as %q, want by name, case aside, and of this project only", names)
	}
	if !reflect.DeepEqual(views[1], orders) {
		t.Errorf("read back %+v,\nsaved %+v", views[1], orders)
	}

	// Saving under a name taken replaces that view.
	replaced := backend.View{Project: snap.Project, Name: "alpha", ViewSpec: backend.ViewSpec{Select: "stg_orders+", Lens: "none"}}
	if err := s.SaveView(ctx, replaced); err != nil {
		t.Fatal(err)
	}
	views, _ = s.Views(ctx, snap.Project)
	if len(views) != 3 || views[0].Select != "stg_orders+" || views[0].Lens != "none" || views[0].GroupBy != "" || views[0].SavedAt.Before(at) {
		t.Errorf("after replacing alpha: %+v", views)
	}

	// Views belong to the project: deleting its snapshot keeps them, and
	// they outlive the store being closed and opened again.
	if err := s.DeleteSnapshot(ctx, snap.ID); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if views, err := s2.Views(ctx, snap.Project); err != nil || len(views) != 3 {
		t.Errorf("after the snapshot's deletion and a reopen: %d views, %v", len(views), err)
	}

	if err := s2.DeleteView(ctx, snap.Project, "alpha"); err != nil {
		t.Fatal(err)
	}
	if err := s2.DeleteView(ctx, snap.Project, "alpha"); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), `"alpha"`) {
		t.Errorf("deleting it again: %v, want ENOTFOUND naming it", err)
	}
	if views, _ := s2.Views(ctx, "another_project"); len(views) != 1 || views[0].Select != "other" {
		t.Errorf("another project's view of the same name was touched: %+v", views)
	}

	for name, want := range map[string]string{
		"":                      "needs a name",
		"  ":                    "needs a name",
		" padded":               "spaces",
		"tab\there":             "control characters",
		strings.Repeat("x", 81): "longer than 80",
		"bad \xff utf8":         "UTF-8",
	} {
		err := s2.SaveView(ctx, backend.View{Project: snap.Project, Name: name, ViewSpec: backend.ViewSpec{Select: "x"}})
		if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), want) {
			t.Errorf("name %q: %v, want EINVALID saying %q", name, err, want)
		}
	}
	if err := s2.SaveView(ctx, backend.View{Name: "x", ViewSpec: backend.ViewSpec{Select: "x"}}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("a view of no project: %v", err)
	}
}

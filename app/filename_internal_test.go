package app

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExportFilename(t *testing.T) {
	for _, c := range []struct{ project, selector, format, want string }{
		{"jaffle_shop", "+orders+", "svg", "jaffle_shop-+orders+.svg"}, // + and @ are safe in file names
		{"jaffle_shop", "@orders", "svg", "jaffle_shop-@orders.svg"},
		{"jaffle_日本", "注文+", "png", "jaffle_日本-注文+.png"}, // letters of any script stay
		{"shop", `exposure:"Pulse queries"`, "mermaid", "shop-exposure_Pulse_queries.mmd"},
	} {
		if got := exportFilename(c.project, c.selector, c.format); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.project, c.selector, got, c.want)
		}
	}
	for _, c := range []struct {
		req  LineageRequest
		want string
	}{
		{LineageRequest{Select: "+orders+"}, "+orders+-s12"},
		{LineageRequest{Select: "+orders+", GroupBy: "folder", IncludeTests: true}, "+orders+-by-folder-tests-s12"},
		{LineageRequest{Select: "orders", GroupBy: "select:tag:x", Diff: true, AcrossProjects: true}, "orders-by-selection-diff-across-projects-s12"},
		{LineageRequest{Select: "orders", GroupBy: "none"}, "orders-s12"},
	} {
		if got := pictureName(c.req, 12); got != c.want {
			t.Errorf("%+v: %q, want %q", c.req, got, c.want)
		}
	}
	long := exportFilename("日本", strings.Repeat("注", 200), "pdf")
	if !utf8.ValidString(long) || utf8.RuneCountInString(strings.TrimSuffix(long, ".pdf")) != 80 {
		t.Errorf("a long name is cut to 80 characters, whole: %q", long)
	}
}

package app

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// FuzzViewFile: whatever a view file holds, reading it never panics, and
// what it accepts is a view a picture can be drawn from that writes back
// to a file read as the same view.
func FuzzViewFile(f *testing.F) {
	for _, seed := range []string{
		`{"lineagedesk_view": 1, "project": "shop", "name": "Orders", "select": "+orders+", "exclude": "tag:x", "group_by": "schema", "open": ["main"], "lens": "runs", "include_tests": true, "indirect_selection": "eager", "runtime": true, "saved_at": "2026-12-06T10:00:00Z"}`,
		`{"lineagedesk_view": 1, "project": "p", "name": "n", "select": " x ", "group_by": "select:+a --exclude a"}`,
		`{"lineagedesk_view": 2}`, `{"lineagedesk_view": -1, "project": "p"}`, `{"select": "x"}`, `[]`, `null`, ``, `{"lineagedesk_view": 1e400}`,
		`{"lineagedesk_view": 1, "project": "p", "name": "\u0000", "select": "x"}`,
		`{"lineagedesk_view": 1, "project": "p", "name": "n", "select": "x", "open": ["a"]}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, content string) {
		v, err := parseViewFile(content)
		if err != nil {
			if backend.ErrorCode(err) != backend.EINVALID {
				t.Fatalf("refused with %v, want EINVALID", err)
			}
			return
		}
		if err := checkView(v); err != nil || v.Project == "" {
			t.Fatalf("accepted a view no picture can be drawn from: %+v (%v)", v, err)
		}
		data, err := json.Marshal(viewFile{Format: viewFileVersion, View: v})
		if err != nil {
			t.Fatal(err)
		}
		again, err := parseViewFile(string(data))
		if err != nil || !reflect.DeepEqual(again, v) {
			t.Fatalf("written back and read again: %+v (%v), want %+v", again, err, v)
		}
	})
}

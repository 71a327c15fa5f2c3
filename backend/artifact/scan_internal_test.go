package artifact

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzUnquote checks our string decoder against encoding/json on every
// valid JSON string literal.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{`"a\nb"`, `"\u00e9\ud83d\ude00"`, `"\ud800x"`, `"\"\\\/\b\f\r\t"`, `"\ud83d\u0041"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, lit []byte) {
		var want string
		if !utf8.Valid(lit) || json.Unmarshal(lit, &want) != nil || len(lit) == 0 || lit[0] != '"' {
			return
		}
		if got := str(lit); got != want {
			t.Fatalf("str(%s) = %q, want %q", lit, got, want)
		}
	})
}

// FuzzValidEnd checks our validator accepts exactly what encoding/json does.
func FuzzValidEnd(f *testing.F) {
	for _, s := range []string{`{"a": [1, -2.5e3, true, null, "x\u00e9"]}`, `[]`, `{"a":}`, `[1,]`, `"\x01"`, `01`, `{"a" 1}`, `[tru]`, `-`, `1.`, `{"a":{"b":[{}]}} `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		end, err := validEnd(data, 0)
		ok := err == nil && skipSpace(data, end) == len(data)
		if want := json.Valid(data); ok != want && utf8.Valid(data) {
			t.Fatalf("validEnd(%q): %v (%v), json.Valid %v", data, ok, err, want)
		}
	})
}

// TestNestingLimit: a value may nest as deep as SQLite stores JSON, less
// a margin for where it sits; deeper is refused where it is found.
func TestNestingLimit(t *testing.T) {
	nested := func(depth int) []byte {
		return []byte(strings.Repeat(`{"a":[`, depth/2) + strings.Repeat(`]}`, depth/2))
	}
	if end, err := containerEnd(nested(maxNesting), 0); err != nil || end != len(nested(maxNesting)) {
		t.Fatalf("%d levels: end %d, %v", maxNesting, end, err)
	}
	_, err := containerEnd(nested(maxNesting+2), 0)
	var syntax *syntaxError
	if !errors.As(err, &syntax) || syntax.offset != 6*(maxNesting/2) || !strings.Contains(err.Error(), "nests deeper than 512 levels") {
		t.Fatalf("%d levels: %v", maxNesting+2, err)
	}
}

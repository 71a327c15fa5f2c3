package cli

import (
	"bytes"
	"testing"
)

func TestTerminalText(t *testing.T) {
	cases := []struct {
		writes []string
		want   string
	}{
		{[]string{"plain\ttext\n"}, "plain\ttext\n"},
		{[]string{"a\x1b[2Jb\x07c\rd\x7fe\x00"}, "a\uFFFD[2Jb\uFFFDc\uFFFDd\uFFFDe\uFFFD"},
		{[]string{"csi \u009b31m"}, "csi \uFFFD31m"},
		// A C1 control split over two writes, and a 0xC2 that starts an
		// ordinary character (U+00E9 is C3 A9; U+00A0 is C2 A0).
		{[]string{"x\xc2", "\x9by"}, "x\uFFFDy"},
		{[]string{"x\xc2", "\xa0y"}, "x\u00a0y"},
		{[]string{"café ½ 日本"}, "café ½ 日本"},
		// Bidi overrides and isolates and line separators, whole and cut.
		{[]string{"abc\u202Efed\u2066x\u2069 \u2028end"}, "abc\uFFFDfed\uFFFDx\uFFFD \uFFFDend"},
		{[]string{"a\xe2", "\x80", "\xaeb"}, "a\uFFFDb"},
		{[]string{"a\xe2\x80", "\x93b"}, "a\u2013b"}, // an en dash, cut
		{[]string{"bad \xff byte"}, "bad \xff byte"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		w := &terminalText{w: &buf}
		for _, s := range c.writes {
			if n, err := w.Write([]byte(s)); err != nil || n != len(s) {
				t.Fatalf("Write(%q) = %d, %v", s, n, err)
			}
		}
		if buf.String() != c.want {
			t.Errorf("%q: got %q, want %q", c.writes, buf.String(), c.want)
		}
	}
}

package cli

import (
	"io"
	"unicode/utf8"
)

// terminalText passes text on with the characters a terminal acts on
// replaced by U+FFFD: escape sequences, BEL and the other C0 controls but
// newline and tab, DEL, the C1 controls (U+0080-U+009F), and the bidi
// overrides and isolates and line separators that reorder or split what is
// shown (U+202A-U+202E, U+2066-U+2069, U+2028, U+2029). Artifact text is
// anyone's text: printed raw it could retitle the window, clear the screen,
// write the clipboard (OSC 52), fake links (OSC 8) or show a name other
// than it is. JSON stays valid: encoding/json escapes the C0 controls, and
// the others become U+FFFD. Every command's output goes through it:
// lineage writes only text to stdout (a PNG or PDF needs -o).
type terminalText struct {
	w io.Writer
	// carry is the start of a rune the previous Write cut. (Left over at
	// the very end, it is dropped: alone it is not UTF-8 anyway.)
	carry []byte
}

const replacement = "\uFFFD"

func (t *terminalText) Write(p []byte) (int, error) {
	in := p
	if len(t.carry) > 0 {
		in = append(t.carry, p...)
		t.carry = nil
	}
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); {
		c := in[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				out = append(out, replacement...)
			} else {
				out = append(out, c)
			}
			i++
			continue
		}
		if !utf8.FullRune(in[i:]) {
			t.carry = append([]byte(nil), in[i:]...)
			break
		}
		r, size := utf8.DecodeRune(in[i:])
		if actsOnTerminal(r) {
			out = append(out, replacement...)
		} else {
			out = append(out, in[i:i+size]...) // an invalid byte passes as it came
		}
		i += size
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

func actsOnTerminal(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029
}

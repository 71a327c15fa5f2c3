package cli

import "io"

// terminalText passes text on with the control characters a terminal acts
// on replaced by U+FFFD: escape sequences, BEL and the like, and the C1
// controls (U+0080-U+009F). Artifact text is anyone's text, and printed
// raw it could retitle the window, clear the screen, write the clipboard
// (OSC 52) or fake links (OSC 8). Newlines and tabs stay; JSON is unchanged
// but for its C1 characters and DEL, which become U+FFFD (still valid JSON),
// since encoding/json escapes the rest. Every command's output goes through
// it: lineage writes only text to stdout (a PNG or PDF needs -o).
type terminalText struct {
	w io.Writer
	// lead: the previous Write ended with 0xC2, which with the next byte
	// may be a C1 control. (A 0xC2 that ends the output is dropped: alone
	// it is not UTF-8 anyway.)
	lead bool
}

const replacement = "\uFFFD"

func (t *terminalText) Write(p []byte) (int, error) {
	out := make([]byte, 0, len(p))
	i := 0
	if t.lead {
		t.lead = false
		if len(p) > 0 && p[0] >= 0x80 && p[0] <= 0x9f {
			out = append(out, replacement...)
			i = 1
		} else {
			out = append(out, 0xC2)
		}
	}
	for ; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\n' || c == '\t':
			out = append(out, c)
		case c < 0x20 || c == 0x7f:
			out = append(out, replacement...)
		case c == 0xC2 && i+1 == len(p):
			t.lead = true // decided by the next Write
		case c == 0xC2 && p[i+1] >= 0x80 && p[i+1] <= 0x9f:
			out = append(out, replacement...)
			i++
		default:
			out = append(out, c)
		}
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

package artifact

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// JSON is UTF-8, and the store's text columns must be too: a byte that is
// not (a description pasted from a Latin-1 file) would make tools that read
// the store fail on the row. Such bytes are read as U+FFFD, with a warning.

// notUTF8Warning says how many bytes were replaced in the file.
func notUTF8Warning(path string, bad int) string {
	return fmt.Sprintf("%s: %s not UTF-8, each read as U+FFFD (\uFFFD); most likely text dbt took from a YAML or SQL file not saved as UTF-8", path, count(bad, "byte"))
}

// validUTF8 returns data with each byte that is not UTF-8 replaced by
// U+FFFD, and how many there were. (Byte by byte, not run by run, so that
// a stream cut anywhere reads the same.)
func validUTF8(data []byte) ([]byte, int) {
	if utf8.Valid(data) {
		return data, 0
	}
	out := make([]byte, 0, len(data)+16)
	bad := 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			out = append(out, "\uFFFD"...)
			bad++
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	return out, bad
}

// utf8Reader is validUTF8 for a stream (the manifest is read in chunks): a
// rune cut by a chunk's end is carried over to the next chunk.
type utf8Reader struct {
	r     io.Reader
	buf   []byte
	carry []byte // the start of a rune the last chunk cut
	out   []byte // checked bytes not yet returned (they may alias buf)
	err   error
	bad   int
}

func newUTF8Reader(r io.Reader) *utf8Reader {
	return &utf8Reader{r: r, buf: make([]byte, 1<<16)}
}

func (u *utf8Reader) Read(p []byte) (int, error) {
	for len(u.out) == 0 {
		if u.err != nil {
			if len(u.carry) > 0 { // the file ends inside a rune
				u.out, u.carry = u.check(u.carry), nil
				continue
			}
			return 0, u.err
		}
		// buf is refilled only here, once u.out (which may alias it) is drained.
		k := copy(u.buf, u.carry)
		n, err := u.r.Read(u.buf[k:])
		u.err = err
		chunk := u.buf[:k+n]
		cut := len(chunk)
		if err == nil {
			cut = completeRunes(chunk)
		}
		u.carry = append([]byte(nil), chunk[cut:]...)
		u.out = u.check(chunk[:cut])
	}
	n := copy(p, u.out)
	u.out = u.out[n:]
	return n, nil
}

func (u *utf8Reader) check(b []byte) []byte {
	fixed, bad := validUTF8(b)
	u.bad += bad
	return fixed
}

// completeRunes is the length of b's prefix that ends with a whole rune:
// up to 3 trailing bytes that begin an unfinished one are left out.
func completeRunes(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.FullRune(b[i:]) {
				return len(b)
			}
			return i
		}
	}
	return len(b)
}

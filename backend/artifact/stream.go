package artifact

import (
	"errors"
	"fmt"
	"io"
)

// jsonStream reads one JSON document from a reader through a window of a
// few megabytes, so a manifest of hundreds of megabytes is never in memory
// whole: values are validated (validEnd) and handed out as slices of the
// window, valid until the next call. The window grows only for a value
// larger than itself.
type jsonStream struct {
	r    io.Reader
	buf  []byte // buf[pos:] is read and not yet consumed
	pos  int
	base int64 // offset in the document of buf[0], for error messages
	eof  bool
	err  error // a read error other than the end of the input
	// chunk is the least a refill asks the reader for (tests make it tiny
	// to cut values at every position).
	chunk int
	// maxValue bounds the window (maxValueSize; tests make it small).
	maxValue int
}

// streamChunk is the chunk of a jsonStream.
const streamChunk = 1 << 20

// maxValueSize bounds the window, so one value: a manifest's largest is a
// section checked whole (child_map: tens of MB on 50,000 models), or an
// entry (a few MB of SQL at most); a gzip bomb of one 4 GB string took
// 14.7 GB before this, 0.7 GB now.
const maxValueSize = 256 << 20

// errValueTooLarge is a jsonStream's error for a value past maxValueSize.
type errValueTooLarge struct {
	offset int64
	max    int
}

func (e *errValueTooLarge) Error() string {
	return fmt.Sprintf("a value at byte %d larger than %s", e.offset, sizeText(e.max))
}

// sizeText writes a byte count in MB, or bytes below one.
func sizeText(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%d MB", n>>20)
}

func newJSONStream(r io.Reader, chunk int) *jsonStream {
	return &jsonStream{r: r, buf: make([]byte, 0, 2*chunk), chunk: chunk, maxValue: maxValueSize}
}

// fill drops the consumed bytes, grows the window when it is short of room
// and reads until it is full or the input ends. It reports whether anything
// was added.
func (s *jsonStream) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:])
		s.base += int64(s.pos)
		s.buf, s.pos = s.buf[:n], 0
	}
	if cap(s.buf)-len(s.buf) < s.chunk {
		if len(s.buf) >= s.maxValue {
			s.eof, s.err = true, &errValueTooLarge{offset: s.base, max: s.maxValue}
			return false
		}
		// Doubling keeps the rescans of a value that does not fit linear.
		grown := make([]byte, len(s.buf), min(2*cap(s.buf)+s.chunk, s.maxValue+s.chunk))
		copy(grown, s.buf)
		s.buf = grown
	}
	n, err := io.ReadFull(s.r, s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF: // not errors.Is: a wrapped cause is a failure
		s.eof = true
	case err != nil:
		s.eof, s.err = true, err
	}
	return n > 0
}

// fileError turns an error of a scan of the window into one with the
// offset in the document, or returns the read error that cut it short.
func (s *jsonStream) fileError(err error) error {
	if s.err != nil {
		return s.err
	}
	var se *syntaxError
	if errors.As(err, &se) {
		return &syntaxError{offset: int(s.base) + se.offset, msg: se.msg, truncated: se.truncated}
	}
	return err
}

// peek returns the next byte after white space without consuming it; ok
// is false at the end of the input.
func (s *jsonStream) peek() (byte, bool) {
	for {
		s.pos = skipSpace(s.buf, s.pos)
		if s.pos < len(s.buf) {
			return s.buf[s.pos], true
		}
		if !s.fill() {
			return 0, false
		}
	}
}

// expect consumes c, the next byte after white space.
func (s *jsonStream) expect(c byte, what string) error {
	got, ok := s.peek()
	if !ok {
		return s.fileError(truncatedAt(len(s.buf)))
	}
	if got != c {
		return s.fileError(badSyntax(s.pos, "%s", what))
	}
	s.pos++
	return nil
}

// scan runs a scanner of the window at the next value, reading more while
// the value runs past the window's end. A value that ends exactly at the
// window's end may go on (a number) and is scanned again with more input.
func (s *jsonStream) scan(end func(data []byte, i int) (int, error)) (int, int, error) {
	if _, ok := s.peek(); !ok {
		return 0, 0, s.fileError(truncatedAt(len(s.buf)))
	}
	for {
		j, err := end(s.buf, s.pos)
		var se *syntaxError
		truncated := err != nil && errors.As(err, &se) && se.truncated || err == nil && j == len(s.buf)
		if truncated && !s.eof {
			s.fill()
			continue
		}
		if err != nil {
			return 0, 0, s.fileError(err)
		}
		return s.pos, j, nil
	}
}

// value consumes the next JSON value, checked to be valid, and returns it.
// The slice is only valid until the next call.
func (s *jsonStream) value() ([]byte, error) {
	i, j, err := s.scan(validEnd)
	if err != nil {
		return nil, err
	}
	s.pos = j
	return s.buf[i:j], nil
}

// key consumes `"key" :` and returns the key, unescaped.
func (s *jsonStream) key() (string, error) {
	i, j, err := s.scan(validKey)
	if err != nil {
		return "", err
	}
	s.pos = j
	// scan started at the key's quote (peek skipped the space before it).
	end, escaped, err := stringEnd(s.buf[:j], i)
	if err != nil { // cannot happen after validKey
		return "", s.fileError(err)
	}
	k := s.buf[i:end]
	if escaped {
		return unquote(k), nil
	}
	return string(k[1 : len(k)-1]), nil
}

// next consumes the ',' or the closer after a member or element and
// reports whether another one follows.
func (s *jsonStream) next(closer byte) (bool, error) {
	c, ok := s.peek()
	if !ok {
		return false, s.fileError(truncatedAt(len(s.buf)))
	}
	s.pos++
	switch c {
	case ',':
		return true, nil
	case closer:
		return false, nil
	}
	return false, s.fileError(badSyntax(s.pos-1, "expected ',' or %q", closer))
}

// open consumes the opener of an empty or non-empty container and reports
// whether it has members, consuming the closer of an empty one.
func (s *jsonStream) open(opener, closer byte) (bool, error) {
	if err := s.expect(opener, "expected "+string(opener)); err != nil {
		return false, err
	}
	c, ok := s.peek()
	if !ok {
		return false, s.fileError(truncatedAt(len(s.buf)))
	}
	if c == closer {
		s.pos++
		return false, nil
	}
	return true, nil
}

// rest returns the unread bytes at the start of the window, for messages.
func (s *jsonStream) rest(n int) []byte {
	for len(s.buf)-s.pos < n && s.fill() {
	}
	return s.buf[s.pos:min(len(s.buf), s.pos+n)]
}

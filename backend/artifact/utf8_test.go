package artifact

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// The stream check agrees with the whole-buffer one however the input is
// cut into reads, a rune split across reads included.
func TestUTF8ReaderAgreesWithValidUTF8(t *testing.T) {
	inputs := [][]byte{
		[]byte(`{"a": "plain ascii"}`),
		[]byte(`{"a": "café – 日本語 – 🎉"}`),
		[]byte("{\"a\": \"latin-1 caf\xe9 and \xff\xfe twice\"}"),
		[]byte("ends inside a rune \xe6\x97"),
		[]byte("\xe6\x97\xa5 starts whole"),
	}
	for _, in := range inputs {
		want, wantRuns := validUTF8(in)
		for _, size := range []int{1, 2, 3, 5, 64} {
			u := newUTF8Reader(iotest.OneByteReader(io.LimitReader(bytes.NewReader(in), int64(len(in)))))
			if size > 1 {
				u = newUTF8Reader(&chunked{data: in, size: size})
			}
			got, err := io.ReadAll(u)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) || u.bad != wantRuns || !utf8.Valid(got) {
				t.Errorf("%q in reads of %d: got %q (%d runs), want %q (%d)", in, size, got, u.bad, want, wantRuns)
			}
		}
	}
	if _, bad := validUTF8([]byte("caf\xe9 \xff\xfe")); bad != 3 {
		t.Errorf("bad = %d, want 3", bad)
	}
}

// chunked hands out data size bytes per Read.
type chunked struct {
	data []byte
	size int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.size)], c.data)
	c.data = c.data[n:]
	return n, nil
}

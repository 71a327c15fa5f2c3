package render

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// The worker protocol's framing: a uvarint length, then that many bytes.

func writeUvarint(w *bufio.Writer, v uint64) error {
	var b [binary.MaxVarintLen64]byte
	_, err := w.Write(b[:binary.PutUvarint(b[:], v)])
	return err
}

func writeFrame(w *bufio.Writer, b []byte) error {
	if err := writeUvarint(w, uint64(len(b))); err != nil {
		return err
	}
	_, err := w.Write(b)
	return err
}

func readUvarint(r *bufio.Reader) (uint64, error) {
	v, err := binary.ReadUvarint(r)
	if err == io.EOF {
		return 0, io.ErrUnexpectedEOF
	}
	return v, err
}

// readFrame reads one frame of at most limit bytes. io.EOF means the
// stream ended cleanly before it; a frame cut short is io.ErrUnexpectedEOF.
func readFrame(r *bufio.Reader, limit int) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, err // io.EOF only when no byte of the length was read
	}
	if n > uint64(limit) {
		return nil, fmt.Errorf("frame of %d bytes is over the %d-byte limit", n, limit)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return b, nil
}

// residentBytes is this process's resident set size, or 0 where
// /proc/self/statm does not exist (then a worker is never replaced for its
// size).
func residentBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseInt(fields[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * int64(os.Getpagesize())
}

package backend

import "testing"

func TestFormatSeconds(t *testing.T) {
	for s, want := range map[float64]string{
		0: "0.00 s", 0.42: "0.42 s", 9.994: "9.99 s", 9.996: "10.0 s", 12.34: "12.3 s", 59.94: "59.9 s",
		59.96: "1 min 00 s", 245: "4 min 05 s", 3599.4: "59 min 59 s", 3599.6: "1 h 00 min", 7322: "2 h 02 min",
	} {
		if got := FormatSeconds(s); got != want {
			t.Errorf("FormatSeconds(%v) = %q, want %q", s, got, want)
		}
	}
}

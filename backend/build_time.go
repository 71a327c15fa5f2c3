package backend

import (
	"fmt"
	"math"
)

// BuildTime is how a model, seed or snapshot fared in one run: its status
// and how long it took.
type BuildTime struct {
	Status  string  `json:"status"`
	Seconds float64 `json:"seconds"`
}

// FormatSeconds writes a duration as people read run times: "0.42 s",
// "12.3 s", "4 min 05 s", "1 h 02 min".
func FormatSeconds(s float64) string {
	switch {
	case s < 9.995:
		return fmt.Sprintf("%.2f s", s)
	case s < 59.95:
		return fmt.Sprintf("%.1f s", s)
	case s < 3599.5:
		whole := int(math.Round(s))
		return fmt.Sprintf("%d min %02d s", whole/60, whole%60)
	}
	minutes := int(math.Round(s / 60))
	return fmt.Sprintf("%d h %02d min", minutes/60, minutes%60)
}

package backend

// BuildTime is how a model, seed or snapshot fared in one run: its status
// and how long it took.
type BuildTime struct {
	Status  string  `json:"status"`
	Seconds float64 `json:"seconds"`
}

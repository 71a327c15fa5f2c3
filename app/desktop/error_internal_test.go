package desktop

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// An error reaches the page as JSON text of {code, message}: Wails's
// runtime rejects a call with new Error(what the formatter returned), which
// keeps a string as the Error's message and turns an object into
// "[object Object]" (QA: every error in the window read so).
func TestErrorReachesThePageAsText(t *testing.T) {
	err := fmt.Errorf("lineage: %w", backend.Errorf(backend.ENOTFOUND, `"nosuch+" matches no name, fqn or unique_id`))
	text, ok := errorText(err).(string)
	if !ok {
		t.Fatalf("errorText gives %T, want a string", errorText(err))
	}
	var got backend.ErrorPayload
	if jerr := json.Unmarshal([]byte(text), &got); jerr != nil || got != backend.NewErrorPayload(err) {
		t.Errorf("the page reads %q as %+v (%v), want %+v", text, got, jerr, backend.NewErrorPayload(err))
	}
}

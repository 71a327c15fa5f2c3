package app

import (
	"context"
	"testing"
)

// A second request under the same id cancels the first; the first one's
// end must not take the second's cancel away with it.
func TestRequestIDReusedKeepsTheLaterCancel(t *testing.T) {
	r := newRequestRegistry()
	first, endFirst := r.start(context.Background(), "pic")
	second, endSecond := r.start(context.Background(), "pic")
	defer endSecond()
	if first.Err() == nil {
		t.Error("the first request under the id is still running")
	}
	endFirst()
	r.cancel("pic")
	if second.Err() == nil {
		t.Error("CancelRequest after the first request ended did not cancel the second")
	}
}

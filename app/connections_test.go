package app_test

import (
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud/fakecloud"
)

// A saved token goes only to the access URL it was saved for: an edit (or
// a test) that names another host with the token left empty is refused
// before anything is sent there, and the saved connection is unchanged.
func TestSavedTokenStaysWithItsAccessURL(t *testing.T) {
	a, _, _ := openApp(t)
	home := cloudWithRuns(t)
	connect(t, a, home)
	elsewhere := fakecloud.New(t)
	elsewhere.AddAccount(fakecloud.Account{ID: accountID, Name: "Elsewhere"})

	moved := app.ConnectionInput{Name: "prod", AccessURL: elsewhere.URL, AccountID: accountID}
	if _, err := a.TestConnection(moved); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "paste the token again") {
		t.Fatalf("testing a saved connection against another host: %v", err)
	}
	if _, err := a.SaveConnection(moved); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "access URL changed") {
		t.Fatalf("saving a saved connection with another host and no token: %v", err)
	}
	if n := len(elsewhere.Requests()); n != 0 {
		t.Fatalf("the other host received %d requests", n)
	}
	cs, err := a.Connections()
	if err != nil || len(cs) != 1 || cs[0].AccessURL != strings.TrimRight(home.URL, "/") {
		t.Fatalf("the saved connection changed: %+v, %v", cs, err)
	}

	// With the token typed again the move is the user's own, and allowed.
	moved.Token = elsewhere.Token
	if _, err := a.TestConnection(moved); err != nil {
		t.Fatalf("test with the token typed again: %v", err)
	}
	if _, err := a.SaveConnection(moved); err != nil {
		t.Fatalf("save with the token typed again: %v", err)
	}
	// The same host with the token left empty still keeps the saved token.
	moved.Token = ""
	if _, err := a.TestConnection(moved); err != nil {
		t.Fatalf("test of the saved connection on its own host: %v", err)
	}
}

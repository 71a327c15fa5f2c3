// Package desktop opens Lineage Desk's Wails window. It binds the same
// *app.App the browser and the CLI use; Wails generates the JavaScript
// bindings (window.go.app.App.*) from its exported methods.
package desktop

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/app/desktop/lazygtk"
	"github.com/lineagedesk/lineagedesk/backend"
)

// Bridge gives the app what only the window has: events to the frontend
// and native dialogs. It works once Wails has started; events emitted
// before start-up are dropped (nothing is listening yet).
type Bridge struct {
	mu  sync.RWMutex
	ctx context.Context
}

// Emit sends an event to the frontend.
func (e *Bridge) Emit(name string, payload any) {
	e.mu.RLock()
	ctx := e.ctx
	e.mu.RUnlock()
	if ctx != nil {
		runtime.EventsEmit(ctx, name, payload)
	}
}

func (e *Bridge) started(ctx context.Context) {
	e.mu.Lock()
	e.ctx = ctx
	e.mu.Unlock()
}

// PickFolder opens the system's folder dialog; "" when cancelled.
func (e *Bridge) PickFolder(title string) (string, error) {
	e.mu.RLock()
	ctx := e.ctx
	e.mu.RUnlock()
	if ctx == nil {
		return "", backend.Errorf(backend.EUNAVAILABLE, "the window is not ready yet")
	}
	// At home: GTK opens on "Recent" otherwise, where a path typed leaves
	// Open greyed out (QA).
	home, _ := os.UserHomeDir()
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title, DefaultDirectory: home, CanCreateDirectories: false})
}

// SaveFile opens the system's save dialog offering filename in dir; ""
// when cancelled.
func (e *Bridge) SaveFile(title, dir, filename string) (string, error) {
	e.mu.RLock()
	ctx := e.ctx
	e.mu.RUnlock()
	if ctx == nil {
		return "", backend.Errorf(backend.EUNAVAILABLE, "the window is not ready yet")
	}
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: title, DefaultDirectory: dir, DefaultFilename: filename, CanCreateDirectories: true})
}

// Run opens the window and blocks until it is closed. a must have been
// created with bridge as its Emitter and Dialogs.
func Run(a *app.App, events *Bridge, assets fs.FS, onShutdown func()) error {
	if err := lazygtk.Load(); err != nil {
		return fmt.Errorf("the window needs GTK 3 and WebKitGTK 4.1 (Debian: apt-get install libwebkit2gtk-4.1-0), "+
			"which could not be loaded: %w; 'lineagedesk serve --open' shows the app in a browser without them", err)
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" && os.Getenv("GSETTINGS_BACKEND") == "" {
		// No session bus (a bare X server, Xvfb): GTK's settings would go to
		// dconf through one, and its file dialogs wrote ~20 warnings a
		// second to standard error asking for dbus-launch (QA).
		os.Setenv("GSETTINGS_BACKEND", "memory")
	}
	return wails.Run(&options.App{
		Title:            "Lineage Desk",
		Width:            1280,
		Height:           800,
		MinWidth:         960,
		MinHeight:        600,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 24, G: 26, B: 31, A: 255},
		OnStartup:        events.started,
		OnShutdown:       func(context.Context) { onShutdown() },
		Bind:             []any{a},
		ErrorFormatter:   errorText,
	})
}

// errorText is an error as the page reads it: the {code, message} the
// HTTP API sends, as JSON text. Wails's runtime rejects a call with
// new Error(whatever the formatter returned), so an object arrived as
// "[object Object]" (QA: every error in the window read so, its code lost
// with it); a string arrives as the Error's message, which the page's
// transport parses (toApiError).
func errorText(err error) any {
	text, _ := json.Marshal(backend.NewErrorPayload(err)) // two strings: it cannot fail
	return string(text)
}

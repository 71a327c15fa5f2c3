// Command lineagedesk is Lineage Desk: with no arguments it opens the
// desktop window, `serve` serves the same UI to a browser on 127.0.0.1, and
// every other subcommand is the CLI. All three call one application layer.
package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/term"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/app/cli"
	"github.com/lineagedesk/lineagedesk/app/demo"
	"github.com/lineagedesk/lineagedesk/app/desktop"
	"github.com/lineagedesk/lineagedesk/backend/hugepage"
	"github.com/lineagedesk/lineagedesk/backend/secret"
	"github.com/lineagedesk/lineagedesk/storage"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

//go:embed all:frontend/dist
var frontendDist embed.FS

func main() {
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	assets, err := fs.Sub(frontendDist, "frontend/dist")
	if err != nil {
		fmt.Fprintln(os.Stderr, "lineagedesk: embedded frontend missing:", err)
		return 1
	}
	env := cli.Env{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		Getenv:           os.Getenv,
		IsTerminal:       term.IsTerminal(int(os.Stderr.Fd())),
		StdoutIsTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		// The signals' default action: the process ends. (Not stop, which
		// would also cancel ctx.)
		KillOnInterrupt: func() { signal.Reset(os.Interrupt, syscall.SIGTERM) },
		Open: func(ctx context.Context, dbPath string, events app.Emitter) (*app.App, func() error, error) {
			return openApp(ctx, dbPath, events, nil)
		},
		Assets:  assets,
		Version: version,
	}
	if args, ok := cli.CommandArgs(os.Args[1:]); ok {
		return cli.Run(ctx, env, args)
	}
	return runDesktop(ctx, env, assets)
}

// runDesktop opens the window on the store (--db PATH may be given).
func runDesktop(ctx context.Context, env cli.Env, assets fs.FS) int {
	if runtime.GOOS == "linux" && env.Getenv("DISPLAY") == "" && env.Getenv("WAYLAND_DISPLAY") == "" {
		// GTK would panic with "failed to init GTK".
		fmt.Fprintln(os.Stderr, "lineagedesk: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "+
			"run 'lineagedesk serve --open' to use the app in a browser, or 'lineagedesk help' for the command line")
		return 1
	}
	dbPath := env.Getenv("LINEAGEDESK_DB")
	for i, arg := range os.Args[1:] {
		switch {
		case (arg == "--db" || arg == "-db") && i+2 < len(os.Args):
			dbPath = os.Args[i+2]
		case strings.HasPrefix(arg, "--db="):
			dbPath = strings.TrimPrefix(arg, "--db=")
		case strings.HasPrefix(arg, "-db="):
			dbPath = strings.TrimPrefix(arg, "-db=")
		}
	}
	hugepage.AdviseHeap(cli.UIHeapBytes)
	bridge := &desktop.Bridge{}
	a, closeApp, err := openApp(ctx, dbPath, bridge, bridge)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lineagedesk:", err)
		return 1
	}
	if _, err := a.EnsureDemo(); err != nil {
		fmt.Fprintln(os.Stderr, "lineagedesk: could not open the demo project:", err)
	}
	a.WarmUp()
	closed := false
	shutdown := func() {
		if !closed {
			closed = true
			closeApp()
		}
	}
	defer shutdown()
	if err := desktop.Run(a, bridge, assets, shutdown); err != nil {
		fmt.Fprintln(os.Stderr, "lineagedesk:", err)
		return 1
	}
	return 0
}

// openApp opens the store and the application on it.
func openApp(ctx context.Context, dbPath string, events app.Emitter, dialogs app.Dialogs) (*app.App, func() error, error) {
	if dbPath == "" {
		p, err := storage.DefaultPath()
		if err != nil {
			return nil, nil, err
		}
		dbPath = p
	}
	store, err := storage.Open(ctx, dbPath, storage.WithNotice(func(message string) {
		fmt.Fprintln(os.Stderr, "lineagedesk:", message)
	}))
	if err != nil {
		return nil, nil, err
	}
	dataDir := filepath.Dir(dbPath)
	// The token key belongs in the user's config dir (not next to a store
	// someone may copy around); fall back to the store's dir without one.
	configDir, err := os.UserConfigDir()
	if err != nil {
		configDir = dataDir
	}
	executable, err := os.Executable()
	if err != nil {
		executable = os.Args[0]
	}
	a := app.New(ctx, store, app.Config{
		Version: version,
		DBPath:  dbPath,
		DataDir: dataDir,
		Logger:  slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Sealer:  &lazySealer{configDir: configDir},
		Demo:    demo.Source{},
		Emitter: events,
		Dialogs: dialogs,
		RenderWorker: func() *exec.Cmd {
			return exec.Command(executable, cli.RenderWorkerCommand)
		},
	})
	return a, store.Close, nil
}

// lazySealer opens the token sealer on first use: probing the OS keyring
// can take a while on a machine without one, and most commands never touch
// a token.
type lazySealer struct {
	configDir string
	once      sync.Once
	sealer    *secret.Auto
	err       error
}

func (l *lazySealer) get() (*secret.Auto, error) {
	l.once.Do(func() { l.sealer, l.err = secret.New(l.configDir, secret.OSKeyring{}) })
	return l.sealer, l.err
}

func (l *lazySealer) Seal(name, token string) ([]byte, string, error) {
	s, err := l.get()
	if err != nil {
		return nil, "", err
	}
	return s.Seal(name, token)
}

func (l *lazySealer) Open(name string, sealed []byte) (string, error) {
	s, err := l.get()
	if err != nil {
		return "", err
	}
	return s.Open(name, sealed)
}

func (l *lazySealer) Delete(name string, sealed []byte) error {
	s, err := l.get()
	if err != nil {
		return err
	}
	return s.Delete(name, sealed)
}

func (l *lazySealer) Storage() string {
	s, err := l.get()
	if err != nil {
		return "unavailable: " + err.Error()
	}
	return s.Storage()
}

# Lineage Desk. `make run` and `make test` work on a fresh Debian 12 machine
# with Go and Node: every install step they need is below, explicit.

SHELL        := /bin/bash
BIN          := build/bin/lineagedesk
DESKTOP_TAGS := desktop,production,webkit2_41
GO           ?= go
VERSION      ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS      := -s -w -X main.version=$(VERSION)
# Debian packages: GTK/WebKit headers to build the window, Xvfb + ImageMagick
# to run and photograph it headless, chromium for browser tests, graphviz
# for the native-dot benchmark comparison, fonts so labels measure right,
# poppler-utils to read the PDF exports back in tests, sqlite3 to check a
# store as Debian's own SQLite (older than the embedded one) reads it,
# tesseract to read the desktop window's text off the screen.
APT_PACKAGES := build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev \
                xvfb xauth imagemagick xdotool chromium graphviz fonts-dejavu-core \
                poppler-utils sqlite3 tesseract-ocr tesseract-ocr-eng
# A fixed number of executions, not a duration: a time budget on a loaded
# machine makes the fuzz coordinator fail with "context deadline exceeded".
FUZZTIME     ?= 20000x

.PHONY: all deps toolchain-check apt-deps go-deps frontend-deps frontend build build-cli run serve \
        test test-go test-fuzz test-frontend test-e2e test-desktop vet bench screenshots column-trace-png gtk-stubs clean

all: build

## deps: install everything the build and the tests need (idempotent)
deps: apt-deps go-deps frontend-deps

apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

# Debian 12's own golang-go (1.19) and nodejs (18) are too old: say so
# and where to get newer ones, rather than fail deep in the build.
toolchain-check:
	@v=$$($(GO) env GOVERSION 2>/dev/null | sed 's/^go//'); \
	if ! printf '1.26\n%s\n' "$$v" | sort -V -C; then \
	  echo "Go 1.26 or newer is needed (found: $${v:-none}); install it from https://go.dev/dl/" >&2; exit 1; fi
	@v=$$(node --version 2>/dev/null | sed 's/^v//'); \
	if ! printf '20.19\n%s\n' "$$v" | sort -V -C; then \
	  echo "Node.js 20.19 or newer is needed (found: $${v:-none}); install it from https://nodejs.org/" >&2; exit 1; fi

go-deps: toolchain-check
	$(GO) mod download

frontend-deps: toolchain-check frontend/node_modules/.package-lock.json

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

## frontend: build the web UI into frontend/dist (embedded by the Go build)
frontend: frontend-deps
	cd frontend && npm run build
	@touch frontend/dist/.gitkeep

## build: the desktop binary (also runs serve and the CLI)
build: apt-deps go-deps frontend
	CGO_ENABLED=1 $(GO) build -tags $(DESKTOP_TAGS) -ldflags "$(LDFLAGS)" -o $(BIN) .

## build-cli: a static binary without the window (serve + CLI only)
build-cli: go-deps frontend
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o build/bin/lineagedesk-cli .

## run: build and open the desktop app (on the demo project when the store is empty)
run: build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found: the window opens on a virtual one (Xvfb), stopped with it; 'make serve' shows the app in a browser."; \
	  shown=$$(mktemp); \
	  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$$shown" >/dev/null 2>&1 & xvfb=$$!; \
	  trap 'kill $$xvfb 2>/dev/null; rm -f "$$shown"' EXIT INT TERM; \
	  for i in $$(seq 100); do [ -s "$$shown" ] && break; sleep 0.1; done; \
	  DISPLAY=:$$(head -n1 "$$shown") ./$(BIN); \
	else ./$(BIN); fi

## serve: build and serve the UI to a browser on 127.0.0.1
serve: build
	./$(BIN) serve --open

## test: install what is missing, vet, and run every test
test: deps frontend vet test-go test-fuzz test-frontend test-desktop test-e2e

# The product brief pins these; `go get` of an unrelated module can move
# them silently (this proxy resolves some versions wrongly), so check.
PINNED := github.com/wailsapp/wails/v2@v2.15.0 modernc.org/sqlite@v1.61.1 \
          github.com/dominikbraun/graph@v0.23.0 github.com/goccy/go-graphviz@v0.2.10

vet:
	@for pin in $(PINNED); do \
	  got=$$($(GO) list -m $${pin%@*} | tr ' ' '@'); \
	  [ "$$got" = "$$pin" ] || { echo "go.mod has $$got, the brief pins $$pin"; exit 1; }; \
	done
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

test-go:
	$(GO) test -count=1 ./...

# Each fuzz target, briefly: the parsers (seeded with the real fixtures; the
# SQL reader and column lineage with handwritten SQL) and
# the SVG post-processing (checked against its regexp version), and the
# store's decoders of its own blobs (raw JSON blocks, state: digests).
test-fuzz:
	@set -e; for pkg in ./backend/artifact ./backend/sqlparse ./backend/columnlineage ./backend/lineage ./backend/render ./storage ./app; do \
	  for target in $$($(GO) test -list 'Fuzz.*' $$pkg | grep ^Fuzz); do \
	    echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

test-frontend: frontend-deps
	cd frontend && npm test

# The real desktop build, launched under Xvfb, photographed.
test-desktop: build
	$(GO) test -count=1 -tags desktoptest -run 'TestDesktopWindow|TestBinaryLoadsNoGTKAtStart|TestCommandsRunWithoutGTK' ./app/desktop/...

# Browser end-to-end tests: the real binary in serve mode, Debian's chromium,
# and a fake dbt Cloud server (started by the Go harness) for the sync scenario.
test-e2e: build
	LINEAGEDESK_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -tags e2e -run TestBrowserEndToEnd ./app/

## screenshots: refresh the README's screenshots from the browser and desktop tests
screenshots: build
	LINEAGEDESK_PUBLISH_SCREENSHOTS=1 LINEAGEDESK_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -tags e2e -run TestBrowserEndToEnd ./app/
	$(GO) test -count=1 -tags desktoptest -run TestDesktopWindow ./app/desktop/...
	cp build/test-artifacts/desktop-window.png docs/screenshots/desktop-window.png
	$(MAKE) column-trace-png

## column-trace-png: docs/screenshots/column-trace.png, a column trace exported by the CLI (a dbt build's tests, its exposures)
column-trace-png: build
	rm -f build/column-trace.db
	$(BIN) --db build/column-trace.db import testdata/fixtures/bouncer-build-v12-dbt1.11-duckdb
	$(BIN) --db build/column-trace.db columns model.dbt_bouncer_test_project.stg_orders order_id --format png -o docs/screenshots/column-trace.png
	rm -f build/column-trace.db

## gtk-stubs: regenerate the window's trampolines (app/desktop/lazygtk) after a Wails upgrade
gtk-stubs: apt-deps go-deps frontend
	$(GO) run ./app/desktop/lazygtk/gen

## bench: benchmarks and BENCHMARKS.md (BENCHFLAGS=-50k adds the slow 50k-model project)
bench: build
	$(GO) run ./backend/synth/cmd/bench -out BENCHMARKS.md -bin $(BIN) $(BENCHFLAGS)

clean:
	rm -rf build/bin frontend/dist/assets frontend/dist/index.html

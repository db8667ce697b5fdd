# shareguard: `make run` runs the agent on its embedded default config,
# `make test` runs every test (installing what the tests need when missing).
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN     := bin/shareguard

.PHONY: all build run test test-windows bench-windows bench-content bench-e2e deps vet lint cross bench fuzz soak dist clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/shareguard

# Runs the guard headless on the current display; with no display it
# starts a throw-away X desktop (Xvfb, openbox, dunst) so it runs anywhere.
run: build
	.ci/run-agent $(BIN)

deps:
	.ci/install-deps

vet:
	$(GO) vet ./...

# The hygiene gate (part of `make test`): gofmt, go mod tidy, go vet and
# staticcheck (pinned), for Linux and for Windows.
lint:
	.ci/lint

# Windows and macOS must keep building (platform code is behind build tags).
cross:
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build ./...
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GO) build ./...

# SHAREGUARD_REQUIRE_DESKTOP makes desktop tests fail instead of skipping
# when a program they need is missing.
test: deps lint cross
	SHAREGUARD_REQUIRE_DESKTOP=1 $(GO) test -count=1 -timeout 20m ./...
	.ci/wine-test
	.ci/check-dist

# The Windows tests alone, under Wine.
test-windows:
	.ci/wine-test

# The Windows leak meter under Wine (not part of `make test`, which runs
# TestLeakMeter with 5 rounds): 20 new windows and 20 user restores of a
# protected window during a Zoom share, first without a guard (must leak),
# then with it, grabbed at 30 fps as a screen share would; then what the
# guard's looking costs with 100 windows. SHAREGUARD_METER_TRACE=1 logs
# each frame with the marker, SHAREGUARD_LOG=debug the guard's timings.
bench-windows:
	SHAREGUARD_METER_ROUNDS=20 .ci/wine-test -run '^TestLeakMeter$$' -v
	.ci/wine-test -run '^$$' -bench '^BenchmarkLook100$$' -benchtime 200x

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

# Each fuzz target for FUZZTIME (default 1 minute). Their seed corpora (and
# anything committed under testdata/fuzz) run in `make test` as plain tests.
FUZZTIME ?= 1m
FUZZ_TARGETS := ./detectors/pnr:FuzzFind ./detectors/pnr:FuzzRedact \
	./detectors:FuzzGlob ./detectors:FuzzEvaluate ./agent/config:FuzzParse
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg; \
	done

# An hour of window churn through share sessions (every `go test` runs
# 15 s of it as TestChurn).
SOAK ?= 60m
soak:
	SHAREGUARD_SOAK=$(SOAK) $(GO) test -tags soak -count=1 -run '^TestSoak$$' -timeout 2h -v ./agent/

# .deb, .rpm (nfpm v2.43.1 as a Go tool) and a Windows zip, version-stamped.
dist:
	.ci/dist

clean:
	rm -rf bin dist

# End-to-end measurements of the real binary on a real X test desktop with
# a real Chromium share (not part of `make test`): minimize latency and
# leaked frames over 100 protected-window appearances, then the idle cost
# over 60 s (SHAREGUARD_IDLE_SECONDS to change); popups on screen when a
# share starts (10 shares); and 20 rounds of minimizing the share bar of a
# real Chromium and Firefox (false share ends, DND changes, held popups).
.PHONY: bench-e2e
# How fast a window is hidden for what it shows (a personnummer in a
# 13 px table, harmless title) during a real Chromium screen share: four
# cases, SHAREGUARD_CONTENT_RUNS each (default 10), p50/p90 in ms and in
# frames, and the guard's CPU. See the README's table.
bench-content: deps
	SHAREGUARD_REQUIRE_DESKTOP=1 $(GO) test -count=1 -run '^$$' -bench '^BenchmarkE2EContent$$' -benchtime=1x -timeout 40m ./cmd/shareguard/

bench-e2e: deps
	SHAREGUARD_REQUIRE_DESKTOP=1 $(GO) test -count=1 -run '^$$' -bench '^BenchmarkE2EMinimize$$' -benchtime=100x -timeout 15m ./cmd/shareguard/
	SHAREGUARD_REQUIRE_DESKTOP=1 $(GO) test -count=1 -run '^$$' -bench '^BenchmarkE2EIdle$$' -benchtime=1x -timeout 10m ./cmd/shareguard/
	SHAREGUARD_REQUIRE_DESKTOP=1 $(GO) test -count=1 -run '^$$' -bench '^BenchmarkE2EPopupAtShareStart$$' -benchtime=10x -timeout 10m ./cmd/shareguard/
	SHAREGUARD_REQUIRE_DESKTOP=1 $(GO) test -count=1 -run '^TestE2EIndicatorMinimized$$' -v -timeout 10m ./cmd/shareguard/


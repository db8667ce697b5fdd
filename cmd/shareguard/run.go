package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/shareguard/shareguard/agent"
	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/agent/sample"
	"github.com/shareguard/shareguard/agent/tray"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/ocr"
	"github.com/shareguard/shareguard/platform/osenv"
)

func cmdRun(args []string, stderr io.Writer) int {
	fl, ok := parseRunFlags(args, stderr)
	if !ok {
		return exitError
	}
	log := newLogger(stderr)
	// One agent per user session: two would fight over do-not-disturb.
	lock, err := osenv.AcquireInstance(os.Getenv)
	if errors.Is(err, osenv.ErrAlreadyRunning) {
		fmt.Fprintln(stderr, "shareguard is already running")
		return exitOK
	}
	if err != nil {
		log.Error("cannot take the instance lock", "err", err)
		return exitError
	}
	defer lock.Release()
	// Before content scanning puts its thread below the raised ones.
	stopRaising := raisePriority(log)
	defer stopRaising()
	// The tray's controller is woken by the guard loop's status changes.
	var wake tray.Signal
	var onStatus func(agent.Status)
	if !fl.noTray {
		wake = tray.NewSignal()
		onStatus = wake.Notify
	}

	userPath, policyPath, err := fl.paths.paths()
	if err != nil {
		log.Error("cannot find the config location", "err", err)
		return exitError
	}
	cfg, loadErr := loadForRun(userPath, policyPath)
	if loadErr != nil {
		log.Error("config rejected; guarding with what could be read", "err", loadErr)
	}
	stateDir, err := osenv.StateDir()
	if err != nil {
		log.Error("no state directory", "err", err)
		return exitError
	}
	alog, logPath, err := openAudit(fl.audit, stateDir, cfg)
	if err != nil {
		log.Error("cannot open the audit log", "err", err)
		return exitError
	}
	defer alog.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, end := context.WithCancelCause(ctx) // end(agent.StopReason): logoff
	defer end(nil)
	desk, err := openDesktop(ctx, log)
	if err != nil {
		log.Error("cannot watch the desktop", "err", err)
		alog.Write(audit.Event{Event: audit.Error, Detail: err.Error()})
		return exitError
	}
	defer desk.Close()
	guardDone := make(chan struct{})
	if s, ok := desk.(sessionEnder); ok {
		s.OnSessionEnd(func(reason string) {
			end(agent.StopReason(reason))
			<-guardDone // do-not-disturb back, agent_stopped written
		})
	}
	sampler := openSampler(cfg, log)
	if sampler != nil {
		defer sampler.Close()
	}

	g, err := agent.New(agent.Options{
		Desktop:   desk,
		Config:    cfg,
		Audit:     alog,
		StatePath: filepath.Join(stateDir, "state.json"),
		Logger:    log,
		OnStatus:  onStatus,
		Sampler:   sampler,
	})
	if err != nil {
		log.Error("cannot start the guard", "err", err)
		return exitError
	}
	if loadErr != nil {
		g.Rejected(loadErr)
	}
	startWatch(ctx, g, userPath, policyPath, log)
	if !fl.noTray {
		if ui := startTray(ctx, g, alog, wake, userPath, scanState(cfg, sampler), stop, log); ui != nil {
			defer func() {
				stop() // ends the tray host too
				select {
				case <-ui.Done():
				case <-time.After(5 * time.Second):
				}
			}()
		}
	}
	log.Info("guarding", "audit", logPath, "config", userPath, "policy", policyPath)
	err = g.Run(ctx)
	close(guardDone)
	if err != nil {
		log.Error("guard stopped", "err", err)
		return exitError
	}
	return exitOK
}

// sessionEnder is a desktop that hears the user's session end (Windows:
// logoff, shutdown) and runs the hook before the process may be ended.
type sessionEnder interface{ OnSessionEnd(func(reason string)) }

// runFlags are the flags of `shareguard run`.
type runFlags struct {
	noTray bool
	paths  pathFlags
	audit  string
}

func parseRunFlags(args []string, stderr io.Writer) (runFlags, bool) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	noTray := fs.Bool("no-tray", false, "run without a tray icon (no GUI toolkit is loaded)")
	paths := addPathFlags(fs)
	auditPath := fs.String("audit", "", "audit log file (default: the user state dir)")
	if err := fs.Parse(args); err != nil {
		return runFlags{}, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "shareguard run: unexpected argument %q\n", fs.Arg(0))
		return runFlags{}, false
	}
	return runFlags{noTray: *noTray, paths: paths, audit: *auditPath}, true
}

// newLogger logs as text to stderr; SHAREGUARD_LOG=debug adds
// per-evaluation timings (never titles).
func newLogger(stderr io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if os.Getenv("SHAREGUARD_LOG") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
}

// openAudit opens the audit log: the --audit flag, else the config's path,
// else the state dir's. The agent opens the forwarder the config names.
func openAudit(flagPath, stateDir string, cfg *config.Config) (*audit.Log, string, error) {
	path := flagPath
	if path == "" {
		path = cfg.Audit.Path
	}
	if path == "" {
		path = filepath.Join(stateDir, "audit.jsonl")
	}
	alog, err := audit.Open(path, int64(cfg.Audit.MaxSizeMB)<<20, cfg.Audit.Keep)
	if err != nil {
		return nil, "", err
	}
	return alog, path, nil
}

// openSampler starts content scanning if the config asks for it. It is
// optional: a build or machine without OCR guards with everything else
// and says so.
func openSampler(cfg *config.Config, log *slog.Logger) agent.Sampler {
	if !cfg.Content.Enabled {
		return nil
	}
	// The engine's own messages go to the debug log, never to stderr.
	engineLog := log.With("component", "ocr")
	s, err := sample.New(cfg.ContentConfig(), sample.Options{OCR: ocr.Options{
		Messages: func(m string) { engineLog.Debug("engine message", "msg", m) },
	}})
	if err != nil {
		log.Warn("content scanning unavailable; guarding without it", "reason", err)
		return nil
	}
	return s
}

// scanState is the tray's word for content scanning.
func scanState(cfg *config.Config, sampler agent.Sampler) string {
	switch {
	case sampler != nil:
		return "on"
	case !cfg.Content.Enabled:
		return "off"
	}
	return "unavailable"
}

// startWatch watches the config files and returns once edits are seen,
// so an edit made right after start is not lost; a watch that is slow or
// cannot start does not hold the guard up.
func startWatch(ctx context.Context, g *agent.Agent, userPath, policyPath string, log *slog.Logger) {
	watching := make(chan struct{})
	go watchConfig(ctx, g, userPath, policyPath, log, watching)
	select {
	case <-watching:
	case <-time.After(5 * time.Second):
		log.Warn("config watch slow to start; guarding meanwhile")
	}
}

// watchConfig hands every valid edit of the config files to the guard and
// reports the invalid ones, until ctx ends. It closes ready once the
// watches are in place, or when it gives up.
func watchConfig(ctx context.Context, g *agent.Agent, userPath, policyPath string, log *slog.Logger, ready chan struct{}) {
	var once sync.Once
	done := func() { once.Do(func() { close(ready) }) }
	defer done()
	err := config.Watch(ctx, userPath, policyPath, func(c *config.Config, err error) {
		if err != nil {
			g.Rejected(err)
			return
		}
		g.Reload(c)
	}, done)
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Warn("config changes will not be picked up until restart", "err", err)
	}
}

// startTray shows the tray icon from a child process (`shareguard
// tray-host`), so the GUI toolkit never runs in the guard's process. With
// no display, or a build without the tray, it says so and returns nil: the
// guard runs headless.
func startTray(ctx context.Context, g *agent.Agent, alog *audit.Log, wake tray.Signal, userPath, contentScan string, quit func(), log *slog.Logger) *tray.ProcUI {
	ui, err := tray.StartHost(ctx, tray.HostOptions{Logger: log, Stderr: os.Stderr})
	if err != nil {
		log.Warn("no tray icon; guarding headless", "reason", err)
		return nil
	}
	var auto tray.Autostart
	if a, err := osenv.NewAutostart(); err == nil {
		auto = a
	} else {
		log.Warn("start at login cannot be changed from the menu", "err", err)
	}
	ctl, err := tray.NewController(tray.Options{
		Guard:       g,
		Audit:       alog,
		Autostart:   auto,
		Settings:    userPath,
		Quit:        quit,
		Version:     version,
		ContentScan: contentScan,
		Logger:      log,
	}, wake)
	if err != nil {
		log.Error("no tray icon; guarding headless", "err", err)
		return nil
	}
	go func() {
		// A panic in the tray's controller must not take the guard down.
		defer func() {
			if r := recover(); r != nil {
				log.Error("tray controller panicked; guarding continues without the menu", "panic", r)
			}
		}()
		if err := ctl.Run(ctx, ui); err != nil {
			log.Warn("tray menu stopped", "err", err)
		}
	}()
	return ui
}

// loadForRun never leaves the agent without a config: when the user file
// is bad it falls back to policy + defaults, and when the policy is bad, to
// the embedded defaults alone. The error says what was rejected.
func loadForRun(userPath, policyPath string) (*config.Config, error) {
	cfg, err := config.Load(userPath, policyPath)
	if err == nil {
		return cfg, nil
	}
	if c, err2 := config.Load("", policyPath); err2 == nil {
		return c, err
	}
	c, err2 := config.Load("", "")
	if err2 != nil {
		// The embedded default is tested; this cannot happen in a release.
		panic(fmt.Sprintf("embedded default config is invalid: %v", err2))
	}
	return c, err
}

// staticCapabilities are the features that do not come from the desktop.
func staticCapabilities() []platform.Capability {
	caps := []platform.Capability{
		contentCapability(),
		priorityCapability(),
	}
	if why := tray.Unavailable(os.Getenv); why != "" {
		caps = append(caps, platform.Capability{Name: "tray", Detail: why + "; the guard runs headless"})
	}
	return caps
}

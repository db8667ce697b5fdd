package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/shareguard/shareguard/platform/osenv"
)

// restoreSteps is what `shareguard restore` drives; tests stand in for
// the OS.
type restoreSteps struct {
	// lock takes the session's instance lock (osenv.AcquireInstance), so
	// no agent starts meanwhile; ErrAlreadyRunning when one runs.
	lock func() (osenv.Instance, error)
	// settings puts back the user settings the guard changes on this OS
	// and says what it did (restore_<os>.go).
	settings  func(ctx context.Context) ([]string, error)
	autostart interface{ RemoveOwn() (bool, error) }
	where     string // the autostart entry, for the message
}

func cmdRestore(args []string, stdout, stderr io.Writer) int {
	if len(args) != 0 {
		fmt.Fprintln(stderr, "usage: shareguard restore")
		return exitError
	}
	a, err := osenv.NewAutostart()
	if err != nil {
		fmt.Fprintf(stderr, "shareguard restore: %v\n", err)
		return exitError
	}
	stateDir, err := osenv.StateDir()
	if err != nil {
		fmt.Fprintf(stderr, "shareguard restore: %v\n", err)
		return exitError
	}
	statePath := filepath.Join(stateDir, "state.json")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	steps := restoreSteps{
		lock:      func() (osenv.Instance, error) { return osenv.AcquireInstance(os.Getenv) },
		settings:  func(ctx context.Context) ([]string, error) { return restoreSettings(ctx, statePath, log) },
		autostart: a,
		where:     a.Where(),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return steps.run(ctx, stdout, stderr)
}

// run puts back what the guard changed for this user. While an agent runs
// in this session only its start-at-login entry is removed: the agent
// holds do-not-disturb's record and puts it back itself when it stops.
func (s restoreSteps) run(ctx context.Context, stdout, stderr io.Writer) int {
	did := 0
	say := func(step string) { fmt.Fprintf(stdout, "shareguard restore: %s\n", step); did++ }
	if had, err := s.autostart.RemoveOwn(); err != nil {
		fmt.Fprintf(stderr, "shareguard restore: %v\n", err)
		return exitError
	} else if had {
		say("start at login removed (" + s.where + ")")
	}
	lock, err := s.lock()
	if errors.Is(err, osenv.ErrAlreadyRunning) {
		fmt.Fprintln(stderr, "shareguard restore: shareguard is running in this session; it puts do-not-disturb back when it stops. Quit it, then run restore again for the rest")
		return exitError
	}
	if err != nil {
		fmt.Fprintf(stderr, "shareguard restore: %v\n", err)
		return exitError
	}
	defer lock.Release()
	steps, err := s.settings(ctx)
	for _, st := range steps {
		say(st)
	}
	if err != nil {
		fmt.Fprintf(stderr, "shareguard restore: %v\n", err)
		return exitError
	}
	if did == 0 {
		fmt.Fprintln(stdout, "shareguard restore: nothing to put back")
	}
	return exitOK
}

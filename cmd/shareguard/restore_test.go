package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shareguard/shareguard/platform/osenv"
)

type fakeRemover struct {
	had   bool
	calls int
}

func (f *fakeRemover) RemoveOwn() (bool, error) { f.calls++; h := f.had; f.had = false; return h, nil }

type fakeLock struct{ released *bool }

func (l fakeLock) Release() { *l.released = true }

func TestRestoreCommand(t *testing.T) {
	released := false
	settingsRan := false
	s := restoreSteps{
		lock: func() (osenv.Instance, error) { return fakeLock{&released}, nil },
		settings: func(context.Context) ([]string, error) {
			settingsRan = true
			return []string{"do-not-disturb put back as it was"}, nil
		},
		autostart: &fakeRemover{had: true},
		where:     `HKCU\Run\shareguard`,
	}
	var out, errb bytes.Buffer
	if code := s.run(context.Background(), &out, &errb); code != exitOK {
		t.Fatalf("code %d err %q", code, errb.String())
	}
	want := "shareguard restore: start at login removed (HKCU\\Run\\shareguard)\nshareguard restore: do-not-disturb put back as it was\n"
	if out.String() != want || !settingsRan || !released {
		t.Errorf("out %q settings %v released %v", out.String(), settingsRan, released)
	}

	// Nothing left: says so, exit 0.
	s.settings = func(context.Context) ([]string, error) { return nil, nil }
	out.Reset()
	if code := s.run(context.Background(), &out, &errb); code != exitOK || out.String() != "shareguard restore: nothing to put back\n" {
		t.Errorf("second run: code %d out %q", code, out.String())
	}

	// A failure is reported with exit 1, after what did work.
	s.settings = func(context.Context) ([]string, error) {
		return []string{"toast notifications put back"}, errors.New("do-not-disturb: no answer (the record stays)")
	}
	out.Reset()
	errb.Reset()
	if code := s.run(context.Background(), &out, &errb); code != exitError || !strings.Contains(errb.String(), "record stays") || !strings.Contains(out.String(), "toast") {
		t.Errorf("failure: code %d out %q err %q", code, out.String(), errb.String())
	}
}

// With an agent running in the session, only the autostart entry goes:
// the agent's do-not-disturb record must stay for the agent.
func TestRestoreWhileAgentRuns(t *testing.T) {
	r := &fakeRemover{had: true}
	s := restoreSteps{
		lock: func() (osenv.Instance, error) { return nil, osenv.ErrAlreadyRunning },
		settings: func(context.Context) ([]string, error) {
			t.Error("settings restored while the agent runs")
			return nil, nil
		},
		autostart: r,
		where:     "/x/autostart/shareguard.desktop",
	}
	var out, errb bytes.Buffer
	if code := s.run(context.Background(), &out, &errb); code != exitError {
		t.Fatalf("code %d", code)
	}
	if r.calls != 1 || !strings.Contains(out.String(), "start at login removed") || !strings.Contains(errb.String(), "is running") {
		t.Errorf("calls %d out %q err %q", r.calls, out.String(), errb.String())
	}
}

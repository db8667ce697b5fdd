package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// fakeStarter is a login mechanism in memory.
type fakeStarter struct {
	on  bool
	err error
}

func (f *fakeStarter) Set(on bool) error {
	if f.err != nil {
		return f.err
	}
	f.on = on
	return nil
}
func (f *fakeStarter) Enabled() (bool, error) { return f.on, nil }
func (f *fakeStarter) Where() string          { return "/where" }

func TestAutostartCommand(t *testing.T) {
	f := &fakeStarter{}
	for _, tt := range []struct {
		word, out string
		code      int
	}{
		{"status", "start at login: off (/where)\n", exitOK},
		{"on", "start at login: on (/where)\n", exitOK},
		{"status", "start at login: on (/where)\n", exitOK},
		{"off", "start at login: off (/where)\n", exitOK},
		{"off", "start at login: off (/where)\n", exitOK},
		{"maybe", "", exitError},
	} {
		var out, errb bytes.Buffer
		if code := autostartCommand(f, tt.word, &out, &errb); code != tt.code || out.String() != tt.out {
			t.Errorf("%s: code %d out %q err %q", tt.word, code, out.String(), errb.String())
		}
	}
	f.err = errors.New("read-only")
	var out, errb bytes.Buffer
	if code := autostartCommand(f, "on", &out, &errb); code != exitError || !strings.Contains(errb.String(), "read-only") {
		t.Errorf("failing Set: code %d err %q", code, errb.String())
	}
}

//go:build windows

package windows_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/windows/registry"

	"github.com/shareguard/shareguard/platform/windows/internal/testwin"
)

// TestMain lets the test binary double as the helper processes: a window
// maker (see internal/testwin) and the guard.
func TestMain(m *testing.M) {
	if ran, code := testwin.Main(); ran {
		os.Exit(code)
	}
	if os.Getenv(testwin.EnvRole) == "guard" {
		os.Exit(runGuard())
	}
	os.Exit(m.Run())
}

// helper is a child process running a testwin role.
type helper struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Reader
	stderr *bytes.Buffer
	hwnds  []uintptr
	once   sync.Once
	err    error
}

var copies sync.Map // exe name -> path of a copy of the test binary

// exeNamed returns a copy of the test binary called name (so the process
// has the image name a signature expects, e.g. Zoom.exe).
func exeNamed(t testing.TB, name string) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if name == "" {
		return self
	}
	if p, ok := copies.Load(name); ok {
		return p.(string)
	}
	dir, err := os.MkdirTemp("", "sgwin-")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o755); err != nil {
		t.Fatal(err)
	}
	copies.Store(name, p)
	return p
}

// startHelper starts a helper process and, for the "windows" role, waits
// for its windows.
func startHelper(t testing.TB, exeName, role string, specs []testwin.Spec, env ...string) *helper {
	t.Helper()
	js, err := json.Marshal(specs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exeNamed(t, exeName))
	cmd.Env = append(os.Environ(), testwin.EnvRole+"="+role, testwin.EnvSpecs+"="+string(js))
	cmd.Env = append(cmd.Env, env...)
	h := &helper{cmd: cmd, stderr: &bytes.Buffer{}}
	cmd.Stderr = h.stderr
	// Never wait forever for pipes a dead helper left open: under Wine a
	// system process the helper started (explorer.exe for the desktop)
	// can inherit its stdio. stop judges the exit status instead.
	cmd.WaitDelay = 2 * time.Second
	if h.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	h.stdout = bufio.NewReader(out)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start helper %s: %v", exeName, err)
	}
	t.Cleanup(func() { h.stop(t) })
	if role != "windows" {
		return h
	}
	type res struct {
		hs  []uintptr
		err error
	}
	ch := make(chan res, 1)
	go func() { hs, err := testwin.ReadyLine(h.stdout); ch <- res{hs, err} }()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("helper %s: %v; stderr: %s", exeName, r.err, h.stderr.String())
		}
		h.hwnds = r.hs
	case <-time.After(30 * time.Second):
		t.Fatalf("helper %s did not show its windows in 30 s; stderr: %s", exeName, h.stderr.String())
	}
	return h
}

func (h *helper) pid() int { return h.cmd.Process.Pid }

// stop closes the helper's stdin (its signal to exit) and waits, killing
// it after a while.
func (h *helper) stop(t testing.TB) error {
	h.once.Do(func() {
		h.stdin.Close()
		done := make(chan error, 1)
		go func() { done <- h.cmd.Wait() }()
		select {
		case h.err = <-done:
			if errors.Is(h.err, exec.ErrWaitDelay) && h.cmd.ProcessState != nil {
				if h.cmd.ProcessState.Success() {
					h.err = nil
				} else {
					h.err = fmt.Errorf("exit code %d", h.cmd.ProcessState.ExitCode())
				}
			}
		case <-time.After(20 * time.Second):
			h.cmd.Process.Kill()
			select {
			case h.err = <-done:
			case <-time.After(10 * time.Second):
				h.err = errors.New("helper did not end after kill")
			}
			t.Errorf("helper %s had to be killed (%v); stderr: %s", h.cmd.Path, h.err, h.stderr.String())
		}
	})
	return h.err
}

// testKeys gives a test its own registry keys and removes them afterwards.
func testKeys(t *testing.T) (notifications, state string) {
	t.Helper()
	base := `Software\shareguard-test\` + t.Name()
	t.Cleanup(func() {
		registry.DeleteKey(registry.CURRENT_USER, base+`\Settings`)
		registry.DeleteKey(registry.CURRENT_USER, base+`\state`)
		registry.DeleteKey(registry.CURRENT_USER, base)
	})
	return base + `\Settings`, base + `\state`
}

// eventually polls cond until it holds or d passes.
func eventually(d time.Duration, cond func() bool) bool {
	end := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Package audit writes shareguard's audit events as JSON lines. Every event
// is redacted at this boundary, appended and synced before Write returns,
// and the file is rotated by size.
package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/shareguard/shareguard/detectors/pnr"
)

// Event names.
const (
	ShareStarted   = "share_started"
	ShareStopped   = "share_stopped"
	Finding        = "finding"
	Action         = "action"
	DND            = "dnd"
	ConfigReloaded = "config_reloaded"
	ConfigRejected = "config_rejected"
	Error          = "error"
	Started        = "agent_started"
	Stopped        = "agent_stopped"
	Paused         = "guard_paused"
	Resumed        = "guard_resumed"
)

// Event is one line of the audit log. Window is dropped on write unless
// the log was told to keep titles (then it is redacted); nothing else may
// carry a title or screen content: Detail is built from the guard's own
// fixed strings and error texts only.
type Event struct {
	Time      time.Time `json:"time"`
	Event     string    `json:"event"`
	App       string    `json:"app,omitempty"`
	ShareKind string    `json:"share_kind,omitempty"`
	Process   string    `json:"process,omitempty"` // base name, e.g. "ms-teams.exe"
	PID       int       `json:"pid,omitempty"`
	Kind      string    `json:"kind,omitempty"`
	Rule      string    `json:"rule,omitempty"`
	Window    string    `json:"window,omitempty"`
	Action    string    `json:"action,omitempty"`
	OK        *bool     `json:"ok,omitempty"`
	LatencyMS *float64  `json:"latency_ms,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// Bool and Millis make optional fields readable at call sites.
func Bool(b bool) *bool { return &b }
func Millis(d time.Duration) *float64 {
	ms := float64(d.Microseconds()) / 1000
	return &ms
}

// Log is an append-only, size-rotated JSON-lines file. Writes after a disk
// error keep being attempted; the caller decides how loudly to complain.
type Log struct {
	mu     sync.Mutex
	path   string
	max    int64
	keep   int
	f      *os.File
	size   int64
	recent []Event // ring of the last events, for the tray
	fwd    Forwarder
	perm   os.FileMode
	titles bool // keep Window (redacted); false drops it
}

const recentCap = 32

// Open opens (creating) the log at path. maxBytes <= 0 disables rotation;
// keep is how many rotated files (path.1 … path.keep) are kept.
func Open(path string, maxBytes int64, keep int) (*Log, error) {
	if path == "" {
		return nil, errors.New("audit log: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	l := &Log{path: path, max: maxBytes, keep: keep, perm: 0o600}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *Log) open() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, l.perm)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("audit log: %w", err)
	}
	l.f, l.size = f, st.Size()
	return nil
}

// KeepTitles says whether later events keep their window title, redacted
// (the machine policy's audit.window_titles = "redacted"). A new Log drops
// titles: they carry patients' names.
func (l *Log) KeepTitles(keep bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.titles = keep
}

// Path returns the file the log writes to.
func (l *Log) Path() string { return l.path }

// Write redacts e, appends it as one line and syncs. The event is kept in
// the in-memory recent list even when the disk write fails.
func (l *Log) Write(e Event) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Detail = pnr.Redact(e.Detail)

	l.mu.Lock()
	defer l.mu.Unlock()
	if l.titles {
		e.Window = pnr.Redact(e.Window)
	} else {
		e.Window = ""
	}
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit log: encode: %w", err)
	}
	line = append(line, '\n')
	l.remember(e)
	var fwdErr error
	if l.fwd != nil {
		fwdErr = l.fwd.Forward(e)
	}
	if err := l.appendLine(line); err != nil {
		return errors.Join(err, fwdErr)
	}
	return fwdErr
}

func (l *Log) appendLine(line []byte) error {
	if l.f == nil {
		// A previous rotation or reopen failed: try again now.
		if err := l.open(); err != nil {
			return err
		}
	}
	if l.max > 0 && l.size > 0 && l.size+int64(len(line)) > l.max {
		if err := l.rotate(); err != nil {
			return err
		}
	}
	n, err := l.f.Write(line)
	l.size += int64(n)
	if err == nil {
		err = l.f.Sync()
	}
	if err != nil {
		// Drop the handle so the next event reopens the file: a full disk
		// or a removed directory may come back.
		l.f.Close()
		l.f = nil
		return fmt.Errorf("audit log: write: %w", err)
	}
	return nil
}

func (l *Log) remember(e Event) {
	l.recent = append(l.recent, e)
	if len(l.recent) > recentCap {
		l.recent = slices.Clone(l.recent[len(l.recent)-recentCap:])
	}
}

// Recent returns up to n of the latest events, newest first.
func (l *Log) Recent(n int) []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Event
	for i := len(l.recent) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, l.recent[i])
	}
	return out
}

// rotate shifts path → path.1 → … → path.keep and opens a fresh file.
func (l *Log) rotate() error {
	if err := l.f.Close(); err != nil {
		l.f = nil
		return fmt.Errorf("audit log: rotate: %w", err)
	}
	l.f = nil
	if l.keep > 0 {
		os.Remove(l.path + "." + strconv.Itoa(l.keep))
		for i := l.keep - 1; i >= 1; i-- {
			os.Rename(l.path+"."+strconv.Itoa(i), l.path+"."+strconv.Itoa(i+1))
		}
		if err := os.Rename(l.path, l.path+".1"); err != nil {
			return fmt.Errorf("audit log: rotate: %w", err)
		}
	} else if err := os.Truncate(l.path, 0); err != nil {
		return fmt.Errorf("audit log: rotate: %w", err)
	}
	return l.open()
}

// Close syncs and closes the file and the forwarder.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fwd != nil {
		l.fwd.Close()
		l.fwd = nil
	}
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

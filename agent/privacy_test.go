package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/detectors/content"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/fake"
)

// Titles as a clinic's screen carries them: names, a clinic, a number.
const (
	titleJournal = "TakeCare - Journal - Ingegerd Pålsson-Wikström - Psykiatrimottagning"
	titleNotes   = "Anteckningar Beda Svärdström 19121212-1212"
	titlePopup   = "Ny chatt från Göran Hägglund: Provsvar Ingegerd"
	titleContent = "Remiss Åsa Lindqvist-Ödman Barnmottagningen"
)

// personal are the parts of those titles that name a person or a clinic;
// none of them may reach a log, a forward, an alert or the tray.
var personal = []string{"Ingegerd", "Pålsson", "Wikström", "Psykiatri", "Beda", "Svärdström",
	"Göran", "Hägglund", "Provsvar", "Åsa", "Lindqvist", "Ödman", "Barnmottagning", "Anteckningar", "Remiss", "chatt"}

// collector is an audit forwarder that keeps what it was given.
type collector struct {
	mu     sync.Mutex
	events []audit.Event
}

func (c *collector) Forward(e audit.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, e)
	return nil
}
func (c *collector) Close() error { return nil }

// lockedBuffer is a log handler's writer, read while the agent runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestNoTitleInAuditLogsOrAlerts runs a share where every kind of finding
// meets a title with a patient's name (a protected app, a number in a
// title, a popup, a content hit, a failed minimize, a panic) and looks for
// the name in everything the guard writes: the audit file, the forwarder,
// the debug log, the alerts, the tray's feed and status. In "redacted"
// mode only the audit's window field may hold it.
func TestNoTitleInAuditLogsOrAlerts(t *testing.T) {
	for _, mode := range []string{config.TitlesOmit, config.TitlesRedacted} {
		t.Run(mode, func(t *testing.T) {
			d := fake.New()
			cfg := testConfig(config.ModeBlock)
			cfg.Content = config.Content{Enabled: true, Interval: time.Second, Medium: "warn", High: "minimize"}
			cfg.Audit.WindowTitles = mode
			dir := t.TempDir()
			path := filepath.Join(dir, "audit.jsonl")
			alog, err := audit.Open(path, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			fwd := &collector{}
			alog.SetForwarder(fwd)
			var logs lockedBuffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			s := &scripted{}
			a, err := New(Options{Desktop: d, Config: cfg, Audit: alog, StatePath: filepath.Join(dir, "state.json"), Logger: logger, Sampler: s})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- a.Run(ctx) }()

			d.FailMinimize(41, errors.New("access denied (elevated process)"))
			startShare(d)
			d.AddProcess(platform.Process{PID: 400, Name: "wfica32.exe"})
			d.AddWindow(platform.Window{ID: 40, PID: 400, Title: titleJournal, Class: "Transparent Windows Client", Bounds: platform.Rect{W: 800, H: 600}})
			d.AddProcess(platform.Process{PID: 401, Name: "notepad.exe"})
			d.AddWindow(platform.Window{ID: 41, PID: 401, Title: titleNotes})
			d.AddWindow(platform.Window{ID: 42, Type: platform.TypeNotification, Title: titlePopup})
			d.AddProcess(platform.Process{PID: 402, Name: "evince"})
			d.AddWindow(platform.Window{ID: 43, PID: 402, Title: titleContent, Bounds: platform.Rect{X: 1000, Y: 100, W: 600, H: 600}})
			s.show(content.Hit{Rule: "personnummer", Confidence: content.High, Rect: image.Rect(1100, 200, 1220, 216), Match: "[nummer]"})

			waitFor(t, "journal minimized", func() bool { return minimized(d, 40) })
			waitFor(t, "content window minimized", func() bool { return minimized(d, 43) })
			waitFor(t, "failed minimize and popup recorded", func() bool {
				raw, _ := os.ReadFile(path)
				return bytes.Contains(raw, []byte(`"ok":false`)) && bytes.Contains(raw, []byte(`"kind":"popup"`))
			})
			d.PanicSnapshot(titleNotes) // a bug that panics with a title
			d.Emit(platform.Event{Kind: platform.WindowChanged})
			waitFor(t, "panic recorded", func() bool {
				raw, _ := os.ReadFile(path)
				return bytes.Contains(raw, []byte("panicked"))
			})
			d.PanicSnapshot("")
			stopShare(d)
			waitFor(t, "share stopped", func() bool {
				raw, _ := os.ReadFile(path)
				return bytes.Contains(raw, []byte("share_stopped"))
			})
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			status, _ := json.Marshal(a.Status())
			recent, _ := json.Marshal(alog.Recent(100))
			alog.Close()

			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			windows := 0
			for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
				var e audit.Event
				if err := json.Unmarshal(line, &e); err != nil {
					t.Fatalf("audit line %q: %v", line, err)
				}
				if e.Kind == "popup" && e.Window != "" {
					t.Errorf("a notification's text recorded as a title: %s", line)
				}
				if e.Window != "" {
					windows++
					if mode == config.TitlesOmit {
						t.Errorf("omit mode recorded a title: %s", line)
					}
					if strings.Contains(e.Window, "1212") {
						t.Errorf("redacted title keeps the number: %s", line)
					}
				}
				e.Window = ""
				other, _ := json.Marshal(e)
				noPersonal(t, "audit field other than window", string(other))
			}
			if mode == config.TitlesRedacted {
				if windows == 0 {
					t.Error(`"redacted" mode recorded no title at all`)
				}
				if !bytes.Contains(raw, []byte(`"window":"Anteckningar Beda Svärdström [nummer]"`)) {
					t.Errorf("redacted title missing from the audit:\n%s", raw)
				}
			}
			fwd.mu.Lock()
			if len(fwd.events) == 0 {
				t.Error("nothing forwarded")
			}
			for _, e := range fwd.events {
				if mode == config.TitlesOmit && e.Window != "" {
					t.Errorf("forwarded a title in omit mode: %+v", e)
				}
				e.Window = ""
				noPersonal(t, "forwarded event", fmt.Sprintf("%+v", e))
			}
			fwd.mu.Unlock()
			noPersonal(t, "log", logs.String())
			if !strings.Contains(logs.String(), "level=DEBUG") {
				t.Error("the debug log was not on: the test would prove nothing about it")
			}
			for _, al := range d.Alerts() {
				noPersonal(t, "alert", al.Summary+" "+al.Body)
			}
			noPersonal(t, "status", string(status))
			if mode == config.TitlesOmit {
				noPersonal(t, "recent events", string(recent))
			}
		})
	}
}

func noPersonal(t *testing.T, where, text string) {
	t.Helper()
	for _, p := range personal {
		if strings.Contains(text, p) {
			t.Errorf("%s carries %q from a window title:\n%s", where, p, text)
		}
	}
}

// TestPanicValueIsNotRecorded: a panic's value is arbitrary text; only its
// type is kept.
func TestPanicValueIsNotRecorded(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	d.PanicSnapshot(titleJournal)
	d.Emit(platform.Event{Kind: platform.WindowCreated})
	waitFor(t, "panic recorded", func() bool { return h.count("error", "detail", "evaluation panicked: string") > 0 })
	raw, _ := os.ReadFile(h.log)
	noPersonal(t, "audit", string(raw))
}

// assessOnce runs one evaluation of a share with three windows that all
// carry title: a journal matched by its process, a number in a title, a
// popup. It returns what the audit log and the debug log got, with the
// parts that vary by run (times, latencies) and the window field removed.
func assessOnce(t testing.TB, title string) (events []string, logs string, shares int) {
	d := fake.New()
	cfg := testConfig(config.ModeBlock)
	cfg.Rules = []detectors.Rule{{Name: "Journal", Processes: []detectors.Glob{detectors.MustGlob("journal.bin")}, Action: detectors.ActionMinimize}}
	cfg.Audit.WindowTitles = config.TitlesRedacted // the window field exists, and is dropped below
	dir := t.TempDir()
	alog, err := audit.Open(filepath.Join(dir, "audit.jsonl"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer alog.Close()
	fwd := &collector{}
	alog.SetForwarder(fwd)
	var buf lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := New(Options{Desktop: d, Config: cfg, Audit: alog, StatePath: filepath.Join(dir, "state.json"), Logger: logger,
		Now: func() time.Time { return time.Unix(0, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	startShare(d)
	d.AddProcess(platform.Process{PID: 500, Name: "journal.bin"})
	d.AddWindow(platform.Window{ID: 50, PID: 500, Title: title})
	d.AddProcess(platform.Process{PID: 501, Name: "evince"})
	d.AddWindow(platform.Window{ID: 51, PID: 501, Title: title + " 19121212-1212"})
	d.FailMinimize(51, errors.New("access denied (elevated process)"))
	d.AddWindow(platform.Window{ID: 52, Type: platform.TypeNotification, Title: title})
	ctx := context.Background()
	a.evaluate(ctx, time.Unix(0, 0))
	shares = len(a.shares)
	stopShare(d)
	a.evaluate(ctx, time.Unix(0, 0))
	for _, e := range fwd.events {
		e.Window, e.LatencyMS = "", nil
		b, _ := json.Marshal(e)
		events = append(events, string(b))
	}
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		for _, k := range []string{"time", "latency", "since_event", "snapshot", "assess", "act"} {
			delete(m, k)
		}
		b, _ := json.Marshal(m)
		logs += string(b) + "\n"
	}
	return events, logs, shares
}

// FuzzTitleLeavesNoTrace: whatever a title holds, everything the guard
// records about the windows that carry it, apart from the window field, is
// the same as for a title of one letter. So no audit field, forward or log
// line can hold any part of a title.
func FuzzTitleLeavesNoTrace(f *testing.F) {
	for _, s := range []string{titleJournal, titleNotes, "TakeCare", "Journal", "%s %v %q", "\x00\xff", strings.Repeat("ä", 300),
		"popup", "evaluation panicked", "19121212-1212", "access denied"} {
		f.Add(s)
	}
	wantEvents, wantLogs, _ := assessOnce(f, "x")
	if len(wantEvents) < 6 {
		f.Fatalf("the scenario recorded only %d events: %v", len(wantEvents), wantEvents)
	}
	f.Fuzz(func(t *testing.T, title string) {
		events, logs, shares := assessOnce(t, title)
		if shares != 1 {
			// The title is itself a share indicator's: a signal, not a leak.
			t.Skip("the title starts a share of its own")
		}
		if strings.Join(events, "\n") != strings.Join(wantEvents, "\n") {
			t.Errorf("audit events depend on the title %q:\n got %v\nwant %v", title, events, wantEvents)
		}
		if logs != wantLogs {
			t.Errorf("log lines depend on the title %q:\n got %s\nwant %s", title, logs, wantLogs)
		}
	})
}

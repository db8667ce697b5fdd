package audit

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func readLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func TestWriteRedactsAndIsReadableAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "audit.jsonl")
	l, err := Open(path, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	l.KeepTitles(true) // the policy's window_titles = "redacted"
	when := time.Date(2026, 11, 23, 10, 0, 0, 123456789, time.UTC)
	err = l.Write(Event{
		Time: when, Event: Action, Kind: "protected_app", Rule: "TakeCare", App: "TakeCare",
		Window: "TakeCare - 19121212-1212 - konto 5000123456789", Action: "minimize",
		OK: Bool(true), LatencyMS: Millis(1500 * time.Microsecond),
		Detail: "minimize of Journal 121212-1212 failed",
	})
	if err != nil {
		t.Fatal(err)
	}
	// Synced per event: another reader sees it before Close.
	lines := readLines(t, path)
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1", len(lines))
	}
	e := lines[0]
	if e["window"] != "TakeCare - [nummer] - konto [nummer]" {
		t.Errorf("window = %q", e["window"])
	}
	if strings.Contains(e["detail"].(string), "1212") {
		t.Errorf("detail not redacted: %q", e["detail"])
	}
	if e["time"] != "2026-11-23T10:00:00.123456789Z" {
		t.Errorf("time = %q, want RFC 3339 with nanoseconds", e["time"])
	}
	if e["latency_ms"] != 1.5 || e["ok"] != true || e["event"] != "action" {
		t.Errorf("event = %v", e)
	}
	if _, ok := e["share_kind"]; ok {
		t.Error("empty fields should be omitted")
	}
	// Windows has no permission bits (its ACLs are another matter).
	if st, _ := os.Stat(path); runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}
}

// A new log drops titles: in the file, the forward and the recent list.
func TestTitlesDroppedUnlessAskedFor(t *testing.T) {
	l, err := Open(filepath.Join(t.TempDir(), "audit.jsonl"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fwd := &memForwarder{}
	l.SetForwarder(fwd)
	title := "TakeCare - Journal - Ingegerd Pålsson-Wikström - Psykiatrimottagning"
	for _, keep := range []bool{false, true, false} {
		l.KeepTitles(keep)
		if err := l.Write(Event{Event: Action, Rule: "TakeCare", App: "TakeCare", Window: title}); err != nil {
			t.Fatal(err)
		}
	}
	lines := readLines(t, l.Path())
	want := []any{nil, title, nil}
	for i, e := range lines {
		if e["window"] != want[i] {
			t.Errorf("line %d: window = %v, want %v", i, e["window"], want[i])
		}
		if fwd.events[i].Window != (map[bool]string{true: title}[want[i] != nil]) {
			t.Errorf("forward %d: window = %q", i, fwd.events[i].Window)
		}
	}
	if r := l.Recent(1); r[0].Window != "" {
		t.Errorf("recent keeps the title: %q", r[0].Window)
	}
}

type memForwarder struct{ events []Event }

func (m *memForwarder) Forward(e Event) error { m.events = append(m.events, e); return nil }
func (m *memForwarder) Close() error          { return nil }

func TestRotationKeepsNFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	l, err := Open(path, 400, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 40; i++ {
		if err := l.Write(Event{Event: Finding, Rule: "r", Detail: strings.Repeat("x", 50)}); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	for _, p := range []string{path, path + ".1", path + ".2"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if st.Size() > 400 {
			t.Errorf("%s is %d bytes, over the limit", p, st.Size())
		}
		if len(readLines(t, p)) == 0 {
			t.Errorf("%s is empty", p)
		}
	}
	if _, err := os.Stat(path + ".3"); !os.IsNotExist(err) {
		t.Error("kept more than 2 rotated files")
	}
}

func TestRecentNewestFirst(t *testing.T) {
	l, err := Open(filepath.Join(t.TempDir(), "a.jsonl"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for i := 0; i < recentCap+5; i++ {
		l.Write(Event{Event: Finding, PID: i})
	}
	got := l.Recent(3)
	if len(got) != 3 || got[0].PID != recentCap+4 || got[2].PID != recentCap+2 {
		t.Fatalf("Recent = %+v", got)
	}
	if n := len(l.Recent(1000)); n != recentCap {
		t.Fatalf("kept %d, want %d", n, recentCap)
	}
	if got[0].Window != "" {
		t.Fatal("unexpected window")
	}
}

func TestUnwritableLogReportsErrorAndKeepsEvents(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.jsonl")
	l, err := Open(path, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	l.f.Close() // the disk "goes away" under the open file
	err = l.Write(Event{Event: Finding, Rule: "r"})
	if err == nil {
		t.Fatal("write to a closed file succeeded")
	}
	if got := l.Recent(1); len(got) != 1 || got[0].Rule != "r" {
		t.Fatalf("event lost from the recent list: %+v", got)
	}
	if err := l.Write(Event{Event: Finding, Rule: "again"}); err != nil {
		t.Fatalf("log did not recover: %v", err)
	}
	if lines := readLines(t, path); len(lines) != 1 || lines[0]["rule"] != "again" {
		t.Fatalf("after recovery: %v", lines)
	}
	l.Close()

	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o600)
	if _, err := Open(filepath.Join(blocker, "audit.jsonl"), 0, 0); err == nil {
		t.Fatal("opened a log below a regular file")
	}
}

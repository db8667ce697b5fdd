package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/detectors"
	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/fake"
)

const (
	chromePID   = 100
	xtermPID    = 200
	shareWin    = platform.WindowID(1)
	journalWin  = platform.WindowID(2)
	journalName = "TakeCare - Journal 19121212-1212"
)

func testConfig(mode config.Mode) *config.Config {
	return &config.Config{
		Enabled:           true,
		Mode:              mode,
		Language:          "en",
		ReconcileInterval: 50 * time.Millisecond,
		ApprovedTools:     []string{"Microsoft Teams", "Zoom", "Google Meet"},
		Actions: config.Actions{
			ProtectedApp:   detectors.ActionMinimize,
			PnrInTitle:     detectors.ActionMinimize,
			Popup:          detectors.ActionWarn,
			UnapprovedTool: detectors.ActionWarn,
		},
		Rules: []detectors.Rule{{
			Name:   "TakeCare",
			Titles: []detectors.Glob{detectors.MustGlob("*TakeCare*")},
			Action: detectors.ActionMinimize,
		}},
	}
}

type harness struct {
	t       *testing.T
	desk    *fake.Desktop
	agent   *Agent
	log     string
	state   string
	cancel  context.CancelFunc
	done    chan error
	stopped bool
	tune    func(*Agent) // set before Run, if any
}

func start(t *testing.T, cfg *config.Config, desk *fake.Desktop) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{t: t, desk: desk, log: filepath.Join(dir, "audit.jsonl"), state: filepath.Join(dir, "state.json")}
	h.startAgent(cfg)
	return h
}

func (h *harness) startAgent(cfg *config.Config) { h.startWith(cfg, nil) }

func (h *harness) startWith(cfg *config.Config, sampler Sampler) {
	h.t.Helper()
	alog, err := audit.Open(h.log, 0, 0)
	if err != nil {
		h.t.Fatal(err)
	}
	a, err := New(Options{Desktop: h.desk, Config: cfg, Audit: alog, StatePath: h.state, Sampler: sampler})
	if err != nil {
		h.t.Fatal(err)
	}
	if h.tune != nil {
		h.tune(a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.agent, h.cancel, h.done, h.stopped = a, cancel, make(chan error, 1), false
	go func() { h.done <- a.Run(ctx); alog.Close() }()
	h.t.Cleanup(h.stop)
}

func (h *harness) stop() {
	if h.stopped {
		return
	}
	h.stopped = true
	h.cancel()
	select {
	case err := <-h.done:
		if err != nil {
			h.t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		h.t.Fatal("agent did not stop")
	}
}

// events reads the audit log as written to disk.
func (h *harness) events() []map[string]any {
	h.t.Helper()
	f, err := os.Open(h.log)
	if err != nil {
		h.t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			h.t.Fatalf("audit line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func (h *harness) count(event string, kv ...string) int {
	n := 0
	for _, e := range h.events() {
		if e["event"] != event {
			continue
		}
		ok := true
		for i := 0; i+1 < len(kv); i += 2 {
			if e[kv[i]] != kv[i+1] {
				ok = false
			}
		}
		if ok {
			n++
		}
	}
	return n
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second) // generous: CI and Wine are slow
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func startShare(d *fake.Desktop) {
	d.AddProcess(platform.Process{PID: chromePID, Name: "chromium", Exe: "/usr/lib/chromium/chromium"})
	d.AddWindow(platform.Window{ID: shareWin, PID: chromePID, Title: "meet.google.com is sharing your screen.", Class: "Chromium", OnTop: true})
}

func stopShare(d *fake.Desktop) { d.RemoveWindow(shareWin) }

func openJournal(d *fake.Desktop) {
	d.AddProcess(platform.Process{PID: xtermPID, Name: "xterm"})
	d.AddWindow(platform.Window{ID: journalWin, PID: xtermPID, Title: journalName, Class: "XTerm"})
}

func minimized(d *fake.Desktop, id platform.WindowID) bool {
	w, ok := d.Window(id)
	return ok && w.Minimized
}

// The main scenario, step by step.
func TestShareProtectedRestoreStop(t *testing.T) {
	d := fake.New()
	d.SetUserDND(false)
	h := start(t, testConfig(config.ModeBlock), d)

	startShare(d)
	waitFor(t, "share_started", func() bool { return h.count("share_started", "app", "Google Meet", "share_kind", "screen") == 1 })
	waitFor(t, "DND on", d.DND)

	openJournal(d)
	waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
	waitFor(t, "action audited", func() bool { return h.count("action", "action", "minimize") == 1 })
	if got := d.Minimized(); len(got) != 1 || got[0] != journalWin {
		t.Fatalf("minimize calls = %v, want exactly one of the journal", got)
	}

	for _, e := range h.events() {
		if e["event"] != "action" {
			continue
		}
		if _, ok := e["window"]; ok {
			t.Errorf("audit window = %q, want no title by default", e["window"])
		}
		if e["process"] != "xterm" {
			t.Errorf("audit process = %q, want xterm", e["process"])
		}
		if e["kind"] != "protected_app" || e["rule"] != "TakeCare" || e["ok"] != true {
			t.Errorf("audit action = %v", e)
		}
		if lat, ok := e["latency_ms"].(float64); !ok || lat < 0 {
			t.Errorf("latency_ms = %v, want a non-negative number", e["latency_ms"])
		}
	}
	waitFor(t, "alert", func() bool { return len(d.Alerts()) == 1 })
	alerts := d.Alerts()
	if len(alerts) != 1 || alerts[0].Severity != platform.SeverityCritical {
		t.Fatalf("alerts = %+v, want one critical", alerts)
	}

	// The user brings the window back during the share: hidden again,
	// audited again, but no second alert and no second finding.
	d.Restore(journalWin)
	waitFor(t, "re-minimized", func() bool { return len(d.Minimized()) == 2 && minimized(d, journalWin) })
	waitFor(t, "second action", func() bool { return h.count("action", "action", "minimize") == 2 })
	if n := h.count("finding", "kind", "protected_app"); n != 1 {
		t.Errorf("findings = %d, want 1 per window per share", n)
	}
	if n := len(d.Alerts()); n != 1 {
		t.Errorf("alerts = %d, want still 1", n)
	}

	stopShare(d)
	waitFor(t, "share_stopped", func() bool { return h.count("share_stopped") == 1 })
	waitFor(t, "DND restored", func() bool { return !d.DND() })

	// After the share the user's choice stands.
	d.Restore(journalWin)
	time.Sleep(100 * time.Millisecond)
	if minimized(d, journalWin) || len(d.Minimized()) != 2 {
		t.Errorf("window touched after the share ended: minimize calls %v", d.Minimized())
	}

	h.stop()
	for _, e := range h.events() {
		for k, v := range e {
			if s, ok := v.(string); ok && strings.Contains(s, "1212-1212") {
				t.Errorf("audit %s leaks the identity number: %q", k, s)
			}
		}
	}
	for _, al := range d.Alerts() {
		if strings.Contains(al.Summary+al.Body, "Journal") {
			t.Errorf("alert repeats the window title: %+v", al)
		}
	}
}

func TestAlreadyOpenWindowIsHiddenWhenShareStarts(t *testing.T) {
	d := fake.New()
	openJournal(d)
	h := start(t, testConfig(config.ModeBlock), d)
	time.Sleep(50 * time.Millisecond)
	if len(d.Minimized()) != 0 {
		t.Fatal("minimized with no share running")
	}
	startShare(d)
	waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
	_ = h
}

func TestNoShareNoAction(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	openJournal(d)
	d.AddWindow(platform.Window{ID: 9, PID: xtermPID, Title: "Anteckning 19121212-1212"})
	d.AddWindow(platform.Window{ID: 10, Type: platform.TypeNotification, Title: "Nytt meddelande"})
	time.Sleep(150 * time.Millisecond)
	h.stop()
	if len(d.Minimized()) != 0 || len(d.Alerts()) != 0 || len(d.DNDCalls()) != 0 {
		t.Fatalf("acted without a share: minimized %v alerts %v dnd %v", d.Minimized(), d.Alerts(), d.DNDCalls())
	}
}

func TestWarnModeNeverMinimizes(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeWarn), d)
	startShare(d)
	openJournal(d)
	waitFor(t, "warn action", func() bool { return h.count("action", "action", "warn", "rule", "TakeCare") == 1 })
	if len(d.Minimized()) != 0 {
		t.Fatal("warn mode minimized a window")
	}
	waitFor(t, "alert", func() bool { return len(d.Alerts()) == 1 })
	if a := d.Alerts(); len(a) != 1 || a[0].Severity != platform.SeverityWarning {
		t.Fatalf("alerts = %+v", a)
	}
}

func TestIdentityNumberInTitleAndPopup(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	startShare(d)
	d.AddProcess(platform.Process{PID: 300, Name: "evince"})
	d.AddWindow(platform.Window{ID: 5, PID: 300, Title: "remiss_19121212-1212.pdf"})
	d.AddWindow(platform.Window{ID: 6, Type: platform.TypeNotification, Title: "Ny chatt"})
	waitFor(t, "pnr window minimized", func() bool { return minimized(d, 5) })
	waitFor(t, "popup warned", func() bool { return h.count("action", "kind", "popup", "action", "warn") == 1 })
	if minimized(d, 6) {
		t.Error("popup minimized, policy says warn")
	}
	if n := h.count("action", "kind", "personnummer_in_title", "process", "evince"); n != 1 {
		t.Errorf("redacted personnummer_in_title action: %d", n)
	}
}

func TestMinimizeFailureWarnsOnce(t *testing.T) {
	d := fake.New()
	d.FailMinimize(journalWin, errors.New("access denied (elevated process)"))
	h := start(t, testConfig(config.ModeBlock), d)
	startShare(d)
	openJournal(d)
	waitFor(t, "failed tries", func() bool { return h.count("action", "action", "minimize") == minimizeTries })
	time.Sleep(200 * time.Millisecond) // several more reconcile ticks
	for _, e := range h.events() {
		if e["event"] == "action" && e["ok"] != false {
			t.Errorf("failed minimize recorded as %v", e)
		}
	}
	if n := h.count("action", "action", "minimize"); n != minimizeTries {
		t.Errorf("minimize tried %d times, want %d", n, minimizeTries)
	}
	if a := d.Alerts(); len(a) != 1 || !strings.Contains(a[0].Summary, "could not") {
		t.Errorf("alerts = %+v", a)
	}
}

func TestUserDNDKeptAsItWas(t *testing.T) {
	d := fake.New()
	d.SetUserDND(true) // the user had do-not-disturb on already
	start(t, testConfig(config.ModeBlock), d)
	startShare(d)
	waitFor(t, "DND call", func() bool { return len(d.DNDCalls()) == 1 })
	stopShare(d)
	waitFor(t, "restore call", func() bool { return len(d.DNDCalls()) == 2 })
	if !d.DND() {
		t.Fatal("the user's do-not-disturb was switched off")
	}
}

// A desktop that finds changes by looking (Windows) is told when a share
// starts and when the last one ends, once each.
func TestDesktopToldWhileSharing(t *testing.T) {
	d := fake.New()
	start(t, testConfig(config.ModeBlock), d)
	openJournal(d)
	time.Sleep(100 * time.Millisecond)
	if got := d.SharingCalls(); len(got) != 0 {
		t.Fatalf("SetSharing calls without a share: %v", got)
	}
	startShare(d)
	waitFor(t, "SetSharing(true)", func() bool { return len(d.SharingCalls()) == 1 })
	waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
	stopShare(d)
	waitFor(t, "SetSharing(false)", func() bool { return len(d.SharingCalls()) == 2 })
	time.Sleep(100 * time.Millisecond)
	if got := d.SharingCalls(); !slices.Equal(got, []bool{true, false}) {
		t.Fatalf("SetSharing calls = %v, want [true false]", got)
	}
}

func TestExitMidShareRestoresDND(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	startShare(d)
	waitFor(t, "DND on", d.DND)
	waitFor(t, "state saved", func() bool { st, _ := LoadState(h.state); return st.DNDChanged })
	if st, _ := LoadState(h.state); !st.DNDChanged || st.DNDPrevious {
		t.Fatalf("state during share = %+v, want changed with previous off", st)
	}
	h.stop()
	if d.DND() {
		t.Fatal("DND left on after exit")
	}
	if _, err := os.Stat(h.state); !os.IsNotExist(err) {
		t.Fatalf("state file left behind: %v", err)
	}
	if h.count("agent_stopped") != 1 {
		t.Error("no agent_stopped event")
	}
}

func TestCrashStateRestoredAtStart(t *testing.T) {
	d := fake.New()
	d.SetUserDND(true) // left on by a crashed run
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	if err := SaveState(state, State{DNDChanged: true, DNDPrevious: false}); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, desk: d, log: filepath.Join(dir, "audit.jsonl"), state: state}
	h.startAgent(testConfig(config.ModeBlock))
	waitFor(t, "DND restored", func() bool { return !d.DND() })
	waitFor(t, "audited", func() bool { return h.count("dnd", "action", "restore") == 1 })
	if _, err := os.Stat(state); !os.IsNotExist(err) {
		t.Fatal("state file not cleared")
	}
}

func TestReloadAndRejection(t *testing.T) {
	d := fake.New()
	cfg := testConfig(config.ModeBlock)
	cfg.Rules = nil
	h := start(t, cfg, d)
	startShare(d)
	openJournal(d)
	d.SetTitle(journalWin, "TakeCare - Journal") // no identity number: only the rule can catch it
	time.Sleep(100 * time.Millisecond)
	if len(d.Minimized()) != 0 {
		t.Fatal("minimized without a rule")
	}
	h.agent.Rejected(errors.New("config.toml:3:7: unknown key \"mdoe\""))
	waitFor(t, "config_rejected", func() bool { return h.count("config_rejected") == 1 })
	if len(d.Alerts()) != 1 {
		t.Fatalf("user not told about the rejected config: %+v", d.Alerts())
	}
	h.agent.Reload(testConfig(config.ModeBlock))
	waitFor(t, "minimized after reload", func() bool { return minimized(d, journalWin) })
	if h.count("config_reloaded") != 1 {
		t.Error("no config_reloaded event")
	}
}

func TestSnapshotErrorsAndPanicsDoNotStopTheGuard(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	d.FailSnapshot(errors.New("display gone"))
	d.Emit(platform.Event{Kind: platform.DisplayLost, Err: errors.New("connection reset")})
	d.Emit(platform.Event{Kind: platform.WindowCreated})
	waitFor(t, "error events", func() bool { return h.count("error") >= 2 })
	// The status follows the audit event: wait for it rather than race it.
	waitFor(t, "status shows the lost display", func() bool { return h.agent.Status().DisplayLost })
	d.FailSnapshot(nil)
	d.Emit(platform.Event{Kind: platform.DisplayRestored})
	startShare(d)
	openJournal(d)
	waitFor(t, "guarding again", func() bool { return minimized(d, journalWin) })
}

func TestIdleDoesNoWork(t *testing.T) {
	d := fake.New()
	start(t, testConfig(config.ModeBlock), d)
	waitFor(t, "first look", func() bool { return d.Snapshots() >= 1 })
	before := d.Snapshots()
	time.Sleep(300 * time.Millisecond) // six reconcile intervals
	if got := d.Snapshots(); got != before {
		t.Fatalf("%d snapshots while idle, want 0", got-before)
	}
}

func TestUnapprovedToolWarnsOncePerRun(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	d.AddProcess(platform.Process{PID: 400, Name: "slack"})
	d.AddWindow(platform.Window{ID: 40, PID: 400, Title: "Slack"})
	waitFor(t, "unapproved warning", func() bool { return h.count("action", "kind", "unapproved_tool") == 1 })
	d.SetTitle(40, "Slack | general")
	time.Sleep(100 * time.Millisecond)
	if n := h.count("finding", "kind", "unapproved_tool"); n != 1 {
		t.Errorf("warned %d times for one run of the tool", n)
	}
}

// concurrency: Reload and Rejected from other goroutines while events flow.
func TestConcurrentReloads(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	d.AddWindow(platform.Window{ID: 77, Title: "Editor"})
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				h.agent.Reload(testConfig(config.ModeBlock))
				d.SetTitle(77, "Editor "+strconv.Itoa(j))
			}
		}()
	}
	startShare(d)
	openJournal(d)
	wg.Wait()
	waitFor(t, "minimized", func() bool { return minimized(d, journalWin) })
}

func TestPauseDuringShareAndResumeByItself(t *testing.T) {
	d := fake.New()
	cfg := testConfig(config.ModeBlock)
	cfg.AllowPause = true
	h := start(t, cfg, d)
	startShare(d)
	waitFor(t, "DND on", d.DND)
	if err := h.agent.Pause(300 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "paused", func() bool { return h.agent.Status().Paused })
	waitFor(t, "DND restored while paused", func() bool { return !d.DND() })
	openJournal(d)
	time.Sleep(100 * time.Millisecond)
	if len(d.Minimized()) != 0 {
		t.Fatal("acted while paused")
	}
	waitFor(t, "resumed", func() bool { return !h.agent.Status().Paused })
	waitFor(t, "guarding again", func() bool { return minimized(d, journalWin) })
	if h.count("guard_paused") != 1 || h.count("guard_resumed") != 1 {
		t.Error("pause/resume not audited")
	}
}

func TestPauseForbiddenByPolicy(t *testing.T) {
	d := fake.New()
	cfg := testConfig(config.ModeBlock)
	cfg.AllowPause = false
	h := start(t, cfg, d)
	if err := h.agent.Pause(time.Minute); !errors.Is(err, ErrPauseNotAllowed) {
		t.Fatalf("Pause = %v, want ErrPauseNotAllowed", err)
	}
	startShare(d)
	openJournal(d)
	waitFor(t, "still guarding", func() bool { return minimized(d, journalWin) })
}

// The user's file asks for warn mode, an off guard, and an extra approved
// tool; the machine policy says block. The guard must still minimize.
func TestPolicyCannotBeWeakenedByUserFile(t *testing.T) {
	// Parsed and merged as Load does; file ownership is config's own test.
	user, err := config.Parse("config.toml", []byte("enabled = false\nmode = \"warn\"\napproved_tools = [\"Zoom\", \"Slack\"]\n[actions]\nprotected_app = \"warn\"\n"), config.LayerUser)
	if err != nil {
		t.Fatal(err)
	}
	policy, err := config.Parse("policy.toml", []byte("enabled = true\nmode = \"block\"\napproved_tools = [\"Zoom\", \"Google Meet\"]\n[actions]\nprotected_app = \"minimize\"\n"), config.LayerPolicy)
	if err != nil {
		t.Fatal(err)
	}
	def, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := config.Merge(def, policy, user)
	if len(cfg.Notes) == 0 {
		t.Error("no notes about the overridden user settings")
	}
	d := fake.New()
	h := start(t, cfg, d)
	startShare(d)
	openJournal(d)
	d.SetTitle(journalWin, "TakeCare - Journal") // caught by the default rule, not the number
	waitFor(t, "minimized despite the user's warn", func() bool { return minimized(d, journalWin) })
	d.AddProcess(platform.Process{PID: 400, Name: "slack"})
	d.AddWindow(platform.Window{ID: 40, PID: 400, Title: "Slack"})
	waitFor(t, "slack not approved", func() bool { return h.count("finding", "kind", "unapproved_tool", "app", "Slack") == 1 })
}

// The guard hides first and writes afterwards: no audit sync, D-Bus call
// or DND change may delay a minimize. A window already open when the share
// starts is the worst case: share_started, DND and the finding all wait.
func TestActsBeforeRecording(t *testing.T) {
	d := fake.New()
	openJournal(d)
	var h *harness
	var lines atomic.Int32
	var dndBefore atomic.Bool
	d.OnMinimize(func(platform.WindowID) {
		data, _ := os.ReadFile(h.log)
		lines.Store(int32(strings.Count(string(data), "share_started") + strings.Count(string(data), "\"finding\"")))
		dndBefore.Store(len(d.DNDCalls()) > 0)
	})
	h = start(t, testConfig(config.ModeBlock), d)
	startShare(d)
	waitFor(t, "journal minimized", func() bool { return minimized(d, journalWin) })
	waitFor(t, "recorded", func() bool { return h.count("action", "action", "minimize") == 1 })
	if n := lines.Load(); n != 0 {
		t.Errorf("%d share/finding events were written before the window was hidden", n)
	}
	if dndBefore.Load() {
		t.Error("do-not-disturb was switched before the window was hidden")
	}
	waitFor(t, "DND on afterwards", d.DND)
}

func TestPanicDuringEvaluationIsRecoveredAndRecorded(t *testing.T) {
	d := fake.New()
	h := start(t, testConfig(config.ModeBlock), d)
	d.PanicSnapshot("detector bug")
	d.Emit(platform.Event{Kind: platform.WindowCreated})
	waitFor(t, "panic recorded", func() bool {
		for _, e := range h.events() {
			if e["event"] == "error" && strings.Contains(e["detail"].(string), "evaluation panicked: string") {
				return true
			}
		}
		return false
	})
	d.PanicSnapshot("")
	startShare(d)
	openJournal(d)
	waitFor(t, "guarding after the panic", func() bool { return minimized(d, journalWin) })
}

// The state file says do-not-disturb was changed before it is: a run
// killed right after switching it on still leaves the record that lets
// the next start put the user's setting back.
func TestDNDStateSavedBeforeSwitch(t *testing.T) {
	for _, user := range []bool{false, true} {
		d := fake.New()
		d.SetUserDND(user)
		h := start(t, testConfig(config.ModeBlock), d)
		seen := make(chan State, 4)
		d.BeforeDND(func(on bool) {
			if on {
				st, _ := LoadState(h.state)
				seen <- st
			}
		})
		startShare(d)
		waitFor(t, "DND on", func() bool { return len(d.DNDCalls()) == 1 })
		if st := <-seen; !st.DNDChanged || st.DNDPrevious != user {
			t.Fatalf("user DND %v: state when switching on = %+v, want changed with previous %v", user, st, user)
		}
		if st, _ := LoadState(h.state); !st.DNDChanged || st.DNDPrevious != user {
			t.Fatalf("user DND %v: state during share = %+v", user, st)
		}
		stopShare(d)
		h.stop()
	}
}

// A switch that fails leaves no record: nothing was changed to undo.
func TestDNDFailedSwitchLeavesNoState(t *testing.T) {
	d := fake.New()
	d.FailDND(errors.New("no notification daemon"))
	h := start(t, testConfig(config.ModeBlock), d)
	startShare(d)
	waitFor(t, "failure audited", func() bool { return h.count("dnd", "action", "on") == 1 })
	if _, err := os.Stat(h.state); !os.IsNotExist(err) {
		t.Fatalf("state file after a failed switch: %v", err)
	}
}

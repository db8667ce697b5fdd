package tray

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shareguard/shareguard/agent"
	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/assets"
)

type fakeGuard struct {
	mu      sync.Mutex
	st      agent.Status
	cfg     *config.Config
	paused  []time.Duration
	resumed int
}

func (g *fakeGuard) Status() agent.Status   { g.mu.Lock(); defer g.mu.Unlock(); return g.st }
func (g *fakeGuard) Config() *config.Config { return g.cfg }
func (g *fakeGuard) Resume()                { g.mu.Lock(); g.resumed++; g.mu.Unlock() }
func (g *fakeGuard) Pause(d time.Duration) error {
	if !g.cfg.AllowPause {
		return agent.ErrPauseNotAllowed
	}
	g.mu.Lock()
	g.paused = append(g.paused, d)
	g.mu.Unlock()
	return nil
}
func (g *fakeGuard) set(f func(*agent.Status)) { g.mu.Lock(); f(&g.st); g.mu.Unlock() }

type fakeAudit struct {
	mu     sync.Mutex
	events []audit.Event // newest first
}

func (a *fakeAudit) Recent(n int) []audit.Event {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]audit.Event(nil), a.events[:min(n, len(a.events))]...)
}
func (a *fakeAudit) Write(e audit.Event) error {
	a.mu.Lock()
	a.events = append([]audit.Event{e}, a.events...)
	a.mu.Unlock()
	return nil
}

type fakeAuto struct {
	on, fail, managed bool
	sets              int
}

func (f *fakeAuto) Managed() bool          { return f.managed }
func (f *fakeAuto) Enabled() (bool, error) { return f.on || f.managed, nil }
func (f *fakeAuto) Set(on bool) error {
	f.sets++
	if f.fail {
		return errors.New("read-only home")
	}
	f.on = on
	return nil
}

func defaults(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Load("", "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Language = "sv"
	return cfg
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestController(t *testing.T) (*Controller, *fakeGuard, *fakeAudit, *fakeAuto, *clock, *int) {
	t.Helper()
	g := &fakeGuard{st: agent.Status{Enabled: true}, cfg: defaults(t)}
	a := &fakeAudit{}
	auto := &fakeAuto{}
	clk := &clock{t: t0}
	quits := 0
	c, err := NewController(Options{
		Guard: g, Audit: a, Autostart: auto, Quit: func() { quits++ },
		Settings: filepath.Join(t.TempDir(), "cfg", "shareguard.toml"),
		OpenFile: func(string) error { return nil },
		Now:      clk.now, Version: "test",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c, g, a, auto, clk, &quits
}

func TestControllerStepInAcknowledgedByMenu(t *testing.T) {
	c, g, a, _, clk, _ := newTestController(t)
	g.set(func(s *agent.Status) { s.Sharing, s.Shares = true, zoomShare() })
	a.Write(minimized(t0, "TakeCare"))
	g.set(func(s *agent.Status) { s.SteppedIn = true })
	clk.t = t0.Add(time.Second)
	if v := Build(c.Input()); v.Icon != assets.IconSteppedIn {
		t.Fatalf("icon %q, want stepped in", v.Icon)
	}
	// It stays while nothing is clicked...
	clk.t = t0.Add(time.Hour)
	if v := Build(c.Input()); v.Icon != assets.IconSteppedIn {
		t.Fatalf("icon %q an hour later, want stepped in", v.Icon)
	}
	// ...and goes when the user opens the menu.
	c.Handle(ClickStatus)
	if v := Build(c.Input()); v.Icon != assets.IconSharing {
		t.Fatalf("icon %q after the menu, want sharing", v.Icon)
	}
	// A new share starts unacknowledged.
	g.set(func(s *agent.Status) { *s = agent.Status{Enabled: true} })
	if v := Build(c.Input()); v.Icon != assets.IconGuarding {
		t.Fatalf("icon %q after the share, want guarding", v.Icon)
	}
	clk.t = t0.Add(2 * time.Hour)
	a.Write(minimized(clk.t.Add(-time.Hour*3), "TakeCare")) // clock-skewed, older than the old ack
	g.set(func(s *agent.Status) { s.Sharing, s.Shares, s.SteppedIn = true, zoomShare(), true })
	if v := Build(c.Input()); v.Icon != assets.IconSteppedIn {
		t.Fatalf("second share: icon %q, want stepped in", v.Icon)
	}
}

func TestControllerPauseResumeAndPolicy(t *testing.T) {
	c, g, _, _, _, _ := newTestController(t)
	c.Handle(ClickPause)
	if len(g.paused) != 1 || g.paused[0] != 0 {
		t.Fatalf("pause calls %v, want one with the config's duration (0)", g.paused)
	}
	g.set(func(s *agent.Status) { s.Paused, s.PausedUntil = true, t0.Add(15*time.Minute) })
	c.Handle(ClickPause)
	if g.resumed != 1 || len(g.paused) != 1 {
		t.Fatalf("while paused the item resumes: resumed %d paused %v", g.resumed, g.paused)
	}
	g.set(func(s *agent.Status) { s.Paused = false })
	cfg := *g.cfg
	cfg.AllowPause = false
	g.cfg = &cfg
	if v := Build(c.Input()); v.Pause.Visible {
		t.Fatal("pause shown under a policy that forbids it")
	}
	c.Handle(ClickPause) // a stale click
	if len(g.paused) != 1 {
		t.Fatalf("paused against policy: %v", g.paused)
	}
}

func TestControllerQuitAuditsAndStops(t *testing.T) {
	c, _, a, _, _, quits := newTestController(t)
	c.Handle(ClickQuit)
	if *quits != 1 {
		t.Fatalf("quit called %d times", *quits)
	}
	if ev := a.Recent(1); len(ev) != 1 || ev[0].Event != EventQuit {
		t.Fatalf("audit after quit: %+v", ev)
	}
}

// A policy's allow_quit = false removes Quit from the menu, and a click
// that arrives anyway (a stale menu) stops nothing.
func TestPolicyRemovesQuit(t *testing.T) {
	c, g, a, _, _, quits := newTestController(t)
	if v := Build(c.Input()); !v.Quit.Visible || !v.Quit.Enabled {
		t.Fatalf("quit not offered by default: %+v", v.Quit)
	}
	g.cfg.AllowQuit = false
	if v := Build(c.Input()); v.Quit.Visible || v.Quit.Enabled {
		t.Fatalf("quit offered although the policy forbids it: %+v", v.Quit)
	}
	c.Handle(ClickQuit)
	if *quits != 0 {
		t.Fatalf("quit called %d times although not allowed", *quits)
	}
	if ev := a.Recent(1); len(ev) != 0 {
		t.Fatalf("audit after a refused quit: %+v", ev)
	}
}

// Under machine-wide autostart the toggle shows on and managed, and a
// click changes nothing.
func TestAutostartManagedByTheMachine(t *testing.T) {
	c, _, _, auto, _, _ := newTestController(t)
	auto.managed = true
	c.readAutostart()
	v := Build(c.Input())
	if !v.Autostart.Visible || v.Autostart.Enabled || !v.Autostart.Checked || v.Autostart.Title != "Starta vid inloggning (styrs av IT)" {
		t.Fatalf("managed autostart item: %+v", v.Autostart)
	}
	c.Handle(ClickAutostart)
	if auto.sets != 0 {
		t.Errorf("start at login changed %d times under machine-wide autostart", auto.sets)
	}
}

func TestControllerAutostartToggle(t *testing.T) {
	c, _, _, auto, _, _ := newTestController(t)
	if v := Build(c.Input()); !v.Autostart.Visible || v.Autostart.Checked {
		t.Fatalf("initial: %+v", v.Autostart)
	}
	c.Handle(ClickAutostart)
	if v := Build(c.Input()); !auto.on || !v.Autostart.Checked {
		t.Fatalf("after toggle on: auto %v item %+v", auto.on, v.Autostart)
	}
	auto.fail = true
	c.Handle(ClickAutostart)
	if v := Build(c.Input()); !v.Autostart.Checked {
		t.Fatalf("a failed change must show the real state: %+v", v.Autostart)
	}
	auto.fail = false
	c.Handle(ClickAutostart)
	if v := Build(c.Input()); auto.on || v.Autostart.Checked {
		t.Fatalf("after toggle off: auto %v item %+v", auto.on, v.Autostart)
	}
}

func TestControllerRejectedConfigLastsUntilReload(t *testing.T) {
	c, _, a, _, _, _ := newTestController(t)
	a.Write(audit.Event{Time: t0, Event: audit.ConfigRejected})
	if v := Build(c.Input()); v.Icon != assets.IconError {
		t.Fatalf("after rejection: %q", v.Icon)
	}
	for i := 0; i < 100; i++ { // pushes the rejection out of Recent
		a.Write(audit.Event{Time: t0.Add(time.Duration(i+1) * time.Second), Event: audit.DND, Action: "on"})
	}
	if v := Build(c.Input()); v.Icon != assets.IconError {
		t.Fatalf("rejection forgotten once out of the recent list: %q", v.Icon)
	}
	a.Write(audit.Event{Time: t0.Add(time.Hour), Event: audit.ConfigReloaded})
	if v := Build(c.Input()); v.Icon != assets.IconGuarding {
		t.Fatalf("after a good reload: %q", v.Icon)
	}
}

// fakeUI records views and lets the test click.
type fakeUI struct {
	views  chan View
	clicks chan Click
}

func (f *fakeUI) Show(v View)          { f.views <- v }
func (f *fakeUI) Clicks() <-chan Click { return f.clicks }

func TestControllerRunPushesChanges(t *testing.T) {
	g := &fakeGuard{st: agent.Status{Enabled: true}, cfg: defaults(t)}
	a := &fakeAudit{}
	wake := NewSignal()
	c, err := NewController(Options{Guard: g, Audit: a, Quit: func() {}, Refresh: time.Hour}, wake)
	if err != nil {
		t.Fatal(err)
	}
	ui := &fakeUI{views: make(chan View, 10), clicks: make(chan Click)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- c.Run(ctx, ui) }()
	next := func() View {
		select {
		case v := <-ui.views:
			return v
		case <-time.After(5 * time.Second):
			t.Fatal("no view")
		}
		return View{}
	}
	if v := next(); v.Icon != assets.IconGuarding || v.Autostart.Visible {
		t.Fatalf("first view: icon %q autostart %+v (no autostart wired: hidden)", v.Icon, v.Autostart)
	}
	g.set(func(s *agent.Status) { s.Sharing, s.Shares = true, zoomShare() })
	wake.Notify(g.Status())
	wake.Notify(g.Status()) // coalesces, never blocks
	if v := next(); v.Icon != assets.IconSharing {
		t.Fatalf("after wake: %q", v.Icon)
	}
	// A click that changes nothing in the view sends no new view.
	ui.clicks <- ClickAbout
	select {
	case v := <-ui.views:
		t.Fatalf("unchanged view sent again: %+v", v.Status)
	case <-time.After(100 * time.Millisecond):
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestOpenSettingsCreatesDefaultOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shareguard", "shareguard.toml")
	var opened []string
	open := func(p string) error { opened = append(opened, p); return nil }
	if err := OpenSettings(path, open); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(assets.DefaultConfig) {
		t.Fatalf("created file differs from the default (err %v)", err)
	}
	if _, err := config.Parse(path, got, config.LayerUser); err != nil {
		t.Fatalf("created file is not a valid config: %v", err)
	}
	if err := os.WriteFile(path, []byte("mode = \"warn\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := OpenSettings(path, open); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "mode = \"warn\"\n" {
		t.Fatalf("the user's own file was overwritten: %q", got)
	}
	if len(opened) != 2 || opened[0] != path {
		t.Fatalf("opened %v", opened)
	}
	if err := OpenSettings(path, func(string) error { return errors.New("no editor") }); err == nil {
		t.Fatal("a failing editor is not reported")
	}
}

func TestProtocolIgnoresToolkitChatter(t *testing.T) {
	m, ours, err := decodeMsg(encodeMsg(hostMsg{Click: ClickQuit})[:len(encodeMsg(hostMsg{Click: ClickQuit}))-1])
	if err != nil || !ours || m.Click != ClickQuit {
		t.Fatalf("round trip: %+v %v %v", m, ours, err)
	}
	if _, ours, _ := decodeMsg([]byte(`(shareguard:1): Gtk-WARNING **: something {"click":"quit"}`)); ours {
		t.Fatal("toolkit output taken for a click")
	}
	if _, ours, err := decodeMsg([]byte(lineTag + "{not json")); !ours || err == nil {
		t.Fatal("bad tagged line not reported")
	}
}

package tray

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/shareguard/shareguard/agent"
	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/platform/osenv"
)

// Click is what the user chose in the menu.
type Click string

const (
	ClickStatus    Click = "status"
	ClickRecent    Click = "recent" // an event line or the submenu itself
	ClickPause     Click = "pause"  // pause, or resume while paused
	ClickSettings  Click = "settings"
	ClickAutostart Click = "autostart"
	ClickAbout     Click = "about"
	ClickQuit      Click = "quit"
)

// UI shows views and reports clicks; the child-process host and test
// fakes implement it.
type UI interface {
	Show(View)
	Clicks() <-chan Click
}

// Guard is what the tray needs from the agent; *agent.Agent has it.
type Guard interface {
	Status() agent.Status
	Config() *config.Config
	Pause(d time.Duration) error
	Resume()
}

// AuditLog is what the tray needs from the audit log; *audit.Log has it.
type AuditLog interface {
	Recent(n int) []audit.Event
	Write(e audit.Event) error
}

// Autostart turns starting at login on and off.
type Autostart interface {
	Enabled() (bool, error)
	Set(on bool) error
	Managed() bool // the machine starts the guard for everyone: fixed on
}

// Options wires a Controller.
type Options struct {
	Guard     Guard
	Audit     AuditLog
	Autostart Autostart // nil: this platform cannot start at login
	// Settings is the user config file "open settings" opens (created
	// from the commented default when missing).
	Settings string
	OpenFile func(path string) error // nil: the system's default handler
	Quit     func()                  // asks the guard to stop; required
	Version  string
	// ContentScan says whether the shared picture is read: "on", "off"
	// (config) or "unavailable" (this build or machine has no OCR).
	ContentScan string
	Logger      *slog.Logger
	Now         func() time.Time
	Getenv      func(string) string
	// Refresh is how often the menu's event list is re-read between
	// status changes (DND and config events change no status). Default 2s.
	Refresh time.Duration
}

// Signal wakes the controller; its Notify fits agent.Options.OnStatus:
// it never blocks, and wake-ups coalesce.
type Signal chan struct{}

// NewSignal makes a Signal.
func NewSignal() Signal { return make(Signal, 1) }

// Notify pokes the controller.
func (s Signal) Notify(agent.Status) {
	select {
	case s <- struct{}{}:
	default:
	}
}

// Controller is the tray's state machine. It runs in the guard process;
// only its Run goroutine touches its fields.
type Controller struct {
	o    Options
	wake Signal

	acked       time.Time // user opened the menu during the current share
	rejected    bool      // a config edit was rejected and none accepted since
	lastSeen    time.Time // newest audit event already looked at
	autostart   bool
	autoKnown   bool
	autoManaged bool // machine-wide autostart: the toggle is fixed on
	last        *View
	str         *assets.Strings // cached for the language in force
}

// NewController builds a controller woken by wake (pass the same Signal's
// Notify as the agent's OnStatus).
func NewController(o Options, wake Signal) (*Controller, error) {
	if o.Guard == nil || o.Audit == nil || o.Quit == nil {
		return nil, errors.New("tray: guard, audit log and quit are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.OpenFile == nil {
		o.OpenFile = osenv.OpenFile
	}
	if o.Refresh <= 0 {
		o.Refresh = 2 * time.Second
	}
	if wake == nil {
		wake = NewSignal()
	}
	c := &Controller{o: o, wake: wake}
	c.readAutostart()
	return c, nil
}

// Run shows the view on ui and handles clicks until ctx ends.
func (c *Controller) Run(ctx context.Context, ui UI) error {
	tick := time.NewTicker(c.o.Refresh)
	defer tick.Stop()
	c.show(ui)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-c.wake:
		case <-tick.C:
		case cl, ok := <-ui.Clicks():
			if !ok {
				return errors.New("tray: the menu is gone")
			}
			c.Handle(cl)
		}
		c.show(ui)
	}
}

func (c *Controller) show(ui UI) {
	v := Build(c.Input())
	if c.last != nil && equalView(*c.last, v) {
		return
	}
	c.last = &v
	ui.Show(v)
}

// Input gathers the current input for Build and advances the controller's
// own state (acknowledgement, rejected config).
func (c *Controller) Input() Input {
	st := c.o.Guard.Status()
	cfg := c.o.Guard.Config()
	recent := c.o.Audit.Recent(64) // the log keeps fewer; take all it has
	c.observe(recent)
	if !st.Sharing {
		c.acked = time.Time{} // the next share starts unacknowledged
	}
	if lang := assets.PickLanguage(cfg.Language, osenv.Locale(c.o.Getenv)); c.str == nil || c.str.Lang != lang {
		str, err := assets.LoadStrings(lang)
		if err != nil {
			str = assets.MustStrings(assets.Languages[0])
		}
		c.str = str
	}
	str := c.str
	return Input{
		Status:         st,
		Recent:         recent,
		Str:            str,
		AllowPause:     cfg.AllowPause,
		AllowQuit:      cfg.AllowQuit,
		PauseDuration:  cfg.PauseDuration,
		Autostart:      c.autostart,
		AutostartKnown: c.autoKnown,
		AutostartFixed: c.autoManaged,
		Acked:          c.acked,
		ConfigRejected: c.rejected,
		Version:        c.o.Version,
		ContentScan:    c.o.ContentScan,
		Now:            c.o.Now(),
	}
}

// observe follows config_rejected / config_reloaded in events the
// controller has not seen yet (newest first), so the error state lasts
// until a good config is in force, not only while the event is recent.
func (c *Controller) observe(recent []audit.Event) {
	newest := c.lastSeen
	for i := len(recent) - 1; i >= 0; i-- { // oldest first
		e := recent[i]
		if !e.Time.After(c.lastSeen) {
			continue
		}
		switch e.Event {
		case audit.ConfigRejected:
			c.rejected = true
		case audit.ConfigReloaded:
			c.rejected = false
		}
		if e.Time.After(newest) {
			newest = e.Time
		}
	}
	c.lastSeen = newest
}

// Handle acts on one click. Any click means the user opened the menu,
// which acknowledges "stepped in".
func (c *Controller) Handle(cl Click) {
	if c.o.Guard.Status().Sharing {
		c.acked = c.o.Now()
	}
	switch cl {
	case ClickPause:
		if c.o.Guard.Status().Paused {
			c.o.Guard.Resume()
			return
		}
		if err := c.o.Guard.Pause(0); err != nil {
			// The menu hides pause when policy forbids it; a policy
			// reload can race the click.
			c.o.Logger.Warn("pause refused", "err", err)
		}
	case ClickSettings:
		if err := OpenSettings(c.o.Settings, c.o.OpenFile); err != nil {
			c.o.Logger.Warn("cannot open the settings", "err", err)
		}
	case ClickAutostart:
		if c.o.Autostart == nil || c.autoManaged {
			return
		}
		if err := c.o.Autostart.Set(!c.autostart); err != nil {
			c.o.Logger.Warn("cannot change start at login", "err", err)
		}
		c.readAutostart()
	case ClickQuit:
		if !c.o.Guard.Config().AllowQuit {
			c.o.Logger.Warn("quit from the tray menu refused: the policy does not allow it")
			return
		}
		if err := c.o.Audit.Write(audit.Event{Event: EventQuit, Detail: "from the tray menu", PID: os.Getpid()}); err != nil {
			c.o.Logger.Warn("cannot audit quitting", "err", err)
		}
		c.o.Logger.Info("quit from the tray menu")
		c.o.Quit()
	}
}

func (c *Controller) readAutostart() {
	if c.o.Autostart == nil {
		c.autostart, c.autoKnown = false, false
		return
	}
	on, err := c.o.Autostart.Enabled()
	if err != nil {
		c.o.Logger.Warn("cannot read start at login", "err", err)
		c.autoKnown = false
		return
	}
	c.autostart, c.autoKnown, c.autoManaged = on, true, c.o.Autostart.Managed()
}

func equalView(a, b View) bool {
	if len(a.Events) != len(b.Events) {
		return false
	}
	for i := range a.Events {
		if a.Events[i] != b.Events[i] {
			return false
		}
	}
	a.Events, b.Events = nil, nil
	return fmt.Sprint(a) == fmt.Sprint(b)
}

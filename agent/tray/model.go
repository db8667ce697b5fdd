// Package tray is shareguard's tray icon and menu. The guard process runs a
// Controller that turns the agent's status and the audit log into a View
// (a pure function, Build); a small child process (Host) shows that view
// with getlantern/systray and reports clicks back. Keeping the GUI toolkit
// in its own process means a toolkit crash, or GTK exiting when the
// display goes away, can never take the guard down, and `run --no-tray`
// never initialises a toolkit at all.
//
// Nothing shown here is assembled from screen content: texts come from
// assets' translations plus rule names (config), known app names and
// times.
package tray

import (
	"strconv"
	"strings"
	"time"

	"github.com/shareguard/shareguard/agent"
	"github.com/shareguard/shareguard/agent/audit"
	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/detectors"
)

// RecentCount is how many audit events the menu lists.
const RecentCount = 10

// Input is everything the view depends on.
type Input struct {
	Status         agent.Status
	Recent         []audit.Event // newest first
	Str            *assets.Strings
	AllowPause     bool          // policy allows pausing
	AllowQuit      bool          // policy allows quitting from the menu
	PauseDuration  time.Duration // what "pause" asks for
	Autostart      bool          // start at login is on
	AutostartKnown bool          // the platform can start at login
	AutostartFixed bool          // the machine starts the guard for everyone
	Acked          time.Time     // when the user last opened the menu during the current share
	ConfigRejected bool          // the last config edit was rejected
	Version        string
	ContentScan    string // "on", "off" or "unavailable"
	Now            time.Time
	Loc            *time.Location // for event times; nil is time.Local
}

// Item is one menu entry as shown.
type Item struct {
	Title   string `json:"title"`
	Visible bool   `json:"visible"`
	Enabled bool   `json:"enabled"`
	Checked bool   `json:"checked,omitempty"`
}

// View is the whole tray: icon, tooltip and menu.
type View struct {
	Icon      string `json:"icon"` // one of assets.IconNames
	Tooltip   string `json:"tooltip"`
	Status    Item   `json:"status"`
	Recent    Item   `json:"recent"`
	Events    []Item `json:"events"` // always RecentCount entries, unused ones hidden
	Pause     Item   `json:"pause"`  // pause, or resume while paused
	Settings  Item   `json:"settings"`
	Autostart Item   `json:"autostart"`
	About     Item   `json:"about"`
	Version   Item   `json:"version"`
	AboutText Item   `json:"about_text"`
	Content   Item   `json:"content"` // whether the shared picture is read
	Quit      Item   `json:"quit"`
}

// state is what the icon says, in order of precedence.
type state int

const (
	stGuarding state = iota
	stSharing
	stSteppedIn
	stPaused
	stDisabled
	stError
)

// SteppedIn reports whether the "stepped in" state is still to be shown:
// the guard minimized something in this share, and did so after the user
// last opened the menu.
func SteppedIn(in Input) bool {
	if !in.Status.Sharing || !in.Status.SteppedIn {
		return false
	}
	if in.Acked.IsZero() {
		return true
	}
	last, ok := lastMinimize(in.Recent)
	return ok && last.After(in.Acked)
}

func lastMinimize(events []audit.Event) (time.Time, bool) {
	for _, e := range events { // newest first
		if e.Event == audit.Action && e.Action == string(detectors.ActionMinimize) {
			return e.Time, true
		}
	}
	return time.Time{}, false
}

func stateOf(in Input) state {
	switch {
	case in.Status.DisplayLost:
		return stError
	case in.Status.Paused:
		return stPaused
	case !in.Status.Enabled:
		return stDisabled
	case SteppedIn(in):
		return stSteppedIn
	case in.Status.Sharing:
		return stSharing
	case in.ConfigRejected || in.Status.LastError != "":
		return stError
	}
	return stGuarding
}

// Build is the view for in. It is pure: same input, same view.
func Build(in Input) View {
	s := in.Str
	loc := in.Loc
	if loc == nil {
		loc = time.Local
	}
	v := View{
		Recent:    Item{Title: s.T("tray.menu.recent"), Visible: true, Enabled: true},
		Settings:  Item{Title: s.T("tray.menu.settings"), Visible: true, Enabled: true},
		About:     Item{Title: s.T("tray.menu.about"), Visible: true, Enabled: true},
		Version:   Item{Title: s.T("tray.menu.about.version", "version", in.Version), Visible: true},
		AboutText: Item{Title: s.T("tray.menu.about.text"), Visible: true},
		Content:   Item{Title: s.T("tray.menu.about.content_" + contentState(in.ContentScan)), Visible: true},
		Quit:      Item{Title: s.T("tray.menu.quit"), Visible: in.AllowQuit, Enabled: in.AllowQuit},
		Autostart: autostartItem(s, in),
	}
	until := in.Status.PausedUntil.In(loc).Format("15:04")
	st := stateOf(in)
	// The status line is clickable so that clicking it counts as having
	// looked (systray does not report that the menu was opened).
	v.Status = Item{Visible: true, Enabled: true}
	switch st {
	case stError:
		p := problem(in)
		v.Icon = assets.IconError
		v.Tooltip = s.T("tray.tooltip.error", "problem", p)
		v.Status.Title = s.T("tray.status.error", "problem", p)
	case stPaused:
		v.Icon = assets.IconPaused
		v.Tooltip = s.T("tray.tooltip.paused", "until", until)
		v.Status.Title = s.T("tray.status.paused", "until", until)
	case stDisabled:
		v.Icon = assets.IconPaused
		v.Tooltip = s.T("tray.tooltip.disabled")
		v.Status.Title = s.T("tray.status.disabled")
	case stSteppedIn:
		v.Icon = assets.IconSteppedIn
		v.Tooltip = s.T("tray.tooltip.steppedin")
		v.Status.Title = shareLine(s, "tray.status.steppedin", in.Status.Shares)
	case stSharing:
		v.Icon = assets.IconSharing
		v.Tooltip = s.T("tray.tooltip.sharing")
		v.Status.Title = shareLine(s, "tray.status.sharing", in.Status.Shares)
	default:
		v.Icon = assets.IconGuarding
		v.Tooltip = s.T("tray.tooltip.guarding")
		v.Status.Title = s.T("tray.status.guarding")
	}

	switch {
	case in.Status.Paused:
		// Resuming only strengthens the guard, so it is always offered.
		v.Pause = Item{Title: s.T("tray.menu.resume"), Visible: true, Enabled: true}
	case in.AllowPause && in.Status.Enabled:
		v.Pause = Item{Title: pauseTitle(s, in.PauseDuration), Visible: true, Enabled: true}
	default:
		v.Pause = Item{Title: pauseTitle(s, in.PauseDuration)}
	}

	v.Events = make([]Item, RecentCount)
	n := 0
	for _, e := range in.Recent {
		if n == RecentCount {
			break
		}
		text, ok := eventText(s, e)
		if !ok {
			continue
		}
		v.Events[n] = Item{Title: s.T("tray.event.line", "time", eventTime(e.Time, in.Now, loc), "text", text), Visible: true}
		n++
	}
	if n == 0 {
		v.Events[0] = Item{Title: s.T("tray.menu.recent.none"), Visible: true}
	}
	return v
}

func problem(in Input) string {
	s := in.Str
	switch {
	case in.Status.DisplayLost:
		return s.T("tray.problem.display")
	case in.ConfigRejected:
		return s.T("tray.problem.config")
	}
	return s.T("tray.problem.other")
}

func pauseTitle(s *assets.Strings, d time.Duration) string {
	if d <= 0 {
		d = 15 * time.Minute
	}
	if d >= 2*time.Hour && d%time.Hour == 0 {
		return s.T("tray.menu.pause.hours", "n", strconv.Itoa(int(d/time.Hour)))
	}
	return s.T("tray.menu.pause.minutes", "n", strconv.Itoa(int((d+time.Minute-1)/time.Minute)))
}

func shareLine(s *assets.Strings, key string, shares []detectors.Share) string {
	if len(shares) > 1 {
		return s.T("tray.status.sharing_many", "count", strconv.Itoa(len(shares)))
	}
	var sh detectors.Share
	if len(shares) == 1 {
		sh = shares[0]
	}
	return s.T(key, "app", shareApp(s, sh), "kind", kindText(s, sh.Kind))
}

func kindText(s *assets.Strings, k detectors.ShareKind) string {
	switch k {
	case detectors.KindScreen, detectors.KindWindow, detectors.KindTab:
		return s.T("tray.kind." + string(k))
	}
	return s.T("tray.kind.unknown")
}

// knownApps are the app names the built-in signatures use. Only these are
// shown: a browser share's app name is otherwise derived from the origin
// in its indicator title, i.e. from screen content.
var knownApps = map[string]bool{
	detectors.AppTeams: true, detectors.AppZoom: true, detectors.AppMeet: true,
	detectors.AppWebex: true, detectors.AppWhereby: true, detectors.AppSlack: true,
	detectors.AppDiscord: true, detectors.AppJitsi: true, detectors.AppFirefox: true,
}

func shareApp(s *assets.Strings, sh detectors.Share) string {
	if knownApps[sh.App] {
		return sh.App
	}
	if strings.HasPrefix(sh.Signature, "chromium") || strings.HasPrefix(sh.Signature, "firefox") {
		return s.T("tray.app.browser")
	}
	return s.T("tray.app.unknown")
}

// eventApp is shareApp for audit events, which carry no signature name.
func eventApp(s *assets.Strings, app string) string {
	if knownApps[app] {
		return app
	}
	return s.T("tray.app.unknown")
}

// eventText is the menu line for one audit event: rule and action for
// what the guard did, a fixed text for the rest. Findings are left out
// because an action event follows each one; window titles never appear.
func eventText(s *assets.Strings, e audit.Event) (string, bool) {
	switch e.Event {
	case audit.Action:
		act := "tray.action." + e.Action
		if e.OK != nil && !*e.OK {
			act = "tray.action.failed"
		}
		if e.Action != string(detectors.ActionMinimize) && e.Action != string(detectors.ActionWarn) {
			return "", false
		}
		return s.T("tray.event.action", "rule", e.Rule, "action", s.T(act)), true
	case audit.ShareStarted, audit.ShareStopped:
		return s.T("tray.event."+e.Event, "app", eventApp(s, e.App)), true
	case audit.DND:
		switch {
		case e.OK != nil && !*e.OK:
			return s.T("tray.event.dnd_failed"), true
		case e.Action == "on":
			return s.T("tray.event.dnd_on"), true
		}
		return s.T("tray.event.dnd_restore"), true
	case audit.Paused, audit.Resumed, audit.ConfigReloaded, audit.ConfigRejected,
		audit.Error, audit.Started, audit.Stopped, EventQuit:
		return s.T("tray.event." + e.Event), true
	}
	return "", false
}

// EventQuit is the audit event the tray's "quit" writes before the guard
// stops (the guard then writes agent_stopped after restoring DND).
const EventQuit = "quit"

func eventTime(t, now time.Time, loc *time.Location) string {
	t, now = t.In(loc), now.In(loc)
	y, m, d := t.Date()
	ny, nm, nd := now.Date()
	if y == ny && m == nm && d == nd {
		return t.Format("15:04")
	}
	return t.Format("2006-01-02 15:04")
}

// contentState maps the content-scan state to its string key; anything
// unknown is shown as unavailable rather than as on.
func contentState(s string) string {
	switch s {
	case "on", "off":
		return s
	}
	return "unavailable"
}

// autostartItem is the "start at login" toggle; under machine-wide
// autostart it shows as on and managed, and cannot be clicked.
func autostartItem(s *assets.Strings, in Input) Item {
	if in.AutostartFixed {
		return Item{Title: s.T("tray.menu.autostart_managed"), Visible: in.AutostartKnown, Checked: true}
	}
	return Item{Title: s.T("tray.menu.autostart"), Visible: in.AutostartKnown, Enabled: in.AutostartKnown, Checked: in.Autostart}
}

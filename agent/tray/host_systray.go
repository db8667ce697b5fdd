//go:build !notray && (windows || ((linux || darwin) && cgo))

package tray

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/getlantern/systray"

	"github.com/shareguard/shareguard/assets"
)

// This is the only file that talks to systray.

const (
	hostAvailable = true
	hostMissing   = ""
)

func runHost(in io.Reader, out, errw io.Writer) int {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	h := &host{in: in, out: out, errw: errw}
	code := 0
	func() {
		defer func() {
			if r := recover(); r != nil {
				fmt.Fprintf(errw, "shareguard tray-host: panic: %v\n", r)
				code = 2
			}
		}()
		systray.Run(h.ready, nil)
	}()
	return code
}

type host struct {
	in        io.Reader
	out, errw io.Writer
	outMu     sync.Mutex

	// Owned by the view loop.
	items map[string]*systray.MenuItem
	shown map[string]Item // what each item shows now
	icon  string
	tip   string
}

// fail ends the host on any panic in its goroutines; the guard restarts it.
func (h *host) fail() {
	if r := recover(); r != nil {
		fmt.Fprintf(h.errw, "shareguard tray-host: panic: %v\n", r)
		os.Exit(2)
	}
}

func (h *host) send(m hostMsg) {
	h.outMu.Lock()
	defer h.outMu.Unlock()
	h.out.Write(encodeMsg(m))
}

// ready runs on systray's own goroutine once the toolkit is up.
func (h *host) ready() {
	defer h.fail()
	sc := bufio.NewScanner(h.in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	first := true
	for sc.Scan() {
		var v View
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			fmt.Fprintf(h.errw, "shareguard tray-host: bad view: %v\n", err)
			continue
		}
		if first {
			h.build(v)
			first = false
			h.send(hostMsg{Ready: true})
		}
		h.apply(v)
	}
	systray.Quit() // the guard closed our input: it is stopping
}

// build creates the menu once; titles are filled in by apply.
func (h *host) build(v View) {
	h.items = map[string]*systray.MenuItem{}
	h.shown = map[string]Item{}
	add := func(key string, it *systray.MenuItem, c Click) {
		h.items[key] = it
		h.shown[key] = Item{Visible: true, Enabled: true}
		if c != "" {
			go h.forward(it, c)
		}
	}
	add("status", systray.AddMenuItem(v.Status.Title, ""), ClickStatus)
	systray.AddSeparator()
	recent := systray.AddMenuItem(v.Recent.Title, "")
	add("recent", recent, ClickRecent)
	for i := range v.Events {
		add(fmt.Sprintf("event%d", i), recent.AddSubMenuItem(v.Events[i].Title, ""), ClickRecent)
	}
	add("pause", systray.AddMenuItem(v.Pause.Title, ""), ClickPause)
	add("settings", systray.AddMenuItem(v.Settings.Title, ""), ClickSettings)
	add("autostart", systray.AddMenuItemCheckbox(v.Autostart.Title, "", v.Autostart.Checked), ClickAutostart)
	h.shown["autostart"] = Item{Visible: true, Enabled: true, Checked: v.Autostart.Checked}
	about := systray.AddMenuItem(v.About.Title, "")
	add("about", about, ClickAbout)
	add("version", about.AddSubMenuItem(v.Version.Title, ""), "")
	add("about_text", about.AddSubMenuItem(v.AboutText.Title, ""), "")
	add("content", about.AddSubMenuItem(v.Content.Title, ""), "")
	systray.AddSeparator()
	add("quit", systray.AddMenuItem(v.Quit.Title, ""), ClickQuit)
}

func (h *host) forward(it *systray.MenuItem, c Click) {
	defer h.fail()
	for range it.ClickedCh {
		if c == ClickAutostart {
			// GTK has already flipped the tick; put it back until the
			// guard says what start at login really is now.
			if it.Checked() {
				it.Check()
			} else {
				it.Uncheck()
			}
		}
		h.send(hostMsg{Click: c})
	}
}

func (h *host) apply(v View) {
	if v.Icon != h.icon {
		// The embedded bytes are static: systray's Linux side keeps the
		// pointer until GTK has read them.
		if b, err := assets.Icon(v.Icon, iconFormat); err == nil {
			systray.SetIcon(b)
			h.icon = v.Icon
		} else {
			fmt.Fprintf(h.errw, "shareguard tray-host: %v\n", err)
		}
	}
	if v.Tooltip != h.tip {
		systray.SetTooltip(v.Tooltip) // Windows and macOS; GTK's fallback icon has none
		h.tip = v.Tooltip
	}
	set := func(key string, want Item) {
		it, ok := h.items[key]
		if !ok {
			return
		}
		have := h.shown[key]
		if want.Title != have.Title {
			it.SetTitle(want.Title)
		}
		if want.Enabled != have.Enabled || want.Title != have.Title {
			if want.Enabled {
				it.Enable()
			} else {
				it.Disable()
			}
		}
		if want.Checked != have.Checked {
			if want.Checked {
				it.Check()
			} else {
				it.Uncheck()
			}
		}
		// systray's Linux side shows an item on every update, so hiding
		// comes last and is repeated.
		if !want.Visible {
			it.Hide()
		} else if !have.Visible {
			it.Show()
		}
		h.shown[key] = want
	}
	set("status", v.Status)
	set("recent", v.Recent)
	for i, e := range v.Events {
		set(fmt.Sprintf("event%d", i), e)
	}
	set("pause", v.Pause)
	set("settings", v.Settings)
	set("autostart", v.Autostart)
	set("about", v.About)
	set("version", v.Version)
	set("about_text", v.AboutText)
	set("content", v.Content)
	set("quit", v.Quit)
}

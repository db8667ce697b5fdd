//go:build linux

package x11

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/shareguard/shareguard/platform"
)

const (
	notifyName  = "org.freedesktop.Notifications"
	notifyPath  = dbus.ObjectPath("/org/freedesktop/Notifications")
	dunstIface  = "org.dunstproject.cmd0"
	propsGet    = "org.freedesktop.DBus.Properties.Get"
	propsSet    = "org.freedesktop.DBus.Properties.Set"
	busCallWait = 2 * time.Second
)

// busState is a private session bus connection, opened on first use and
// kept: a KDE inhibition lives only as long as the connection that made it.
type busState struct {
	mu      sync.Mutex
	addr    string
	conn    *dbus.Conn
	inhibit uint32 // KDE inhibition cookie we hold, 0 = none
	// xfconfMade: XFCE's /do-not-disturb did not exist until we set it,
	// so switching off removes it again rather than leaving false.
	xfconfMade bool
}

var errNoBus = errors.New("no session D-Bus")

func (b *busState) get() (*dbus.Conn, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.conn != nil && b.conn.Connected() {
		return b.conn, nil
	}
	addr := b.addr
	if addr == "" {
		addr = os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	}
	if addr == "" {
		// Deliberately no autolaunch: that would start a bus of our own.
		return nil, fmt.Errorf("%w: DBUS_SESSION_BUS_ADDRESS is not set", errNoBus)
	}
	c, err := dbus.Connect(addr)
	if err != nil {
		return nil, fmt.Errorf("%w: connect %s: %w", errNoBus, addr, err)
	}
	b.conn = c
	b.inhibit = 0
	return c, nil
}

func (b *busState) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.conn != nil {
		b.conn.Close()
		b.conn = nil
	}
}

// Notify shows the alert through org.freedesktop.Notifications. Critical
// alerts get urgency 2 (they stay until dismissed and pass most DND modes).
func (d *Desktop) Notify(ctx context.Context, a platform.Alert) error {
	bus, err := d.bus.get()
	if err != nil {
		d.log.Warn("alert not shown: no session bus", "severity", int(a.Severity), "summary", a.Summary)
		return fmt.Errorf("x11: notify: %w: %w", platform.ErrUnsupported, err)
	}
	urgency := byte(1)
	switch a.Severity {
	case platform.SeverityInfo:
		urgency = 0
	case platform.SeverityCritical:
		urgency = 2
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(urgency)}
	ctx, cancel := context.WithTimeout(ctx, busCallWait)
	defer cancel()
	var id uint32
	err = bus.Object(notifyName, notifyPath).CallWithContext(ctx, notifyName+".Notify", 0,
		"shareguard", uint32(0), "dialog-warning", a.Summary, a.Body, []string{}, hints, int32(-1)).Store(&id)
	var derr dbus.Error
	if errors.As(err, &derr) && derr.Name == "org.freedesktop.DBus.Error.ServiceUnknown" {
		d.log.Warn("alert not shown: no notification daemon", "severity", int(a.Severity), "summary", a.Summary)
		return fmt.Errorf("x11: notify: %w: no notification daemon: %w", platform.ErrUnsupported, err)
	}
	if err != nil {
		return fmt.Errorf("x11: notify: %w", err)
	}
	return nil
}

// dndMechanism is how do-not-disturb is switched for the running daemon.
type dndMechanism string

const (
	dndDunst dndMechanism = "dunst"
	dndGNOME dndMechanism = "gnome"
	dndXFCE  dndMechanism = "xfce"
	dndKDE   dndMechanism = "kde"
)

// detectDND asks the notification daemon who it is.
func (d *Desktop) detectDND(ctx context.Context) (dndMechanism, *dbus.Conn, error) {
	bus, err := d.bus.get()
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, busCallWait)
	defer cancel()
	var name, vendor, version, spec string
	err = bus.Object(notifyName, notifyPath).CallWithContext(ctx, notifyName+".GetServerInformation", 0).
		Store(&name, &vendor, &version, &spec)
	if err != nil {
		return "", bus, fmt.Errorf("no notification daemon answers: %w", err)
	}
	n := strings.ToLower(name + " " + vendor)
	switch {
	case strings.Contains(n, "dunst"):
		return dndDunst, bus, nil
	case strings.Contains(n, "gnome"):
		return dndGNOME, bus, nil
	case strings.Contains(n, "xfce"):
		return dndXFCE, bus, nil
	case strings.Contains(n, "plasma"), strings.Contains(n, "kde"):
		return dndKDE, bus, nil
	}
	return "", bus, fmt.Errorf("notification daemon %q has no known do-not-disturb switch", name)
}

// SetDoNotDisturb switches notification popups off (on=true) or on, using
// the running daemon's own mechanism, and returns the previous state.
//
// KDE: DND is an Inhibit held by our bus connection; it ends when the
// connection (the agent) goes away, so a crash cannot leave DND stuck on.
// The previous state reported is the daemon's "Inhibited" property.
func (d *Desktop) SetDoNotDisturb(ctx context.Context, on bool) (bool, error) {
	mech, bus, err := d.detectDND(ctx)
	if err != nil {
		return false, fmt.Errorf("x11: do-not-disturb: %w: %w", platform.ErrUnsupported, err)
	}
	ctx, cancel := context.WithTimeout(ctx, busCallWait)
	defer cancel()
	prev, absent, err := d.readDND(ctx, mech, bus)
	if err != nil && mech != dndKDE {
		return false, fmt.Errorf("x11: do-not-disturb: %w", err)
	}
	switch mech {
	case dndDunst:
		obj := bus.Object(notifyName, notifyPath)
		if err := obj.CallWithContext(ctx, propsSet, 0, dunstIface, "paused", dbus.MakeVariant(on)).Err; err != nil {
			return prev, fmt.Errorf("x11: do-not-disturb: set dunst paused: %w", err)
		}
		return prev, nil
	case dndGNOME:
		if _, err := d.command(ctx, "gsettings", "set", "org.gnome.desktop.notifications", "show-banners", fmt.Sprint(!on)); err != nil {
			return prev, fmt.Errorf("x11: do-not-disturb: %w", err)
		}
		return prev, nil
	case dndXFCE:
		// A missing property means DND was never switched on; the user's
		// settings are restored exactly, so one we made is removed again.
		d.bus.mu.Lock()
		defer d.bus.mu.Unlock()
		if on && absent {
			d.bus.xfconfMade = true
		}
		if !on && d.bus.xfconfMade {
			d.bus.xfconfMade = false
			if _, err := d.command(ctx, "xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb", "-r"); err != nil {
				return prev, fmt.Errorf("x11: do-not-disturb: %w", err)
			}
			return prev, nil
		}
		if _, err := d.command(ctx, "xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb",
			"-n", "-t", "bool", "-s", fmt.Sprint(on)); err != nil {
			return prev, fmt.Errorf("x11: do-not-disturb: %w", err)
		}
		return prev, nil
	case dndKDE:
		return prev, d.kdeInhibit(ctx, bus, on)
	}
	return false, fmt.Errorf("x11: do-not-disturb: %w", platform.ErrUnsupported)
}

// DoNotDisturb reads the running daemon's do-not-disturb state without
// changing it.
func (d *Desktop) DoNotDisturb(ctx context.Context) (bool, error) {
	mech, bus, err := d.detectDND(ctx)
	if err != nil {
		return false, fmt.Errorf("x11: do-not-disturb: %w: %w", platform.ErrUnsupported, err)
	}
	ctx, cancel := context.WithTimeout(ctx, busCallWait)
	defer cancel()
	on, _, err := d.readDND(ctx, mech, bus)
	if err != nil {
		return false, fmt.Errorf("x11: do-not-disturb: %w", err)
	}
	return on, nil
}

// readDND reads whether the daemon holds popups back now. absent says
// that XFCE has no do-not-disturb property at all (never switched).
func (d *Desktop) readDND(ctx context.Context, mech dndMechanism, bus *dbus.Conn) (on, absent bool, err error) {
	switch mech {
	case dndDunst, dndKDE:
		prop, iface := "paused", dunstIface
		if mech == dndKDE {
			prop, iface = "Inhibited", notifyName
		}
		var v dbus.Variant
		if err := bus.Object(notifyName, notifyPath).CallWithContext(ctx, propsGet, 0, iface, prop).Store(&v); err != nil {
			return false, false, fmt.Errorf("%s: %w", prop, err)
		}
		on, _ := v.Value().(bool)
		return on, false, nil
	case dndGNOME:
		out, err := d.command(ctx, "gsettings", "get", "org.gnome.desktop.notifications", "show-banners")
		if err != nil {
			return false, false, err
		}
		return strings.TrimSpace(out) == "false", false, nil
	case dndXFCE:
		out, err := d.command(ctx, "xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb")
		return strings.TrimSpace(out) == "true", err != nil, nil
	}
	return false, false, platform.ErrUnsupported
}

// kdeInhibit takes or releases our Inhibit.
func (d *Desktop) kdeInhibit(ctx context.Context, bus *dbus.Conn, on bool) error {
	obj := bus.Object(notifyName, notifyPath)
	d.bus.mu.Lock()
	defer d.bus.mu.Unlock()
	if on && d.bus.inhibit == 0 {
		var cookie uint32
		err := obj.CallWithContext(ctx, notifyName+".Inhibit", 0, "shareguard", "Screen share in progress",
			map[string]dbus.Variant{}).Store(&cookie)
		if err != nil {
			return fmt.Errorf("x11: do-not-disturb: kde inhibit: %w", err)
		}
		d.bus.inhibit = cookie
	}
	if !on && d.bus.inhibit != 0 {
		if err := obj.CallWithContext(ctx, notifyName+".UnInhibit", 0, d.bus.inhibit).Err; err != nil {
			return fmt.Errorf("x11: do-not-disturb: kde uninhibit: %w", err)
		}
		d.bus.inhibit = 0
	}
	return nil
}

func (d *Desktop) command(ctx context.Context, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = d.opt.Env
	if d.bus.addr != "" {
		cmd.Env = append(envOrOS(cmd.Env), "DBUS_SESSION_BUS_ADDRESS="+d.bus.addr)
	}
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%s: %w", name, err)
	}
	return string(out), nil
}

func envOrOS(env []string) []string {
	if env == nil {
		return os.Environ()
	}
	return env
}

// Capabilities says what works on this desktop right now.
func (d *Desktop) Capabilities() []platform.Capability {
	_, xerr := d.current()
	xok := xerr == nil
	xdetail := ""
	if xerr != nil {
		xdetail = xerr.Error()
	}
	caps := []platform.Capability{
		{Name: "window_titles", Available: xok, Detail: xdetail},
		{Name: "minimize", Available: xok, Detail: xdetail},
	}
	ctx, cancel := context.WithTimeout(context.Background(), busCallWait)
	defer cancel()
	if _, err := d.bus.get(); err != nil {
		caps = append(caps, platform.Capability{Name: "notifications", Detail: err.Error()})
	} else {
		caps = append(caps, platform.Capability{Name: "notifications", Available: true, Detail: "org.freedesktop.Notifications"})
	}
	if mech, _, err := d.detectDND(ctx); err != nil {
		caps = append(caps, platform.Capability{Name: "do_not_disturb", Detail: err.Error()})
	} else {
		caps = append(caps, platform.Capability{Name: "do_not_disturb", Available: true, Detail: string(mech)})
	}
	caps = append(caps, platform.Capability{Name: "share_detection", Available: xok,
		Detail: "share indicator windows by title (Chromium, Firefox, Zoom, teams-for-linux, Jitsi); a Chromium tab share shows no indicator window and is not detected; X11 has no general capture signal"},
		platform.Capability{Name: "capture_detection", Available: xok,
			Detail: "screen recordings: ffmpeg with x11grab, gst-launch-1.0 with ximagesrc (unverified) in the command line; remote sessions: x11vnc, x0vncserver (unverified) with a viewer connected, rustdesk --cm (unverified), Chrome Remote Desktop's on-top host window (unverified); a /proc scan every 2 s reads new pids only. Recorders that show no sign of recording only warn while a protected window is open (recorder_running): OBS Studio, SimpleScreenRecorder, vokoscreenNG"},
		platform.Capability{Name: "restore_windows", Available: xok, Detail: "ICCCM map of the iconified client, bottom first"},
		platform.Capability{Name: "share_banner", Available: xok, Detail: "own override-redirect window, core font (Latin-1)"})
	return caps
}

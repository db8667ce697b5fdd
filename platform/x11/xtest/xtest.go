//go:build linux

// Package xtest starts a real, private X11 test desktop (Xvfb, openbox, a
// session D-Bus, dunst) for tests, with HOME and XDG_* dirs in a temporary
// directory, and offers small helpers to start programs in it and query it.
//
// Missing programs skip the test with the Debian package to install, unless
// SHAREGUARD_REQUIRE_DESKTOP is set (CI), where they fail it.
package xtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/platform/x11/internal/ctext"
)

// RequireEnv names the variable that turns missing programs into failures.
const RequireEnv = "SHAREGUARD_REQUIRE_DESKTOP"

// Debian packages providing the programs we start.
var packages = map[string]string{
	"Xvfb":          "xvfb",
	"openbox":       "openbox",
	"dbus-daemon":   "dbus",
	"xfconfd":       "xfconf",
	"xfconf-query":  "xfconf",
	"xfce4-notifyd": "xfce4-notifyd",
	"dunst":         "dunst",
	"dunstctl":      "dunst",
	"xterm":         "xterm",
	"xdotool":       "xdotool",
	"notify-send":   "libnotify-bin",
	"chromium":      "chromium",
	"firefox-esr":   "firefox-esr",
	"xprop":         "x11-utils",
	"picom":         "picom",
	"unshare":       "util-linux",
	"x11vnc":        "x11vnc",
	"ffmpeg":        "ffmpeg",
	// Not on PATH: Need looks at the path itself.
	RealtimeKitDaemon: "rtkit",
	PolkitDaemon:      "polkitd",
}

// Need skips (or, under SHAREGUARD_REQUIRE_DESKTOP, fails) t when a program
// is not installed.
func Need(t testing.TB, programs ...string) {
	t.Helper()
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			pkg := packages[p]
			if pkg == "" {
				pkg = p
			}
			msg := fmt.Sprintf("xtest: %s not found: install the Debian package %q (or run .ci/install-deps)", p, pkg)
			if os.Getenv(RequireEnv) != "" {
				t.Fatal(msg)
			} else {
				t.Skip(msg)
			}
			return
		}
	}
}

type config struct {
	wm, dunst   bool
	size        string
	noAnimate   bool
	restartable bool
}

// Option changes what Start starts.
type Option func(*config)

// WithoutWM starts no window manager.
func WithoutWM() Option { return func(c *config) { c.wm = false } }

// WithoutNotifications starts no notification daemon (dunst).
func WithoutNotifications() Option { return func(c *config) { c.dunst = false } }

// WithoutIconifyAnimation has openbox take an iconified window off the
// screen at once, as window managers without animations do, instead of
// shrinking it towards the bottom of the screen first.
func WithoutIconifyAnimation() Option { return func(c *config) { c.noAnimate = true } }

// Restartable starts the X server on a display number of its own, far above
// the ones Xvfb -displayfd hands out, so that KillX and RestartX can give
// the same number back: while the server is down, other tests' servers
// starting beside this one cannot take it.
func Restartable() Option { return func(c *config) { c.restartable = true } }

// WithSize sets the screen size, e.g. "1280x720x24".
func WithSize(s string) Option { return func(c *config) { c.size = s } }

// Desktop is a running test desktop.
type Desktop struct {
	t   testing.TB
	cfg config
	dir string

	// Display is ":N"; BusAddress the session bus address.
	Display    string
	BusAddress string

	mu    sync.Mutex
	procs []*Proc
	xvfb  *Proc
	x     *xgb.Conn // our own query connection, reopened after RestartX
	atom  map[string]xproto.Atom
}

// Proc is a program started in the desktop; it is stopped at cleanup.
type Proc struct {
	Cmd  *exec.Cmd
	done chan struct{}
	err  error

	mu      sync.Mutex
	adopted []int // descendants seen earlier, killed at cleanup even if reparented
}

// adopt remembers the current descendants, so they are stopped at cleanup
// even when the program itself dies first (e.g. with the X server).
func (p *Proc) adopt() {
	select {
	case <-p.done:
		return
	default:
	}
	kids := descendants(p.Cmd.Process.Pid)
	p.mu.Lock()
	for _, k := range kids {
		if !slices.Contains(p.adopted, k) {
			p.adopted = append(p.adopted, k)
		}
	}
	p.mu.Unlock()
}

// Done is closed when the program has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Err is the program's exit status, valid after Done.
func (p *Proc) Err() error { <-p.done; return p.err }

// Start starts a desktop on a free display number: Xvfb 1920x1080x24,
// openbox, a session D-Bus and dunst. Everything is stopped at cleanup.
func Start(t testing.TB, opts ...Option) *Desktop {
	t.Helper()
	cfg := config{wm: true, dunst: true, size: "1920x1080x24"}
	for _, o := range opts {
		o(&cfg)
	}
	need := []string{"Xvfb", "dbus-daemon"}
	if cfg.wm {
		need = append(need, "openbox")
	}
	if cfg.dunst {
		need = append(need, "dunst")
	}
	Need(t, need...)

	d := &Desktop{t: t, cfg: cfg, dir: t.TempDir(), atom: map[string]xproto.Atom{}}
	d.makeDirs()
	t.Cleanup(d.closeX)

	display := ""
	if d.cfg.restartable {
		display = freeHighDisplay()
	}
	d.startXvfb(display)
	d.startBus()
	if err := d.startSession(); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *Desktop) makeDirs() {
	for _, sub := range []string{"home", "config", "data", "cache", "state", "runtime", "xdg-config", "xdg-data"} {
		if err := os.MkdirAll(filepath.Join(d.dir, sub), 0o700); err != nil {
			d.t.Fatal(err)
		}
	}
	rc := `[global]
    font = Monospace 8
    width = 300
    height = 80
    origin = top-right
    offset = 10x40
    idle_threshold = 0
    show_indicators = no
[urgency_low]
    timeout = 30
[urgency_normal]
    timeout = 30
    # magenta, the colour the share page counts as leaked
    background = "#ff00ff"
    foreground = "#ff00ff"
[urgency_critical]
    timeout = 0
[log_all]
    appname = "*"
    script = ` + filepath.Join(d.dir, "notify-log.sh") + `
`
	// dunst runs the script with: appname summary body icon urgency.
	script := "#!/bin/sh\nprintf '%s\\t%s\\t%s\\t%s\\n' \"$1\" \"$2\" \"$3\" \"$5\" >> " + filepath.Join(d.dir, "notifications.log") + "\n"
	if err := os.WriteFile(filepath.Join(d.dir, "notify-log.sh"), []byte(script), 0o700); err != nil {
		d.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(d.dir, "dunstrc"), []byte(rc), 0o600); err != nil {
		d.t.Fatal(err)
	}
}

// Env is the environment of programs in this desktop: the test process's
// environment with DISPLAY, DBUS_SESSION_BUS_ADDRESS, HOME and XDG_*
// replaced. The system XDG search dirs follow our own so programs still
// find their installed defaults (e.g. openbox's rc.xml).
func (d *Desktop) Env() []string {
	set := d.overrides()
	// MOZ_HEADLESS counts when set at all, even empty: Firefox would map
	// no windows.
	drop := map[string]bool{"WAYLAND_DISPLAY": true, "XAUTHORITY": true, "SESSION_MANAGER": true, "XDG_CURRENT_DESKTOP": true, "MOZ_HEADLESS": true}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; ok || drop[k] || strings.HasPrefix(k, "XDG_") {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range set {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// Setenv points the test process itself at this desktop (DISPLAY, the
// session bus, HOME, XDG_*) with t.Setenv, for code under test that reads
// its environment (e.g. x11.Open with empty Options, os.UserConfigDir).
// Like t.Setenv, it cannot be used in parallel tests.
func (d *Desktop) Setenv(t testing.TB) {
	t.Helper()
	for k, v := range d.overrides() {
		t.Setenv(k, v)
	}
	for _, k := range []string{"WAYLAND_DISPLAY", "XAUTHORITY"} {
		t.Setenv(k, "")
	}
}

func (d *Desktop) overrides() map[string]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return map[string]string{
		"DISPLAY":                  d.Display,
		"DBUS_SESSION_BUS_ADDRESS": d.BusAddress,
		"HOME":                     filepath.Join(d.dir, "home"),
		"XDG_CONFIG_HOME":          filepath.Join(d.dir, "config"),
		"XDG_DATA_HOME":            filepath.Join(d.dir, "data"),
		"XDG_CACHE_HOME":           filepath.Join(d.dir, "cache"),
		"XDG_STATE_HOME":           filepath.Join(d.dir, "state"),
		"XDG_RUNTIME_DIR":          filepath.Join(d.dir, "runtime"),
		"XDG_CONFIG_DIRS":          filepath.Join(d.dir, "xdg-config") + ":/etc/xdg",
		"XDG_DATA_DIRS":            filepath.Join(d.dir, "xdg-data") + ":/usr/local/share:/usr/share",
		"XDG_SESSION_TYPE":         "x11",
		"NO_AT_BRIDGE":             "1",
	}
}

// Dir is the desktop's temporary directory.
func (d *Desktop) Dir() string { return d.dir }

// Command returns an unstarted command with the desktop's environment, for
// short-lived programs the caller runs to completion (e.g. notify-send).
func (d *Desktop) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = d.Env()
	cmd.Dir = filepath.Join(d.dir, "home")
	return cmd
}

// Run starts a long-lived program in its own process group; cleanup stops
// the group (SIGTERM, then SIGKILL after 3 s) and waits for it. Do not call
// Wait on the returned command: use Proc.Done/Err.
func (d *Desktop) Run(name string, args ...string) *Proc {
	d.t.Helper()
	Need(d.t, name)
	p, err := d.start(nil, name, args...)
	if err != nil {
		d.t.Fatal(err)
	}
	return p
}

func (d *Desktop) start(extra []*os.File, name string, args ...string) (*Proc, error) {
	return d.startEnv(nil, extra, name, args...)
}

// RunEnv is Run with extra environment variables ("K=V", they win over the
// desktop's), e.g. a locale for one program.
func (d *Desktop) RunEnv(env []string, name string, args ...string) *Proc {
	d.t.Helper()
	Need(d.t, name)
	p, err := d.startEnv(env, nil, name, args...)
	if err != nil {
		d.t.Fatal(err)
	}
	return p
}

func (d *Desktop) startEnv(env []string, extra []*os.File, name string, args ...string) (*Proc, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(d.Env(), env...)
	cmd.Dir = filepath.Join(d.dir, "home")
	cmd.ExtraFiles = extra
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logf, err := os.Create(filepath.Join(d.dir, fmt.Sprintf("%s-%d.log", filepath.Base(name), time.Now().UnixNano())))
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("xtest: start %s: %w", name, err)
	}
	p := &Proc{Cmd: cmd, done: make(chan struct{})}
	d.mu.Lock()
	d.procs = append(d.procs, p)
	d.mu.Unlock()
	go func() {
		p.err = cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	// t.Cleanup runs last-registered first: processes stop in reverse order.
	d.t.Cleanup(func() { stop(p) })
	return p, nil
}

// stop ends the process group and every descendant (xterm puts its child
// in a new session, Chromium forks helpers), by pid, politely first.
func stop(p *Proc) {
	pgid := p.Cmd.Process.Pid
	p.adopt() // before the parent dies and they are reparented
	p.mu.Lock()
	kids := slices.Clone(p.adopted)
	p.mu.Unlock()
	signal := func(sig syscall.Signal) {
		syscall.Kill(-pgid, sig)
		for _, k := range kids {
			syscall.Kill(k, sig)
		}
	}
	select {
	case <-p.done:
		signal(syscall.SIGKILL) // the leader is gone; its children may not be
		return
	default:
	}
	signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(3 * time.Second):
	}
	signal(syscall.SIGKILL)
	<-p.done
}

// descendants lists the pids below pid, read from /proc.
func descendants(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(f[1]); err == nil {
			children[ppid] = append(children[ppid], child)
		}
	}
	var out []int
	queue := []int{pid}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, c := range children[n] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// startXvfb starts Xvfb on display (":N") or, when empty, on a free number
// it picks itself (-displayfd), and waits until it accepts connections.
func (d *Desktop) startXvfb(display string) {
	d.t.Helper()
	args := []string{"-displayfd", "3", "-screen", "0", d.cfg.size, "-nolisten", "tcp", "-noreset"}
	if display != "" {
		args = append([]string{display}, args...)
	}
	p, s := d.startReporting("Xvfb", args...)
	if _, err := strconv.Atoi(s); err != nil {
		d.t.Fatalf("xtest: Xvfb %s did not report a display (got %q)\n%s", display, s, d.Logs()) // the temp dir goes with the test
	}
	d.mu.Lock()
	d.Display = ":" + s
	d.xvfb = p
	d.mu.Unlock()
}

// startReporting starts a daemon that writes one line to its fd 3 once it
// is ready (Xvfb's display number, dbus-daemon's address) and returns it.
func (d *Desktop) startReporting(name string, args ...string) (*Proc, string) {
	d.t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		d.t.Fatal(err)
	}
	defer r.Close()
	p, err := d.start([]*os.File{w}, name, args...)
	w.Close()
	if err != nil {
		d.t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		return p, s
	case <-p.done:
		d.t.Fatalf("xtest: %s exited: %v; see logs in %s", name, p.err, d.dir)
	case <-time.After(10 * time.Second):
		d.t.Fatalf("xtest: %s did not start within 10s", name)
	}
	return nil, ""
}

const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

func (d *Desktop) startBus() {
	d.t.Helper()
	// Our own config: like the session bus, but with no service directories,
	// so nothing is bus-activated (a test without dunst must stay without a
	// notification daemon). An abstract socket: no path length limits.
	conf := filepath.Join(d.dir, "session.conf")
	if err := os.WriteFile(conf, []byte(busConfig), 0o600); err != nil {
		d.t.Fatal(err)
	}
	_, s := d.startReporting("dbus-daemon", "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=3")
	if s == "" {
		d.t.Fatalf("xtest: dbus-daemon printed no address")
	}
	d.mu.Lock()
	d.BusAddress = s
	d.mu.Unlock()
}

// startSession starts the window manager and the notification daemon and
// waits until they are ready.
func (d *Desktop) startSession() error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if d.cfg.wm {
		args := []string{"--sm-disable"}
		if d.cfg.noAnimate {
			rc, err := d.openboxConfig()
			if err != nil {
				return err
			}
			args = append(args, "--config-file", rc)
		}
		d.Run("openbox", args...)
		if err := d.waitWM(ctx); err != nil {
			return err
		}
	}
	if d.cfg.dunst {
		d.Run("dunst", "-config", filepath.Join(d.dir, "dunstrc"))
		if err := d.waitBusName(ctx, "org.freedesktop.Notifications"); err != nil {
			return err
		}
	}
	return nil
}

// openboxConfig writes the system's openbox configuration with the
// iconify animation turned off and returns its path.
func (d *Desktop) openboxConfig() (string, error) {
	const system = "/etc/xdg/openbox/rc.xml"
	const on, off = "<animateIconify>yes</animateIconify>", "<animateIconify>no</animateIconify>"
	b, err := os.ReadFile(system)
	if err != nil {
		return "", fmt.Errorf("xtest: openbox configuration: %w", err)
	}
	if !strings.Contains(string(b), on) {
		return "", fmt.Errorf("xtest: %s does not say %s", system, on)
	}
	rc := filepath.Join(d.dir, "openbox-rc.xml")
	if err := os.WriteFile(rc, []byte(strings.Replace(string(b), on, off, 1)), 0o600); err != nil {
		return "", err
	}
	return rc, nil
}

// KillX kills the X server (SIGKILL; its lock file is kept as ours);
// the window manager and dunst die with it.
func (d *Desktop) KillX() {
	d.t.Helper()
	if !d.cfg.restartable {
		d.t.Fatal("xtest: KillX needs a desktop started with Restartable()")
	}
	d.mu.Lock()
	p := d.xvfb
	for _, q := range d.procs {
		q.adopt() // X clients die with the server; their children may not
	}
	if d.x != nil {
		d.x.Close()
		d.x = nil
	}
	d.mu.Unlock()
	// The lock file names us before the server dies, and SIGKILL leaves it
	// there (a server that exits cleanly unlinks it): no moment in which
	// the number is free.
	d.reserveDisplay()
	syscall.Kill(p.Cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// freeHighDisplay returns a display number (":N") with no X server lock
// or socket, from 100 up at an offset by pid, so that test binaries
// running side by side start apart.
func freeHighDisplay() string {
	for i := 0; i < 900; i++ {
		n := fmt.Sprintf(":%d", 100+(os.Getpid()+i)%900)
		_, errLock := os.Stat(lockPath(n))
		_, errSock := os.Stat("/tmp/.X11-unix/X" + n[1:])
		if errors.Is(errLock, fs.ErrNotExist) && errors.Is(errSock, fs.ErrNotExist) {
			return n
		}
	}
	return "" // all taken: let Xvfb pick
}

// lockPath is the X server lock file of display (":N").
func lockPath(display string) string { return "/tmp/.X" + strings.TrimPrefix(display, ":") + "-lock" }

// reserveDisplay keeps the dead server's display number taken until
// RestartX: another test's Xvfb -displayfd picks the lowest free number,
// and would take it. X servers treat a lock file naming a live pid (ours)
// as in use.
func (d *Desktop) reserveDisplay() {
	p := lockPath(d.Display)
	tmp := p + ".xtest"
	if err := os.WriteFile(tmp, fmt.Appendf(nil, "%10d\n", os.Getpid()), 0o444); err != nil {
		d.t.Logf("xtest: cannot reserve display %s: %v", d.Display, err)
		return
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		d.t.Logf("xtest: cannot reserve display %s: %v", d.Display, err)
		return
	}
	d.t.Cleanup(func() { os.Remove(p) })
}

// RestartX starts a new X server on the same display number, then the
// window manager and dunst again (the session bus survives).
func (d *Desktop) RestartX() {
	d.t.Helper()
	// Only the lock is ours to remove: the stale socket is replaced by the
	// new server itself, and removing it here could hit another test's
	// server that took the number in the moment it was free.
	os.Remove(lockPath(d.Display))
	d.startXvfb(d.Display)
	if err := d.startSession(); err != nil {
		d.t.Fatal(err)
	}
}

func (d *Desktop) closeX() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.x != nil {
		d.x.Close()
		d.x = nil
	}
}

// conn returns the helper's own X connection.
func (d *Desktop) conn() (*xgb.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.x != nil {
		return d.x, nil
	}
	x, err := xgb.NewConnDisplay(d.Display)
	if err != nil {
		return nil, fmt.Errorf("xtest: connect %s: %w", d.Display, err)
	}
	d.x = x
	d.atom = map[string]xproto.Atom{}
	return x, nil
}

func (d *Desktop) internAtom(x *xgb.Conn, name string) (xproto.Atom, error) {
	d.mu.Lock()
	a, ok := d.atom[name]
	d.mu.Unlock()
	if ok {
		return a, nil
	}
	r, err := xproto.InternAtom(x, false, uint16(len(name)), name).Reply()
	if err != nil {
		return 0, fmt.Errorf("xtest: intern %s: %w", name, err)
	}
	d.mu.Lock()
	d.atom[name] = r.Atom
	d.mu.Unlock()
	return r.Atom, nil
}

func (d *Desktop) root(x *xgb.Conn) xproto.Window { return xproto.Setup(x).DefaultScreen(x).Root }

// waitWM waits until the window manager has finished starting: openbox
// sets _NET_SUPPORTING_WM_CHECK early and _NET_CLIENT_LIST (empty) only
// after it has set up; a window mapped in between may never be managed.
func (d *Desktop) waitWM(ctx context.Context) error {
	has := func(x *xgb.Conn, name string) bool {
		a, err := d.internAtom(x, name)
		if err != nil {
			return false
		}
		r, err := xproto.GetProperty(x, false, d.root(x), a, xproto.AtomWindow, 0, 1).Reply()
		return err == nil && r.Type != xproto.AtomNone
	}
	for {
		if x, err := d.conn(); err == nil && has(x, "_NET_SUPPORTING_WM_CHECK") && has(x, "_NET_CLIENT_LIST") {
			break
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return fmt.Errorf("xtest: window manager not ready: %w", err)
		}
	}
	// Even then, openbox may still drop a map request made during its
	// startup: map a probe window until one is managed.
	for {
		w, err := d.CreateWindow("xtest probe", "XTestProbe")
		if err != nil {
			return err
		}
		managed := d.waitClient(ctx, w.ID, true, 250*time.Millisecond)
		w.Destroy()
		if managed {
			d.waitClient(ctx, w.ID, false, 2*time.Second)
			return nil
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("xtest: window manager does not manage windows: %w", err)
		}
	}
}

// waitClient waits until id is (or is no longer) in _NET_CLIENT_LIST.
func (d *Desktop) waitClient(ctx context.Context, id uint32, present bool, within time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	for {
		ids, err := d.Clients()
		if err == nil && slices.Contains(ids, id) == present {
			return true
		}
		if sleep(ctx, 10*time.Millisecond) != nil {
			return false
		}
	}
}

func (d *Desktop) waitBusName(ctx context.Context, name string) error {
	bus, err := dbus.Connect(d.BusAddress)
	if err != nil {
		return fmt.Errorf("xtest: connect bus: %w", err)
	}
	defer bus.Close()
	for {
		var has bool
		err := bus.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, name).Store(&has)
		if err == nil && has {
			return nil
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return fmt.Errorf("xtest: %s not on the bus: %w", name, err)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ErrNotFound is returned when no window matches before the deadline.
var ErrNotFound = errors.New("xtest: window not found")

// Clients lists the managed windows (_NET_CLIENT_LIST).
func (d *Desktop) Clients() ([]uint32, error) {
	x, err := d.conn()
	if err != nil {
		return nil, err
	}
	a, err := d.internAtom(x, "_NET_CLIENT_LIST")
	if err != nil {
		return nil, err
	}
	r, err := xproto.GetProperty(x, false, d.root(x), a, xproto.AtomWindow, 0, 1<<16).Reply()
	if err != nil {
		return nil, fmt.Errorf("xtest: read client list: %w", err)
	}
	return u32s(r), nil
}

// Geometry is a window's place and size on the screen, border included.
func (d *Desktop) Geometry(id uint32) (Rect, error) {
	x, err := d.conn()
	if err != nil {
		return Rect{}, err
	}
	g, err := xproto.GetGeometry(x, xproto.Drawable(id)).Reply()
	if err != nil {
		return Rect{}, fmt.Errorf("xtest: geometry of %#x: %w", id, err)
	}
	tr, err := xproto.TranslateCoordinates(x, xproto.Window(id), d.root(x), 0, 0).Reply()
	if err != nil {
		return Rect{}, fmt.Errorf("xtest: place of %#x: %w", id, err)
	}
	bw := int(g.BorderWidth)
	return Rect{X: int(tr.DstX) - bw, Y: int(tr.DstY) - bw, W: int(g.Width) + 2*bw, H: int(g.Height) + 2*bw}, nil
}

// MappedOfClass lists the mapped children of the root whose WM_CLASS
// instance is class (override-redirect windows included, which no client
// list holds).
func (d *Desktop) MappedOfClass(class string) ([]uint32, error) {
	return d.mappedChildren(func(x *xgb.Conn, w xproto.Window, _ *xproto.GetWindowAttributesReply) bool {
		p, err := xproto.GetProperty(x, false, w, xproto.AtomWmClass, xproto.AtomString, 0, 64).Reply()
		return err == nil && strings.HasPrefix(string(p.Value), class+"\x00")
	})
}

// mappedChildren lists the mapped children of the root that ok accepts.
func (d *Desktop) mappedChildren(ok func(*xgb.Conn, xproto.Window, *xproto.GetWindowAttributesReply) bool) ([]uint32, error) {
	x, err := d.conn()
	if err != nil {
		return nil, err
	}
	tree, err := xproto.QueryTree(x, d.root(x)).Reply()
	if err != nil {
		return nil, fmt.Errorf("xtest: query tree: %w", err)
	}
	var out []uint32
	for _, w := range tree.Children {
		a, err := xproto.GetWindowAttributes(x, w).Reply()
		if err == nil && a.MapState == xproto.MapStateViewable && ok(x, w, a) {
			out = append(out, uint32(w))
		}
	}
	return out, nil
}

func u32s(r *xproto.GetPropertyReply) []uint32 {
	if r == nil || r.Format != 32 {
		return nil
	}
	out := make([]uint32, 0, len(r.Value)/4)
	for i := 0; i+4 <= len(r.Value); i += 4 {
		out = append(out, xgb.Get32(r.Value[i:]))
	}
	return out
}

// Title reads a window's _NET_WM_NAME, falling back to WM_NAME.
func (d *Desktop) Title(id uint32) (string, error) {
	x, err := d.conn()
	if err != nil {
		return "", err
	}
	a, err := d.internAtom(x, "_NET_WM_NAME")
	if err != nil {
		return "", err
	}
	ct, err := d.internAtom(x, "COMPOUND_TEXT")
	if err != nil {
		return "", err
	}
	for _, prop := range []xproto.Atom{a, xproto.AtomWmName} {
		r, err := xproto.GetProperty(x, false, xproto.Window(id), prop, xproto.GetPropertyTypeAny, 0, 1024).Reply()
		if err != nil {
			return "", fmt.Errorf("xtest: read title of %#x: %w", id, err)
		}
		if r.ValueLen == 0 {
			continue
		}
		switch r.Type {
		case ct:
			return ctext.Decode(r.Value), nil
		case xproto.AtomString:
			rs := make([]rune, len(r.Value)) // Latin-1
			for i, b := range r.Value {
				rs[i] = rune(b)
			}
			return string(rs), nil
		}
		return string(r.Value), nil
	}
	return "", nil
}

// FindWindowByTitle waits until a managed window has exactly this title.
func (d *Desktop) FindWindowByTitle(ctx context.Context, title string) (uint32, error) {
	id, err := d.findWindow(ctx, func(t string) bool { return t == title })
	if err != nil {
		return 0, fmt.Errorf("%w: %q: %w", ErrNotFound, title, err)
	}
	return id, nil
}

// findWindow waits until a managed window's title satisfies match.
func (d *Desktop) findWindow(ctx context.Context, match func(string) bool) (uint32, error) {
	for {
		ids, err := d.Clients()
		if err == nil {
			for _, id := range ids {
				if t, err := d.Title(id); err == nil && match(t) {
					return id, nil
				}
			}
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return 0, err
		}
	}
}

// WMState reads ICCCM WM_STATE: 0 withdrawn, 1 normal, 3 iconic; -1 when
// the window has no WM_STATE.
func (d *Desktop) WMState(id uint32) (int, error) {
	x, err := d.conn()
	if err != nil {
		return 0, err
	}
	a, err := d.internAtom(x, "WM_STATE")
	if err != nil {
		return 0, err
	}
	r, err := xproto.GetProperty(x, false, xproto.Window(id), a, a, 0, 2).Reply()
	if err != nil {
		return 0, fmt.Errorf("xtest: read WM_STATE of %#x: %w", id, err)
	}
	v := u32s(r)
	if len(v) == 0 {
		return -1, nil
	}
	return int(v[0]), nil
}

// Popups lists mapped override-redirect windows of type
// _NET_WM_WINDOW_TYPE_NOTIFICATION (what dunst shows).
func (d *Desktop) Popups() ([]uint32, error) {
	x, err := d.conn()
	if err != nil {
		return nil, err
	}
	typ, err := d.internAtom(x, "_NET_WM_WINDOW_TYPE")
	if err != nil {
		return nil, err
	}
	notif, err := d.internAtom(x, "_NET_WM_WINDOW_TYPE_NOTIFICATION")
	if err != nil {
		return nil, err
	}
	return d.mappedChildren(func(x *xgb.Conn, w xproto.Window, a *xproto.GetWindowAttributesReply) bool {
		if !a.OverrideRedirect {
			return false
		}
		r, err := xproto.GetProperty(x, false, w, typ, xproto.AtomAtom, 0, 32).Reply()
		return err == nil && slices.Contains(u32s(r), uint32(notif))
	})
}

// WaitPopups waits until at least n notification popups are mapped.
func (d *Desktop) WaitPopups(ctx context.Context, n int) ([]uint32, error) {
	for {
		ps, err := d.Popups()
		if err == nil && len(ps) >= n {
			return ps, nil
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return ps, fmt.Errorf("xtest: %d popups, want %d: %w", len(ps), n, err)
		}
	}
}

// Xterm starts an xterm titled title and waits for its window.
func (d *Desktop) Xterm(ctx context.Context, title string) (*Proc, uint32, error) {
	p := d.Run("xterm", "-T", title, "-geometry", "80x24+100+100", "-e", "sleep", "3600")
	id, err := d.FindWindowByTitle(ctx, title)
	p.adopt() // xterm's child runs in its own session
	if err != nil {
		return p, 0, err
	}
	return p, id, nil
}

// NotifySend runs notify-send with args in the desktop and waits for it.
func (d *Desktop) NotifySend(ctx context.Context, args ...string) error {
	Need(d.t, "notify-send")
	out, err := d.Command(ctx, "notify-send", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("xtest: notify-send: %w: %s", err, out)
	}
	return nil
}

// Window is a plain window made by the helper's own connection: cheap (no
// process), with a title, class and _NET_WM_PID of the test process.
type Window struct {
	d  *Desktop
	ID uint32
}

// CreateWindow maps a 300x200 managed window with the given title and class.
func (d *Desktop) CreateWindow(title, class string) (*Window, error) {
	x, err := d.conn()
	if err != nil {
		return nil, err
	}
	id, err := xproto.NewWindowId(x)
	if err != nil {
		return nil, fmt.Errorf("xtest: new window id: %w", err)
	}
	scr := xproto.Setup(x).DefaultScreen(x)
	err = xproto.CreateWindowChecked(x, scr.RootDepth, id, scr.Root, 50, 50, 300, 200, 0,
		xproto.WindowClassInputOutput, scr.RootVisual, xproto.CwBackPixel, []uint32{scr.WhitePixel}).Check()
	if err != nil {
		return nil, fmt.Errorf("xtest: create window: %w", err)
	}
	w := &Window{d: d, ID: uint32(id)}
	pidAtom, err := d.internAtom(x, "_NET_WM_PID")
	if err != nil {
		return nil, err
	}
	wmClass := class + "\x00" + class + "\x00"
	xproto.ChangeProperty(x, xproto.PropModeReplace, id, xproto.AtomWmClass, xproto.AtomString, 8, uint32(len(wmClass)), []byte(wmClass))
	pid := make([]byte, 4)
	xgb.Put32(pid, uint32(os.Getpid()))
	xproto.ChangeProperty(x, xproto.PropModeReplace, id, pidAtom, xproto.AtomCardinal, 32, 1, pid)
	if err := w.SetTitle(title); err != nil {
		return nil, err
	}
	if err := xproto.MapWindowChecked(x, id).Check(); err != nil {
		return nil, fmt.Errorf("xtest: map window: %w", err)
	}
	return w, nil
}

// SetTitle sets _NET_WM_NAME (UTF-8) and WM_NAME.
func (w *Window) SetTitle(title string) error {
	x, err := w.d.conn()
	if err != nil {
		return err
	}
	name, err := w.d.internAtom(x, "_NET_WM_NAME")
	if err != nil {
		return err
	}
	utf8, err := w.d.internAtom(x, "UTF8_STRING")
	if err != nil {
		return err
	}
	id := xproto.Window(w.ID)
	xproto.ChangeProperty(x, xproto.PropModeReplace, id, xproto.AtomWmName, xproto.AtomString, 8, uint32(len(title)), []byte(title))
	return xproto.ChangePropertyChecked(x, xproto.PropModeReplace, id, name, utf8, 8, uint32(len(title)), []byte(title)).Check()
}

// Destroy removes the window.
func (w *Window) Destroy() error {
	x, err := w.d.conn()
	if err != nil {
		return err
	}
	return xproto.DestroyWindowChecked(x, xproto.Window(w.ID)).Check()
}

// Notification is one notification dunst displayed, as its script saw it.
type Notification struct {
	App, Summary, Body, Urgency string // Urgency: LOW, NORMAL, CRITICAL
}

// Notifications lists what dunst has displayed so far (a dunst rule runs a
// logging script for every notification when it is shown).
func (d *Desktop) Notifications() []Notification {
	b, err := os.ReadFile(filepath.Join(d.dir, "notifications.log"))
	if err != nil {
		return nil
	}
	var out []Notification
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) == 4 {
			out = append(out, Notification{App: f[0], Summary: f[1], Body: f[2], Urgency: f[3]})
		}
	}
	return out
}

// Logs returns the combined output of the programs started so far, for
// failure messages.
func (d *Desktop) Logs() string {
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(d.dir, "*.log"))
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			continue
		}
		fmt.Fprintf(&b, "== %s\n", filepath.Base(f))
		io.Copy(&b, io.LimitReader(fh, 4096))
		fh.Close()
	}
	return b.String()
}

// XtermWith is Xterm with extra xterm options before -e (e.g. "-bg",
// "#ff00ff", "-geometry", "40x10+1500+300").
func (d *Desktop) XtermWith(ctx context.Context, title string, opts ...string) (*Proc, uint32, error) {
	args := append([]string{"-T", title, "-geometry", "80x24+100+100"}, opts...)
	p := d.Run("xterm", append(args, "-e", "sleep", "3600")...)
	id, err := d.FindWindowByTitle(ctx, title)
	p.adopt() // xterm's child runs in its own session
	if err != nil {
		return p, 0, err
	}
	return p, id, nil
}

// WaitWMState waits until the window's WM_STATE is state (1 normal,
// 3 iconic).
func (d *Desktop) WaitWMState(ctx context.Context, id uint32, state int) error {
	for {
		st, err := d.WMState(id)
		if err == nil && st == state {
			return nil
		}
		if err := sleep(ctx, 5*time.Millisecond); err != nil {
			return fmt.Errorf("xtest: WM_STATE of %#x is %d, want %d: %w", id, st, state, err)
		}
	}
}

// Activate asks the window manager to activate the window as a pager or
// taskbar does when the user clicks it (_NET_ACTIVE_WINDOW, source 2):
// an iconified window is de-iconified.
func (d *Desktop) Activate(id uint32) error {
	x, err := d.conn()
	if err != nil {
		return err
	}
	a, err := d.internAtom(x, "_NET_ACTIVE_WINDOW")
	if err != nil {
		return err
	}
	ev := xproto.ClientMessageEvent{
		Format: 32, Window: xproto.Window(id), Type: a,
		Data: xproto.ClientMessageDataUnionData32New([]uint32{2, 0, 0, 0, 0}),
	}
	mask := uint32(xproto.EventMaskSubstructureRedirect | xproto.EventMaskSubstructureNotify)
	if err := xproto.SendEventChecked(x, false, d.root(x), mask, string(ev.Bytes())).Check(); err != nil {
		return fmt.Errorf("xtest: activate %#x: %w", id, err)
	}
	return nil
}

// Iconify asks the window manager to iconify the window as its own
// client does (a toolkit's minimize, e.g. the minimize button of Firefox's
// share indicator or Chromium's "Hide"): the ICCCM WM_CHANGE_STATE client
// message with IconicState, sent to the root.
func (d *Desktop) Iconify(id uint32) error {
	x, err := d.conn()
	if err != nil {
		return err
	}
	a, err := d.internAtom(x, "WM_CHANGE_STATE")
	if err != nil {
		return err
	}
	const iconicState = 3
	ev := xproto.ClientMessageEvent{
		Format: 32, Window: xproto.Window(id), Type: a,
		Data: xproto.ClientMessageDataUnionData32New([]uint32{iconicState, 0, 0, 0, 0}),
	}
	mask := uint32(xproto.EventMaskSubstructureRedirect | xproto.EventMaskSubstructureNotify)
	if err := xproto.SendEventChecked(x, false, d.root(x), mask, string(ev.Bytes())).Check(); err != nil {
		return fmt.Errorf("xtest: iconify %#x: %w", id, err)
	}
	return nil
}

// DunstPaused reports whether dunst holds notifications back (its
// do-not-disturb), as `dunstctl is-paused` says.
func (d *Desktop) DunstPaused(ctx context.Context) (bool, error) {
	Need(d.t, "dunstctl")
	out, err := d.Command(ctx, "dunstctl", "is-paused").Output()
	if err != nil {
		return false, fmt.Errorf("xtest: dunstctl is-paused: %w", err)
	}
	return strings.TrimSpace(string(out)) == "true", nil
}

// SetDunstPaused pauses or resumes dunst as a user would.
func (d *Desktop) SetDunstPaused(ctx context.Context, paused bool) error {
	Need(d.t, "dunstctl")
	if out, err := d.Command(ctx, "dunstctl", "set-paused", strconv.FormatBool(paused)).CombinedOutput(); err != nil {
		return fmt.Errorf("xtest: dunstctl set-paused: %w: %s", err, out)
	}
	return nil
}

// WaitDunstPaused waits until dunst's paused state is want.
func (d *Desktop) WaitDunstPaused(ctx context.Context, want bool) error {
	last := "never read"
	for {
		got, err := d.DunstPaused(ctx)
		if err == nil && got == want {
			return nil
		}
		if err != nil {
			if ctx.Err() == nil {
				last = err.Error()
			}
		} else {
			last = fmt.Sprintf("paused=%v", got)
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return fmt.Errorf("xtest: waiting for dunst paused=%v, last seen %s: %w", want, last, err)
		}
	}
}

// Compositor starts picom with args (e.g. "-f" for fading) and an empty
// config file of its own, so no system or user config changes what it
// does, and waits until it composites. picom 9.1 takes the compositing
// manager selection, asks for the Composite overlay window (which the
// server creates mapped) and unmaps it; only when it redirects the screen,
// a while later (over 250 ms seen here under load), does it map the
// overlay again. From then on it paints the whole screen into the overlay,
// and a GetImage of the root returns what picom drew.
func (d *Desktop) Compositor(args ...string) *Proc {
	d.t.Helper()
	Need(d.t, "picom")
	conf := filepath.Join(d.dir, "picom.conf")
	if err := os.WriteFile(conf, nil, 0o600); err != nil {
		d.t.Fatal(err)
	}
	// A connection of our own, so its events wait for nobody else.
	x, err := xgb.NewConnDisplay(d.Display)
	if err != nil {
		d.t.Fatal(err)
	}
	defer x.Close()
	scr := xproto.Setup(x).DefaultScreen(x)
	if err := xproto.ChangeWindowAttributesChecked(x, scr.Root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		d.t.Fatal(err)
	}
	events := make(chan xgb.Event)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			ev, err := x.WaitForEvent()
			if ev == nil && err == nil {
				return
			}
			select {
			case events <- ev:
			case <-done:
				return
			}
		}
	}()
	p := d.Run("picom", append([]string{"--config", conf}, args...)...)
	// The overlay is the override-redirect window the size of the screen.
	overlay, unmapped := xproto.Window(0), false
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-events:
			switch e := ev.(type) {
			case xproto.CreateNotifyEvent:
				if e.OverrideRedirect && e.Width == scr.WidthInPixels && e.Height == scr.HeightInPixels {
					overlay = e.Window
				}
			case xproto.UnmapNotifyEvent:
				unmapped = unmapped || (overlay != 0 && e.Window == overlay)
			case xproto.MapNotifyEvent:
				if unmapped && e.Window == overlay {
					return p
				}
			}
		case <-p.done:
			d.t.Fatalf("xtest: picom exited: %v; see logs in %s", p.err, d.dir)
		case <-timeout:
			d.t.Fatalf("xtest: picom did not map its overlay window again within 10s; see logs in %s", d.dir)
		}
	}
}

// BlackBackground gives the root a black background pixmap and announces
// it in _XROOTPMAP_ID, where compositors look for the wallpaper (picom
// paints grey without one). The pixmap lives as long as the helper's
// connection.
func (d *Desktop) BlackBackground() error {
	x, err := d.conn()
	if err != nil {
		return err
	}
	scr := xproto.Setup(x).DefaultScreen(x)
	pix, err := xproto.NewPixmapId(x)
	if err != nil {
		return fmt.Errorf("xtest: new pixmap id: %w", err)
	}
	gc, err := xproto.NewGcontextId(x)
	if err != nil {
		return fmt.Errorf("xtest: new gc id: %w", err)
	}
	xproto.CreatePixmap(x, scr.RootDepth, pix, xproto.Drawable(scr.Root), 1, 1)
	xproto.CreateGC(x, gc, xproto.Drawable(pix), xproto.GcForeground, []uint32{scr.BlackPixel})
	xproto.PolyFillRectangle(x, xproto.Drawable(pix), gc, []xproto.Rectangle{{Width: 1, Height: 1}})
	xproto.FreeGC(x, gc)
	a, err := d.internAtom(x, "_XROOTPMAP_ID")
	if err != nil {
		return err
	}
	v := make([]byte, 4)
	xgb.Put32(v, uint32(pix))
	xproto.ChangeProperty(x, xproto.PropModeReplace, scr.Root, a, xproto.AtomPixmap, 32, 1, v)
	if err := xproto.ChangeWindowAttributesChecked(x, scr.Root, xproto.CwBackPixmap, []uint32{uint32(pix)}).Check(); err != nil {
		return fmt.Errorf("xtest: set root background: %w", err)
	}
	xproto.ClearArea(x, false, scr.Root, 0, 0, 0, 0)
	return nil
}

// WindowSpec says how CreateWindowWith makes a window.
type WindowSpec struct {
	Title, Class string
	// States are _NET_WM_STATE atoms set before the window is mapped
	// ("_NET_WM_STATE_ABOVE", "_NET_WM_STATE_HIDDEN").
	States []string
	// Type is a _NET_WM_WINDOW_TYPE atom ("_NET_WM_WINDOW_TYPE_UTILITY");
	// "" leaves it unset.
	Type string
	// OverrideRedirect makes a window no window manager takes, as popups.
	OverrideRedirect bool
	// Unmapped leaves the window created but never shown (Map shows it).
	Unmapped bool
}

// CreateWindowWith makes a 300x40 window as spec says, with the test
// process's _NET_WM_PID.
func (d *Desktop) CreateWindowWith(spec WindowSpec) (*Window, error) {
	x, err := d.conn()
	if err != nil {
		return nil, err
	}
	id, err := xproto.NewWindowId(x)
	if err != nil {
		return nil, fmt.Errorf("xtest: new window id: %w", err)
	}
	scr := xproto.Setup(x).DefaultScreen(x)
	mask, vals := uint32(xproto.CwBackPixel), []uint32{scr.WhitePixel}
	if spec.OverrideRedirect {
		mask, vals = mask|xproto.CwOverrideRedirect, append(vals, 1)
	}
	err = xproto.CreateWindowChecked(x, scr.RootDepth, id, scr.Root, 400, 900, 300, 40, 0,
		xproto.WindowClassInputOutput, scr.RootVisual, mask, vals).Check()
	if err != nil {
		return nil, fmt.Errorf("xtest: create window: %w", err)
	}
	w := &Window{d: d, ID: uint32(id)}
	atoms := func(names []string) ([]byte, error) {
		b := make([]byte, 4*len(names))
		for i, n := range names {
			a, err := d.internAtom(x, n)
			if err != nil {
				return nil, err
			}
			xgb.Put32(b[4*i:], uint32(a))
		}
		return b, nil
	}
	set := func(prop string, typ xproto.Atom, format byte, n int, data []byte) error {
		a, err := d.internAtom(x, prop)
		if err != nil {
			return err
		}
		return xproto.ChangePropertyChecked(x, xproto.PropModeReplace, id, a, typ, format, uint32(n), data).Check()
	}
	wmClass := spec.Class + "\x00" + spec.Class + "\x00"
	xproto.ChangeProperty(x, xproto.PropModeReplace, id, xproto.AtomWmClass, xproto.AtomString, 8, uint32(len(wmClass)), []byte(wmClass))
	pid := make([]byte, 4)
	xgb.Put32(pid, uint32(os.Getpid()))
	if err := set("_NET_WM_PID", xproto.AtomCardinal, 32, 1, pid); err != nil {
		return nil, fmt.Errorf("xtest: _NET_WM_PID: %w", err)
	}
	if len(spec.States) > 0 {
		b, err := atoms(spec.States)
		if err != nil {
			return nil, err
		}
		if err := set("_NET_WM_STATE", xproto.AtomAtom, 32, len(spec.States), b); err != nil {
			return nil, fmt.Errorf("xtest: _NET_WM_STATE: %w", err)
		}
	}
	if spec.Type != "" {
		b, err := atoms([]string{spec.Type})
		if err != nil {
			return nil, err
		}
		if err := set("_NET_WM_WINDOW_TYPE", xproto.AtomAtom, 32, 1, b); err != nil {
			return nil, fmt.Errorf("xtest: _NET_WM_WINDOW_TYPE: %w", err)
		}
	}
	if err := w.SetTitle(spec.Title); err != nil {
		return nil, err
	}
	if !spec.Unmapped {
		if err := w.Map(); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Map shows the window.
func (w *Window) Map() error {
	x, err := w.d.conn()
	if err != nil {
		return err
	}
	if err := xproto.MapWindowChecked(x, xproto.Window(w.ID)).Check(); err != nil {
		return fmt.Errorf("xtest: map window: %w", err)
	}
	return nil
}

// Withdraw hides the window as a toolkit does (gtk_widget_hide): unmap,
// and the synthetic UnmapNotify ICCCM asks for, so the window manager
// lets it go.
func (w *Window) Withdraw() error {
	x, err := w.d.conn()
	if err != nil {
		return err
	}
	id := xproto.Window(w.ID)
	root := w.d.root(x)
	if err := xproto.UnmapWindowChecked(x, id).Check(); err != nil {
		return fmt.Errorf("xtest: unmap window: %w", err)
	}
	ev := xproto.UnmapNotifyEvent{Event: root, Window: id}
	return xproto.SendEventChecked(x, false, root, xproto.EventMaskSubstructureRedirect|xproto.EventMaskSubstructureNotify, string(ev.Bytes())).Check()
}

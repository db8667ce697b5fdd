//go:build linux

package tray_test

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/shareguard/shareguard/agent/tray"
	"github.com/shareguard/shareguard/platform/x11/xtest"
)

// State colours of the icons' dots (assets/icons/gen).
var (
	green  = color.RGBA{0x2e, 0x9d, 0x3a, 0xff}
	blue   = color.RGBA{0x1e, 0x66, 0xd0, 0xff}
	orange = color.RGBA{0xe8, 0x4a, 0x10, 0xff}
)

// trayArea is where trayer sits: top right, 160x40 (see startTrayer).
var trayArea = image.Rect(1920-160, 0, 1920, 40)

// TestTrayUnderXvfb runs the real binary with trayer as the tray host and
// reads the tray's pixels: the icon must be there, turn blue when a share
// starts, red-orange when the guard steps in, green again when the share
// ends; it must come back when its process is killed, and a second agent
// must refuse to start.
func TestTrayUnderXvfb(t *testing.T) {
	if why := tray.Unavailable(func(string) string { return "" }); strings.Contains(why, "build") {
		if os.Getenv(xtest.RequireEnv) != "" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	xtest.Need(t, "trayer", "go")
	bin := buildBinary(t)
	d := xtest.Start(t)
	d.Run("trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "160",
		"--heighttype", "pixel", "--height", "40", "--SetDockType", "true", "--transparent", "false")

	x, err := xgb.NewConnDisplay(d.Display)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	shots := shotDir(t)
	shoot := func(name string) image.Image {
		img, err := grab(x, trayArea)
		if err != nil {
			t.Fatal(err)
		}
		savePNG(t, filepath.Join(shots, name+".png"), img)
		return img
	}
	waitFor := func(name string, want, gone color.RGBA) image.Image {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			img, err := grab(x, trayArea)
			if err == nil && count(img, want) >= 10 && count(img, gone) == 0 {
				savePNG(t, filepath.Join(shots, name+".png"), img)
				return img
			}
			if time.Now().After(deadline) {
				shoot(name + "-timeout")
				t.Fatalf("%s: want %v in the tray area and no %v; screenshots in %s\n%s", name, want, gone, shots, d.Logs())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	// Before the agent: no state colour in the tray.
	time.Sleep(500 * time.Millisecond)
	if img := shoot("0-empty"); count(img, green) > 0 {
		t.Fatal("green in the tray before shareguard started")
	}

	audit := filepath.Join(d.Dir(), "audit.jsonl")
	args := []string{"run", "--audit", audit, "--policy", filepath.Join(d.Dir(), "no-policy.toml")}
	agent := d.Run(bin, args...)
	waitFor("1-guarding", green, blue)

	// A second agent in the same session says so and exits 0.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := d.Command(ctx, bin, args...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "shareguard is already running") {
		t.Fatalf("second start: err %v, output %q", err, out)
	}

	share, err := d.CreateWindow("http://127.0.0.1:4242 is sharing your screen.", "")
	if err != nil {
		t.Fatal(err)
	}
	waitFor("2-sharing", blue, green)

	journal, err := d.CreateWindow("TakeCare - 19121212-1212", "TakeCare")
	if err != nil {
		t.Fatal(err)
	}
	defer journal.Destroy()
	waitFor("3-steppedin", orange, blue)

	// Killing the icon's process leaves the guard running; the icon returns.
	host := childPID(t, agent.Cmd.Process.Pid)
	syscall(t, host)
	waitFor("4-back-after-kill", orange, blue)
	select {
	case <-agent.Done():
		t.Fatalf("the guard exited when its tray process was killed: %v", agent.Err())
	default:
	}

	if err := share.Destroy(); err != nil {
		t.Fatal(err)
	}
	waitFor("5-share-ended", green, orange)

	// Stopping the agent removes the icon and records the stop.
	agent.Cmd.Process.Signal(os.Interrupt)
	select {
	case <-agent.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("shareguard did not stop on SIGINT")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		img, err := grab(x, trayArea)
		if err == nil && count(img, green) == 0 {
			savePNG(t, filepath.Join(shots, "6-stopped.png"), img)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the icon stayed after the agent stopped")
		}
		time.Sleep(100 * time.Millisecond)
	}
	log, err := os.ReadFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{`"share_started"`, `"action":"minimize"`, `"share_stopped"`, `"agent_stopped"`} {
		if !strings.Contains(string(log), ev) {
			t.Errorf("audit log lacks %s", ev)
		}
	}
	if strings.Contains(string(log), "1212-1212") {
		t.Error("audit log holds an identity number from a window title")
	}
}

// TestTraySurvivesDisplayLoss: GTK exits its process when the display
// goes; that must end only the icon's process, and the icon must come back
// with the display.
func TestTraySurvivesDisplayLoss(t *testing.T) {
	if why := tray.Unavailable(func(string) string { return "" }); strings.Contains(why, "build") {
		if os.Getenv(xtest.RequireEnv) != "" {
			t.Fatal(why)
		}
		t.Skip(why)
	}
	xtest.Need(t, "trayer", "go")
	bin := buildBinary(t)
	d := xtest.Start(t, xtest.Restartable())
	trayer := []string{"--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "160",
		"--heighttype", "pixel", "--height", "40", "--SetDockType", "true", "--transparent", "false"}
	d.Run("trayer", trayer...)
	agent := d.Run(bin, "run", "--audit", filepath.Join(d.Dir(), "audit.jsonl"), "--policy", filepath.Join(d.Dir(), "none.toml"))
	waitColour := func(name string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			if x, err := xgb.NewConnDisplay(d.Display); err == nil {
				img, err := grab(x, trayArea)
				x.Close()
				if err == nil && count(img, green) >= 10 {
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: no green icon in the tray\n%s", name, d.Logs())
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	waitColour("before")
	d.KillX()
	// Short: xtest restarts X on the same display number, which other
	// desktops on the machine could take meanwhile.
	time.Sleep(500 * time.Millisecond)
	select {
	case <-agent.Done():
		t.Fatalf("the guard exited with the display: %v\n%s", agent.Err(), d.Logs())
	default:
	}
	d.RestartX()
	d.Run("trayer", trayer...)
	waitColour("after")
	select {
	case <-agent.Done():
		t.Fatalf("the guard exited after the display came back: %v", agent.Err())
	default:
	}
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "shareguard")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/shareguard/shareguard/cmd/shareguard")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// shotDir keeps the screenshots in the test's temp dir, or in
// SHAREGUARD_TRAY_SHOTS (outside the repo) when a person wants to look.
func shotDir(t *testing.T) string {
	if d := os.Getenv("SHAREGUARD_TRAY_SHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// grab reads r of the root window (Xvfb's 24-bit TrueColor: BGRX).
func grab(x *xgb.Conn, r image.Rectangle) (*image.RGBA, error) {
	root := xproto.Setup(x).DefaultScreen(x).Root
	rep, err := xproto.GetImage(x, xproto.ImageFormatZPixmap, xproto.Drawable(root),
		int16(r.Min.X), int16(r.Min.Y), uint16(r.Dx()), uint16(r.Dy()), 0xffffffff).Reply()
	if err != nil {
		return nil, fmt.Errorf("get image: %w", err)
	}
	img := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	for i := 0; i+3 < len(rep.Data) && i < 4*r.Dx()*r.Dy(); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = rep.Data[i+2], rep.Data[i+1], rep.Data[i], 0xff
	}
	return img, nil
}

// count is how many pixels are within a small distance of c.
func count(img image.Image, c color.RGBA) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r>>8, c.R) && near(g>>8, c.G) && near(bl>>8, c.B) {
				n++
			}
		}
	}
	return n
}

func near(a uint32, b uint8) bool {
	d := int(a) - int(b)
	return d >= -12 && d <= 12
}

func savePNG(t *testing.T, path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// childPID finds the tray host: the child of pid running tray-host.
func childPID(t *testing.T, pid int) int {
	t.Helper()
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, dir := range dirs {
		f, err := os.Open(filepath.Join(dir, "stat"))
		if err != nil {
			continue
		}
		line, _ := bufio.NewReader(f).ReadString('\n')
		f.Close()
		// pid (comm) state ppid ...
		i := strings.LastIndexByte(line, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(line[i+1:])
		if len(fields) < 2 || fields[1] != strconv.Itoa(pid) {
			continue
		}
		cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
		if strings.Contains(string(cmdline), tray.HostCommand) {
			n, _ := strconv.Atoi(filepath.Base(dir))
			return n
		}
	}
	t.Fatalf("no %s child of %d", tray.HostCommand, pid)
	return 0
}

// syscall kills one process we started (the tray host), by pid.
func syscall(t *testing.T, pid int) {
	t.Helper()
	p, err := os.FindProcess(pid)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
}

//go:build windows

// Package testwin creates real top-level windows for the platform/windows
// tests: share toolbars and indicators with the classes and titles of the
// signatures, and protected journal windows. The tests run it as separate
// processes (the test binary re-executed, often copied to Zoom.exe,
// ms-teams.exe, ... so process names match) because the guard must see
// windows of other processes, as it does in real life.
package testwin

import (
	"bufio"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	user32                = windows.NewLazySystemDLL("user32.dll")
	kernel32              = windows.NewLazySystemDLL("kernel32.dll")
	procRegisterClassExW  = user32.NewProc("RegisterClassExW")
	procCreateWindowExW   = user32.NewProc("CreateWindowExW")
	procDestroyWindow     = user32.NewProc("DestroyWindow")
	procShowWindow        = user32.NewProc("ShowWindow")
	procSetAffinity       = user32.NewProc("SetWindowDisplayAffinity")
	procSetForeground     = user32.NewProc("SetForegroundWindow")
	procIsIconic          = user32.NewProc("IsIconic")
	procGetMessageW       = user32.NewProc("GetMessageW")
	procPeekMessageW      = user32.NewProc("PeekMessageW")
	procTranslateMessage  = user32.NewProc("TranslateMessage")
	procDispatchMessageW  = user32.NewProc("DispatchMessageW")
	procPostThreadMessage = user32.NewProc("PostThreadMessageW")
	procDefWindowProcW    = user32.NewProc("DefWindowProcW")
	procGetModuleHandleW  = kernel32.NewProc("GetModuleHandleW")
	procCreateSolidBrush  = windows.NewLazySystemDLL("gdi32.dll").NewProc("CreateSolidBrush")
)

const (
	wsOverlappedWindow    = 0x00CF0000
	wsPopup               = 0x80000000
	wsExTopmost           = 0x00000008
	wsExToolWindow        = 0x00000080
	wdaExcludeFromCapture = 0x11
	swShowNormal          = 1
	swRestore             = 9
	swMinimize            = 6
	swShowMinNoActive     = 7
	wmQuit                = 0x0012
	pmRemove              = 1
)

// Spec is one window to create.
type Spec struct {
	Class   string `json:"class"`
	Title   string `json:"title"`
	Topmost bool   `json:"topmost,omitempty"`
	Tool    bool   `json:"tool,omitempty"` // WS_EX_TOOLWINDOW, WS_POPUP (toolbars, indicators)
	// ExcludeFromCapture sets WDA_EXCLUDEFROMCAPTURE, as Teams does on its
	// share bar.
	ExcludeFromCapture bool `json:"exclude_from_capture,omitempty"`
	// Marker paints the window in the marker colour (MarkerRGB), which the
	// leak meter looks for. It belongs to the class: the first Spec of a
	// class decides.
	Marker bool `json:"marker,omitempty"`
	// Rect is the window's place and size (x, y, w, h); zero: 640×480 at
	// 100,100 (360×48 for Tool).
	Rect [4]int `json:"rect,omitempty"`
	// Backdrop paints the window mid-grey: under the region the meter
	// grabs, so the guard's black cover shows against it.
	Backdrop bool `json:"backdrop,omitempty"`
	// Minimized shows the window minimized (SW_SHOWMINNOACTIVE).
	Minimized bool `json:"minimized,omitempty"`
}

type wndClassEx struct {
	Size       uint32
	Style      uint32
	WndProc    uintptr
	ClsExtra   int32
	WndExtra   int32
	Instance   uintptr
	Icon       uintptr
	Cursor     uintptr
	Background uintptr
	MenuName   *uint16
	ClassName  *uint16
	IconSm     uintptr
}

type msg struct {
	Hwnd    uintptr
	Message uint32
	WParam  uintptr
	LParam  uintptr
	Time    uint32
	PtX     int32
	PtY     int32
	Private uint32
}

// registered classes of this process; the helper is single-threaded.
type maker struct {
	inst    uintptr
	classes map[string]bool
}

func newMaker() *maker {
	inst, _, _ := procGetModuleHandleW.Call(0)
	return &maker{inst: inst, classes: map[string]bool{}}
}

// create makes and shows a window.
func (mk *maker) create(s Spec) (uintptr, error) {
	hwnd, err := mk.make(s)
	if err != nil {
		return 0, err
	}
	mk.show(hwnd, s)
	return hwnd, nil
}

// show shows a window made by make, as Spec says.
func (mk *maker) show(hwnd uintptr, s Spec) {
	if s.Minimized {
		procShowWindow.Call(hwnd, swShowMinNoActive)
	} else {
		show(hwnd, swShowNormal)
	}
}

// make makes a window, hidden. Windows use DefWindowProcW directly as
// their window procedure: no Go callback is needed.
func (mk *maker) make(s Spec) (uintptr, error) {
	cls, err := windows.UTF16PtrFromString(s.Class)
	if err != nil {
		return 0, err
	}
	if !mk.classes[s.Class] {
		wc := wndClassEx{WndProc: procDefWindowProcW.Addr(), Instance: mk.inst, ClassName: cls, Background: 6}
		var color uintptr
		switch {
		case s.Marker:
			color = markerColorref
		case s.Backdrop:
			color = 0x00808080
		}
		if s.Marker || s.Backdrop {
			if wc.Background, _, err = procCreateSolidBrush.Call(color); wc.Background == 0 {
				return 0, fmt.Errorf("CreateSolidBrush: %w", err)
			}
		}
		wc.Size = uint32(unsafe.Sizeof(wc))
		if r, _, err := procRegisterClassExW.Call(uintptr(unsafe.Pointer(&wc))); r == 0 {
			return 0, fmt.Errorf("RegisterClassExW %q: %w", s.Class, err)
		}
		mk.classes[s.Class] = true
	}
	title, err := windows.UTF16PtrFromString(s.Title)
	if err != nil {
		return 0, err
	}
	var ex, style uintptr = 0, wsOverlappedWindow
	x, y, w, h := 100, 100, 640, 480
	if s.Tool {
		ex, style, w, h = wsExToolWindow, wsPopup, 360, 48
	}
	if s.Rect != [4]int{} {
		x, y, w, h = s.Rect[0], s.Rect[1], s.Rect[2], s.Rect[3]
	}
	if s.Topmost {
		ex |= wsExTopmost
	}
	hwnd, _, err := procCreateWindowExW.Call(ex, uintptr(unsafe.Pointer(cls)), uintptr(unsafe.Pointer(title)),
		style, uintptr(x), uintptr(y), uintptr(w), uintptr(h), 0, 0, mk.inst, 0)
	if hwnd == 0 {
		return 0, fmt.Errorf("CreateWindowExW %q: %w", s.Class, err)
	}
	if s.ExcludeFromCapture {
		if r, _, err := procSetAffinity.Call(hwnd, wdaExcludeFromCapture); r == 0 {
			return 0, fmt.Errorf("SetWindowDisplayAffinity %q: %w", s.Class, err)
		}
	}
	return hwnd, nil
}

func show(hwnd uintptr, cmd uintptr) {
	procShowWindow.Call(hwnd, cmd)
	procSetForeground.Call(hwnd)
}

func isIconic(h uintptr) bool { r, _, _ := procIsIconic.Call(h); return r != 0 }

// pump handles pending messages without waiting.
func pump() {
	var m msg
	for {
		r, _, _ := procPeekMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0, pmRemove)
		if r == 0 {
			return
		}
		procTranslateMessage.Call(uintptr(unsafe.Pointer(&m)))
		procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
	}
}

// RunWindows creates the windows in specs, prints "ready HWND..." (hex)
// on out, and keeps them alive, pumping messages, until in reaches EOF.
func RunWindows(specs []Spec, in io.Reader, out io.Writer) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	mk := newMaker()
	line := "ready"
	for _, s := range specs {
		h, err := mk.create(s)
		if err != nil {
			return err
		}
		line += fmt.Sprintf(" %#x", h)
	}
	tid := windows.GetCurrentThreadId()
	go func() {
		io.Copy(io.Discard, in)
		procPostThreadMessage.Call(uintptr(tid), wmQuit, 0, 0)
	}()
	fmt.Fprintln(out, line)
	var m msg
	for {
		r, _, _ := procGetMessageW.Call(uintptr(unsafe.Pointer(&m)), 0, 0, 0)
		if int32(r) <= 0 {
			return nil
		}
		procTranslateMessage.Call(uintptr(unsafe.Pointer(&m)))
		procDispatchMessageW.Call(uintptr(unsafe.Pointer(&m)))
	}
}

// Latency is what RunLatency reports, in milliseconds from showing a
// protected window to IsIconic, as seen by the window's own process.
type Latency struct {
	Created  []float64 `json:"created"`  // a new window shown
	Restored []float64 `json:"restored"` // the user brings a minimized window back
	Timeouts int       `json:"timeouts"`
}

// RunLatency shows a protected window n times (alternately a new window and
// the previous one restored), waits each time until something minimizes
// it (or timeout), and writes a Latency as JSON to out.
func RunLatency(spec Spec, n int, gap, timeout time.Duration, out io.Writer) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	mk := newMaker()
	var res Latency
	var prev uintptr
	for i := 0; i < n; i++ {
		var h uintptr
		var t0 time.Time
		if i%2 == 1 && prev != 0 && isIconic(prev) {
			h = prev
			t0 = time.Now()
			show(h, swRestore)
		} else {
			if prev != 0 {
				procDestroyWindow.Call(prev)
			}
			t0 = time.Now()
			var err error
			if h, err = mk.create(spec); err != nil {
				return err
			}
		}
		ok := false
		for time.Since(t0) < timeout {
			pump()
			if isIconic(h) {
				ok = true
				break
			}
			time.Sleep(500 * time.Microsecond)
		}
		ms := float64(time.Since(t0).Microseconds()) / 1000
		switch {
		case !ok:
			res.Timeouts++
		case h == prev:
			res.Restored = append(res.Restored, ms)
		default:
			res.Created = append(res.Created, ms)
		}
		prev = h
		// Let the guard settle (its sweep, its alert) between rounds.
		end := time.Now().Add(gap)
		for time.Now().Before(end) {
			pump()
			time.Sleep(time.Millisecond)
		}
	}
	if prev != 0 {
		procDestroyWindow.Call(prev)
	}
	return json.NewEncoder(out).Encode(res)
}

// Percentile returns the p-th percentile (0..100, nearest rank) of xs.
func Percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	k := int(p/100*float64(len(s))+0.999999) - 1
	if k < 0 {
		k = 0
	}
	if k >= len(s) {
		k = len(s) - 1
	}
	return s[k]
}

// ReadyLine waits for the helper's "ready" line and returns the hwnds.
func ReadyLine(r *bufio.Reader) ([]uintptr, error) {
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("helper: no ready line: %w", err)
		}
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "ready" {
			continue
		}
		var hs []uintptr
		for _, w := range f[1:] {
			h, err := strconv.ParseUint(w, 0, 64)
			if err != nil {
				return nil, fmt.Errorf("helper: bad hwnd %q", w)
			}
			hs = append(hs, uintptr(h))
		}
		return hs, nil
	}
}

// Env names used between the test process and its helpers.
const (
	EnvRole  = "SHAREGUARD_WINTEST_ROLE"
	EnvSpecs = "SHAREGUARD_WINTEST_SPECS"
)

// Main runs a helper role when the environment asks for one; it returns
// false in the test process itself.
func Main() (ran bool, code int) {
	switch os.Getenv(EnvRole) {
	case "windows":
		var specs []Spec
		if err := json.Unmarshal([]byte(os.Getenv(EnvSpecs)), &specs); err != nil {
			fmt.Fprintln(os.Stderr, "testwin:", err)
			return true, 2
		}
		if err := RunWindows(specs, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "testwin:", err)
			return true, 1
		}
		return true, 0
	case "hooks":
		if err := RunHooks(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "testwin:", err)
			return true, 1
		}
		return true, 0
	case "idle":
		// A process with no window (a recorder's ffmpeg): says ready,
		// then waits until stdin closes.
		fmt.Println("ready")
		io.Copy(io.Discard, os.Stdin)
		return true, 0
	case "meter":
		// Grabs the screen at 30 fps until stdin closes.
		stop := make(chan struct{})
		go func() { io.Copy(io.Discard, os.Stdin); close(stop) }()
		var r image.Rectangle
		if v := os.Getenv("SHAREGUARD_WINTEST_RECT"); v != "" {
			var x, y, w, h int
			if _, err := fmt.Sscanf(v, "%d,%d,%d,%d", &x, &y, &w, &h); err != nil {
				fmt.Fprintln(os.Stderr, "testwin: SHAREGUARD_WINTEST_RECT wants x,y,w,h:", err)
				return true, 2
			}
			r = image.Rect(x, y, x+w, y+h)
		}
		if err := RunMeter(r, time.Second/30, stop, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "testwin:", err)
			return true, 1
		}
		return true, 0
	case "appear":
		var specs []Spec
		if err := json.Unmarshal([]byte(os.Getenv(EnvSpecs)), &specs); err != nil || len(specs) != 1 {
			fmt.Fprintln(os.Stderr, "testwin: appear needs one spec:", err)
			return true, 2
		}
		n, hold, gap := 5, 5*time.Second, 400*time.Millisecond
		fmt.Sscan(os.Getenv("SHAREGUARD_WINTEST_N"), &n)
		if d, err := time.ParseDuration(os.Getenv("SHAREGUARD_WINTEST_HOLD")); err == nil {
			hold = d
		}
		if d, err := time.ParseDuration(os.Getenv("SHAREGUARD_WINTEST_GAP")); err == nil {
			gap = d
		}
		if err := RunAppearances(specs[0], n, hold, gap, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "testwin:", err)
			return true, 1
		}
		return true, 0
	case "latency":
		var specs []Spec
		if err := json.Unmarshal([]byte(os.Getenv(EnvSpecs)), &specs); err != nil || len(specs) != 1 {
			fmt.Fprintln(os.Stderr, "testwin: latency needs one spec:", err)
			return true, 2
		}
		n := 20
		fmt.Sscan(os.Getenv("SHAREGUARD_WINTEST_N"), &n)
		if err := RunLatency(specs[0], n, 300*time.Millisecond, 5*time.Second, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "testwin:", err)
			return true, 1
		}
		return true, 0
	}
	return false, 0
}

//go:build windows

package windows

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// Win32 entry points that golang.org/x/sys/windows does not wrap. Lazy
// procs resolve on first use; a missing one (DwmGetWindowAttribute under
// Wine) shows up as an error from Find, never as a crash at load time.
var (
	user32 = windows.NewLazySystemDLL("user32.dll")
	dwmapi = windows.NewLazySystemDLL("dwmapi.dll")
	gdi32  = windows.NewLazySystemDLL("gdi32.dll")

	procEnumWindows              = user32.NewProc("EnumWindows")
	procGetWindowTextW           = user32.NewProc("GetWindowTextW")
	procGetWindowTextLengthW     = user32.NewProc("GetWindowTextLengthW")
	procGetClassNameW            = user32.NewProc("GetClassNameW")
	procGetWindowThreadProcessId = user32.NewProc("GetWindowThreadProcessId")
	procIsWindow                 = user32.NewProc("IsWindow")
	procIsWindowVisible          = user32.NewProc("IsWindowVisible")
	procIsIconic                 = user32.NewProc("IsIconic")
	procGetWindowRect            = user32.NewProc("GetWindowRect")
	procGetWindowLongPtrW        = user32.NewProc("GetWindowLongPtrW")
	procGetAncestor              = user32.NewProc("GetAncestor")
	procGetForegroundWindow      = user32.NewProc("GetForegroundWindow")
	procShowWindow               = user32.NewProc("ShowWindow")
	procShowWindowAsync          = user32.NewProc("ShowWindowAsync")
	procSetWinEventHook          = user32.NewProc("SetWinEventHook")
	procUnhookWinEvent           = user32.NewProc("UnhookWinEvent")
	procGetMessageW              = user32.NewProc("GetMessageW")
	procPeekMessageW             = user32.NewProc("PeekMessageW")
	procTranslateMessage         = user32.NewProc("TranslateMessage")
	procDispatchMessageW         = user32.NewProc("DispatchMessageW")
	procPostThreadMessageW       = user32.NewProc("PostThreadMessageW")
	procSetTimer                 = user32.NewProc("SetTimer")
	procKillTimer                = user32.NewProc("KillTimer")
	procCreateWindowExW          = user32.NewProc("CreateWindowExW")
	procDestroyWindow            = user32.NewProc("DestroyWindow")
	procSetWindowTextW           = user32.NewProc("SetWindowTextW")
	procSendMessageW             = user32.NewProc("SendMessageW")
	procSetWindowDisplayAffinity = user32.NewProc("SetWindowDisplayAffinity")
	procGetWindowDisplayAffinity = user32.NewProc("GetWindowDisplayAffinity")
	procEnumDisplayMonitors      = user32.NewProc("EnumDisplayMonitors")
	procGetMonitorInfoW          = user32.NewProc("GetMonitorInfoW")
	procGetWindowPlacement       = user32.NewProc("GetWindowPlacement")
	procSystemParametersInfoW    = user32.NewProc("SystemParametersInfoW")
	procSetWindowPos             = user32.NewProc("SetWindowPos")
	procUpdateWindow             = user32.NewProc("UpdateWindow")
	procSetLayeredWindowAttrs    = user32.NewProc("SetLayeredWindowAttributes")
	procRegisterClassExW         = user32.NewProc("RegisterClassExW")
	procDefWindowProcW           = user32.NewProc("DefWindowProcW")
	procFindWindowW              = user32.NewProc("FindWindowW")
	procMonitorFromWindow        = user32.NewProc("MonitorFromWindow")
	procGetSystemMetrics         = user32.NewProc("GetSystemMetrics")
	procGetModuleHandleW         = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetModuleHandleW")

	procDwmGetWindowAttribute = dwmapi.NewProc("DwmGetWindowAttribute")
	procGetStockObject        = gdi32.NewProc("GetStockObject")
)

// Constants from WinUser.h / dwmapi.h.
const (
	swMinimize       = 6
	swShowNoActivate = 4
	swHide           = 0

	gaRoot = 2

	gwlStyle   = -16
	gwlExStyle = -20

	wsPopup    = 0x80000000
	wsVisible  = 0x10000000
	wsBorder   = 0x00800000
	wsChild    = 0x40000000
	wsMinimize = 0x20000000

	wsExTopmost     = 0x00000008
	wsExToolWindow  = 0x00000080
	wsExNoActivate  = 0x08000000
	wsExAppWindow   = 0x00040000
	wsExTransparent = 0x00000020
	wsExLayered     = 0x00080000

	lwaAlpha = 0x2

	hwndTopmost   = ^uintptr(0) // HWND_TOPMOST, (HWND)-1
	swpNoSize     = 0x0001
	swpNoMove     = 0x0002
	swpNoActivate = 0x0010
	swpShowWindow = 0x0040

	blackBrush = 4 // GetStockObject(BLACK_BRUSH)

	ssCenter = 0x1

	wmQuit    = 0x0012
	wmTimer   = 0x0113
	wmSetFont = 0x0030
	wmApp     = 0x8000
	wmCall    = wmApp + 1 // run queued work on the watcher thread
	wmGlance  = wmApp + 2 // glance at the windows (during a share)
	wmFlush   = wmApp + 3 // never posted: peeking for it finds nothing (see flushSurfaces)

	pmNoRemove = 0

	// WinEvent hooks.
	winEventOutOfContext   = 0x0000
	winEventSkipOwnProcess = 0x0002

	eventSystemForeground    = 0x0003
	eventSystemMinimizeStart = 0x0016
	eventSystemMinimizeEnd   = 0x0017
	eventObjectCreate        = 0x8000
	eventObjectDestroy       = 0x8001
	eventObjectShow          = 0x8002
	eventObjectHide          = 0x8003
	eventObjectNameChange    = 0x800C
	eventObjectCloaked       = 0x8017
	eventObjectUncloaked     = 0x8018

	objidWindow = 0
	childidSelf = 0

	dwmwaCloaked = 14

	wdaNone               = 0x0
	wdaMonitor            = 0x1
	wdaExcludeFromCapture = 0x11

	spiGetWorkArea  = 0x0030
	spiGetAnimation = 0x0048

	defaultGUIFont = 17
)

type point struct{ X, Y int32 }

type rect struct{ Left, Top, Right, Bottom int32 }

type msg struct {
	Hwnd    uintptr
	Message uint32
	WParam  uintptr
	LParam  uintptr
	Time    uint32
	Pt      point
	Private uint32
}

type monitorInfo struct {
	Size    uint32
	Monitor rect
	Work    rect
	Flags   uint32
}

const monitorInfoPrimary = 1

// windowPlacement is WINDOWPLACEMENT (44 bytes).
type windowPlacement struct {
	Length  uint32
	Flags   uint32
	ShowCmd uint32
	MinPos  [2]int32
	MaxPos  [2]int32
	Normal  rect // the restored rectangle, in work-area coordinates
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

// animationInfo is ANIMATIONINFO (SPI_GETANIMATION).
type animationInfo struct {
	Size       uint32
	MinAnimate int32
}

// Thin wrappers: they return what the API returns and nothing more.

func isWindow(h uintptr) bool        { r, _, _ := procIsWindow.Call(h); return r != 0 }
func isWindowVisible(h uintptr) bool { r, _, _ := procIsWindowVisible.Call(h); return r != 0 }
func isIconic(h uintptr) bool        { r, _, _ := procIsIconic.Call(h); return r != 0 }

// displayAffinity is a window's capture setting (WDA_*); any process may
// read it. 0 (WDA_NONE) when it cannot be read.
func displayAffinity(h uintptr) uint32 {
	var a uint32
	if r, _, _ := procGetWindowDisplayAffinity.Call(h, uintptr(unsafe.Pointer(&a))); r == 0 {
		return wdaNone
	}
	return a
}
func foregroundWindow() uintptr { r, _, _ := procGetForegroundWindow.Call(); return r }

// systemMetric is GetSystemMetrics(index).
func systemMetric(index int) int {
	r, _, _ := procGetSystemMetrics.Call(uintptr(index))
	return int(int32(r))
}

func windowLong(h uintptr, index int32) uintptr {
	r, _, _ := procGetWindowLongPtrW.Call(h, uintptr(index))
	return r
}

func isTopLevel(h uintptr) bool {
	r, _, _ := procGetAncestor.Call(h, gaRoot)
	return r == h
}

func windowPID(h uintptr) (pid uint32, tid uint32) {
	r, _, _ := procGetWindowThreadProcessId.Call(h, uintptr(unsafe.Pointer(&pid)))
	return pid, uint32(r)
}

func windowRect(h uintptr) (rect, bool) {
	var r rect
	ok, _, _ := procGetWindowRect.Call(h, uintptr(unsafe.Pointer(&r)))
	return r, ok != 0
}

// windowText reads the title with GetWindowTextW. For windows of other
// processes it reads the stored caption without sending WM_GETTEXT, so a
// hung application cannot block the watcher; our own windows live on the
// watcher thread, which is the thread that calls this.
func windowText(h uintptr, buf []uint16) string {
	n, _, _ := procGetWindowTextLengthW.Call(h)
	if n == 0 {
		return ""
	}
	if int(n)+1 > len(buf) {
		buf = make([]uint16, n+1)
	}
	got, _, _ := procGetWindowTextW.Call(h, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	return windows.UTF16ToString(buf[:got])
}

func className(h uintptr, buf []uint16) string {
	n, _, _ := procGetClassNameW.Call(h, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	return windows.UTF16ToString(buf[:n])
}

// cloaked asks DWM whether a window is cloaked (another virtual desktop, a
// suspended UWP app). ok is false when DWM cannot say (Wine, no DWM).
func cloaked(h uintptr) (isCloaked, ok bool) {
	if procDwmGetWindowAttribute.Find() != nil {
		return false, false
	}
	var v uint32
	hr, _, _ := procDwmGetWindowAttribute.Call(h, dwmwaCloaked, uintptr(unsafe.Pointer(&v)), unsafe.Sizeof(v))
	if hr != 0 {
		return false, false
	}
	return v != 0, true
}

func postThreadMessage(tid uint32, m uint32, w, l uintptr) error {
	r, _, err := procPostThreadMessageW.Call(uintptr(tid), uintptr(m), w, l)
	if r == 0 {
		return err
	}
	return nil
}

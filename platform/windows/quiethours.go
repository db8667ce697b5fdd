//go:build windows

package windows

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Do-not-disturb on Windows 10 1803+ and 11 is the quiet-hours profile
// ("Focus assist", Windows 11's "Do not disturb"). There is no public API
// to switch it; Explorer's own bell button uses the undocumented COM class
// QuietHoursSettings (IQuietHoursSettings, reverse-engineered by Rafael
// Rivera; used by amnweb/yasb, martinmine/NeoShell,
// bitdisaster/windows-focus-assist). The old registry switch
// NOC_GLOBAL_SETTING_TOASTS_ENABLED is reported ignored since Focus
// assist, so it is no longer written.
const (
	ProfileOff      = "Microsoft.QuietHoursProfile.Unrestricted"
	ProfilePriority = "Microsoft.QuietHoursProfile.PriorityOnly" // Windows 11's "Do not disturb"
	ProfileAlarms   = "Microsoft.QuietHoursProfile.AlarmsOnly"   // stricter: no priority apps
)

// quietHours is the OS side of do-not-disturb; tests stand in for it.
type quietHours interface {
	// Profile is the profile the user (or we) selected.
	Profile(ctx context.Context) (string, error)
	SetProfile(ctx context.Context, profile string) error
	// Active is the profile in force as the notification platform
	// publishes it: 0 off, 1 priority only, 2 alarms only. It also counts
	// automatic rules, so it verifies a change but never says what the
	// user chose.
	Active(ctx context.Context) (uint32, error)
}

var (
	modole32                = windows.NewLazySystemDLL("ole32.dll")
	procCoCreateInstance    = modole32.NewProc("CoCreateInstance")
	modntdll                = windows.NewLazySystemDLL("ntdll.dll")
	procNtQueryWnfStateData = modntdll.NewProc("NtQueryWnfStateData")

	clsidQuietHoursSettings = windows.GUID{Data1: 0xF53321FA, Data2: 0x34F8, Data3: 0x4B7F,
		Data4: [8]byte{0xB9, 0xA3, 0x36, 0x18, 0x77, 0xCB, 0x94, 0xCF}}
	iidIQuietHoursSettings = windows.GUID{Data1: 0x6BFF4732, Data2: 0x81EC, Data3: 0x4FFB,
		Data4: [8]byte{0xAE, 0x67, 0xB6, 0xC1, 0xBC, 0x29, 0x63, 0x1F}}
)

const (
	clsctxLocalServer = 4
	// vtable slots of IQuietHoursSettings used by every public caller;
	// newer builds add more after them.
	slotRelease    = 2
	slotGetProfile = 3 // HRESULT get_UserSelectedProfile(this, LPWSTR*), freed with CoTaskMemFree
	slotPutProfile = 4 // HRESULT put_UserSelectedProfile(this, LPCWSTR)
	// WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED (one DWORD).
	wnfQuietHoursActive uint64 = 0x0D83063EA3BF1C75
	// comTimeout bounds one out-of-process call: a hung notification
	// service must not hang the guard.
	comTimeout = 3 * time.Second
)

// comQuietHours talks to the user's notification service.
type comQuietHours struct{}

// onCOMThread runs f on a locked OS thread in the multithreaded apartment
// with the QuietHoursSettings object, bounded by ctx and comTimeout. A
// call that times out is abandoned with its thread.
func onCOMThread(ctx context.Context, f func(obj uintptr, vtbl *[5]uintptr) error) error {
	ctx, cancel := context.WithTimeout(ctx, comTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := windows.CoInitializeEx(0, windows.COINIT_MULTITHREADED); err != nil && !errors.Is(err, syscall.Errno(1)) { // S_FALSE: already
			done <- fmt.Errorf("CoInitializeEx: %w", err)
			return
		}
		defer windows.CoUninitialize()
		if err := procCoCreateInstance.Find(); err != nil {
			done <- err
			return
		}
		var obj unsafe.Pointer // the interface pointer: its first word is the vtable
		hr, _, _ := procCoCreateInstance.Call(uintptr(unsafe.Pointer(&clsidQuietHoursSettings)), 0,
			clsctxLocalServer, uintptr(unsafe.Pointer(&iidIQuietHoursSettings)), uintptr(unsafe.Pointer(&obj)))
		if int32(hr) < 0 || obj == nil {
			done <- fmt.Errorf("QuietHoursSettings not available (CoCreateInstance %#08x)", uint32(hr))
			return
		}
		vtbl := *(**[5]uintptr)(obj)
		defer syscall.SyscallN(vtbl[slotRelease], uintptr(obj))
		done <- f(uintptr(obj), vtbl)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within %v: %w", comTimeout, ctx.Err())
	}
}

func (comQuietHours) Profile(ctx context.Context) (string, error) {
	var p string
	err := onCOMThread(ctx, func(obj uintptr, vtbl *[5]uintptr) error {
		var s *uint16
		hr, _, _ := syscall.SyscallN(vtbl[slotGetProfile], obj, uintptr(unsafe.Pointer(&s)))
		if int32(hr) < 0 || s == nil {
			return fmt.Errorf("get_UserSelectedProfile %#08x", uint32(hr))
		}
		p = windows.UTF16PtrToString(s)
		windows.CoTaskMemFree(unsafe.Pointer(s))
		return nil
	})
	return p, err
}

func (comQuietHours) SetProfile(ctx context.Context, profile string) error {
	s, err := windows.UTF16PtrFromString(profile)
	if err != nil {
		return err
	}
	return onCOMThread(ctx, func(obj uintptr, vtbl *[5]uintptr) error {
		hr, _, _ := syscall.SyscallN(vtbl[slotPutProfile], obj, uintptr(unsafe.Pointer(s)))
		runtime.KeepAlive(s)
		if int32(hr) < 0 {
			return fmt.Errorf("put_UserSelectedProfile %#08x", uint32(hr))
		}
		return nil
	})
}

func (comQuietHours) Active(context.Context) (uint32, error) {
	if err := procNtQueryWnfStateData.Find(); err != nil { // Wine has no WNF
		return 0, fmt.Errorf("NtQueryWnfStateData: %w", err)
	}
	name := wnfQuietHoursActive
	var stamp, val uint32
	size := uint32(4)
	r, _, _ := procNtQueryWnfStateData.Call(uintptr(unsafe.Pointer(&name)), 0, 0,
		uintptr(unsafe.Pointer(&stamp)), uintptr(unsafe.Pointer(&val)), uintptr(unsafe.Pointer(&size)))
	if st := windows.NTStatus(uint32(r)); st != windows.STATUS_SUCCESS {
		return 0, fmt.Errorf("NtQueryWnfStateData: %w", st)
	}
	if size != 4 {
		return 0, fmt.Errorf("NtQueryWnfStateData: %d bytes, want 4", size)
	}
	return val, nil
}

//go:build windows

package windows

import (
	"context"
	"path/filepath"

	"github.com/shirou/gopsutil/v3/process"
	"golang.org/x/sys/windows"

	"github.com/shareguard/shareguard/platform"
)

func creationTime(pid int) (windows.Filetime, bool) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return windows.Filetime{}, false
	}
	defer windows.CloseHandle(h)
	var c, e, k, u windows.Filetime
	if err := windows.GetProcessTimes(h, &c, &e, &k, &u); err != nil {
		return windows.Filetime{}, false
	}
	return c, true
}

func describe(ctx context.Context, pid int) platform.Process {
	p := platform.Process{PID: pid}
	if proc, err := process.NewProcessWithContext(ctx, int32(pid)); err == nil {
		p.Exe, _ = proc.ExeWithContext(ctx)
		if ppid, err := proc.PpidWithContext(ctx); err == nil {
			p.PPID = int(ppid)
		}
	}
	if p.Exe == "" {
		// gopsutil asks for PROCESS_QUERY_INFORMATION, which a standard
		// user does not get on elevated processes; the limited right is
		// enough for the image name.
		p.Exe = imageName(pid)
	}
	if p.Exe != "" {
		p.Name = filepath.Base(p.Exe)
	}
	return p
}

func imageName(pid int) string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(buf))
	if err := windows.QueryFullProcessImageName(h, 0, &buf[0], &n); err != nil {
		return ""
	}
	return windows.UTF16ToString(buf[:n])
}

// processElevated reports whether pid runs elevated; known is false when
// its token cannot be read (which itself hints at a more privileged process).
func processElevated(pid int) (elevated, known bool) {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return false, false
	}
	defer windows.CloseHandle(h)
	var tok windows.Token
	if err := windows.OpenProcessToken(h, windows.TOKEN_QUERY, &tok); err != nil {
		return false, false
	}
	defer tok.Close()
	return tok.IsElevated(), true
}

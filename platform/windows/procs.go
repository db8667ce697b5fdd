//go:build windows

package windows

import (
	"context"
	"path/filepath"
	"unsafe"

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

// winSys is the watched-process scan's view of Windows (wincap.System).
type winSys struct{}

func (winSys) PIDs(buf []uint32) []uint32 {
	if cap(buf) < 512 {
		buf = make([]uint32, 0, 512)
	}
	for {
		buf = buf[:cap(buf)]
		var got uint32
		if err := windows.EnumProcesses(buf, &got); err != nil {
			return buf[:0]
		}
		n := int(got) / int(unsafe.Sizeof(buf[0]))
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]uint32, 0, 2*len(buf)) // it may have filled the buffer
	}
}

func (winSys) Image(pid uint32) (string, bool) {
	n := imageName(int(pid))
	if n == "" {
		return "", false
	}
	return filepath.Base(n), true
}

func (winSys) Started(pid uint32) (uint64, bool) {
	c, ok := creationTime(int(pid))
	return uint64(c.HighDateTime)<<32 | uint64(c.LowDateTime), ok
}

// Describe reads the command line with gopsutil, from the process's PEB
// (PROCESS_VM_READ: a process of the same user, as a recorder a user
// started is), and splits it as the C runtime does (CommandLineToArgvW).
func (winSys) Describe(pid uint32, image string) platform.Process {
	ctx := context.Background()
	p := describe(ctx, int(pid))
	if p.Name == "" {
		p.Name = image
	}
	proc, err := process.NewProcessWithContext(ctx, int32(pid))
	if err != nil {
		return p
	}
	if line, err := proc.CmdlineWithContext(ctx); err == nil && line != "" {
		if args, err := windows.DecomposeCommandLine(line); err == nil {
			p.Args = args
		}
	}
	return p
}

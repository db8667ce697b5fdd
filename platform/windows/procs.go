//go:build windows

package windows

import (
	"context"
	"path/filepath"
	"sync"

	"github.com/shirou/gopsutil/v3/process"
	"golang.org/x/sys/windows"

	"github.com/shareguard/shareguard/platform"
)

// procCache remembers the processes that own windows, keyed by pid and
// creation time (so a reused pid is looked up again). Checking an entry
// costs OpenProcess + GetProcessTimes; gopsutil is asked only about new
// processes.
type procCache struct {
	mu      sync.Mutex
	entries map[int]procEntry
}

type procEntry struct {
	created windows.Filetime
	p       platform.Process
}

func (pc *procCache) lookup(ctx context.Context, pids []int) []platform.Process {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.entries == nil {
		pc.entries = make(map[int]procEntry)
	}
	out := make([]platform.Process, 0, len(pids))
	keep := make(map[int]bool, len(pids))
	for _, pid := range pids {
		created, ok := creationTime(pid)
		if !ok {
			continue // gone, or not even limited query rights
		}
		keep[pid] = true
		if e, ok := pc.entries[pid]; ok && e.created == created {
			out = append(out, e.p)
			continue
		}
		p := describe(ctx, pid)
		pc.entries[pid] = procEntry{created: created, p: p}
		out = append(out, p)
	}
	for pid := range pc.entries {
		if !keep[pid] {
			delete(pc.entries, pid)
		}
	}
	return out
}

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

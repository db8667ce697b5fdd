//go:build linux

package x11

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"sync"

	"github.com/shirou/gopsutil/v3/process"

	"github.com/shareguard/shareguard/platform"
)

// procCache remembers processes that own windows, keyed by pid and start
// time (so a reused pid is looked up again). Checking an entry costs one
// small /proc read; gopsutil is only asked about new processes.
type procCache struct {
	mu      sync.Mutex
	entries map[int]procEntry
}

type procEntry struct {
	start string // field 22 of /proc/PID/stat
	p     platform.Process
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
		start, ok := startTime(pid)
		if !ok {
			continue // gone (or a pid from another host/namespace)
		}
		keep[pid] = true
		if e, ok := pc.entries[pid]; ok && e.start == start {
			out = append(out, e.p)
			continue
		}
		p := describe(ctx, pid)
		pc.entries[pid] = procEntry{start: start, p: p}
		out = append(out, p)
	}
	for pid := range pc.entries {
		if !keep[pid] {
			delete(pc.entries, pid)
		}
	}
	return out
}

func describe(ctx context.Context, pid int) platform.Process {
	p := platform.Process{PID: pid}
	proc, err := process.NewProcessWithContext(ctx, int32(pid))
	if err != nil {
		return p
	}
	p.Name, _ = proc.NameWithContext(ctx)
	if ppid, err := proc.PpidWithContext(ctx); err == nil {
		p.PPID = int(ppid)
	}
	p.Exe, _ = proc.ExeWithContext(ctx) // empty for other users' processes
	return p
}

// startTime returns the start time field of /proc/PID/stat. The command
// name (field 2) may hold spaces and parentheses, so parse after the last ')'.
func startTime(pid int) (string, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return "", false
	}
	f := bytes.Fields(b[i+1:])
	// After the name: state is field 3, starttime is field 22.
	const idx = 22 - 3
	if len(f) <= idx {
		return "", false
	}
	return string(f[idx]), true
}

//go:build linux

package x11

import (
	"bytes"
	"context"
	"os"
	"strconv"

	"github.com/shirou/gopsutil/v3/process"

	"github.com/shareguard/shareguard/platform"
)

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

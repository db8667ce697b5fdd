//go:build linux

package ocr

import "golang.org/x/sys/unix"

// lowerThreadPriority raises the calling thread's nice value by 10 (Linux
// keeps a nice value per thread). Raising it needs no privilege.
func lowerThreadPriority() {
	tid := unix.Gettid()
	// The raw syscall answers 20 - nice.
	cur, err := unix.Getpriority(unix.PRIO_PROCESS, tid)
	if err != nil {
		return
	}
	nice := min(20-cur+10, 19)
	unix.Setpriority(unix.PRIO_PROCESS, tid, nice)
}

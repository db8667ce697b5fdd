//go:build linux

package ocr

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// threadNice reads the calling thread's nice value from /proc.
func threadNice(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/thread-self/stat")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	// After the command: state is field 3 of the line, nice is field 19.
	n, err := strconv.Atoi(f[19-3])
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return n
}

func TestWorkerRunsAtLowPriority(t *testing.T) {
	cur, err := unix.Getpriority(unix.PRIO_PROCESS, 0)
	if err != nil {
		t.Fatal(err)
	}
	base := 20 - cur
	w := NewWorker()
	defer w.Close()
	var nice int
	var tid int
	w.Do(func() { nice, tid = threadNice(t), unix.Gettid() })
	if want := min(base+10, 19); nice != want {
		t.Fatalf("worker thread nice = %d, want %d (process nice %d)", nice, want, base)
	}
	if tid == unix.Gettid() {
		t.Fatal("the work ran on the caller's thread")
	}
	var again int
	w.Do(func() { again = unix.Gettid() })
	if again != tid {
		t.Fatalf("second job on thread %d, first on %d: want one thread", again, tid)
	}
}

func TestWorkerPanicReachesCaller(t *testing.T) {
	w := NewWorker()
	defer w.Close()
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "boom") {
			t.Fatalf("recovered %v, want the worker's panic", p)
		}
	}()
	w.Do(func() { panic("boom") })
}

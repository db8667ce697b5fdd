//go:build unix

package osenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// lockFile is an flock'd file: the kernel drops the lock when the process
// dies, so a crash never leaves a stale lock behind.
type lockFile struct{ f *os.File }

func (l *lockFile) Release() {
	unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	l.f.Close()
}

// instanceDir is per user session where there is one ($XDG_RUNTIME_DIR),
// else the per-user state dir.
func instanceDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_RUNTIME_DIR"); filepath.IsAbs(d) {
		return filepath.Join(d, "shareguard"), nil
	}
	return StateDir()
}

// AcquireInstance takes the session's lock, or returns ErrAlreadyRunning.
func AcquireInstance(getenv func(string) string) (Instance, error) {
	dir, err := instanceDir(getenv)
	if err != nil {
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "agent.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, ErrAlreadyRunning
		}
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	// The pid is only for people looking; the lock is what counts.
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &lockFile{f: f}, nil
}

package osenv

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows"
)

// A named mutex in the session's Local\ namespace: one per logon session,
// freed by Windows when the process ends.
type mutex struct{ h windows.Handle }

func (m *mutex) Release() { windows.CloseHandle(m.h) }

func AcquireInstance(func(string) string) (Instance, error) {
	name, err := windows.UTF16PtrFromString(`Local\shareguard-agent`)
	if err != nil {
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	h, err := windows.CreateMutex(nil, false, name)
	if errors.Is(err, windows.ERROR_ALREADY_EXISTS) {
		if h != 0 {
			windows.CloseHandle(h)
		}
		return nil, ErrAlreadyRunning
	}
	if err != nil {
		return nil, fmt.Errorf("instance lock: %w", err)
	}
	return &mutex{h: h}, nil
}

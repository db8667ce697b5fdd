//go:build !unix && !windows

package osenv

type noLock struct{}

func (noLock) Release() {}

// AcquireInstance: no session lock on this platform (it has no desktop
// support either).
func AcquireInstance(func(string) string) (Instance, error) { return noLock{}, nil }

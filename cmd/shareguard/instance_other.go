//go:build !unix && !windows

package main

type noLock struct{}

func (noLock) Release() {}

// acquireInstance: no session lock on this platform (it has no desktop
// support either).
func acquireInstance(func(string) string) (instance, error) { return noLock{}, nil }

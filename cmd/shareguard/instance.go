package main

import "errors"

// errAlreadyRunning: another agent holds this user session's instance lock.
var errAlreadyRunning = errors.New("shareguard is already running")

// instance is the lock that keeps one agent per user session; it is
// released when the process ends, however it ends.
type instance interface{ Release() }

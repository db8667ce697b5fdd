package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/shareguard/shareguard/platform"
	"github.com/shareguard/shareguard/platform/priority"
)

// priorityOff: SHAREGUARD_PRIORITY=off keeps the normal scheduling
// priority, to measure what raising it buys.
func priorityOff() bool { return os.Getenv("SHAREGUARD_PRIORITY") == "off" }

// raisePriority raises the guard's threads for as long as it runs, so that
// covering a protected window keeps up on a busy machine. It must come
// before content scanning starts: its thread is then put Levels below the
// raised ones. The returned function stops watching for new threads.
func raisePriority(log *slog.Logger) (stop func()) {
	if priorityOff() {
		log.Info("scheduling priority unchanged", "reason", "SHAREGUARD_PRIORITY=off")
		return func() {}
	}
	return priority.Start(context.Background(), priority.Options{Logger: log}).Close
}

// priorityCapability is the `check` line: whether this user's threads
// would be raised, found by raising check's own thread.
func priorityCapability() platform.Capability {
	if priorityOff() {
		return platform.Capability{Name: priority.CapabilityName, Detail: "off (SHAREGUARD_PRIORITY=off)"}
	}
	return priority.Probe(context.Background(), priority.Options{})
}

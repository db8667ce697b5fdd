// Package proccache remembers the processes that own windows, keyed by pid
// and an identity stamp (start or creation time), so an idle desktop does
// not re-read them and a reused pid is noticed. The platforms supply the
// stamp and the description; the bookkeeping is shared.
package proccache

import (
	"context"
	"slices"
	"sync"

	"github.com/shareguard/shareguard/platform"
)

// Cache is safe for concurrent use. Its zero value needs Stamp and Describe.
type Cache[K comparable] struct {
	// Stamp returns what identifies this run of the process (false: gone).
	// It is called for every pid on every lookup, so it must be cheap.
	Stamp func(pid int) (K, bool)
	// Describe reads a new process; called only on a cache miss.
	Describe func(ctx context.Context, pid int) platform.Process

	mu      sync.Mutex
	entries map[int]entry[K]
}

type entry[K comparable] struct {
	stamp K
	p     platform.Process
}

// Lookup describes pids (gone ones are left out) and forgets the rest.
func (c *Cache[K]) Lookup(ctx context.Context, pids []int) []platform.Process {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[int]entry[K])
	}
	out := make([]platform.Process, 0, len(pids))
	keep := make(map[int]bool, len(pids))
	for _, pid := range pids {
		stamp, ok := c.Stamp(pid)
		if !ok {
			continue
		}
		keep[pid] = true
		if e, ok := c.entries[pid]; ok && e.stamp == stamp {
			out = append(out, e.p)
			continue
		}
		p := c.Describe(ctx, pid)
		c.entries[pid] = entry[K]{stamp: stamp, p: p}
		out = append(out, p)
	}
	for pid := range c.entries {
		if !keep[pid] {
			delete(c.entries, pid)
		}
	}
	return out
}

// PIDsOf lists the windows' process ids, each once, in window order.
func PIDsOf(ws []platform.Window) []int {
	var pids []int
	for _, w := range ws {
		if w.PID > 0 && !slices.Contains(pids, w.PID) {
			pids = append(pids, w.PID)
		}
	}
	return pids
}

package proccache

import (
	"context"
	"testing"

	"github.com/shareguard/shareguard/platform"
)

func TestCacheDescribesOnlyNewRuns(t *testing.T) {
	stamps := map[int]int{1: 100, 2: 200}
	described := 0
	c := &Cache[int]{
		Stamp: func(pid int) (int, bool) { s, ok := stamps[pid]; return s, ok },
		Describe: func(ctx context.Context, pid int) platform.Process {
			described++
			return platform.Process{PID: pid, Name: "p"}
		},
	}
	ctx := context.Background()
	if got := c.Lookup(ctx, []int{1, 2, 3}); len(got) != 2 || described != 2 {
		t.Fatalf("first lookup: %v, %d described", got, described)
	}
	c.Lookup(ctx, []int{1, 2})
	if described != 2 {
		t.Fatalf("idle lookup described %d more", described-2)
	}
	stamps[2] = 201 // pid reused by a new process
	c.Lookup(ctx, []int{1, 2})
	if described != 3 {
		t.Fatalf("reused pid not re-described (%d)", described)
	}
	c.Lookup(ctx, []int{1})
	if _, ok := c.entries[2]; ok {
		t.Fatal("a pid no longer asked for was kept")
	}
}

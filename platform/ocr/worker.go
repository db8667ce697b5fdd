package ocr

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/shareguard/shareguard/platform/priority"
)

// Worker runs the grabbing and recognising of frames on one OS thread kept
// at a low CPU priority, 10 nice levels below the guard's other threads
// (priority.LowerThread): on a busy machine (two cores shared with the
// meeting app encoding the share) the guard's own event handling and the
// meeting app go first, and reading text waits.
type Worker struct {
	jobs chan func()
	done chan struct{}
	once sync.Once
}

// NewWorker starts the thread; Close ends it.
func NewWorker() *Worker { return newWorker(true) }

// NewUrgentWorker starts a thread at the guard's normal priority, for the
// reads that must not wait behind the meeting app: the first read of a
// share and a window that just appeared.
func NewUrgentWorker() *Worker { return newWorker(false) }

func newWorker(lower bool) *Worker {
	w := &Worker{jobs: make(chan func()), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		// Never unlocked: the lowered thread ends with this goroutine
		// instead of going back to the pool for other goroutines.
		runtime.LockOSThread()
		if lower {
			priority.LowerThread()
		}
		for f := range w.jobs {
			f()
		}
	}()
	return w
}

// Do runs f on the worker's thread and returns when it is done; a panic in
// f is raised again in the caller, where the agent recovers it.
func (w *Worker) Do(f func()) {
	var p any
	done := make(chan struct{})
	w.jobs <- func() {
		defer close(done)
		defer func() { p = recover() }()
		f()
	}
	<-done
	if p != nil {
		panic(fmt.Sprintf("content sampling: %v", p))
	}
}

// Close ends the thread once the job it runs, if any, is done; Do must
// not be called after.
func (w *Worker) Close() {
	w.once.Do(func() { close(w.jobs) })
	<-w.done
}

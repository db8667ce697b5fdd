//go:build linux

package priority

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
	"golang.org/x/sys/unix"

	"github.com/shareguard/shareguard/platform"
)

const (
	rtkitName = "org.freedesktop.RealtimeKit1"
	rtkitPath = dbus.ObjectPath("/org/freedesktop/RealtimeKit1")
	// The first call may start rtkit through bus activation.
	callWait = 5 * time.Second
	// New threads are looked for soon after a raise, then rarely: Go makes
	// nearly all of its threads while the agent starts.
	rescanMin = time.Second
	rescanMax = time.Minute
	// maxThreads stays well under rtkit's 25 high-priority threads per user
	// (--threads-per-user-max), which PipeWire, PulseAudio and the meeting
	// app's audio threads share: the meeting's sound must keep its slots.
	maxThreads = 8
)

// threads is process-wide state, as nice values are: LowerThread and the
// booster must agree on which thread was moved down on purpose and on the
// level the guard's threads run at.
var threads struct {
	mu      sync.Mutex
	lowered map[int]uint64 // tid → start time, moved down by LowerThread
	level   int            // nice of the raised threads, when raised
	raised  bool
}

// task is one thread of this process as /proc shows it.
type task struct {
	tid   int
	nice  int
	start uint64 // start time: a tid can be reused by a later thread
}

// Booster raises the process's threads through rtkit and keeps raising the
// ones Go makes later, until Close.
//
// Why every thread: the way from an X event to a mapped cover runs through
// several goroutines (xgb's socket reader and request writer, the watcher,
// the agent), each on whichever thread the Go scheduler picks, and an
// event first wakes whichever thread waits in the netpoller. Raising one
// locked thread would leave the rest of that way at the normal priority.
//
// Why keep looking: rtkit sets SCHED_RESET_ON_FORK on each thread it
// raises, so a thread Go makes later starts at nice 0 whichever thread
// made it; inheritance never keeps it raised.
type Booster struct {
	log    *slog.Logger
	addr   string
	target int // the nice asked for
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	bus    *dbus.Conn
	raised int    // threads at the target after the last pass
	why    string // why nothing (or not everything) was raised
}

// Start raises the calling process's threads now, then watches for new
// threads until ctx ends or Close. It never fails: where rtkit is absent or
// refuses it logs one line and Capability says why. Call it before any
// LowerThread, so the lowered thread ends up Levels below the raised ones.
func Start(ctx context.Context, o Options) *Booster {
	b := &Booster{log: o.logger(), addr: o.BusAddress, done: make(chan struct{})}
	ctx, b.cancel = context.WithCancel(ctx)
	if why := b.first(ctx); why != "" {
		b.why = why
		b.log.Info("scheduling priority unchanged", "reason", why)
		b.closeBus()
		close(b.done)
		return b
	}
	b.log.Info("scheduling priority raised", "mechanism", "rtkit", "nice", b.target, "threads", b.raised)
	go b.watch(ctx)
	return b
}

// first connects, picks the level and raises the threads there are; it
// returns why nothing was raised ("" when something was).
func (b *Booster) first(ctx context.Context) string {
	base, err := threadNice(unix.Gettid())
	if err != nil {
		return fmt.Sprintf("cannot read this thread's nice value: %v", err)
	}
	// The connection lives as long as ctx; the agent waits for the calls
	// at most callWait in all.
	bus, err := connect(ctx, b.addr)
	if err != nil {
		return describe(err)
	}
	b.bus = bus
	calls, cancel := context.WithTimeout(ctx, callWait)
	defer cancel()
	target, err := targetNice(calls, bus, base)
	if err != nil {
		return describe(err)
	}
	b.target = target
	b.pass(calls)
	if b.raised == 0 {
		return b.why
	}
	return ""
}

// watch looks for new threads, at rescanMin after a raise and backing off
// to rescanMax while nothing changes.
func (b *Booster) watch(ctx context.Context) {
	defer close(b.done)
	defer b.closeBus()
	delay := rescanMin
	t := time.NewTimer(delay)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if b.pass(ctx) {
			delay = rescanMin
		} else {
			delay = min(2*delay, rescanMax)
		}
		t.Reset(delay)
	}
}

// pass asks rtkit to raise each thread above the target that was not
// lowered on purpose. It reports whether it raised any.
func (b *Booster) pass(ctx context.Context) (raisedAny bool) {
	// Held throughout, so LowerThread cannot lower a thread between our
	// reading its nice value and raising it.
	threads.mu.Lock()
	defer threads.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.why = ""
	tasks, err := listTasks()
	if err != nil {
		b.why = fmt.Sprintf("cannot list threads: %v", err)
		return false
	}
	var todo []task
	at := 0
	for _, t := range tasks {
		switch {
		case lowered(t):
		case t.nice <= b.target:
			at++
		default:
			todo = append(todo, t)
		}
	}
	for id, start := range threads.lowered {
		if !liveTask(tasks, id, start) {
			delete(threads.lowered, id)
		}
	}
	for i, t := range todo {
		if at >= maxThreads {
			b.why = fmt.Sprintf("%d threads left at their priority (at most %d are raised)", len(todo)-i, maxThreads)
			break
		}
		if err := b.raiseLocked(ctx, t.tid); err != nil {
			// A refusal is for the whole user (polkit, burst limits):
			// the next pass tries again.
			b.why = describe(err)
			b.log.Debug("thread not raised", "tid", t.tid, "reason", b.why)
			break
		}
		at++
		raisedAny = true
		threads.raised, threads.level = true, b.target
	}
	b.raised = at
	if raisedAny {
		b.log.Debug("threads raised", "nice", b.target, "threads", at)
	}
	return raisedAny
}

// lowered says whether LowerThread moved t down; threads.mu is held.
func lowered(t task) bool {
	start, ok := threads.lowered[t.tid]
	return ok && start == t.start
}

func (b *Booster) raiseLocked(ctx context.Context, tid int) error {
	if b.bus == nil || !b.bus.Connected() {
		bus, err := connect(ctx, b.addr)
		if err != nil {
			return err
		}
		b.bus = bus
	}
	return raise(ctx, b.bus, tid, b.target)
}

func (b *Booster) closeBus() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bus != nil {
		b.bus.Close()
		b.bus = nil
	}
}

// Close stops looking for new threads. Raised threads stay raised: the
// process is ending.
func (b *Booster) Close() {
	b.cancel()
	<-b.done
}

// Probe asks rtkit to raise one thread, as Start would raise each, and
// says what happened: `check` runs in a process of its own, so trying is
// the honest way to know whether polkit and rtkit's limits let the agent
// through. The thread is thrown away afterwards, so no raised thread is
// left among the ones Go hands out.
func Probe(ctx context.Context, o Options) platform.Capability {
	ctx, cancel := context.WithTimeout(ctx, callWait)
	defer cancel()
	c := make(chan platform.Capability, 1)
	go func() {
		// Never unlocked: the thread ends with this goroutine.
		runtime.LockOSThread()
		c <- probe(ctx, o.BusAddress)
	}()
	return <-c
}

func probe(ctx context.Context, addr string) platform.Capability {
	tid := unix.Gettid()
	base, err := threadNice(tid)
	if err != nil {
		return unavailable(fmt.Sprintf("cannot read this thread's nice value: %v", err))
	}
	bus, err := connect(ctx, addr)
	if err != nil {
		return unavailable(describe(err))
	}
	defer bus.Close()
	target, err := targetNice(ctx, bus, base)
	if err == nil {
		err = raise(ctx, bus, tid, target)
	}
	if err != nil {
		return unavailable(describe(err))
	}
	return platform.Capability{Name: CapabilityName, Available: true, Detail: fmt.Sprintf("rtkit: nice %d", target)}
}

// LowerThread puts the calling thread Levels nice levels below the guard's
// threads (below the raised level once Start raised them, else below its
// own level), for background work; the booster never raises it again.
// Lowering needs no privilege. Call it from a goroutine locked to its
// thread for good (runtime.LockOSThread, never unlocked), so the thread
// ends with the goroutine instead of serving others.
func LowerThread() {
	threads.mu.Lock()
	defer threads.mu.Unlock()
	t, err := readTask("/proc/thread-self/stat")
	if err != nil {
		return
	}
	ref := t.nice
	if threads.raised {
		ref = threads.level
	}
	if threads.lowered == nil {
		threads.lowered = map[int]uint64{}
	}
	threads.lowered[t.tid] = t.start
	if want := min(ref+Levels, 19); want > t.nice {
		unix.Setpriority(unix.PRIO_PROCESS, t.tid, want)
	}
}

// connect opens a private connection to the system bus.
func connect(ctx context.Context, addr string) (*dbus.Conn, error) {
	var (
		c   *dbus.Conn
		err error
	)
	if addr == "" {
		c, err = dbus.ConnectSystemBus(dbus.WithContext(ctx))
	} else {
		c, err = dbus.Connect(addr, dbus.WithContext(ctx))
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errNoBus, err)
	}
	return c, nil
}

var errNoBus = errors.New("no system bus")

// targetNice is Levels below base, but no lower than rtkit hands out.
func targetNice(ctx context.Context, bus *dbus.Conn, base int) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, callWait)
	defer cancel()
	var v dbus.Variant
	err := bus.Object(rtkitName, rtkitPath).CallWithContext(ctx, "org.freedesktop.DBus.Properties.Get", 0,
		rtkitName, "MinNiceLevel").Store(&v)
	if err != nil {
		return 0, err
	}
	floor, ok := v.Value().(int32)
	if !ok {
		return 0, fmt.Errorf("RealtimeKit's MinNiceLevel is %s, not an int32", v.Signature())
	}
	target := max(base-Levels, int(floor))
	if target >= base {
		return 0, fmt.Errorf("RealtimeKit hands out no nice level below %d, this thread runs at %d", floor, base)
	}
	return target, nil
}

// raise asks rtkit for nice on thread tid of this process. rtkit checks
// that the caller owns the process, asks polkit about
// org.freedesktop.RealtimeKit1.acquire-high-priority (granted to active
// and inactive local sessions by default), enforces its per-user limits,
// and sets SCHED_OTHER|SCHED_RESET_ON_FORK with the nice level. Unlike
// realtime scheduling, it needs no RLIMIT_RTTIME for this.
func raise(ctx context.Context, bus *dbus.Conn, tid, nice int) error {
	ctx, cancel := context.WithTimeout(ctx, callWait)
	defer cancel()
	return bus.Object(rtkitName, rtkitPath).CallWithContext(ctx, rtkitName+".MakeThreadHighPriority", 0,
		uint64(tid), int32(nice)).Err
}

// describe says why nothing changed, in words for `check` and the log.
func describe(err error) string {
	var derr dbus.Error
	switch {
	case errors.Is(err, errNoBus):
		return err.Error()
	case errors.As(err, &derr) && (derr.Name == "org.freedesktop.DBus.Error.ServiceUnknown" || derr.Name == "org.freedesktop.DBus.Error.NameHasNoOwner"):
		return "RealtimeKit is not on the system bus"
	case errors.As(err, &derr) && derr.Name == "org.freedesktop.DBus.Error.AccessDenied":
		return fmt.Sprintf("RealtimeKit refused (polkit or its limits): %s", dbusMessage(derr))
	}
	return fmt.Sprintf("RealtimeKit: %v", err)
}

func dbusMessage(e dbus.Error) string {
	if len(e.Body) > 0 {
		if s, ok := e.Body[0].(string); ok {
			return s
		}
	}
	return e.Name
}

// listTasks reads every thread of this process.
func listTasks() ([]task, error) {
	entries, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil, err
	}
	out := make([]task, 0, len(entries))
	for _, e := range entries {
		t, err := readTask("/proc/self/task/" + e.Name() + "/stat")
		if err != nil {
			continue // ended meanwhile
		}
		out = append(out, t)
	}
	return out, nil
}

func liveTask(tasks []task, tid int, start uint64) bool {
	for _, t := range tasks {
		if t.tid == tid && t.start == start {
			return true
		}
	}
	return false
}

// threadNice reads one thread's nice value.
func threadNice(tid int) (int, error) {
	t, err := readTask("/proc/self/task/" + strconv.Itoa(tid) + "/stat")
	return t.nice, err
}

// readTask parses a /proc stat line: the fields after the command are the
// line's fields 3 on; nice is field 19, the start time field 22.
func readTask(path string) (task, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return task{}, err
	}
	s := string(b)
	open, end := strings.IndexByte(s, ' '), strings.LastIndexByte(s, ')')
	if open < 0 || end < 0 {
		return task{}, fmt.Errorf("%s: unexpected %q", path, s)
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 22-2 {
		return task{}, fmt.Errorf("%s: unexpected %q", path, s)
	}
	tid, err1 := strconv.Atoi(s[:open])
	nice, err2 := strconv.Atoi(f[19-3])
	start, err3 := strconv.ParseUint(f[22-3], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return task{}, fmt.Errorf("%s: %w", path, err)
	}
	return task{tid: tid, nice: nice, start: start}, nil
}

package wincap

import (
	"slices"
	"testing"

	"github.com/shareguard/shareguard/platform"
)

// fakeSys is a process table; it counts the calls a scan makes.
type fakeSys struct {
	procs                     map[uint32]fakeProc
	images, starts, described int
}

type fakeProc struct {
	image   string
	started uint64
	args    []string
	hidden  bool // cannot be opened
}

func (f *fakeSys) PIDs(buf []uint32) []uint32 {
	for pid := range f.procs {
		buf = append(buf, pid)
	}
	slices.Sort(buf)
	return buf
}

func (f *fakeSys) Image(pid uint32) (string, bool) {
	f.images++
	p, ok := f.procs[pid]
	return p.image, ok && !p.hidden
}

func (f *fakeSys) Started(pid uint32) (uint64, bool) {
	f.starts++
	p, ok := f.procs[pid]
	return p.started, ok
}

func (f *fakeSys) Describe(pid uint32, image string) platform.Process {
	f.described++
	return platform.Process{PID: int(pid), Name: image, Args: f.procs[pid].args}
}

func pidsOf(ps []platform.Process) []int {
	var out []int
	for _, p := range ps {
		out = append(out, p.PID)
	}
	return out
}

func TestScan(t *testing.T) {
	grab := []string{`C:\ShareX\ffmpeg.exe`, "-f", "gdigrab", "-i", "desktop", "out.mp4"}
	sys := &fakeSys{procs: map[uint32]fakeProc{
		4:   {image: "System", hidden: true},
		100: {image: "explorer.exe", started: 1},
		200: {image: "ShareX.exe", started: 2},
	}}
	s := Scanner{Sys: sys}
	s.SetNames([]string{"ffmpeg", "OBS64.exe", "ffmpeg"})
	if ps, changed := s.Scan(); len(ps) != 0 || changed {
		t.Fatalf("first scan: %+v %v", ps, changed)
	}

	// System's name cannot be read: it is tried again, then left for
	// the full recheck.
	for range retries {
		s.Scan()
	}
	// Idle: no name is read, nothing is described.
	sys.images, sys.starts = 0, 0
	for range fullEvery - 1 - retries {
		if ps, changed := s.Scan(); len(ps) != 0 || changed {
			t.Fatalf("idle scan: %+v %v", ps, changed)
		}
	}
	if sys.images != 0 || sys.starts != 0 {
		t.Fatalf("idle scans read %d names and %d start times", sys.images, sys.starts)
	}

	// ShareX starts its ffmpeg: found, its command line read once.
	sys.procs[300] = fakeProc{image: "FFMPEG.EXE", started: 3, args: grab}
	ps, changed := s.Scan() // the full recheck
	if !changed || !slices.Equal(pidsOf(ps), []int{300}) || !slices.Equal(ps[0].Args, grab) {
		t.Fatalf("ffmpeg: %+v %v", ps, changed)
	}
	for range 5 {
		if ps, changed := s.Scan(); changed || len(ps) != 1 {
			t.Fatalf("still running: %+v %v", ps, changed)
		}
	}
	if sys.described != 1 {
		t.Fatalf("described %d times, want once", sys.described)
	}

	// The pid is reused by another ffmpeg: read anew.
	sys.procs[300] = fakeProc{image: "ffmpeg.exe", started: 9, args: []string{"ffmpeg", "-i", "a.mkv", "b.mp4"}}
	if ps, changed := s.Scan(); !changed || len(ps) != 1 || ps[0].Args[2] != "a.mkv" {
		t.Fatalf("reused pid: %+v %v", ps, changed)
	}
	// ...and by something else.
	sys.procs[300] = fakeProc{image: "notepad.exe", started: 10}
	if ps, changed := s.Scan(); !changed || len(ps) != 0 {
		t.Fatalf("reused by notepad: %+v %v", ps, changed)
	}
	// A watched name appears and goes.
	sys.procs[301] = fakeProc{image: "obs64.exe", started: 11}
	if ps, changed := s.Scan(); !changed || !slices.Equal(pidsOf(ps), []int{301}) {
		t.Fatalf("obs: %+v %v", ps, changed)
	}
	delete(sys.procs, 301)
	if ps, changed := s.Scan(); !changed || len(ps) != 0 {
		t.Fatalf("obs gone: %+v %v", ps, changed)
	}
	s.SetNames(nil)
	if ps, _ := s.Scan(); len(ps) != 0 {
		t.Fatalf("no names: %+v", ps)
	}
}

// Wine lists a process being created before its image name can be read:
// it is found on the next scan, not on the full recheck.
func TestScanStarting(t *testing.T) {
	sys := &fakeSys{procs: map[uint32]fakeProc{100: {image: "explorer.exe", started: 1}}}
	s := Scanner{Sys: sys}
	s.SetNames([]string{"ffmpeg"})
	s.Scan()
	sys.procs[200] = fakeProc{image: "ffmpeg.exe", started: 2, hidden: true}
	if ps, changed := s.Scan(); len(ps) != 0 || changed {
		t.Fatalf("starting: %+v %v", ps, changed)
	}
	sys.procs[200] = fakeProc{image: "ffmpeg.exe", started: 2}
	if ps, changed := s.Scan(); !changed || !slices.Equal(pidsOf(ps), []int{200}) {
		t.Fatalf("started: %+v %v", ps, changed)
	}
}

func TestSessionFrom(t *testing.T) {
	for _, tc := range []struct {
		remote, control int
		want            platform.Session
	}{
		{0, 0, platform.Session{}},
		{1, 0, platform.Session{Remote: true}},
		{0, 1, platform.Session{RemoteControlled: true}},
		{1, 1, platform.Session{Remote: true, RemoteControlled: true}},
	} {
		got := SessionFrom(func(i int) int {
			switch i {
			case 0x1000:
				return tc.remote
			case 0x2001:
				return tc.control
			}
			t.Fatalf("metric %#x asked", i)
			return 0
		})
		if got != tc.want {
			t.Errorf("remote=%d control=%d: %+v", tc.remote, tc.control, got)
		}
	}
}

func BenchmarkScanIdle(b *testing.B) {
	sys := &fakeSys{procs: map[uint32]fakeProc{}}
	for pid := uint32(4); pid < 4+4*200; pid += 4 {
		sys.procs[pid] = fakeProc{image: "svchost.exe", started: uint64(pid)}
	}
	s := Scanner{Sys: sys}
	s.SetNames([]string{"ffmpeg", "obs64"})
	s.Scan()
	b.ReportAllocs()
	for b.Loop() {
		s.Scan()
	}
}

// Package wincap gathers the Windows capture signals that own no window:
// watched processes (a screen grab in ffmpeg's command line) and the
// session's remote state (GetSystemMetrics). The Windows calls are behind
// System and a metric reader, so this logic is tested on any OS; the
// Windows desktop supplies the real ones.
//
// A scan lists the pids (EnumProcesses) and reads the image name only of
// a pid it has not seen (and of all of them on a slow full recheck, since
// Windows reuses pids); a name it could not read is read again on the
// next few scans, since Wine lists a process before its image is mapped.
// A matched process is described (its command line read) once, and its
// creation time is compared on each scan to notice a reused pid.
package wincap

import (
	"slices"
	"strings"

	"github.com/shareguard/shareguard/platform"
)

// System is what a scan asks of Windows.
type System interface {
	// PIDs appends the ids of the running processes to buf.
	PIDs(buf []uint32) []uint32
	// Image is a process's image base name ("ffmpeg.exe"); false when it
	// is gone or cannot be opened (System, protected processes).
	Image(pid uint32) (string, bool)
	// Started is the process's creation time; false when it is gone.
	Started(pid uint32) (uint64, bool)
	// Describe reads a matched process: parent, path and command line.
	Describe(pid uint32, image string) platform.Process
}

// fullEvery: every this many scans, every pid's image name is read again.
const fullEvery = 30

// retries: a name that could not be read is read again on this many
// scans, then only on the full recheck (System and protected processes
// never answer). Under Wine, a scan just after CreateProcess sees the pid
// while QueryFullProcessImageName still fails (ERROR_INVALID_HANDLE);
// without a retry that process waited fullEvery scans (a minute).
const retries = 3

// Scanner is not safe for concurrent use.
type Scanner struct {
	Sys System

	names   []string // lower-cased, without ".exe"
	seen    map[uint32]seen
	matched map[uint32]*match
	scans   uint32
	buf     []uint32
}

type seen struct {
	gen    uint32
	match  bool
	unread uint8 // failed reads of the name in a row, capped at retries+1
}

type match struct {
	p       platform.Process
	started uint64
}

// SetNames sets the process names to look for (case-insensitive, ".exe"
// optional) and forgets what was read.
func (s *Scanner) SetNames(names []string) {
	s.names = s.names[:0]
	for _, n := range names {
		n = trimExe(strings.ToLower(n))
		if n != "" && !slices.Contains(s.names, n) {
			s.names = append(s.names, n)
		}
	}
	s.seen, s.matched, s.scans = nil, nil, 0
}

// Scan looks once and returns the watched processes (by pid) and whether
// the set changed since the last scan. An idle scan reads no name.
func (s *Scanner) Scan() ([]platform.Process, bool) {
	if len(s.names) == 0 {
		changed := len(s.matched) > 0
		s.matched = nil
		return nil, changed
	}
	if s.seen == nil {
		s.seen = make(map[uint32]seen)
		s.matched = make(map[uint32]*match)
	}
	full := s.scans%fullEvery == 0
	s.scans++
	gen := s.scans
	changed := false
	s.buf = s.Sys.PIDs(s.buf[:0])
	for _, pid := range s.buf {
		e, known := s.seen[pid]
		e.gen = gen
		if m := s.matched[pid]; m != nil {
			if st, ok := s.Sys.Started(pid); ok && st == m.started {
				s.seen[pid] = e
				continue
			}
			delete(s.matched, pid) // gone, or the pid was reused
			changed, known = true, false
		}
		if known && !full && (e.unread == 0 || e.unread > retries) {
			s.seen[pid] = e
			continue
		}
		e.match = false
		image, ok := s.Sys.Image(pid)
		switch {
		case ok:
			e.unread = 0
		case e.unread <= retries:
			e.unread++
		}
		if ok && s.watched(image) {
			if st, ok := s.Sys.Started(pid); ok {
				s.matched[pid] = &match{p: s.Sys.Describe(pid, image), started: st}
				e.match, changed = true, true
			}
		}
		s.seen[pid] = e
	}
	for pid, e := range s.seen {
		if e.gen != gen {
			delete(s.seen, pid)
			if s.matched[pid] != nil {
				delete(s.matched, pid)
				changed = true
			}
		}
	}
	if len(s.matched) == 0 {
		return nil, changed
	}
	out := make([]platform.Process, 0, len(s.matched))
	for _, m := range s.matched {
		out = append(out, m.p)
	}
	slices.SortFunc(out, func(a, b platform.Process) int { return a.PID - b.PID })
	return out, changed
}

func (s *Scanner) watched(image string) bool {
	return slices.Contains(s.names, trimExe(strings.ToLower(image)))
}

func trimExe(n string) string { return strings.TrimSuffix(n, ".exe") }

// GetSystemMetrics indices (WinUser.h).
const (
	SMRemoteSession = 0x1000 // SM_REMOTESESSION
	SMRemoteControl = 0x2001 // SM_REMOTECONTROL
)

// SessionFrom reads the session's remote state with metric, which is
// GetSystemMetrics or a stand-in: two user32 calls on no window, cheap
// enough for every sweep (see BenchmarkSession under Wine).
func SessionFrom(metric func(index int) int) platform.Session {
	return platform.Session{
		Remote:           metric(SMRemoteSession) != 0,
		RemoteControlled: metric(SMRemoteControl) != 0,
	}
}

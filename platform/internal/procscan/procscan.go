//go:build linux

// Package procscan finds watched processes in /proc cheaply enough to run
// every second while the guard is idle: one readdir of /proc, and the
// name (comm) of a pid read only when the pid is new, again on the next
// scan (a fork execs its program just after it appears) and on a slow
// full recheck (a process can exec a watched program at any time). A
// matched process's command line is read once; its connected clients are
// counted on every scan, as they come and go.
package procscan

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/shareguard/shareguard/platform"
)

// commLen is the kernel's limit for /proc/PID/comm (TASK_COMM_LEN - 1).
const commLen = 15

// fullEvery: every this many scans, the names of all pids are read again.
const fullEvery = 30

// Scanner is not safe for concurrent use.
type Scanner struct {
	Root string // "" = "/proc"

	names   []string // lower-cased, cut to commLen
	seen    map[int]seen
	matched map[int]*platform.Process
	scans   int
}

type seen struct {
	checks int // how many times the name was read
	match  bool
}

// SetNames sets the process names to look for (case-insensitive) and
// forgets what was read.
func (s *Scanner) SetNames(names []string) {
	s.names = s.names[:0]
	for _, n := range names {
		n = strings.ToLower(n)
		if len(n) > commLen {
			n = n[:commLen]
		}
		if n != "" && !slices.Contains(s.names, n) {
			s.names = append(s.names, n)
		}
	}
	s.seen, s.matched, s.scans = nil, nil, 0
}

func (s *Scanner) root() string {
	if s.Root == "" {
		return "/proc"
	}
	return s.Root
}

// Scan looks at /proc once and returns the watched processes (by pid)
// and whether the set or a client count changed since the last scan.
func (s *Scanner) Scan() ([]platform.Process, bool) {
	if len(s.names) == 0 {
		changed := len(s.matched) > 0
		s.matched = nil
		return nil, changed
	}
	if s.seen == nil {
		s.seen = make(map[int]seen)
		s.matched = make(map[int]*platform.Process)
	}
	pids := s.pids()
	full := s.scans%fullEvery == 0
	s.scans++
	changed := false
	live := make(map[int]bool, len(pids))
	for _, pid := range pids {
		live[pid] = true
		e, ok := s.seen[pid]
		if ok && e.checks >= 2 && !full {
			continue
		}
		comm, ok := s.comm(pid)
		if !ok {
			continue
		}
		e.checks++
		match := slices.Contains(s.names, strings.ToLower(comm))
		if match && (!e.match || s.matched[pid] == nil) {
			s.matched[pid] = s.describe(pid, comm)
			changed = true
		} else if !match && e.match {
			delete(s.matched, pid)
			changed = true
		}
		e.match = match
		s.seen[pid] = e
	}
	for pid := range s.seen {
		if !live[pid] {
			delete(s.seen, pid)
			if s.matched[pid] != nil {
				delete(s.matched, pid)
				changed = true
			}
		}
	}
	out := make([]platform.Process, 0, len(s.matched))
	for _, p := range s.matched {
		n := s.clients(p.PID)
		if n != p.Clients {
			p.Clients = n
			changed = true
		}
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b platform.Process) int { return a.PID - b.PID })
	return out, changed
}

// pids lists /proc's numeric entries.
func (s *Scanner) pids() []int {
	f, err := os.Open(s.root())
	if err != nil {
		return nil
	}
	defer f.Close()
	names, _ := f.Readdirnames(-1)
	pids := make([]int, 0, len(names))
	for _, n := range names {
		if n == "" || n[0] < '0' || n[0] > '9' {
			continue
		}
		if pid, err := strconv.Atoi(n); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

func (s *Scanner) path(pid int, name string) string {
	return s.root() + "/" + strconv.Itoa(pid) + "/" + name
}

func (s *Scanner) comm(pid int) (string, bool) {
	b, err := os.ReadFile(s.path(pid, "comm"))
	if err != nil {
		return "", false
	}
	return string(bytes.TrimRight(b, "\n")), true
}

// describe reads a matched process: its command line, parent and program.
func (s *Scanner) describe(pid int, comm string) *platform.Process {
	p := &platform.Process{PID: pid, Name: comm}
	if b, err := os.ReadFile(s.path(pid, "cmdline")); err == nil && len(b) > 0 {
		p.Args = strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
		// comm is cut to 15 bytes; the program's own name is not.
		if base := filepath.Base(p.Args[0]); len(comm) == commLen && strings.HasPrefix(base, comm) {
			p.Name = base
		}
	}
	if b, err := os.ReadFile(s.path(pid, "stat")); err == nil {
		if i := bytes.LastIndexByte(b, ')'); i >= 0 {
			// After the name: state, then ppid.
			if f := bytes.Fields(b[i+1:]); len(f) > 1 {
				p.PPID, _ = strconv.Atoi(string(f[1]))
			}
		}
	}
	p.Exe, _ = os.Readlink(s.path(pid, "exe")) // empty for other users' processes
	return p
}

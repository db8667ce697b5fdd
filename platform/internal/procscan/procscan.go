//go:build linux

// Package procscan finds watched processes in /proc cheaply enough to run
// every second or two while the guard is idle: the last pid allocated
// (from /proc/loadavg) tells which pids are new, /proc is listed only when
// many are, and the name (comm) of a pid is read only when it is new,
// again on the next scan (a fork execs its program just after it appears)
// and on a slow full recheck (a process can exec a watched program at any
// time). A matched process's command line is read once; its connected
// clients are counted on every scan, as they come and go.
package procscan

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"github.com/shareguard/shareguard/platform"
)

// commLen is the kernel's limit for /proc/PID/comm (TASK_COMM_LEN - 1).
const commLen = 15

// maxProbe: more pids allocated than this since the last scan, and /proc
// is listed instead of probing each.
const maxProbe = 32

// fullEvery: every this many scans, the names of all pids are read again.
const fullEvery = 30

// Scanner is not safe for concurrent use.
type Scanner struct {
	Root string // "" = "/proc"

	names   [][]byte // cut to commLen
	seen    map[int]seen
	matched map[int]*platform.Process
	scans   uint32
	pidBuf  []int
	dirBuf  []byte
	last    int  // the last pid allocated, at the last scan
	listed  bool // /proc was listed since SetNames
}

type seen struct {
	gen    uint32 // the last scan that listed the pid
	checks uint8  // how many times the name was read
	match  bool
}

// SetNames sets the process names to look for (case-insensitive) and
// forgets what was read.
func (s *Scanner) SetNames(names []string) {
	s.names = s.names[:0]
	for _, n := range names {
		if len(n) > commLen {
			n = n[:commLen]
		}
		if n != "" && !slices.ContainsFunc(s.names, func(b []byte) bool { return bytes.EqualFold(b, []byte(n)) }) {
			s.names = append(s.names, []byte(n))
		}
	}
	s.seen, s.matched, s.scans, s.listed = nil, nil, 0, false
}

func (s *Scanner) root() string {
	if s.Root == "" {
		return "/proc"
	}
	return s.Root
}

// Scan looks at /proc once and returns the watched processes (by pid)
// and whether the set or a client count changed since the last scan. An
// idle scan makes no allocation: it runs every interval for as long as the
// guard runs.
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
	full := s.scans%fullEvery == 0
	s.scans++
	gen := s.scans
	changed := s.choosePIDs(full, gen)
	var comm [64]byte
	for _, pid := range s.pidBuf {
		e, ok := s.seen[pid]
		e.gen = gen
		if ok && e.checks >= 2 && !full && !e.match {
			s.seen[pid] = e
			continue
		}
		n, ok := s.readComm(pid, comm[:])
		if !ok { // gone
			delete(s.seen, pid)
			if s.matched[pid] != nil {
				delete(s.matched, pid)
				changed = true
			}
			continue
		}
		if e.checks < 2 {
			e.checks++
		}
		match := s.watched(comm[:n]) && s.isProcess(pid)
		if match && (!e.match || s.matched[pid] == nil) {
			p := s.describe(pid, string(comm[:n]))
			if p == nil {
				// Mid-exec (the new name is set before the command
				// line) or exited: look again next scan.
				e.checks, match = 0, false
			} else {
				s.matched[pid] = p
				changed = true
			}
		} else if !match && e.match {
			delete(s.matched, pid)
			changed = true
		}
		e.match = match
		s.seen[pid] = e
	}
	return s.result(gen, changed)
}

// choosePIDs fills pidBuf with the pids to look at and reports whether
// a watched pid was reused meanwhile. Listing /proc is the dear part (the
// kernel makes a dentry per pid). Pids are allocated in increasing order:
// when few were allocated since the last scan, only those are probed, with
// the pids still to be checked again and the matched ones.
func (s *Scanner) choosePIDs(full bool, gen uint32) bool {
	changed := false
	// A probed pid may be a thread (threads take pids too): a match is
	// checked to be a process.
	last, lastOK := s.lastPID()
	if full || !lastOK || !s.listed || last < s.last || last-s.last > maxProbe {
		s.pidBuf = s.pids(s.pidBuf[:0])
		s.listed = true
	} else {
		s.pidBuf = s.pidBuf[:0]
		for pid := s.last + 1; pid <= last; pid++ {
			if s.seen[pid].match { // pid reused in one interval
				delete(s.matched, pid)
				changed = true
			}
			delete(s.seen, pid)
			s.pidBuf = append(s.pidBuf, pid)
		}
		for pid, e := range s.seen {
			if e.checks < 2 || e.match {
				s.pidBuf = append(s.pidBuf, pid)
			} else {
				e.gen = gen
				s.seen[pid] = e
			}
		}
	}
	s.last = last
	return changed
}

// result forgets the pids not seen in this scan and returns the matched
// processes with fresh client counts.
func (s *Scanner) result(gen uint32, changed bool) ([]platform.Process, bool) {
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

func (s *Scanner) watched(comm []byte) bool {
	for _, n := range s.names {
		if bytes.EqualFold(n, comm) {
			return true
		}
	}
	return false
}

// pids appends /proc's numeric entries to buf, with getdents on a reused
// buffer (os.ReadDir would allocate a string per entry).
func (s *Scanner) pids(buf []int) []int {
	fd, err := syscall.Open(s.root(), syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return buf
	}
	defer syscall.Close(fd)
	if s.dirBuf == nil {
		s.dirBuf = make([]byte, 16<<10)
	}
	for {
		n, err := syscall.Getdents(fd, s.dirBuf)
		if err != nil || n <= 0 {
			return buf
		}
		// struct linux_dirent64: ino u64, off i64, reclen u16, type u8, name.
		for b := s.dirBuf[:n]; len(b) >= 19; {
			reclen := int(b[16]) | int(b[17])<<8
			if reclen < 19 || reclen > len(b) {
				break
			}
			pid := 0
			for _, c := range b[19:reclen] {
				if c == 0 {
					break
				}
				if c < '0' || c > '9' {
					pid = -1
					break
				}
				pid = pid*10 + int(c-'0')
			}
			if pid > 0 {
				buf = append(buf, pid)
			}
			b = b[reclen:]
		}
	}
}

// isProcess reports whether pid is a thread group leader (a process), not
// one of its other threads: /proc/TID is readable though not listed.
func (s *Scanner) isProcess(pid int) bool {
	b, err := os.ReadFile(s.path(pid, "status"))
	if err != nil {
		return false
	}
	_, rest, ok := bytes.Cut(b, []byte("\nTgid:"))
	if !ok {
		return false
	}
	line, _, _ := bytes.Cut(rest, []byte("\n"))
	tgid, err := strconv.Atoi(string(bytes.TrimSpace(line)))
	return err == nil && tgid == pid
}

// lastPID reads the last pid allocated (threads included), the fifth
// field of /proc/loadavg.
func (s *Scanner) lastPID() (int, bool) {
	var b [128]byte
	n, ok := s.readFile("loadavg", b[:])
	if !ok {
		return 0, false
	}
	// "0.00 0.01 0.05 1/123 4567\n": the field after the last space.
	f := bytes.TrimRight(b[:n], "\n")
	f = f[bytes.LastIndexByte(f, ' ')+1:]
	pid := 0
	for _, c := range f {
		if c < '0' || c > '9' {
			return 0, false
		}
		pid = pid*10 + int(c-'0')
	}
	return pid, len(f) > 0
}

var atFDCWD = -0x64 // AT_FDCWD, a variable: a negative constant is no uintptr

// readComm reads /proc/PID/comm into b without allocating.
func (s *Scanner) readComm(pid int, b []byte) (int, bool) {
	var path [32]byte
	p := strconv.AppendInt(path[:0], int64(pid), 10)
	p = append(p, "/comm"...)
	n, ok := s.readFile(unsafe.String(&p[0], len(p)), b)
	if ok && n > 0 && b[n-1] == '\n' {
		n--
	}
	return n, ok && n > 0
}

// readFile reads the file under the root into b without allocating
// (syscall.Open would copy the path to the heap).
func (s *Scanner) readFile(name string, b []byte) (int, bool) {
	var path [96]byte
	p := append(path[:0], s.root()...)
	p = append(p, '/')
	p = append(p, name...)
	if len(p) >= len(path) {
		return 0, false
	}
	p = append(p, 0)
	r, _, errno := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(atFDCWD), uintptr(unsafe.Pointer(&p[0])),
		syscall.O_RDONLY|syscall.O_CLOEXEC, 0, 0, 0)
	if errno != 0 {
		return 0, false
	}
	fd := int(r)
	n, err := syscall.Read(fd, b)
	syscall.Close(fd)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

func (s *Scanner) path(pid int, name string) string {
	return s.root() + "/" + strconv.Itoa(pid) + "/" + name
}

// describe reads a matched process: its command line, parent and program;
// nil while it has no command line yet.
func (s *Scanner) describe(pid int, comm string) *platform.Process {
	p := &platform.Process{PID: pid, Name: comm}
	b, err := os.ReadFile(s.path(pid, "cmdline"))
	if err != nil || len(b) == 0 {
		return nil
	}
	p.Args = strings.Split(strings.TrimRight(string(b), "\x00"), "\x00")
	// comm is cut to 15 bytes; the program's own name is not.
	if base := filepath.Base(p.Args[0]); len(comm) == commLen && strings.HasPrefix(base, comm) {
		p.Name = base
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

//go:build linux

package procscan

import (
	"bufio"
	"os"
	"strings"
)

// TCP states in /proc/net/tcp (include/net/tcp_states.h).
const (
	tcpEstablished = "01"
	tcpListen      = "0A"
)

// clients counts the process's established TCP connections on a port it
// listens on: the connections it accepted. Sockets are the process's own
// (socket inodes among its fds), read from the tables of its network
// namespace.
func (s *Scanner) clients(pid int) int {
	inodes := s.sockets(pid)
	if len(inodes) == 0 {
		return 0
	}
	type sock struct {
		port  string
		state string
	}
	var mine []sock
	for _, table := range []string{"net/tcp", "net/tcp6"} {
		f, err := os.Open(s.path(pid, table))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fl := strings.Fields(sc.Text())
			if len(fl) < 10 || !inodes[fl[9]] {
				continue
			}
			i := strings.LastIndexByte(fl[1], ':')
			if i < 0 {
				continue
			}
			mine = append(mine, sock{port: fl[1][i+1:], state: fl[3]})
		}
		f.Close()
	}
	n := 0
	for _, c := range mine {
		if c.state != tcpEstablished {
			continue
		}
		for _, l := range mine {
			if l.state == tcpListen && l.port == c.port {
				n++
				break
			}
		}
	}
	return n
}

// sockets returns the inodes of the process's socket fds ("socket:[N]").
func (s *Scanner) sockets(pid int) map[string]bool {
	dir := s.path(pid, "fd")
	f, err := os.Open(dir)
	if err != nil {
		return nil
	}
	names, _ := f.Readdirnames(-1)
	f.Close()
	var inodes map[string]bool
	for _, n := range names {
		l, err := os.Readlink(dir + "/" + n)
		if err != nil || !strings.HasPrefix(l, "socket:[") {
			continue
		}
		if inodes == nil {
			inodes = make(map[string]bool)
		}
		inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
	}
	return inodes
}

//go:build unix

package audit

import (
	"fmt"
	"net"
	"os"
	"sync"
)

// socketForwarder writes one datagram per event to a local unix socket and
// redials once when the daemon was restarted.
type socketForwarder struct {
	mu     sync.Mutex
	path   string
	conn   net.Conn
	format func(Event) []byte
}

func dialForwarder(path string, format func(Event) []byte) (*socketForwarder, error) {
	c, err := net.Dial("unixgram", path)
	if err != nil {
		return nil, err
	}
	return &socketForwarder{path: path, conn: c, format: format}, nil
}

func (f *socketForwarder) Forward(e Event) error {
	msg := f.format(e)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conn != nil {
		if _, err := f.conn.Write(msg); err == nil {
			return nil
		}
		f.conn.Close()
		f.conn = nil
	}
	c, err := net.Dial("unixgram", f.path)
	if err != nil {
		return fmt.Errorf("audit forward to %s: %w", f.path, err)
	}
	f.conn = c
	if _, err := c.Write(msg); err != nil {
		return fmt.Errorf("audit forward to %s: %w", f.path, err)
	}
	return nil
}

func (f *socketForwarder) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conn == nil {
		return nil
	}
	err := f.conn.Close()
	f.conn = nil
	return err
}

// DialSyslog forwards events as RFC 5424 messages to the local syslog
// socket (path "" = /dev/log, or the macOS/BSD locations).
func DialSyslog(path string) (Forwarder, error) {
	paths := []string{path}
	if path == "" {
		paths = []string{"/dev/log", "/var/run/syslog", "/var/run/log"}
	}
	host, pid := hostname(), os.Getpid()
	var last error
	for _, p := range paths {
		f, err := dialForwarder(p, func(e Event) []byte { return FormatRFC5424(e, host, pid) })
		if err == nil {
			return f, nil
		}
		last = err
	}
	return nil, fmt.Errorf("audit forward: no syslog socket: %w", last)
}

// DialJournal forwards events to the systemd journal's native socket
// (path "" = /run/systemd/journal/socket).
func DialJournal(path string) (Forwarder, error) {
	if path == "" {
		path = "/run/systemd/journal/socket"
	}
	f, err := dialForwarder(path, FormatJournal)
	if err != nil {
		return nil, fmt.Errorf("audit forward: no journal socket: %w", err)
	}
	return f, nil
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

// Forwards are the forward targets this OS has.
func Forwards() []string { return []string{"syslog", "journald"} }

//go:build linux

package xtest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// X11vnc starts a real x11vnc serving the desktop on 127.0.0.1:port and
// waits until it listens. No password: the tests' own display only.
func (d *Desktop) X11vnc(ctx context.Context, port int) (*Proc, error) {
	d.t.Helper()
	p := d.Run("x11vnc", "-display", d.Display, "-rfbport", strconv.Itoa(port), "-localhost",
		"-nopw", "-forever", "-shared", "-noxdamage", "-quiet")
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	for {
		// A probe would be a client: watch for the listening socket instead.
		if listening(port) {
			return p, nil
		}
		select {
		case <-p.Done():
			return nil, fmt.Errorf("xtest: x11vnc exited: %v", p.Err())
		case <-ctx.Done():
			return nil, fmt.Errorf("xtest: x11vnc does not listen on %s: %w", addr, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// listening reports whether a socket listens on port, from
// /proc/net/tcp: connecting would make a client, binding could steal it.
func listening(port int) bool {
	b, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return false
	}
	suffix := fmt.Sprintf(":%04X", port)
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) > 3 && strings.HasSuffix(f[1], suffix) && f[3] == "0A" {
			return true
		}
	}
	return false
}

// RFBClient connects to a VNC server as a real viewer does: the RFB 3.8
// handshake (RFC 6143) with security type None, ClientInit asking to
// share, and the ServerInit read. The connection stays open until closed.
func RFBClient(ctx context.Context, addr string) (net.Conn, error) {
	var dl net.Dialer
	c, err := dl.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if dead, ok := ctx.Deadline(); ok {
		c.SetDeadline(dead)
	}
	if err := rfbHandshake(c); err != nil {
		c.Close()
		return nil, fmt.Errorf("xtest: RFB handshake with %s: %w", addr, err)
	}
	c.SetDeadline(time.Time{})
	return c, nil
}

func rfbHandshake(c net.Conn) error {
	ver := make([]byte, 12)
	if _, err := io.ReadFull(c, ver); err != nil {
		return err
	}
	if string(ver[:4]) != "RFB " {
		return fmt.Errorf("not RFB: %q", ver)
	}
	if _, err := c.Write([]byte("RFB 003.008\n")); err != nil {
		return err
	}
	var n [1]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return err
	}
	if n[0] == 0 {
		return errors.New("server refused the connection")
	}
	types := make([]byte, n[0])
	if _, err := io.ReadFull(c, types); err != nil {
		return err
	}
	none := false
	for _, t := range types {
		none = none || t == 1
	}
	if !none {
		return fmt.Errorf("security type None not offered: %v", types)
	}
	if _, err := c.Write([]byte{1}); err != nil {
		return err
	}
	var result uint32
	if err := binary.Read(c, binary.BigEndian, &result); err != nil {
		return err
	}
	if result != 0 {
		return fmt.Errorf("security result %d", result)
	}
	if _, err := c.Write([]byte{1}); err != nil { // ClientInit: shared
		return err
	}
	// ServerInit: width, height, pixel format (16 bytes), name.
	head := make([]byte, 2+2+16+4)
	if _, err := io.ReadFull(c, head); err != nil {
		return err
	}
	name := make([]byte, binary.BigEndian.Uint32(head[20:]))
	_, err := io.ReadFull(c, name)
	return err
}

//go:build linux

package procscan

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/shareguard/shareguard/platform"
)

func find(ps []platform.Process, pid int) bool {
	return slices.ContainsFunc(ps, func(p platform.Process) bool { return p.PID == pid })
}

func TestScanFindsWatchedProcess(t *testing.T) {
	var s Scanner
	s.SetNames([]string{"SLEEP"})
	before, _ := s.Scan()
	cmd := exec.Command("sleep", "30", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pid := cmd.Process.Pid
	// Caught mid-exec, it is found on a later scan.
	var ps []platform.Process
	for i := 0; i < 50 && !find(ps, pid); i++ {
		var changed bool
		if ps, changed = s.Scan(); find(ps, pid) != changed {
			t.Fatalf("found=%v, changed=%v", find(ps, pid), changed)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !find(ps, pid) {
		t.Fatalf("after start: %+v", ps)
	}
	i := slices.IndexFunc(ps, func(p platform.Process) bool { return p.PID == pid })
	if p := ps[i]; p.Name != "sleep" || !slices.Equal(p.Args, []string{"sleep", "30", "1"}) || p.PPID != os.Getpid() || p.Clients != 0 {
		t.Fatalf("described as %+v", p)
	}
	if _, changed := s.Scan(); changed {
		t.Fatal("an unchanged /proc is reported as changed")
	}
	cmd.Process.Kill()
	cmd.Wait()
	ps, changed := s.Scan()
	if !changed || find(ps, pid) || len(ps) != len(before) {
		t.Fatalf("after exit: changed=%v %+v", changed, ps)
	}
}

// A pid first seen under another name that then execs a watched program
// is found on the next scan.
func TestScanSeesExecAfterFork(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "go")
	if err := exec.Command("mkfifo", fifo).Run(); err != nil {
		t.Skip("mkfifo:", err)
	}
	var s Scanner
	s.SetNames([]string{"sleep"})
	cmd := exec.Command("sh", "-c", "read x < "+fifo+"; exec sleep 30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if ps, _ := s.Scan(); find(ps, cmd.Process.Pid) {
		t.Fatal("sh reported as sleep")
	}
	if err := os.WriteFile(fifo, []byte("x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ { // until sh has exec'd
		if b, _ := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/comm"); string(b) == "sleep\n" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if ps, changed := s.Scan(); !changed || !find(ps, cmd.Process.Pid) {
		t.Fatalf("exec not seen on the next scan: %+v", ps)
	}
}

// Clients counts accepted connections only: a listening socket and the
// connecting side do not count.
func TestClients(t *testing.T) {
	self := filepath.Base(os.Args[0])
	var s Scanner
	s.SetNames([]string{self})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	clients := func() int {
		ps, _ := s.Scan()
		i := slices.IndexFunc(ps, func(p platform.Process) bool { return p.PID == os.Getpid() })
		if i < 0 {
			t.Fatalf("own process %q not found: %+v", self, ps)
		}
		return ps[i].Clients
	}
	if n := clients(); n != 0 {
		t.Fatalf("listening only: %d clients", n)
	}
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	a, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	if n := clients(); n != 1 {
		t.Fatalf("one connection: %d clients", n)
	}
	a.Close()
	c.Close()
	if n := clients(); n != 0 {
		t.Fatalf("closed: %d clients", n)
	}
}

// Threads take pids and share their process's name, and /proc/TID is
// readable though not listed: a probed thread is not a process.
func TestThreadsAreNotProcesses(t *testing.T) {
	var s Scanner
	s.SetNames([]string{filepath.Base(os.Args[0])})
	s.Scan()
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{})
	for i := 0; i < 4; i++ {
		go func() {
			runtime.LockOSThread() // a thread of its own, kept until release
			started <- struct{}{}
			<-release
		}()
		<-started
	}
	for i := 0; i < 3; i++ {
		ps, _ := s.Scan()
		if len(ps) != 1 || ps[0].PID != os.Getpid() {
			t.Fatalf("scan %d: %+v, want only this process", i, ps)
		}
	}
}

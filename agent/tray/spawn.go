package tray

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"sync"
	"time"
)

// ErrUnavailable is returned (wrapped, with the reason) when this build or
// session cannot show a tray icon; the guard then runs headless.
var ErrUnavailable = errors.New("tray icon unavailable")

// Unavailable says why no tray icon can be shown here, or "" if one can.
func Unavailable(getenv func(string) string) string {
	if !hostAvailable {
		return hostMissing
	}
	return displayProblem(getenv)
}

// HostOptions says how to start the tray icon process.
type HostOptions struct {
	Exe    string   // default: this executable
	Args   []string // default: [HostCommand]
	Env    []string // nil: inherit
	Stderr io.Writer
	Logger *slog.Logger
	Getenv func(string) string // for the display check; default os.Getenv
	// MaxBackoff caps the wait before restarting a host that died (1s,
	// doubling). Default 30s.
	MaxBackoff time.Duration
}

// ProcUI is a UI shown by a child process (`shareguard tray-host`). It
// restarts the child when it dies: a toolkit crash or a lost display ends
// only the icon, and it comes back by itself.
type ProcUI struct {
	o      HostOptions
	clicks chan Click
	poke   chan struct{}
	done   chan struct{}

	mu   sync.Mutex
	view *View
}

// StartHost starts the tray icon process and keeps it running until ctx
// ends. It fails at once, wrapping ErrUnavailable, when no icon can be
// shown (no display, or a build without the tray).
func StartHost(ctx context.Context, o HostOptions) (*ProcUI, error) {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if why := Unavailable(o.Getenv); why != "" {
		return nil, fmt.Errorf("%w: %s", ErrUnavailable, why)
	}
	if o.Exe == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("tray: find own executable: %w", err)
		}
		o.Exe = exe
	}
	if o.Args == nil {
		o.Args = []string{HostCommand}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	p := &ProcUI{o: o, clicks: make(chan Click, 16), poke: make(chan struct{}, 1), done: make(chan struct{})}
	go p.supervise(ctx)
	return p, nil
}

// Show hands the newest view to the host; it never blocks.
func (p *ProcUI) Show(v View) {
	p.mu.Lock()
	p.view = &v
	p.mu.Unlock()
	select {
	case p.poke <- struct{}{}:
	default:
	}
}

// Clicks delivers the user's menu choices.
func (p *ProcUI) Clicks() <-chan Click { return p.clicks }

// Done is closed when the host has been stopped after ctx ended.
func (p *ProcUI) Done() <-chan struct{} { return p.done }

func (p *ProcUI) supervise(ctx context.Context) {
	defer close(p.done)
	backoff := time.Second
	for {
		start := time.Now()
		err := p.runOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) > time.Minute {
			backoff = time.Second
		}
		if why := displayProblem(p.o.Getenv); why != "" {
			p.o.Logger.Warn("tray icon stopped; will retry when the display is back", "reason", why, "err", err)
		} else {
			p.o.Logger.Warn("tray icon process ended; restarting it (the guard is unaffected)", "err", err, "in", backoff)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, p.o.MaxBackoff)
	}
}

// runOnce runs one host process until it exits or ctx ends.
func (p *ProcUI) runOnce(ctx context.Context) error {
	if why := displayProblem(p.o.Getenv); why != "" {
		return fmt.Errorf("%w: %s", ErrUnavailable, why) // starting GTK now would only exit
	}
	cmd := exec.Command(p.o.Exe, p.o.Args...)
	cmd.SysProcAttr = hostProcAttr()
	cmd.Env = p.o.Env
	cmd.Stderr = p.o.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return fmt.Errorf("tray host: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("tray host: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("tray host: start: %w", err)
	}
	exited := make(chan error, 1)
	go func() {
		p.read(stdout)
		exited <- cmd.Wait()
	}()

	send := func() error {
		p.mu.Lock()
		v := p.view
		p.mu.Unlock()
		if v == nil {
			return nil
		}
		b, err := encodeView(*v)
		if err != nil {
			return err
		}
		_, err = stdin.Write(b)
		return err
	}
	if err := send(); err != nil {
		p.o.Logger.Debug("tray host: write", "err", err)
	}
	for {
		select {
		case err := <-exited:
			stdin.Close()
			return fmt.Errorf("tray host exited: %w", errOrExit(err))
		case <-p.poke:
			if err := send(); err != nil {
				p.o.Logger.Debug("tray host: write", "err", err) // it is exiting; exited tells why
			}
		case <-ctx.Done():
			stdin.Close() // the host quits on end of input
			select {
			case <-exited:
			case <-time.After(3 * time.Second):
				cmd.Process.Kill()
				<-exited
			}
			return ctx.Err()
		}
	}
}

func errOrExit(err error) error {
	if err == nil {
		return errors.New("exit status 0")
	}
	return err
}

// read forwards the host's clicks; other output is a toolkit's chatter.
func (p *ProcUI) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m, ours, err := decodeMsg(sc.Bytes())
		switch {
		case err != nil:
			p.o.Logger.Warn("tray host", "err", err)
		case !ours:
			p.o.Logger.Debug("tray host output", "line", sc.Text())
		case m.Ready:
			p.o.Logger.Info("tray icon shown")
		case m.Click != "":
			select {
			case p.clicks <- m.Click:
			default: // the controller is behind; a lost click is re-clickable
			}
		}
	}
}

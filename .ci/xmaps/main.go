//go:build linux

// Command xmaps records, for .ci/wine-timeline, what the X server does
// while the Windows leak meter runs under Wine: every window the root's
// children are mapped, unmapped, moved or made (Wine's X11 driver makes an
// X window per top-level window), and the colour of one pixel of the
// screen, polled every -every, whenever it changes. One JSON object a
// line, times in Unix ns, until stdin closes.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

type rec struct {
	T    int64  `json:"t"`
	Ev   string `json:"ev"`
	Win  uint32 `json:"win,omitempty"`
	X    int16  `json:"x,omitempty"`
	Y    int16  `json:"y,omitempty"`
	W    uint16 `json:"w,omitempty"`
	H    uint16 `json:"h,omitempty"`
	OR   bool   `json:"or,omitempty"` // override-redirect
	RGB  string `json:"rgb,omitempty"`
	Note string `json:"note,omitempty"`
}

func main() {
	px := flag.Int("x", 360, "pixel to watch, x")
	py := flag.Int("y", 420, "pixel to watch, y")
	every := flag.Duration("every", time.Millisecond, "pixel poll period")
	flag.Parse()
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	emit := func(r rec) {
		mu.Lock()
		defer mu.Unlock()
		b, _ := json.Marshal(r)
		out.Write(append(b, '\n'))
	}
	ev, err := xgb.NewConn()
	if err != nil {
		fmt.Fprintln(os.Stderr, "xmaps:", err)
		os.Exit(1)
	}
	root := xproto.Setup(ev).DefaultScreen(ev).Root
	if err := xproto.ChangeWindowAttributesChecked(ev, root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		fmt.Fprintln(os.Stderr, "xmaps:", err)
		os.Exit(1)
	}
	pix, err := xgb.NewConn()
	if err != nil {
		fmt.Fprintln(os.Stderr, "xmaps:", err)
		os.Exit(1)
	}
	go func() {
		for {
			e, err := ev.WaitForEvent()
			t := time.Now().UnixNano()
			if e == nil && err == nil {
				return
			}
			switch e := e.(type) {
			case xproto.CreateNotifyEvent:
				emit(rec{T: t, Ev: "create", Win: uint32(e.Window), X: e.X, Y: e.Y, W: e.Width, H: e.Height, OR: e.OverrideRedirect})
			case xproto.MapNotifyEvent:
				emit(rec{T: t, Ev: "map", Win: uint32(e.Window), OR: e.OverrideRedirect})
			case xproto.UnmapNotifyEvent:
				emit(rec{T: t, Ev: "unmap", Win: uint32(e.Window)})
			case xproto.ConfigureNotifyEvent:
				emit(rec{T: t, Ev: "configure", Win: uint32(e.Window), X: e.X, Y: e.Y, W: e.Width, H: e.Height, OR: e.OverrideRedirect})
			case xproto.DestroyNotifyEvent:
				emit(rec{T: t, Ev: "destroy", Win: uint32(e.Window)})
			}
		}
	}()
	stop := make(chan struct{})
	go func() { io.Copy(io.Discard, os.Stdin); close(stop) }()
	emit(rec{T: time.Now().UnixNano(), Ev: "start", X: int16(*px), Y: int16(*py)})
	last := ""
	tick := time.NewTicker(*every)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			emit(rec{T: time.Now().UnixNano(), Ev: "stop"})
			mu.Lock()
			out.Flush()
			mu.Unlock()
			return
		case <-tick.C:
		}
		t0 := time.Now().UnixNano()
		img, err := xproto.GetImage(pix, xproto.ImageFormatZPixmap, xproto.Drawable(root),
			int16(*px), int16(*py), 1, 1, 0xffffffff).Reply()
		if err != nil || len(img.Data) < 3 {
			continue
		}
		c := fmt.Sprintf("%02x%02x%02x", img.Data[2], img.Data[1], img.Data[0])
		if c != last {
			// The pixel changed between the request and its reply: the
			// time is the request's, the change at most this much later.
			emit(rec{T: t0, Ev: "pixel", RGB: c, Note: fmt.Sprint(time.Now().UnixNano() - t0)})
			last = c
		}
	}
}

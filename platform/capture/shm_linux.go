//go:build linux

package capture

import (
	"fmt"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/shm"
	"github.com/jezek/xgb/xproto"
	"golang.org/x/sys/unix"
)

// shmBuf is a shared-memory segment the X server copies frames into
// (MIT-SHM): a grab then costs the server's copy and ours instead of 8 MB
// through the socket. The segment is private to this user (0600) and
// marked for removal at once, so it goes with the last detach, at the
// latest when the process ends. Pixels in it are cleared after each use.
type shmBuf struct {
	seg  shm.Seg
	id   int
	data []byte
}

// newShm attaches a segment of size bytes to x, or says why it cannot
// (no MIT-SHM: a remote display; no SysV shm in a sandbox).
func newShm(x *xgb.Conn, size int) (*shmBuf, error) {
	if err := shm.Init(x); err != nil {
		return nil, fmt.Errorf("capture: MIT-SHM: %w", err)
	}
	id, err := unix.SysvShmGet(unix.IPC_PRIVATE, size, unix.IPC_CREAT|0o600)
	if err != nil {
		return nil, fmt.Errorf("capture: shmget: %w", err)
	}
	data, err := unix.SysvShmAttach(id, 0, 0)
	if err != nil {
		unix.SysvShmCtl(id, unix.IPC_RMID, nil)
		return nil, fmt.Errorf("capture: shmat: %w", err)
	}
	b := &shmBuf{id: id, data: data}
	if b.seg, err = shm.NewSegId(x); err == nil {
		err = shm.AttachChecked(x, b.seg, uint32(id), false).Check()
	}
	// Removed now: the segment lives while attached, and no one else can
	// attach it from here on.
	unix.SysvShmCtl(id, unix.IPC_RMID, nil)
	if err != nil {
		unix.SysvShmDetach(data)
		return nil, fmt.Errorf("capture: attach shared memory to the X server: %w", err)
	}
	return b, nil
}

// get reads r of root into the segment and returns its bytes (BGRx).
func (b *shmBuf) get(x *xgb.Conn, root xproto.Window, x0, y0, w, h int) ([]byte, error) {
	if w*h*4 > len(b.data) {
		return nil, fmt.Errorf("capture: %dx%d does not fit the shared segment", w, h)
	}
	if _, err := shm.GetImage(x, xproto.Drawable(root), int16(x0), int16(y0), uint16(w), uint16(h), 0xffffffff,
		xproto.ImageFormatZPixmap, b.seg, 0).Reply(); err != nil {
		return nil, fmt.Errorf("capture: shm GetImage: %w", err)
	}
	return b.data[:w*h*4], nil
}

func (b *shmBuf) close(x *xgb.Conn) {
	clear(b.data)
	if x != nil {
		shm.Detach(x, b.seg)
	}
	unix.SysvShmDetach(b.data)
}

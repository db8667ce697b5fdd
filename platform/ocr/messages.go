//go:build linux && cgo && !noocr

package ocr

/*
#cgo LDFLAGS: -llept
#include <stdlib.h>
extern void leptSetStderrHandler(void (*handler)(const char *));
extern void shareguardLeptMessage(char *msg);
static void shareguard_lept_handler(const char *msg) { shareguardLeptMessage((char *)msg); }
static void shareguard_capture_lept(void) { leptSetStderrHandler(shareguard_lept_handler); }
*/
import "C"

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

// Tesseract prints its own messages ("Image too small to scale!!") with
// tprintf to one process-wide file, and Leptonica its errors through one
// process-wide handler; both default to stderr. The engine sends both to
// the Messages func of the last Open instead, as a known message with its
// numbers, or as a note that one was withheld: neither library is meant to
// print recognised text at the levels used here, but a message it was not
// known to print is never passed on as it came.

// messages is where engine messages go (nil: dropped).
var messages atomic.Pointer[func(string)]

var captureOnce sync.Once

// captureMessages points both libraries' messages at deliver, once per
// process; it returns the debug_file value for Tesseract ("" if the pipe
// could not be made, in which case messages go to /dev/null).
func captureMessages() string {
	captureOnce.Do(func() {
		C.shareguard_capture_lept()
		r, w, err := os.Pipe()
		if err != nil {
			debugFile = os.DevNull
			return
		}
		// The write end stays open for the life of the process: Tesseract
		// opens it by name when it first prints.
		debugFile = fmt.Sprintf("/proc/self/fd/%d", w.Fd())
		keepWriter = w
		go func() {
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				deliver("tesseract", sc.Text())
			}
		}()
	})
	return debugFile
}

var (
	debugFile  string
	keepWriter *os.File
)

//export shareguardLeptMessage
func shareguardLeptMessage(msg *C.char) {
	for _, l := range strings.Split(strings.TrimSpace(C.GoString(msg)), "\n") {
		deliver("leptonica", l)
	}
}

// known are the messages the two libraries print during recognition at
// default verbosity (Tesseract 5.3, Leptonica 1.82): sizes and function
// names, never text.
var known = []string{
	"Image too small to scale",
	"Line cannot be recognized",
	"Empty page",
	"Warning: Invalid resolution",
	"Estimating resolution",
	"Too few characters",
	"Detected ",
	"Error in pix",
	"Warning in pix",
	"Error in box",
	"Error in numa",
}

func deliver(from, line string) {
	line = strings.TrimSpace(line)
	f := messages.Load()
	if f == nil || line == "" {
		return
	}
	(*f)(safeMessage(from, line))
}

// safeMessage is line if it is a known message, else a note naming only
// its source and length.
func safeMessage(from, line string) string {
	for _, k := range known {
		if strings.HasPrefix(line, k) && len(line) < 160 {
			return from + ": " + line
		}
	}
	return fmt.Sprintf("%s: a message of %d bytes (withheld: not a known one)", from, len(line))
}

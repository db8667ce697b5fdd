package config

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in one config file. It prints as
// "path:line:col: message" (or "path: message" when the problem is about
// the file as a whole), the form editors and `shareguard config check`
// users expect.
type Error struct {
	Path string
	Line int // 1-based; 0 when the error is about the whole file
	Col  int // 1-based byte column; 0 when unknown
	Msg  string
	Err  error // underlying cause (e.g. fs.ErrPermission), if any
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	default:
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
}

// ErrorList is every problem found in a file, ordered by position. It is
// returned as an error only when non-empty.
type ErrorList []*Error

func (l ErrorList) Error() string {
	s := make([]string, len(l))
	for i, e := range l {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap lets errors.As find the individual errors.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Col < l[j].Col
	})
}

// err returns the list as an error, or nil when it is empty (avoiding the
// typed-nil-interface trap).
func (l ErrorList) err() error {
	if len(l) == 0 {
		return nil
	}
	l.sort()
	return l
}

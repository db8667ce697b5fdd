package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/platform/osenv"
)

// DefaultPath is the name used for the embedded default in messages.
const DefaultPath = "default.toml (embedded)"

// DefaultUserPath is the user's config file:
// os.UserConfigDir()/shareguard/config.toml.
func DefaultUserPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("user config directory: %w", err)
	}
	return filepath.Join(dir, "shareguard", "config.toml"), nil
}

// Default parses the embedded default config.
func Default() (*File, error) {
	f, err := Parse(DefaultPath, assets.DefaultConfig, LayerDefault)
	if err != nil {
		return nil, fmt.Errorf("embedded default config: %w", err)
	}
	return f, nil
}

// Load reads the machine policy and the user file (either path may be ""
// or name a missing file: that layer is then absent) and merges them over
// the embedded default. Any problem in either file fails the whole load
// with an error listing every problem; a caller that wants to run without
// a broken user file can call Load("", policyPath).
func Load(userPath, policyPath string) (*Config, error) {
	def, err := Default()
	if err != nil {
		return nil, err
	}
	pol, polErr := LoadFile(policyPath, LayerPolicy)
	usr, usrErr := LoadFile(userPath, LayerUser)
	if err := joinErrors(polErr, usrErr); err != nil {
		return nil, err
	}
	c, _ := Merge(def, pol, usr)
	return c, nil
}

// joinErrors keeps a single ErrorList as is (so errors.As finds it and the
// message stays one problem per line).
func joinErrors(a, b error) error {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	var la, lb ErrorList
	if errors.As(a, &la) && errors.As(b, &lb) {
		return append(append(ErrorList{}, la...), lb...)
	}
	return errors.Join(a, b)
}

// policyTrust is osenv.CheckPolicyTrust; it is a variable only so that tests about
// layering can run as a user who cannot own a policy file (any non-root
// user; every non-elevated Windows process). The trust tests use the real
// check.
var policyTrust = osenv.CheckPolicyTrust

// LoadFile reads and parses one layer. A missing file (or an empty path)
// gives (nil, nil).
func LoadFile(path string, layer Layer) (*File, error) {
	if path == "" {
		return nil, nil
	}
	data, err := readFile(path)
	if err != nil || data == nil {
		return nil, err
	}
	if layer == LayerPolicy {
		if err := policyTrust(path); err != nil {
			return nil, ErrorList{{Path: path, Msg: err.Error(), Err: err}}
		}
	}
	return Parse(path, data, layer)
}

// readFile returns the file's contents, or nil if it does not exist.
func readFile(path string) ([]byte, error) {
	fail := func(msg string, err error) error {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in front
		}
		if err != nil {
			msg += ": " + err.Error()
		}
		return ErrorList{{Path: path, Msg: msg, Err: err}}
	}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		if li, lerr := os.Lstat(path); lerr == nil && li.Mode()&fs.ModeSymlink != 0 {
			return nil, fail("symbolic link points to a missing file", nil)
		}
		return nil, nil
	}
	if err != nil {
		return nil, fail("cannot read file", err)
	}
	switch {
	case fi.IsDir():
		return nil, fail("is a directory, not a file", nil)
	case !fi.Mode().IsRegular():
		// A FIFO or device could block or never end.
		return nil, fail("not a regular file", nil)
	case fi.Size() > MaxFileSize:
		return nil, fail(fmt.Sprintf("file is larger than %d bytes", MaxFileSize), nil)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fail("cannot read file", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fail("cannot read file", err)
	}
	if len(data) > MaxFileSize { // grew after the stat
		return nil, fail(fmt.Sprintf("file is larger than %d bytes", MaxFileSize), nil)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

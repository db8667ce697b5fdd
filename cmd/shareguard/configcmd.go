package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/shareguard/shareguard/agent/config"
	"github.com/shareguard/shareguard/assets"
	"github.com/shareguard/shareguard/platform/osenv"
)

func cmdConfig(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "shareguard config: say check, show or default")
		return exitError
	}
	switch args[0] {
	case "check":
		return configCheck(args[1:], stdin, stdout, stderr)
	case "show":
		fs := flag.NewFlagSet("config show", flag.ContinueOnError)
		fs.SetOutput(stderr)
		paths := addPathFlags(fs)
		if err := fs.Parse(args[1:]); err != nil {
			return exitError
		}
		cfg, err := paths.load()
		if err != nil {
			fmt.Fprintf(stderr, "shareguard config show: %v\n", err)
			return exitError
		}
		out, err := cfg.TOML()
		if err != nil {
			fmt.Fprintf(stderr, "shareguard config show: %v\n", err)
			return exitError
		}
		for _, src := range cfg.Sources {
			fmt.Fprintf(stdout, "# from %s\n", src)
		}
		for _, n := range cfg.Notes {
			fmt.Fprintf(stdout, "# note: %s\n", n)
		}
		stdout.Write(out)
		return exitOK
	case "default":
		stdout.Write(assets.DefaultConfig)
		return exitOK
	}
	fmt.Fprintf(stderr, "shareguard config: unknown subcommand %q (check, show, default)\n", args[0])
	return exitError
}

func configCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("config check", flag.ContinueOnError)
	flags.SetOutput(stderr)
	asPolicy := flags.Bool("policy", false, "check PATH as a machine policy: policy-only keys are allowed (its owner and permissions are checked only where it is deployed)")
	if err := flags.Parse(args); err != nil {
		return exitError
	}
	args = flags.Args()
	if len(args) > 1 {
		fmt.Fprintln(stderr, "shareguard config check: at most one PATH (or -)")
		return exitError
	}
	layer := config.LayerUser
	if *asPolicy {
		layer = config.LayerPolicy
	}
	if len(args) == 1 && (args[0] == "-" || *asPolicy) {
		name, in := "<stdin>", stdin
		if args[0] != "-" {
			f, err := os.Open(args[0])
			if err != nil {
				fmt.Fprintln(stderr, err)
				return exitError
			}
			defer f.Close()
			name, in = args[0], f
		}
		data, err := io.ReadAll(io.LimitReader(in, config.MaxFileSize+1))
		if err == nil && len(data) > config.MaxFileSize {
			err = fmt.Errorf("%s: larger than %d bytes", name, config.MaxFileSize)
		}
		if err == nil {
			_, err = config.Parse(name, data, layer)
		}
		if err != nil {
			fmt.Fprintln(stderr, err)
			return exitError
		}
		fmt.Fprintln(stdout, name+": ok")
		return exitOK
	}
	path, explicit := "", len(args) == 1
	if explicit {
		path = args[0]
	} else {
		p, err := config.DefaultUserPath()
		if err != nil {
			fmt.Fprintf(stderr, "shareguard config check: %v\n", err)
			return exitError
		}
		path = p
	}
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		if explicit {
			fmt.Fprintf(stderr, "%s: no such file\n", path)
			return exitError
		}
		fmt.Fprintf(stdout, "%s: no user config; the embedded default applies\n", path)
		return exitOK
	}
	if _, err := config.LoadFile(path, config.LayerUser); err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: ok\n", path)
	return exitOK
}

// pathFlags are the --config/--policy flags shared by run, check and show.
type pathFlags struct {
	user, policy *string
}

func addPathFlags(fs *flag.FlagSet) pathFlags {
	return pathFlags{
		user:   fs.String("config", "", "user config file (default: the user config dir)"),
		policy: fs.String("policy", "", "machine policy file (default: the system location)"),
	}
}

func (p pathFlags) paths() (user, policy string, err error) {
	user, policy = *p.user, *p.policy
	if user == "" {
		if user, err = config.DefaultUserPath(); err != nil {
			return "", "", err
		}
	}
	if policy == "" {
		policy = osenv.PolicyPath()
	}
	return user, policy, nil
}

func (p pathFlags) load() (*config.Config, error) {
	user, policy, err := p.paths()
	if err != nil {
		return nil, err
	}
	return config.Load(user, policy)
}

package faultapp

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/coalmine/coalmine/faults"
)

// config is what Run is told by flags and environment (flags win).
type config struct {
	listen          string
	version         string
	faultsArg       string // --faults FILE or "-"
	faultsEnv       string // FAULTS: the fault model inline
	faultsFileEnv   string // FAULTS_FILE
	adminListen     string
	adminToken      string
	seed            uint64
	seedSet         bool
	shutdownTimeout time.Duration
}

// parseConfig reads flags, falling back to the environment of a Pod spec:
// LISTEN, VERSION, FAULTS, FAULTS_FILE, ADMIN_LISTEN, ADMIN_TOKEN, SEED.
func parseConfig(args []string, getenv func(string) string, usage io.Writer) (*config, error) {
	c := &config{faultsEnv: getenv("FAULTS"), faultsFileEnv: getenv("FAULTS_FILE")}
	var seed string
	fs := flag.NewFlagSet("faultapp", flag.ContinueOnError)
	fs.SetOutput(usage)
	fs.StringVar(&c.listen, "listen", envOr(getenv, "LISTEN", ":8080"), "API listen address (env LISTEN)")
	fs.StringVar(&c.version, "version", envOr(getenv, "VERSION", "dev"), "app version: X-Coalmine-Version header and metric label (env VERSION)")
	fs.StringVar(&c.faultsArg, "faults", "", "fault model file (YAML or JSON), - for stdin (env FAULTS inline, or FAULTS_FILE)")
	fs.StringVar(&c.adminListen, "admin-listen", envOr(getenv, "ADMIN_LISTEN", ":8081"), "admin API listen address, used only with a token (env ADMIN_LISTEN)")
	fs.StringVar(&c.adminToken, "admin-token", getenv("ADMIN_TOKEN"), "admin API bearer token; empty turns the admin API off (env ADMIN_TOKEN)")
	fs.StringVar(&seed, "seed", getenv("SEED"), "seed of the fault decisions, an unsigned integer; default random, logged (env SEED)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "graceful shutdown limit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if seed != "" {
		v, err := strconv.ParseUint(seed, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("seed %q: want an unsigned integer", seed)
		}
		c.seed, c.seedSet = v, true
	}
	return c, nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// loadFaults reads and decodes the fault model from --faults, FAULTS or
// FAULTS_FILE (none: no faults). Problems name the source and line.
func (c *config) loadFaults(stdin io.Reader) (*faults.Faults, error) {
	name, data, err := c.faultsSource(stdin)
	if err != nil || name == "" {
		return &faults.Faults{}, err
	}
	f, err := faults.Decode(data)
	var fe *faults.Error
	if errors.As(err, &fe) {
		fe.File = name
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// faultsSource returns the name and content of the fault model source.
func (c *config) faultsSource(stdin io.Reader) (string, []byte, error) {
	var name string
	var data []byte
	var err error
	switch {
	case c.faultsArg == "-":
		name = "<stdin>"
		data, err = io.ReadAll(stdin)
	case c.faultsArg != "":
		name = c.faultsArg
		data, err = os.ReadFile(c.faultsArg)
	case c.faultsEnv != "" && c.faultsFileEnv != "":
		return "", nil, errors.New("set FAULTS or FAULTS_FILE, not both")
	case c.faultsEnv != "":
		return "$FAULTS", []byte(c.faultsEnv), nil
	case c.faultsFileEnv != "":
		name = c.faultsFileEnv
		data, err = os.ReadFile(c.faultsFileEnv)
	}
	if err != nil {
		return "", nil, fmt.Errorf("read faults: %w", err)
	}
	return name, data, nil
}

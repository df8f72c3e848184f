package loadgen

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Attack defaults.
const (
	DefaultMaxWorkers = 256
	DefaultTimeout    = 5 * time.Second
	DefaultMaxLag     = time.Second
	initialWorkers    = 10
)

// AttackConfig describes one bounded attack.
type AttackConfig struct {
	// Target is the base URL (scheme://host:port) requests go to. Only
	// loopback hosts are accepted unless AllowRemote is set.
	Target      string
	AllowRemote bool
	// Pacer sets the request rate over time.
	Pacer Pacer
	// Mix is the endpoint mix; nil means DefaultMix().
	Mix Mix
	// Users is the user population; zero means DefaultPopulation().
	Users Population
	// Seed makes the sequence of endpoints and users reproducible.
	Seed int64
	// Duration bounds the attack in time (> 0): no request is sent at or
	// after it.
	Duration time.Duration
	// MaxRequests bounds the attack in requests; 0 means what the pacer
	// schedules over Duration, rounded up.
	MaxRequests uint64
	// MaxWorkers bounds vegeta's concurrent workers (and connections);
	// 0 means DefaultMaxWorkers.
	MaxWorkers uint64
	// Timeout is the per-request timeout; 0 means DefaultTimeout.
	Timeout time.Duration
	// ConnectionPerRequest opens a new connection for every request instead
	// of reusing keep-alive connections. kube-proxy balances connections,
	// not requests: with a few long-lived connections a Kubernetes Service
	// sends the canary a share set by luck, not by its replica ratio. Many
	// independent clients, as in production, spread by request; this
	// reproduces that.
	ConnectionPerRequest bool
	// MaxLag: hits the attacker could not send within MaxLag of their due
	// time (all workers busy, CPU saturated) are skipped and counted rather
	// than sent in a burst later. 0 means DefaultMaxLag; < 0 never skips
	// (vegeta's catch-up behaviour).
	MaxLag time.Duration
}

// Validate reports every problem of the configuration (after defaults).
func (c AttackConfig) Validate() error {
	_, err := c.withDefaults()
	return err
}

// withDefaults returns c with zero fields defaulted and the target
// normalised, or every problem found.
func (c AttackConfig) withDefaults() (AttackConfig, error) {
	var errs []error
	target, err := ValidateTarget(c.Target, c.AllowRemote)
	if err != nil {
		errs = append(errs, err)
	}
	c.Target = target
	if c.Mix == nil {
		c.Mix = DefaultMix()
	}
	if c.Users == (Population{}) {
		c.Users = DefaultPopulation()
	}
	c.MaxWorkers = cmpOr(c.MaxWorkers, DefaultMaxWorkers)
	c.Timeout = cmpOr(c.Timeout, DefaultTimeout)
	c.MaxLag = cmpOr(c.MaxLag, DefaultMaxLag)
	if c.Duration <= 0 {
		errs = append(errs, fmt.Errorf("attack: duration must be > 0, got %s", c.Duration))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("attack: timeout must be > 0, got %s", c.Timeout))
	}
	if c.Pacer == nil {
		errs = append(errs, errors.New("attack: no pacer"))
	} else if err := c.Pacer.Validate(); err != nil {
		errs = append(errs, err)
	} else if c.MaxRequests == 0 && c.Duration > 0 {
		c.MaxRequests = uint64(math.Ceil(c.Pacer.Hits(c.Duration)))
	}
	errs = append(errs, c.Mix.Validate(), c.Users.Validate())
	return c, errors.Join(errs...)
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

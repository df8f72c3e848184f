package scenarios

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// D returns d as a Duration (handy in Go-built scenarios and tests).
func D(d time.Duration) Duration { return Duration{d} }

// ParseDuration parses a Go duration string; a bare "0" is accepted.
func ParseDuration(s string) (Duration, error) {
	if s == "0" {
		return Duration{}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return Duration{}, fmt.Errorf("invalid duration %q (want e.g. 90s, 10m, 1h30m)", s)
	}
	return Duration{d}, nil
}

// UnmarshalYAML decodes a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return fmt.Errorf("want a duration such as 90s or 10m")
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON encodes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON decodes a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string: %w", err)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// String formats the duration the way time.Duration does, without
// trailing zero units ("10m" rather than "10m0s").
func (d Duration) String() string { return shortDuration(d.Duration) }

func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Clock returns a ClockTime for hour:minute.
func Clock(hour, minute int) ClockTime {
	return ClockTime{time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute}
}

// ParseClockTime parses "HH:MM" (00:00 to 23:59) or a number of hours in
// [0, 24), e.g. "13.5".
func ParseClockTime(s string) (ClockTime, error) {
	if h, m, ok := strings.Cut(s, ":"); ok {
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
			return ClockTime{}, fmt.Errorf("invalid time of day %q (want HH:MM, 00:00 to 23:59)", s)
		}
		return Clock(hh, mm), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f >= 24 {
		return ClockTime{}, fmt.Errorf("invalid time of day %q (want HH:MM or hours in [0,24))", s)
	}
	return ClockTime{time.Duration(f * float64(time.Hour))}, nil
}

// UnmarshalYAML decodes "HH:MM" or a number of hours.
func (c *ClockTime) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return fmt.Errorf("want a time of day such as \"12:00\"")
	}
	v, err := ParseClockTime(n.Value)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// MarshalJSON encodes the time as "HH:MM" (seconds are dropped).
func (c ClockTime) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// UnmarshalJSON decodes "HH:MM" or a number of hours.
func (c *ClockTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var f float64
		if err2 := json.Unmarshal(b, &f); err2 != nil {
			return fmt.Errorf("want a time of day: %w", err)
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	v, err := ParseClockTime(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// String formats the time as "HH:MM".
func (c ClockTime) String() string {
	m := int(c.Duration / time.Minute)
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// Hours returns the time of day in hours, e.g. 13.5 for 13:30.
func (c ClockTime) Hours() float64 { return c.Duration.Hours() }

package faultapp

import (
	"testing"
)

func TestServerFaultsIsACopy(t *testing.T) {
	ts := newTestServer(t, `errors: {rate: 0.5}`)
	ts.Faults().Errors.Rate = 1
	if ts.Faults().Errors.Rate != 0.5 {
		t.Fatal("modifying Faults() changed the live faults")
	}
}

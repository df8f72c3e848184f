package run

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"k8s.io/apimachinery/pkg/util/wait"
)

// entryReadyStreak is how many /healthz answers in a row, each on a new
// connection, make a traffic entry ready. A Rollout can be Healthy before
// kube-proxy has programmed its NodePort; traffic started then fails with
// connection resets that are no version's fault.
const entryReadyStreak = 10

// entryProbeEvery paces the probes (tests shorten it).
var entryProbeEvery = 100 * time.Millisecond

// waitEntry probes target's /healthz until it answers 200 entryReadyStreak
// times in a row or timeout passes.
func waitEntry(ctx context.Context, target string, timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	defer client.CloseIdleConnections()
	streak, last := 0, error(nil)
	err := wait.PollUntilContextTimeout(ctx, entryProbeEvery, timeout, true, func(ctx context.Context) (bool, error) {
		switch err := probeOnce(ctx, client, target+"/healthz"); {
		case err == nil:
			streak++
		case ctx.Err() == nil: // a probe cut short by the deadline says nothing
			streak, last = 0, err
		}
		return streak >= entryReadyStreak, nil
	})
	if err == nil {
		return nil
	}
	if last == nil {
		last = fmt.Errorf("only %d answers in a row", streak)
	}
	return fmt.Errorf("traffic entry %s not answering /healthz %d times in a row within %s: %w",
		target, entryReadyStreak, timeout, last)
}

func probeOnce(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/coalmine/coalmine/loadgen"
	"github.com/coalmine/coalmine/scenarios"
)

// readRecords reads a strategy's per-request records.
func readRecords(path string) []loadgen.Record {
	GinkgoHelper()
	f, err := os.Open(path)
	Expect(err).NotTo(HaveOccurred())
	defer f.Close()
	var out []loadgen.Record
	Expect(loadgen.ReadRecords(f, func(r *loadgen.Record) error { out = append(out, *r); return nil })).To(Succeed())
	return out
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// pacerOf is the scenario traffic's pacer, as the engine builds it for the
// diurnal and constant profiles (elapsed 0 = the scenario's start hour).
func pacerOf(t scenarios.Traffic) loadgen.Pacer {
	GinkgoHelper()
	Expect(t.Profile).To(BeElementOf(scenarios.ProfileDiurnal, scenarios.ProfileConstant))
	spec := loadgen.ProfileSpec{Profile: string(t.Profile), RPS: t.RPS, TroughRPS: t.TroughRPS, PeakRPS: t.PeakRPS,
		Day: t.DayLength.Duration, StartHour: t.StartHour.Hours(), Hourly: t.Hourly}
	if t.PeakHour != nil {
		spec.PeakHour = t.PeakHour.Hours()
	}
	p, err := spec.Pacer()
	Expect(err).NotTo(HaveOccurred())
	return p
}

// promSum evaluates an instant PromQL query at time at on the Prometheus
// the cluster publishes on 127.0.0.1 and sums the vector.
func promSum(ctx context.Context, query string, at time.Time) (float64, error) {
	u := fmt.Sprintf("%s/api/v1/query?%s", suite.ports.PrometheusURL(), url.Values{
		"query": {query}, "time": {strconv.FormatFloat(float64(at.UnixMilli())/1000, 'f', 3, 64)},
	}.Encode())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, fmt.Errorf("prometheus %s: %w", resp.Status, err)
	}
	if body.Status != "success" {
		return 0, fmt.Errorf("prometheus: %s", body.Error)
	}
	var sum float64
	for _, s := range body.Data.Result {
		str, _ := s.Value[1].(string)
		v, err := strconv.ParseFloat(str, 64)
		if err != nil {
			return 0, fmt.Errorf("prometheus sample %q: %w", str, err)
		}
		sum += v
	}
	return sum, nil
}

// listeners returns the local TCP ports this process and its descendants
// listen on: port-forwards or servers a run would leave behind.
func listeners() []int {
	GinkgoHelper()
	inodes := map[string]bool{}
	for _, pid := range family() {
		fds, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
		for _, fd := range fds {
			if l, err := os.Readlink(fd); err == nil && strings.HasPrefix(l, "socket:[") {
				inodes[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
			}
		}
	}
	var ports []int
	for _, table := range []string{"/proc/self/net/tcp", "/proc/self/net/tcp6"} {
		f, err := os.Open(table)
		Expect(err).NotTo(HaveOccurred())
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
			fs := strings.Fields(sc.Text())
			if len(fs) < 10 || fs[3] != "0A" || !inodes[fs[9]] { // 0A: LISTEN
				continue
			}
			_, hexPort, _ := strings.Cut(fs[1], ":")
			if p, err := strconv.ParseInt(hexPort, 16, 32); err == nil {
				ports = append(ports, int(p))
			}
		}
		f.Close()
	}
	slices.Sort(ports)
	return slices.Compact(ports)
}

// family is this process and its descendants.
func family() []int {
	children := map[int][]int{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at the last ')'.
		i := strings.LastIndexByte(string(b), ')')
		if i < 0 {
			continue
		}
		fs := strings.Fields(string(b[i+1:]))
		pid, err1 := strconv.Atoi(filepath.Base(filepath.Dir(st)))
		if len(fs) < 2 || err1 != nil {
			continue
		}
		if ppid, err := strconv.Atoi(fs[1]); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	out := []int{os.Getpid()}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

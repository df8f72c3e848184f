package htmlreport

import (
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/coalmine/coalmine/reports/internal/fixture"
)

// chromiumBinary finds a Chromium-family browser, "" when there is none.
func chromiumBinary() string {
	if p := os.Getenv("COALMINE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactsDir is where the browser test leaves its screenshots:
// $COALMINE_ARTIFACTS, else the repository's _artifacts/reports (ignored
// by git).
func artifactsDir(t *testing.T) string {
	dir := os.Getenv("COALMINE_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "_artifacts")
	}
	dir, err := filepath.Abs(filepath.Join(dir, "reports"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// chromium runs one headless Chromium on a file:// URL with the network
// features off and returns stdout and the console lines of stderr.
func chromium(t *testing.T, bin, page string, dark bool, extra ...string) (string, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--v=0",
	}
	if dark {
		args = append(args, "--force-dark-mode", "--blink-settings=preferredColorScheme=0")
	}
	args = append(append(args, extra...), "file://"+page)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", extra, err, tail(stderr.String(), 3000))
	}
	var console []string
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, ":CONSOLE") || strings.Contains(line, "Uncaught") {
			console = append(console, line)
		}
	}
	return stdout.String(), console
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// probeScript measures every chart after layout and writes the result
// into the DOM for --dump-dom. It runs only in the test's copy.
const probeScript = `<script>
(function () {
  var charts = [];
  document.querySelectorAll("svg.chart").forEach(function (s) {
    var r = s.getBoundingClientRect(), b = s.getBBox();
    charts.push({label: s.getAttribute("aria-label"), w: r.width, h: r.height, bw: b.width, bh: b.height,
      lines: s.querySelectorAll("path.line").length});
  });
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify({charts: charts, height: document.documentElement.scrollHeight,
    background: getComputedStyle(document.body).backgroundColor});
  document.body.appendChild(pre);
})();
</script>`

type probe struct {
	Charts []struct {
		Label        string
		W, H, BW, BH float64
		Lines        int
	}
	Height     int
	Background string
}

// TestReportInChromium opens report.html from disk in headless Chromium,
// in light and dark mode: every chart must lay out with a visible size,
// the console must stay silent, and screenshots are kept as artifacts.
func TestReportInChromium(t *testing.T) {
	bin := chromiumBinary()
	if bin == "" {
		t.Skip("no Chromium found (chromium, chromium-browser, google-chrome or $COALMINE_CHROMIUM): skipping the real-browser check")
	}
	if testing.Short() {
		t.Skip("-short: skipping the real-browser check")
	}
	runs, out := render(t, fixture.Cases[2]) // the broken run: every outcome plus a failed strategy
	dir := artifactsDir(t)
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, out, 0o644); err != nil {
		t.Fatal(err)
	}
	probed := filepath.Join(t.TempDir(), "probed.html")
	withProbe := strings.Replace(string(out), "</body>", probeScript+"</body>", 1)
	if err := os.WriteFile(probed, []byte(withProbe), 0o644); err != nil {
		t.Fatal(err)
	}
	wantCharts := 1
	for _, s := range runs[0].Strategies {
		wantCharts += 1 + len(s.Releases)
	}
	backgrounds := map[bool]string{}
	for _, dark := range []bool{false, true} {
		mode := map[bool]string{false: "light", true: "dark"}[dark]
		dom, console := chromium(t, bin, probed, dark, "--dump-dom")
		if len(console) > 0 {
			t.Errorf("%s: console output:\n%s", mode, strings.Join(console, "\n"))
		}
		p := readProbe(t, dom)
		if len(p.Charts) != wantCharts {
			t.Errorf("%s: browser laid out %d charts, want %d", mode, len(p.Charts), wantCharts)
		}
		for _, c := range p.Charts {
			if c.W < 300 || c.H < 100 || c.BW < 100 || c.BH < 50 || c.Lines == 0 && !strings.HasPrefix(c.Label, "Cost") {
				t.Errorf("%s: chart %q did not render: %+v", mode, c.Label, c)
			}
		}
		backgrounds[dark] = p.Background
		shot := filepath.Join(dir, "report-"+mode+".png")
		// The whole page in light mode; the top of it in dark mode (a tall
		// screenshot is the slowest part of the test).
		height := min(max(p.Height, 800), 16000)
		if dark {
			height = min(height, 2400)
		}
		_, console = chromium(t, bin, page, dark, "--window-size=1280,"+strconv.Itoa(height), "--screenshot="+shot)
		if len(console) > 0 {
			t.Errorf("%s: console output:\n%s", mode, strings.Join(console, "\n"))
		}
		checkScreenshot(t, shot)
		t.Logf("%s screenshot: %s", mode, shot)
	}
	if backgrounds[false] == backgrounds[true] {
		t.Errorf("light and dark mode share the background %s: prefers-color-scheme is not honoured", backgrounds[false])
	}
	t.Logf("report: %s", page)
}

func readProbe(t *testing.T, dom string) probe {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	n := byID(doc, "probe")
	if n == nil {
		t.Fatalf("the probe did not run; DOM:\n%s", tail(dom, 2000))
	}
	var p probe
	if err := json.Unmarshal([]byte(text(n)), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkScreenshot fails on a missing or blank (single-colour) PNG.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	colours := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y && len(colours) < 64; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 5 {
			colours[rgba(img, x, y)] = true
		}
	}
	if len(colours) < 64 {
		t.Errorf("screenshot %s looks blank (%d colours)", path, len(colours))
	}
}

func rgba(img image.Image, x, y int) [4]uint32 {
	r, g, b, a := img.At(x, y).RGBA()
	return [4]uint32{r, g, b, a}
}

//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/coalmine/coalmine/cmd/coalmine/app"
	"github.com/coalmine/coalmine/harness/addons"
	"github.com/coalmine/coalmine/harness/cluster"
	"github.com/coalmine/coalmine/harness/doctor"
	"github.com/coalmine/coalmine/harness/images"
	"github.com/coalmine/coalmine/scenarios"
)

// suite is what every spec shares: the cluster the suite brought up (or
// reused) and where artifacts go.
var suite struct {
	// artifacts is $ARTIFACTS (default <repo>/_artifacts), absolute.
	artifacts string
	// images is the image source every command is run with.
	images images.Source
	// clusterName is the kind cluster.
	clusterName string
	clients     *addons.Clients
	ports       cluster.Ports
	// runIDFlag says whether `coalmine run` accepts --run-id.
	runIDFlag bool
}

func TestE2E(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "coalmine e2e")
}

var _ = BeforeSuite(func(ctx SpecContext) {
	dir := os.Getenv("ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "_artifacts") // go test runs in e2e/
	}
	var err error
	suite.artifacts, err = filepath.Abs(dir)
	Expect(err).NotTo(HaveOccurred())
	Expect(os.MkdirAll(suite.artifacts, 0o755)).To(Succeed())
	suite.clusterName = cluster.DefaultName

	suite.images = images.Source(os.Getenv("COALMINE_IMAGES"))
	if suite.images == "" { // the CLI's own choice, made once for the whole suite
		c := cluster.ChooseImages(ctx, doctor.Docker{})
		suite.images = c.Source
		fmt.Fprintf(GinkgoWriter, "images: %s (%s); set COALMINE_IMAGES to choose\n", c.Source, c.Reason)
	}

	// The library's scenarios scrape at the default interval: bring
	// Prometheus up with it, so that runs find it as they want it.
	up := []string{"cluster", "up", "--images", string(suite.images), "--scrape-interval", scenarios.DefaultScrapeInterval.String()}
	By("bringing the cluster up: coalmine " + strings.Join(up, " "))
	log := filepath.Join(suite.artifacts, "cluster-up.log")
	Expect(runCLI(ctx, log, up...)).To(Succeed(), "see %s", log)

	k, err := cluster.NewKind(cluster.KindOptions{Name: suite.clusterName})
	Expect(err).NotTo(HaveOccurred())
	cfg, err := k.RESTConfig(ctx)
	Expect(err).NotTo(HaveOccurred())
	suite.clients, err = addons.NewClients(cfg)
	Expect(err).NotTo(HaveOccurred())
	st, err := k.Status(ctx)
	Expect(err).NotTo(HaveOccurred())
	Expect(st.Healthy()).To(BeTrue(), "cluster status after up: %+v", st)
	if st.Ports != nil {
		suite.ports = *st.Ports
	}

	var help bytes.Buffer
	Expect(app.Run(ctx, []string{"run", "--help"}, app.Streams{Out: &help, Err: &help})).To(Succeed())
	suite.runIDFlag = strings.Contains(help.String(), "--run-id")
	if !suite.runIDFlag {
		fmt.Fprintln(GinkgoWriter, "coalmine run has no --run-id: run ids are read from the namespaces a run creates")
	}
}, NodeTimeout(20*time.Minute))

// runCLI runs the coalmine command line in-process, copying its output to
// GinkgoWriter and to the file logPath.
func runCLI(ctx context.Context, logPath string, args ...string) error {
	f, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer f.Close()
	w := io.MultiWriter(f, GinkgoWriter)
	fmt.Fprintf(w, "$ coalmine %s\n", strings.Join(args, " "))
	return app.Run(ctx, args, app.Streams{In: strings.NewReader(""), Out: w, Err: w})
}

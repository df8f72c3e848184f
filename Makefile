# coalmine — see README.md. `make test` is fast; cluster work is behind
# `make e2e` / `make e2e-smoke`.
SHELL := /bin/bash
GO ?= go
export GONOSUMDB ?= k8s.io,sigs.k8s.io,github.com/argoproj
BIN := bin
COALMINE := $(BIN)/coalmine
FAULTAPP_IMAGE ?= coalmine/faultapp:dev

.PHONY: all build run test test-cluster lint image images host host-run fix doctor e2e e2e-smoke fidelity bench clean
E2E_TIMEOUT ?= 80m
ARTIFACTS ?= $(CURDIR)/_artifacts

all: build

# Static binaries. GOGC=400: the compilers spend less time collecting
# garbage (see harness/images/gobuild.go).
build:
	GOGC=$${GOGC:-400} CGO_ENABLED=0 $(GO) build -o $(BIN)/ ./cmd/...

# Unit and integration tests (the integration tests use Docker, the report
# test Chromium: `make host` installs what is missing).
test: host
	$(GO) test -count=1 ./...

lint:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	@$(GO) mod tidy -diff >/dev/null || { $(GO) mod tidy -diff; echo "go.mod: run go mod tidy"; exit 1; }

# Host prerequisites (internal/hostdeps/tools.txt): `host` for make test and
# make run, `host-run` for make run only. Each install is announced.
host:
	@hack/host-setup.sh test
host-run:
	@hack/host-setup.sh run

# What kind nodes need from this host's Docker (the runtime wrapper where
# privileged containers fail, inotify limits): doctor --fix says each change.
fix: host-run build
	$(COALMINE) doctor --fix

FAULTAPP_CTX := _build/faultapp-image
image: host-run
	rm -rf $(FAULTAPP_CTX) && mkdir -p $(FAULTAPP_CTX)
	CGO_ENABLED=0 GOOS=linux $(GO) build -trimpath -ldflags '-s -w' -o $(FAULTAPP_CTX)/faultapp ./cmd/faultapp
	cp faultapp/Dockerfile $(FAULTAPP_CTX)/Dockerfile
	docker build -t $(FAULTAPP_IMAGE) $(FAULTAPP_CTX)

# Every image a cluster needs, built on this machine (cached by input hash).
# With COALMINE_IMAGES=upstream (a registry answers) only faultapp is built.
images: host-run build
	$(COALMINE) images build $(if $(filter upstream,$(COALMINE_IMAGES)),--only faultapp)

# The main job: run a library scenario on a local kind cluster and score it
# (results, records and reports under _out/).
SCENARIO ?= bad-release-5xx
STRATEGIES ?= classic-steps,rolling
run: fix images
	$(COALMINE) run $(SCENARIO) $(if $(STRATEGIES),--strategy $(STRATEGIES))

doctor: build
	$(COALMINE) doctor

# Cluster integration test: a real kind cluster with Argo Rollouts and
# Prometheus (local images).
test-cluster: images
	$(GO) test -count=1 -tags integration -timeout 40m ./harness/cluster/...

# End-to-end suite on kind (Ginkgo). e2e-smoke runs the `smoke` label only.
e2e: images
	$(GO) test -v -count=1 -tags e2e -timeout $(E2E_TIMEOUT) ./e2e/... -ginkgo.v \
		-ginkgo.junit-report=$(ARTIFACTS)/e2e-junit.xml $(E2E_FLAGS)

e2e-smoke: E2E_FLAGS += -ginkgo.label-filter=smoke
e2e-smoke: e2e

# The simulator against the kind runs in sim/testdata/kind (minutes; each
# kind outcome must be one the simulator gives, each kind time to detect
# within its 5th-95th percentiles). Not yet part of make test: see
# sim/testdata/kind/README.md.
fidelity:
	COALMINE_FIDELITY=1 $(GO) test -count=1 -run TestFidelityAgainstKind -v ./sim/

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./loadgen/... ./faultapp/... ./reports/... ./sim/...

clean:
	rm -rf $(BIN) _artifacts _build _out

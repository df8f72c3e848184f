# coalmine — see README.md. `make test` is fast; cluster work is behind
# `make e2e` / `make e2e-smoke`.
SHELL := /bin/bash
GO ?= go
export GONOSUMDB ?= k8s.io,sigs.k8s.io,github.com/argoproj
BIN := bin
COALMINE := $(BIN)/coalmine
FAULTAPP_IMAGE ?= coalmine/faultapp:dev

.PHONY: all build test lint image images docker e2e e2e-smoke bench clean

all: build

build:
	$(GO) build -o $(BIN)/ ./cmd/...

# Unit and integration tests (the integration tests use Docker).
test: docker
	$(GO) test -count=1 ./...

lint:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

docker:
	@hack/ensure-docker.sh

image: docker
	docker build -t $(FAULTAPP_IMAGE) -f faultapp/Dockerfile .

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./loadgen/... ./faultapp/... ./reports/...

clean:
	rm -rf $(BIN) _artifacts

# Prize Portal. Two commands on a fresh machine:
#   make run    build and start the portal (its own Postgres when DATABASE_URL is unset)
#   make test   every test, including the real-browser ones, against a real Postgres
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X prizeportal/internal/app.Version=$(VERSION)
GO ?= go
APT_UPDATED := /tmp/.portal-apt-updated

.PHONY: run build test check generate deps-run deps-test fmt clean sqlmap bench

## build: compile bin/portal
build:
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/portal ./cmd/portal

## run: start the portal on http://127.0.0.1:8080 (Ctrl-C stops it and its local Postgres)
run: deps-run build
	exec ./bin/portal serve

## test: formatting, vet, generated code, then every test (unit, store, HTTP, browser), then a
## bounded run of the fuzz tests (form engine, every form decoder, edition importer, uploads)
test: check deps-test
	$(GO) test -count=1 -timeout 30m ./...
	$(GO) test ./internal/blocks/form -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime 40000x
	$(GO) test ./internal/blocks/form -run '^$$' -fuzz '^FuzzValidate$$' -fuzztime 100000x
	@# hostile input: every other form decoder, the edition importer, uploads; by count, about 2 s
	@# each here (a time bound can end inside a slow input, and ends in the coordinator race of
	@# golang/go#75804, "context deadline exceeded", fixed only in Go 1.27)
	@# (the seeds of every fuzz target, these and FuzzSignature, FuzzContainers, run in go test above)
	$(GO) test ./internal/server -run '^$$' -fuzz '^FuzzDecodeForm$$' -fuzztime 800x -fuzzminimizetime 1s
	$(GO) test ./internal/files -run '^$$' -fuzz '^FuzzReceive$$' -fuzztime 300x -fuzzminimizetime 1s
	$(GO) test ./internal/edition -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 40x -fuzzminimizetime 1s
	$(GO) test ./internal/contextdata -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 5000x -fuzzminimizetime 1s
	$(GO) test ./internal/conflict -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 2000x -fuzzminimizetime 1s
	$(GO) test ./internal/nomination -run '^$$' -fuzz '^FuzzDetails$$' -fuzztime 5000x -fuzzminimizetime 1s
	$(GO) test ./internal/nomination -run '^$$' -fuzz '^FuzzLetter$$' -fuzztime 2000x -fuzzminimizetime 1s
	$(GO) test ./internal/scoring -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 5000x -fuzzminimizetime 1s
	$(GO) test ./internal/clarify -run '^$$' -fuzz '^FuzzDraftParse$$' -fuzztime 2000x -fuzzminimizetime 1s
	$(GO) test ./internal/mention -run '^$$' -fuzz '^FuzzClean$$' -fuzztime 2000x -fuzzminimizetime 1s

## sqlmap: scan every form endpoint of a local portal with sqlmap (Debian package); slow, so not
## part of make test. Output and summary in var/sqlmap/ (see .ci/sqlmap/main.go)
sqlmap: deps-run build
	@$(call apt_install,sqlmap,command -v sqlmap)
	$(GO) run ./.ci/sqlmap -portal bin/portal -out var/sqlmap

## bench: the Go benchmarks (a few iterations each), then the load test on a
## throwaway local portal and Postgres under var/bench: the deadline surge and the steady pages,
## printed as one table against the targets (cmd/load; not part of make test)
BENCH_PKGS = $$(grep -rl --include='*_test.go' '^func Benchmark' internal cmd | xargs -n1 dirname | sort -u | sed 's|^|./|')
bench: deps-run build
	$(GO) test -run '^$$' -bench . -benchtime 3x $(BENCH_PKGS)
	$(GO) build -o bin/load ./cmd/load
	rm -rf var/bench
	./bin/load bench -portal bin/portal -data-dir var/bench

## check: gofmt, go vet, and generated templ code up to date
check:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './var/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt: these files need formatting (run make fmt):"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool templ generate -log-level error
	@if [ -d .git ] && { ! git diff --quiet -- '*_templ.go' || [ -n "$$(git ls-files --others --exclude-standard -- '*_templ.go')" ]; }; then \
		echo "templ generate changed generated files: run 'make generate' and commit them:"; \
		git status --short -- '*_templ.go'; exit 1; fi

## generate: regenerate templ code
generate:
	$(GO) tool templ generate

fmt:
	gofmt -w $$(git ls-files '*.go')
	$(GO) tool templ fmt web internal/notify/emails

# apt_install PACKAGE CHECK: install a Debian package when CHECK fails (root only), else explain.
define apt_install
	if ! $(2) >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing $(1) (apt-get)..."; \
			[ -f $(APT_UPDATED) ] || { apt-get update -qq && touch $(APT_UPDATED); }; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
		else \
			echo "Missing: $(1). Install it with: sudo apt-get install -y $(1)"; exit 1; \
		fi; \
	fi
endef

## deps-run: what `make run` needs: Go and the PostgreSQL server binaries
deps-run:
	@command -v $(GO) >/dev/null || { echo "Missing: Go 1.26 (https://go.dev/dl/)"; exit 1; }
	@$(call apt_install,postgresql-15,ls /usr/lib/postgresql/*/bin/initdb)

## deps-test: what `make test` also needs: Debian's chromium (with a Hangul font for the Korean pages' screenshots) and axe-core (npm)
deps-test: deps-run
	@$(call apt_install,chromium,command -v chromium)
	@$(call apt_install,fonts-dejavu-core,ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf)
	@$(call apt_install,fonts-nanum,ls /usr/share/fonts/truetype/nanum/NanumGothic.ttf)
	@$(call apt_install,poppler-utils,command -v pdftotext)
	@command -v npm >/dev/null || { echo "Missing: Node.js and npm (apt-get install -y nodejs npm)"; exit 1; }
	@[ -f internal/tools/browsertest/node_modules/axe-core/axe.min.js ] || npm ci --prefix internal/tools/browsertest --no-audit --no-fund --loglevel=error

clean:
	rm -rf bin var/screenshots

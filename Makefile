# p1ctl — see README.md. The two commands that matter: `make demo`, `make test`.
SHELL := /bin/bash
GO ?= go
BIN := bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/p1ctl/p1ctl/internal/build.Version=$(VERSION)

.PHONY: all build demo test lint race keyring interop-deps interop action-test sdk contract fuzz docs check-docs check-contract goreleaser-check release-snapshot clean
GORELEASER := scripts/goreleaser.sh
# SBOMs need syft, the container image docker (with buildx); local
# snapshots skip them when these are not installed.
SNAPSHOT_FLAGS := --snapshot --clean $(if $(shell command -v syft 2>/dev/null),,--skip=sbom) $(if $(shell command -v docker 2>/dev/null),,--skip=docker)

all: build

build: ## Build bin/p1ctl and bin/p1emu (the local PingOne emulator)
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/p1ctl ./cmd/p1ctl
	$(GO) build -trimpath -o $(BIN)/p1emu ./cmd/p1emu

demo: build ## Get a token and read the environment: a real tenant if configured, else the local emulator
	@scripts/demo.sh $(BIN)

test: lint check-docs check-contract race keyring contract sdk action-test fuzz ## gofmt, go vet, fresh docs and contract subset, go test -race (with interop), the OS keychain against gnome-keyring, contract tests, Ping's SDK, the CI action and component, fuzzing

lint: ## gofmt, go vet, and no tracked file that .gitignore ignores
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './node_modules/*')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi
	@tracked=$$(git ls-files -ci --exclude-standard 2>/dev/null); \
	if [ -n "$$tracked" ]; then echo "tracked but ignored (run-time or generated files?): $$tracked"; exit 1; fi
	$(GO) vet ./...

race: interop-deps ## Unit, end-to-end and interop tests with the race detector
	P1CTL_REQUIRE_INTEROP=1 $(GO) test -race -count=1 ./...

keyring: ## The OS keychain tests against a real Secret Service (gnome-keyring under dbus-run-session; skipped without it unless P1CTL_REQUIRE_KEYRING=1)
	@GO=$(GO) scripts/keyring-test.sh

interop-deps: ## Install the pinned oidc-provider for test/interop (npm ci)
	@test/interop/run.sh --deps-only

# test/contract and test/sdk are modules of their own that use this one
# through a replace directive: -mod=mod lets their go.sum follow when the
# root go.mod gains a dependency, instead of failing.
contract: ## p1emu's answers and p1ctl's requests validated against Ping's OpenAPI subset (test/contract)
	cd test/contract && $(GO) test -mod=mod -count=1 ./...

sdk: ## PingOne's Go SDK against p1emu --tls (skipped without ../shared, unless P1CTL_REQUIRE_SHARED=1)
	@GO=$(GO) scripts/sdk-test.sh

interop: ## Only the oidc-provider interoperability tests
	@test/interop/run.sh

# P1CTL_ACTION_RELEASE=dist installs from `make release-snapshot` output
# instead of an archive the test builds (see docs/ci.md).
action-test: ## action.yml under nektos/act (pinned, built into bin/act) and the GitLab component, against the emulator
	@GO=$(GO) scripts/act.sh --build-only
	P1CTL_REQUIRE_ACT=1 $(GO) test -count=1 ./test/action

# Fuzz budgets are execution counts, not durations: with a duration, Go
# 1.26's fuzz coordinator can report a spurious "context deadline exceeded"
# failure when the time runs out (go.dev/issue/75804, fixed in Go 1.27).
# Each count takes five to ten seconds on two cores. FUZZTIME=30s (or 1000x)
# overrides every target. Minimizing a newly interesting input may take 60 s
# by default, during which no executions count: 2 s keeps a run's length
# predictable (the input is still saved, only less small).
FUZZTIME ?=
fuzz_budget = $(if $(FUZZTIME),$(FUZZTIME),$(1))
fuzz_flags = -run '^$$' -fuzzminimizetime 2s
fuzz: ## Each fuzz target for a fixed number of executions (override: FUZZTIME)
	$(GO) test $(fuzz_flags) -fuzz '^FuzzParseFile$$' -fuzztime $(call fuzz_budget,100000x) ./internal/config
	$(GO) test $(fuzz_flags) -fuzz '^FuzzParseError$$' -fuzztime $(call fuzz_budget,60000x) ./internal/api
	$(GO) test $(fuzz_flags) -fuzz '^FuzzTokenResponse$$' -fuzztime $(call fuzz_budget,75000x) ./internal/auth
	$(GO) test $(fuzz_flags) -fuzz '^FuzzDecode$$' -fuzztime $(call fuzz_budget,150000x) ./internal/jwtinfo
	$(GO) test $(fuzz_flags) -fuzz '^FuzzActivityFilterValue$$' -fuzztime $(call fuzz_budget,50000x) ./internal/emulator

docs: ## Regenerate docs/commands and docs/man from the command tree
	$(GO) run ./cmd/gendocs

check-docs: ## Fail, listing them, if docs/commands or docs/man are stale
	@GO=$(GO) scripts/check-docs.sh

check-contract: ## Fail if test/contract's OpenAPI subset is stale against ../shared (skipped without it)
	@GO=$(GO) scripts/check-contract.sh

goreleaser-check: ## Validate .goreleaser.yaml with the pinned GoReleaser (built into bin/ on first use)
	@GO=$(GO) $(GORELEASER) check

release-snapshot: ## Build every release artifact into dist/ without publishing
	@GO=$(GO) $(GORELEASER) release $(SNAPSHOT_FLAGS)

clean:
	rm -rf $(BIN) dist completions manpages

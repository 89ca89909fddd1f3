# event-services: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JOBS ?= 2
RELEASE_DIR := build/release
APPS := event-consumer event-token event-propagator

# Every Debian 12 package the build, the tests, the demo and the benchmarks need.
PACKAGES := g++ cmake ninja-build ccache pkg-config make git curl ca-certificates \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
  libsqlite3-dev sqlite3 libjwt-dev libcli11-dev libpq-dev libcurl4-openssl-dev \
  libgoogle-perftools-dev libgtest-dev libgmock-dev libbenchmark-dev python3 util-linux \
  postgresql-15 postgresql-client-15 nginx-light wrk clang-format clang-tidy openssl

.PHONY: help install build test test-asan run run_consumer run_propagator token bench \
        format format-check tidy clean

help:
	@echo "make install         install every Debian package needed (idempotent)"
	@echo "make run             build, then run consumer + propagator on SQLite (Ctrl-C stops)"
	@echo "make test            install, build, start a throwaway PostgreSQL, run every test"
	@echo "make test-asan       the same suite under AddressSanitizer + UBSan"
	@echo "make run_consumer    run the consumer alone (settings from .env / environment)"
	@echo "make run_propagator  run the propagator alone"
	@echo "make token           print a token (SCOPE='events:read' TTL=1d SUB=me to change)"
	@echo "make bench           benchmarks: ingest table vs nginx and the raw store"
	@echo "make format          clang-format every source file"
	@echo "make clean           remove build folders"

install:
	@missing=$$(for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "all packages present"; \
	fi

build: install
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target $(APPS)

# CI's suite: warnings are errors, a throwaway PostgreSQL for the tests that need one.
test: install
	cmake --preset ci >/dev/null
	cmake --build --preset ci -j $(JOBS)
	scripts/with-postgres ctest --preset ci -j 1

test-asan: install
	cmake --preset asan-ubsan >/dev/null
	cmake --build --preset asan-ubsan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  scripts/with-postgres ctest --preset asan-ubsan -j 1

run: build
	scripts/run-demo.sh $(RELEASE_DIR)/apps

run_consumer: build
	$(RELEASE_DIR)/apps/event-consumer

run_propagator: build
	$(RELEASE_DIR)/apps/event-propagator

SUB ?= $(USER)
SCOPE ?= events:read events:write
TTL ?= 30d
token: build
	@$(RELEASE_DIR)/apps/event-token --sub "$(SUB)" --scope "$(SCOPE)" --ttl "$(TTL)"

bench: install
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	scripts/with-postgres bench/run.sh $(RELEASE_DIR)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

tidy:
	cmake --preset dev >/dev/null
	git ls-files 'src/*.cpp' | xargs clang-tidy -p build/dev --quiet

clean:
	rm -rf build

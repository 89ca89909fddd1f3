# event-services: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JOBS ?= 2
RELEASE_DIR := build/release
APPS := event-consumer event-token event-propagator event-loader

# The Debian 12 packages. RUN_PACKAGES build and run the programs (`make run`); TEST_PACKAGES
# add what the tests, the benchmarks and the checks use. `make install` installs both (CI).
# The consumer embeds Swagger UI (npm) at build time, so node and npm are build packages: npm
# comes with NodeSource's nodejs and separately with Debian's, hence npm only when it is missing.
# chromium runs the browser tests (driven by playwright-core from web/, never a downloaded browser).
RUN_PACKAGES := g++ cmake ninja-build ccache pkg-config make ca-certificates util-linux \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libsqlite3-dev libjwt-dev \
  libssl-dev libcli11-dev libpq-dev libmariadb-dev libnats-dev libcurl4-openssl-dev \
  libgoogle-perftools-dev zlib1g-dev nodejs $(if $(shell command -v npm),,npm)
TEST_PACKAGES := git curl python3 openssl sqlite3 libgtest-dev libgmock-dev libbenchmark-dev \
  postgresql-15 postgresql-client-15 mariadb-server mariadb-client nats-server nginx-light wrk \
  clang-format clang-tidy clang-14 libclang-rt-14-dev prometheus chromium
# package:service pairs. Debian starts these services when it installs their packages
# (PostgreSQL on 5432, MariaDB on 3306, NATS on 4222, nginx on 80, Prometheus on 9090: the tests
# use only its promtool); the tests and benchmarks start servers of their own, so a service whose
# package `make install` just installed is stopped and disabled (nats-server has a systemd unit
# only, no init script).
SERVICES := postgresql-15:postgresql mariadb-server:mariadb nats-server:nats-server \
  nginx-light:nginx prometheus:prometheus
INSTALL_LOG := build/install.log

# $(call install_packages,PACKAGES): installs those of PACKAGES that are missing, with apt's
# output in $(INSTALL_LOG); one line says what and where; on failure, the log's end.
define install_packages
@missing=$$(for p in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	[ -n "$$missing" ] || exit 0; \
	mkdir -p $(dir $(INSTALL_LOG)); \
	echo "installing" $$missing "(output: $(INSTALL_LOG))" >&2; \
	SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	if ! { $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	       $$SUDO apt-get install -y -q --no-install-recommends $$missing; } >> $(INSTALL_LOG) 2>&1; then \
	  echo "installing failed; the end of $(INSTALL_LOG):" >&2; tail -n 25 $(INSTALL_LOG) >&2; exit 1; \
	fi; \
	for pair in $(SERVICES); do \
	  package=$${pair%%:*}; service=$${pair#*:}; \
	  case " $$missing " in *" $$package "*) ;; *) continue ;; esac; \
	  if [ -d /run/systemd/system ]; then \
	    [ -e /etc/init.d/$$service ] || [ -e /lib/systemd/system/$$service.service ] || continue; \
	    echo "stopping and disabling the system service $$service (the tests start their own)" >&2; \
	    $$SUDO systemctl disable --now $$service >> $(INSTALL_LOG) 2>&1 || true; \
	  else \
	    [ -e /etc/init.d/$$service ] || continue; \
	    echo "stopping and disabling the system service $$service (the tests start their own)" >&2; \
	    { $$SUDO service $$service stop; $$SUDO update-rc.d $$service disable; } \
	      >> $(INSTALL_LOG) 2>&1 || true; \
	  fi; \
	done
endef

# web/'s npm packages, exactly as web/package-lock.json has them (npm ci, no install scripts):
# $(call install_web,full) installs Swagger UI and uPlot, which the consumer embeds at build time,
# and the tests' OpenAPI validator and browser driver; $(call install_web,runtime) the first two
# only (npm ci --omit=dev), for `make run`. Skipped when node_modules already holds what is asked
# for, installed from the lock as it is now (a full install serves both).
WEB_STAMP := web/node_modules/.installed-from-lock
define install_web
@lock=$$(sha256sum web/package-lock.json | cut -d' ' -f1); \
	stamp=$$(cat $(WEB_STAMP) 2>/dev/null); \
	[ "$$stamp" != "$$lock full" ] || exit 0; \
	[ "$(1)" != runtime ] || [ "$$stamp" != "$$lock runtime" ] || exit 0; \
	omit=; [ "$(1)" = full ] || omit=--omit=dev; \
	mkdir -p $(dir $(INSTALL_LOG)); \
	echo "installing web/ packages ($(1)) from web/package-lock.json (output: $(INSTALL_LOG))" >&2; \
	if ! (cd web && npm ci $$omit --ignore-scripts --no-audit --no-fund) >> $(INSTALL_LOG) 2>&1; then \
	  echo "npm ci failed; the end of $(INSTALL_LOG):" >&2; tail -n 25 $(INSTALL_LOG) >&2; exit 1; \
	fi; \
	echo "$$lock $(1)" > $(WEB_STAMP)
endef

# MySQL for the tests: Debian 12 ships none, so scripts/install-mysql fetches Debian unstable's
# into /opt/evs-mysql (EVS_MYSQL_PREFIX), with its own C library, apart from the system. Skipped
# when it is there already, or when EVS_MYSQL_BIN points to the mysqld of a MySQL you have.
define install_mysql
@prefix=$${EVS_MYSQL_PREFIX:-/opt/evs-mysql}; \
	[ -z "$$EVS_MYSQL_BIN" ] && [ ! -s "$$prefix/version" ] || exit 0; \
	mkdir -p $(dir $(INSTALL_LOG)); \
	echo "installing MySQL from Debian unstable into $$prefix (output: $(INSTALL_LOG))" >&2; \
	if ! scripts/install-mysql >> $(INSTALL_LOG) 2>&1; then \
	  echo "installing MySQL failed; the end of $(INSTALL_LOG):" >&2; tail -n 25 $(INSTALL_LOG) >&2; exit 1; \
	fi
endef

# $(call build_preset,PRESET,CONFIGURE_ARGS,BUILD_ARGS): configures and builds with the whole
# output in build/PRESET.log; the terminal shows ninja's [n/N] progress, and on failure the
# compiler's messages. All on stderr, so that `TOKEN=$(make token)` gets the token alone.
define build_preset
@mkdir -p build; set -o pipefail; \
	{ cmake --preset $(1) $(2) && cmake --build --preset $(1) -j $(JOBS) $(3); } 2>&1 \
	  | tee build/$(1).log \
	  | awk -v tty=$$([ -t 2 ] && echo 1 || echo 0) \
	      '/^\[[0-9]+\/[0-9]+\]/ { if (tty) printf "\r\033[K%s", substr($$0, 1, 100) > "/dev/stderr"; \
	                                else print > "/dev/stderr"; fflush("/dev/stderr") } \
	       END { if (tty) printf "\r\033[K" > "/dev/stderr" }' \
	  || { echo "build failed ($(1)); its messages (all in build/$(1).log):" >&2; \
	       grep -v '^\[[0-9]*/[0-9]*\]' build/$(1).log | tail -n 60 >&2; exit 1; }; \
	echo "built $(1) (log: build/$(1).log)" >&2
endef

.PHONY: help install install-run build test test-asan test-tsan fuzz run run_consumer run_propagator token bench \
        format format-check tidy clean

help:
	@echo "make install         install every Debian and npm package needed, and MySQL (idempotent; log in build/)"
	@echo "make run             build, then run consumer + propagator on SQLite (Ctrl-C stops)"
	@echo "make test            install, build, start throwaway PostgreSQL, MariaDB, MySQL, NATS; run every test"
	@echo "make test-asan       the same suite under AddressSanitizer + UBSan"
	@echo "make test-tsan       unit and consumer integration tests under ThreadSanitizer"
	@echo "make fuzz            each libFuzzer target for FUZZ_SECONDS (default 60)"
	@echo "make run_consumer    run the consumer alone (settings from .env / environment)"
	@echo "make run_propagator  run the propagator alone"
	@echo "make token           print a token (SCOPE='events:read' TTL=1d SUB=me to change)"
	@echo "make bench           benchmarks: ingest table vs nginx and the raw store"
	@echo "make format          clang-format every source file"
	@echo "make clean           remove build folders"

install:
	$(call install_packages,$(RUN_PACKAGES) $(TEST_PACKAGES))
	$(call install_web,full)
	$(call install_mysql)

# Only what building and running need: `make run` on a fresh machine.
install-run:
	$(call install_packages,$(RUN_PACKAGES))
	$(call install_web,runtime)

# The programs only: the benchmarks (and Google Benchmark) are `make bench`'s.
build: install-run
	$(call build_preset,release,-DEVS_BUILD_BENCH=OFF,--target $(APPS))

# The throwaway servers the tests and benchmarks run against: PostgreSQL, MariaDB, MySQL and a
# three-node NATS JetStream cluster, each started before the command and removed after it.
WITH_SERVERS := scripts/with-postgres scripts/with-mariadb scripts/with-mysql scripts/with-nats

# CI's suite: warnings are errors, the throwaway servers for the tests that need them.
test: install
	$(call build_preset,ci)
	$(WITH_SERVERS) ctest --preset ci -j 1

test-asan: install
	$(call build_preset,asan-ubsan)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(WITH_SERVERS) ctest --preset asan-ubsan -j 1

# The unit tests and the consumer's integration tests (label tsan), the parts that share state
# across threads: server, batch writer, completion inbox, token cache, store pools.
test-tsan: install
	$(call build_preset,tsan)
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  $(WITH_SERVERS) ctest --preset tsan -j 1 -L tsan

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := event_json_fuzz jwt_fuzz retry_after_fuzz events_file_fuzz list_query_fuzz \
                http_request_fuzz
fuzz: install
	$(call build_preset,fuzz,,--target $(FUZZ_TARGETS))
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz build/fuzz

run: build
	@scripts/run-demo.sh $(RELEASE_DIR)/apps

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
	$(call build_preset,release,-DEVS_BUILD_BENCH=ON)
	$(WITH_SERVERS) bench/run.sh $(RELEASE_DIR)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

tidy:
	cmake --preset dev >/dev/null
	git ls-files 'src/*.cpp' | xargs clang-tidy -p build/dev --quiet

clean:
	rm -rf build

# Lembra — the two commands that matter on a fresh machine: `make demo` and `make test`.
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
# Release builds link the Swift runtime and Foundation into the binary: the installed `lembra`
# needs only Debian's libraries (libcurl, libsqlite3, libpq), not the toolchain, and starts
# faster (no runtime symbols to bind; see BENCHMARKS.md). Every release build uses the same
# flags, or SwiftPM rebuilds everything each time they change (minutes).
RELEASE := -c release --static-swift-stdlib
BIN := .build/debug/lembra
DEMO_NOW := 2026-11-18T10:00:00-03:00
DEMO := $(BIN) --config config/demo.yaml --now $(DEMO_NOW)

.PHONY: demo test test-faults build release setup bench install clean

## Install what is missing, build, import the demo data and run one daemon tick into demo/outbox.
demo: build
	rm -rf demo
	$(BIN) check-config --config config/demo.yaml
	$(BIN) import customers config/demo/customers.csv --config config/demo.yaml --now $(DEMO_NOW)
	$(BIN) import debts config/demo/debts.csv --config config/demo.yaml --now $(DEMO_NOW)
	$(BIN) run --once --config config/demo.yaml --now $(DEMO_NOW)
	$(BIN) status --config config/demo.yaml --now $(DEMO_NOW)
	@echo
	@echo "Reminder e-mails written to demo/outbox/new/:"
	@ls -1 demo/outbox/new

## Build, then run every test (unit, integration against real servers, end-to-end on the binary).
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	scripts/check-systemd.sh
	scripts/check-install.sh
	scripts/faults.sh --quick
	scripts/faults.sh --postgres --quick

## The crash and fault campaigns: 30 SIGKILLs and server faults over 2,000 customers (SEED=n to
## vary), on SQLite, then on PostgreSQL with three daemons, a database crash and a stall.
test-faults:
	scripts/faults.sh $(if $(SEED),--seed $(SEED))
	scripts/faults.sh --postgres $(if $(SEED),--seed $(SEED))

build:
	scripts/setup.sh build
	$(SWIFT) build

release:
	scripts/setup.sh build
	$(SWIFT) build $(RELEASE)

setup:
	scripts/setup.sh test

## Benchmarks (release build): planning over 10k/100k/1M debts, delivery vs smtp-source and wrk, cold start, the ledger vs its C replay,
## the payments ingress under load (1,000 confirmations from 50 clients while a tick sends), 50,000 reminders by 1, 2 and 4
## daemons on one PostgreSQL against SQLite (BENCH_RUNS runs each, default 3: about half an hour). See BENCHMARKS.md.
bench: setup
	scripts/bench-planning.sh
	scripts/bench-delivery.sh
	scripts/bench-ledger.sh
	.build/release/lembra-bench compose config/templates 5000 5
	$(SWIFT) build $(RELEASE) --product lembra
	.venv/bin/python scripts/bench-ingress.py .build/release/lembra
	.venv/bin/python scripts/bench-postgres.py .build/release/lembra

## Install the binary, unit, config and templates (PREFIX=/usr/local, DESTDIR for packaging,
## BUILD=debug to install the debug build). The unit runs as a DynamicUser, neither owner nor
## group of anything under /etc, so the config and templates are readable by all (0644, folders
## 0755, whatever the umask: they hold no secrets) and every secret is a file in the credentials
## folder, root's only (0700), which systemd reads as root and hands over with LoadCredential=.
## An existing lembra.yaml is kept; lembra.yaml.example is always the new version's. A release
## binary loses its debug info (a third of its size), not its symbol table: a debugger or a
## profiler still names the functions.
## scripts/check-install.sh checks the result against the unit.
BUILD ?= release
install: $(if $(filter debug,$(BUILD)),build,release)
	install -d -m 0755 $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/etc/systemd/system $(DESTDIR)/etc/lembra \
	  $(DESTDIR)/etc/lembra/templates $(DESTDIR)/etc/lembra/templates/pt-BR $(DESTDIR)/etc/lembra/templates/en
	install -m 0755 .build/$(BUILD)/lembra $(DESTDIR)$(PREFIX)/bin/lembra
	$(if $(filter release,$(BUILD)),strip --strip-debug $(DESTDIR)$(PREFIX)/bin/lembra)
	sed 's#/usr/local/bin/lembra#$(PREFIX)/bin/lembra#g' systemd/lembra.service > $(DESTDIR)/etc/systemd/system/lembra.service
	chmod 0644 $(DESTDIR)/etc/systemd/system/lembra.service
	install -m 0644 config/lembra.example.yaml $(DESTDIR)/etc/lembra/lembra.yaml.example
	test -e $(DESTDIR)/etc/lembra/lembra.yaml || install -m 0644 config/lembra.example.yaml $(DESTDIR)/etc/lembra/lembra.yaml
	install -d -m 0700 $(DESTDIR)/etc/lembra/credentials
	for l in pt-BR en; do install -m 0644 config/templates/$$l/*.mustache $(DESTDIR)/etc/lembra/templates/$$l/; done

clean:
	rm -rf .build demo

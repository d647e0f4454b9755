# Lembra — the two commands that matter on a fresh machine: `make demo` and `make test`.
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
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
	scripts/faults.sh --quick

## The crash and fault campaign: 30 SIGKILLs and server faults over 2,000 customers (SEED=n to vary).
test-faults:
	scripts/faults.sh $(if $(SEED),--seed $(SEED))

build:
	scripts/setup.sh build
	$(SWIFT) build

release:
	scripts/setup.sh build
	$(SWIFT) build -c release

setup:
	scripts/setup.sh test

## Benchmarks (release build): planning over 10k/100k/1M debts, delivery vs smtp-source and wrk, cold start. See BENCHMARKS.md.
bench:
	scripts/bench-planning.sh
	scripts/bench-delivery.sh
	.build/release/lembra-bench compose config/templates 5000 5

## Install the binary, unit, example config and templates (PREFIX=/usr/local, DESTDIR for packaging).
install: release
	install -D -m 0755 .build/release/lembra $(DESTDIR)$(PREFIX)/bin/lembra
	install -d $(DESTDIR)/etc/systemd/system
	sed 's#/usr/local/bin/lembra#$(PREFIX)/bin/lembra#g' systemd/lembra.service > $(DESTDIR)/etc/systemd/system/lembra.service
	install -D -m 0640 config/lembra.example.yaml $(DESTDIR)/etc/lembra/lembra.yaml.example
	for l in pt-BR en; do for f in config/templates/$$l/*.mustache; do \
	  install -D -m 0644 $$f $(DESTDIR)/etc/lembra/templates/$$l/$$(basename $$f); done; done

clean:
	rm -rf .build demo

# Merit — two commands from a fresh machine:
#   make demo   installs what is missing, builds, and reviews a sample company
#   make test   installs what is missing, builds, and runs every test and conformance case
# and to install it: make install [PREFIX=/usr/local] (README "Install"); make uninstall with the same PREFIX.
SHELL := /bin/bash
SWIFT ?= swift
CASES ?= ../shared/spec/cases
APT_PACKAGES := libxlsxwriter-dev zlib1g-dev pkg-config libsqlite3-dev

.PHONY: all deps build release demo rubrics lint test workbook-check payroll-check fuzz-replay install uninstall install-check bench bench-deps bench-postgres bench-micro fuzz fuzz-build fuzz-merge clean

all: build

# The system packages the build needs (Debian/Ubuntu): build, demo and test call this first, and it says in one
# line what it does before it runs apt-get (with sudo when not root) for the missing ones.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing the missing Debian packages$$missing with apt-get$$([ "$$(id -u)" = 0 ] || echo ' (sudo)')"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	else echo "make deps: the Debian packages the build needs are installed ($(APT_PACKAGES))"; fi
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required: https://www.swift.org/install/linux/"; exit 1; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: build
	.build/debug/merit demo --dir demo-output

# The shipped rubrics are built into merit (Sources/MeritStore/ShippedRubrics.swift); regenerate after editing rubrics/.
rubrics:
	python3 scripts/embed-rubrics.py

# Unit, property and end-to-end tests, every public conformance case through the built binary,
# and (when LibreOffice is installed) the workbook recalculated by a real spreadsheet application.
# The tests run with a throwaway PostgreSQL server for the PostgreSQL backend's tests (scripts/with-postgres.sh,
# docs/postgresql.md): installed when missing, on a free port, removed afterwards; MERIT_TEST_DATABASE_URL set to use yours.
test: build
	scripts/with-postgres.sh $(SWIFT) test
	python3 Tests/Conformance/check_case.py --all Tests/Conformance/cases -- .build/debug/merit
	@if [ -d "$(CASES)" ]; then python3 $(CASES)/../check_case.py --all $(CASES) -- .build/debug/merit; \
	 else echo "note: no shared spec cases at $(CASES); Merit's own copy in Tests/Conformance ran above"; fi
	@$(MAKE) --no-print-directory workbook-check
	@$(MAKE) --no-print-directory payroll-check
	@$(MAKE) --no-print-directory fuzz-replay
	@# A first release build takes minutes: install-check installs the debug build just made unless a release build exists.
	@$(MAKE) --no-print-directory install-check INSTALL_CONFIG=$$([ -x .build/release/merit ] && echo release || echo debug)

# The payroll file loaded as a payroll team would (pandas, every column as text) sums to the workbooks' Bonus
# sheets per currency (docs/payroll.md). pandas is installed from PyPI when missing.
payroll-check:
	@python3 -c "import pandas" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pandas 2>/dev/null || true
	@if python3 -c "import pandas" 2>/dev/null; then \
	  rm -rf .build/payroll-demo && .build/debug/merit demo --dir .build/payroll-demo --data-only >/dev/null && \
	  python3 scripts/check_payroll.py .build/debug/merit .build/payroll-demo/data; \
	else echo "pandas could not be installed (no PyPI?): payroll-check skipped; PayrollExportTests checked the same sums in Swift"; fi

# Style and structure: swift-format with the repository's .swift-format (swift format format -i -r Sources Tests
# Package.swift fixes what it reports), and every module's imports against Package.swift (scripts/check_structure.py).
lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
	python3 scripts/check_structure.py

# Every saved fuzzing input (Fuzz/Corpus and the reproducers in Fuzz/Crashes) through its reader once, in the
# ordinary build: what once crashed or hung must keep ending in a result or a clear error (seconds, not minutes).
fuzz-replay:
	@for t in csv xlsx rubric mapping; do \
	  dirs="Fuzz/Corpus/$$t"; [ -d Fuzz/Crashes/$$t ] && dirs="$$dirs Fuzz/Crashes/$$t"; \
	  timeout 300 .build/debug/merit-fuzz $$t $$dirs >/dev/null || { echo "fuzz-replay: $$t failed (rerun: .build/debug/merit-fuzz $$t $$dirs)"; exit 1; }; \
	done; echo "fuzz-replay: every saved input of csv, xlsx, rubric and mapping ran clean"

# LibreOffice recalculates every Scorecards total of each shipped rubric's workbook (with and without
# dimensions, with redistributed metrics) and the results must equal the JSON (docs/reference.md §14); then it prints the
# demo's customer-service workbook to PDF, which must take no more pages than its rows need, every table one
# page wide (docs/workbook.md "Printing"; needs pdfinfo and pdftotext from poppler-utils).
workbook-check:
	@if command -v soffice >/dev/null; then \
	  rm -rf .build/recalc-demo && .build/debug/merit demo --dir .build/recalc-demo --rubrics rubrics >/dev/null && \
	  for r in customer-service account-manager sales-rep; do \
	    python3 scripts/check_workbook_recalc.py .build/debug/merit .build/recalc-demo/data rubrics/$$r.yaml 2026-Q3 || exit 1; \
	  done; \
	  python3 scripts/check_workbook_recalc.py .build/debug/merit examples/seed-example rubrics/seed-example.yaml 2026-Q3 || exit 1; \
	  for c in 04-redistribute-vs-zero 05-dimensions 07-pool-bonus; do \
	    python3 scripts/check_workbook_recalc.py .build/debug/merit Tests/Conformance/cases/$$c/data Tests/Conformance/cases/$$c/rubric.yaml 2026-Q3 || exit 1; \
	  done; \
	  if command -v pdfinfo >/dev/null && command -v pdftotext >/dev/null; then \
	    python3 scripts/check_workbook_print.py .build/recalc-demo/review-customer-service-*.xlsx || exit 1; \
	  else echo "pdfinfo/pdftotext not installed: workbook print check skipped (apt-get install poppler-utils)"; fi; \
	else echo "LibreOffice (soffice) not installed: workbook recalculation check skipped (apt-get install libreoffice-calc-nogui)"; fi

# Installing (README "Install"): the release binary, a manual page per command (generated from the command
# definitions by swift-argument-parser's generate-manual plugin) and completions for bash, zsh and fish.
# DESTDIR stages the files for a package; INSTALL_CONFIG=debug installs the debug build (install-check uses it).
PREFIX ?= /usr/local
INSTALL_CONFIG ?= release
BINDIR = $(DESTDIR)$(PREFIX)/bin
MAN1DIR = $(DESTDIR)$(PREFIX)/share/man/man1
BASHDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ZSHDIR = $(DESTDIR)$(PREFIX)/share/zsh/site-functions
FISHDIR = $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
STAGE := .build/install-files
# Where the plugin writes the pages (one per command: merit.1, merit.review.1, merit.rubrics.show.1, …).
MANUAL_OUT := .build/plugins/GenerateManual/outputs/merit
# The manual pages are dated by the last commit, so the same sources give the same pages.
MANUAL_DATE := $(shell git log -1 --format=%cs 2>/dev/null || date -u +%F)

install: deps
	$(SWIFT) build -c $(INSTALL_CONFIG) --product merit
	rm -rf $(STAGE) $(MANUAL_OUT) && mkdir -p $(STAGE)/man
	$(SWIFT) package plugin generate-manual --configuration $(INSTALL_CONFIG) --multi-page --date $(MANUAL_DATE)
	@# generate-manual copies the help's blank lines as they are, which mdoc warns about: they become paragraph breaks.
	for page in $(MANUAL_OUT)/*.1; do sed 's/^$$/.Pp/' "$$page" > $(STAGE)/man/$$(basename "$$page") || exit 1; done
	for shell in bash zsh fish; do .build/$(INSTALL_CONFIG)/merit --generate-completion-script $$shell > $(STAGE)/merit.$$shell || exit 1; done
	install -d $(BINDIR) $(MAN1DIR) $(BASHDIR) $(ZSHDIR) $(FISHDIR)
	install -m 755 .build/$(INSTALL_CONFIG)/merit $(BINDIR)/merit
	install -m 644 $(STAGE)/man/*.1 $(MAN1DIR)/
	install -m 644 $(STAGE)/merit.bash $(BASHDIR)/merit
	install -m 644 $(STAGE)/merit.zsh $(ZSHDIR)/_merit
	install -m 644 $(STAGE)/merit.fish $(FISHDIR)/merit.fish
	@echo "Installed $(BINDIR)/merit, $$(ls $(STAGE)/man | wc -l) manual pages in $(MAN1DIR) and completions for bash, zsh and fish."

uninstall:
	rm -f $(BINDIR)/merit $(MAN1DIR)/merit.1 $(MAN1DIR)/merit.*.1 $(BASHDIR)/merit $(ZSHDIR)/_merit $(FISHDIR)/merit.fish

# make install into a temporary PREFIX, then: every manual page renders with man, bash sources its completion
# script, the zsh and fish scripts are there, merit --version runs; make uninstall leaves nothing behind.
install-check:
	scripts/check_install.sh $(INSTALL_CONFIG)

# Speed and memory, measured in a release build (never in a timed unit test).
# The company-scale numbers: a medium (2,000 people) and a large (20,000 people, ~17 M rows)
# company generated once from a seed into .build/bench-data, then read, evaluated and written
# with the customer-service rubric; tables in .build/bench-results-*.md.
# Each technique of ARCHITECTURE.md "Performance techniques" alone, against the plain way it replaced: make bench-micro.
# The workspace scenario (issue 16) runs the release merit as managers, HR and employees do: init, the eight imports,
# review, export, finalize, a local scorecard, then merit serve under wrk (docs/performance.md "Workspace scenario").
bench: deps bench-deps
	$(SWIFT) build -c release --product merit
	$(SWIFT) build -c release --product merit-bench
	.build/release/merit-bench pipeline --scale medium
	.build/release/merit-bench pipeline --scale large
	.build/release/merit-bench workbook --employees 20000 --rubric rubrics/customer-service.yaml
	.build/release/merit-bench workspace --scale large
	$(MAKE) bench-postgres

# The workspace scenario on PostgreSQL (issue 19; docs/performance.md "The workspace on PostgreSQL"): the same steps
# with the store in a database of a throwaway PostgreSQL server (scripts/with-postgres.sh), then two merit serve
# replicas on that database under the same load split between them, each run beside a SQLite run made back to back;
# table in .build/bench-results-workspace-postgresql-large.md. More runs, the best of each kept: BENCH_PG_RUNS=3.
BENCH_PG_RUNS ?= 1
bench-postgres: bench-deps
	$(SWIFT) build -c release --product merit
	$(SWIFT) build -c release --product merit-bench
	scripts/with-postgres.sh .build/release/merit-bench workspace --scale large --store postgresql --runs $(BENCH_PG_RUNS)

# What only make bench needs: wrk loads merit serve in the workspace scenario. Kept out of APT_PACKAGES, so build and
# test never install it.
bench-deps:
	@if command -v wrk >/dev/null; then echo "make bench-deps: wrk is installed"; else \
	  echo "make bench-deps: installing the missing Debian package wrk with apt-get$$([ "$$(id -u)" = 0 ] || echo ' (sudo)')"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; fi

# One micro-benchmark per performance technique (ARCHITECTURE.md "Performance techniques"; figures in docs/performance.md
# "Micro-benchmarks"): the technique and the plain way it replaced do the same job on the same input, the best of
# MICRO_RUNS alternating runs of each and their ratio, each benchmark in its own process; tables in
# .build/bench-results-micro.md. merit-bench reaches MeritInput's internal types for them (@testable import), so this
# release build has testing enabled and its own scratch directory: make bench's build, and the merit it times, stay
# as users get them. The medium company by default; make bench-micro MICRO_SCALE=large MICRO_RUNS=8 for more.
MICRO_BUILD := .build/micro
MICRO_RUNS ?= 5
MICRO_SCALE ?= medium
MICRO_BENCHMARKS ?= csv-marks lookup employees deflate partitions

bench-micro: deps
	$(SWIFT) build -c release --product merit-bench --scratch-path $(MICRO_BUILD) -Xswiftc -enable-testing -Xswiftc -DMERIT_BENCH_MICRO
	@rm -f .build/bench-results-micro.md
	@for m in $(MICRO_BENCHMARKS); do \
	  $(MICRO_BUILD)/release/merit-bench micro $$m --scale $(MICRO_SCALE) --runs $(MICRO_RUNS) --results .build/bench-results-micro-$$m.md \
	    && cat .build/bench-results-micro-$$m.md >> .build/bench-results-micro.md || exit 1; \
	done; echo "tables in .build/bench-results-micro.md"

# Fuzzing (issue 13; docs/fuzzing.md): each reader's libFuzzer target for FUZZ_SECONDS, seeded from
# Fuzz/Corpus/<target>; new inputs go to .build/fuzz-corpus/<target>, crashes to .build/fuzz-artifacts/.
# Not part of `make test` (CI need not run it). The sanitized build has its own scratch directory,
# so it never invalidates .build. Longer: make fuzz FUZZ_SECONDS=1800 FUZZ_TARGETS=csv
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv xlsx rubric mapping
FUZZ_BUILD := .build-fuzz
FUZZ_BIN := $(FUZZ_BUILD)/release/merit-fuzz
FUZZ_FLAGS = -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
# Leak checking is off: Foundation's FileManager.contents(atPath:) of an empty file and ZIPFoundation's
# fileSystemRepresentation leak a few bytes per call (toolchain/dependency, not Merit); runaway memory
# is still caught by -rss_limit_mb.
export ASAN_OPTIONS := detect_leaks=0
# Longest input per target: the XLSX seeds are whole workbooks, the shipped rubrics up to 9 KB.
FUZZ_MAX_LEN = case $$t in xlsx) echo 16384;; rubric) echo 12288;; *) echo 4096;; esac

fuzz-build: deps
	$(SWIFT) build -c release --scratch-path $(FUZZ_BUILD) --product merit-fuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DMERIT_FUZZ

fuzz: fuzz-build
	@mkdir -p .build/fuzz-artifacts
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build/fuzz-corpus/$$t; \
	  echo "== fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  MERIT_FUZZ_TARGET=$$t $(FUZZ_BIN) .build/fuzz-corpus/$$t Fuzz/Corpus/$$t $(FUZZ_FLAGS) \
	    -max_len=$$($(FUZZ_MAX_LEN)) -max_total_time=$(FUZZ_SECONDS) \
	    -artifact_prefix=.build/fuzz-artifacts/$$t- || { echo "fuzz: $$t found a crash (.build/fuzz-artifacts/)"; exit 1; }; \
	done

# Minimise what fuzzing grew into Fuzz/Corpus/<target>: the fewest inputs that reach every edge reached
# (-use_counters=0 keeps it to a few hundred files); the hand-made seed-* files stay as they are.
fuzz-merge: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf .build/fuzz-merged/$$t && mkdir -p .build/fuzz-merged/$$t && \
	  MERIT_FUZZ_TARGET=$$t $(FUZZ_BIN) -set_cover_merge=1 -use_counters=0 $(FUZZ_FLAGS) -artifact_prefix=.build/fuzz-artifacts/$$t- -max_len=$$($(FUZZ_MAX_LEN)) \
	    .build/fuzz-merged/$$t Fuzz/Corpus/$$t .build/fuzz-corpus/$$t && \
	  find Fuzz/Corpus/$$t -type f ! -name 'seed-*' -delete && \
	  for f in .build/fuzz-merged/$$t/*; do \
	    cmp -s "$$f" /dev/null; for s in Fuzz/Corpus/$$t/seed-*; do cmp -s "$$f" "$$s" && continue 2; done; cp "$$f" Fuzz/Corpus/$$t/; \
	  done; \
	  echo "$$t: $$(ls Fuzz/Corpus/$$t | wc -l) files"; \
	done

clean:
	rm -rf .build $(FUZZ_BUILD) demo-output

# Merit — two commands from a fresh machine:
#   make demo   installs what is missing, builds, and reviews a sample company
#   make test   installs what is missing, builds, and runs every test and conformance case
SHELL := /bin/bash
SWIFT ?= swift
CASES ?= ../shared/spec/cases
APT_PACKAGES := libxlsxwriter-dev zlib1g-dev pkg-config

.PHONY: all deps build release demo test unit conformance bench clean

all: build

# Install the system packages the build needs when they are absent (Debian/Ubuntu).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required: https://www.swift.org/install/linux/"; exit 1; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: build
	.build/debug/merit demo --dir demo-output --rubrics rubrics

# Unit, property and end-to-end tests, then every public conformance case through the built binary.
test: build
	$(SWIFT) test
	@if [ -d "$(CASES)" ]; then python3 $(CASES)/../check_case.py --all $(CASES) -- .build/debug/merit; \
	 else echo "conformance cases not found at $(CASES); skipped"; fi

clean:
	rm -rf .build demo-output

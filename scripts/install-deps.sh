#!/bin/sh
# Install the Debian packages interleave needs to build, test and run.
# perl (for prove) and python3-junitparser are the real consumers that
# `make check` reads the grading reports with (TAP, JUnit XML).
# Idempotent: packages already present are skipped, and apt-get runs only
# when something is missing.  Run as root (or through sudo).
set -eu

PKGS="build-essential autoconf automake autoconf-archive pkg-config
libncurses-dev check libcmark-dev tmux valgrind python3 make gcc
clang-format perl python3-junitparser"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    echo "install-deps: all packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "install-deps: installing:$missing"
$SUDO apt-get update -q
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing

#!/bin/sh
# setup.sh - Gradescope's image setup for the interleave autograder.
#
# Gradescope runs it once, as root, when it builds the autograder image
# (Ubuntu).  It installs interleave from the release tarball shipped in
# the autograder zip next to this file (interleave-VERSION.tar.gz, from
# `make dist`), with the packages it needs to build.
set -eu
cd "$(dirname "$0")"
apt-get install -y --no-install-recommends build-essential pkg-config \
    libncurses-dev libcmark-dev
tarball=$(ls interleave-*.tar.gz | head -n 1)
tar xzf "$tarball"
cd "${tarball%.tar.gz}"
./configure --prefix=/usr/local
make -j2
make install

#!/usr/bin/env bash
# Installs what a fresh machine (Swift toolchain, Debian) lacks for `make demo` and
# `make test`: OpenSSL headers, pkg-config, a JDK, python3, valgrind, the openssl tool, ss.
# Idempotent: does nothing when everything is there. Needs root (or sudo) only to install.
set -euo pipefail
need=()
dpkg -s libssl-dev >/dev/null 2>&1 || need+=(libssl-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)   # make test-valgrind
command -v openssl >/dev/null 2>&1 || need+=(openssl)     # scripts/make-test-certs.sh
command -v ss >/dev/null 2>&1 || need+=(iproute2)       # tests/limits (listen backlog)
[ ${#need[@]} -eq 0 ] && exit 0
echo "setup: installing ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}"

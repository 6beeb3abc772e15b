#!/usr/bin/env bash
# Installs the headless browser the evaluation-service browser test drives (ListeningFormBrowserTest):
# Debian's chromium and its chromedriver. Idempotent: does nothing when both are already there.
# Needs root (CI runs as root) and Debian's package repositories.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) and chromedriver already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get here; install chromium and chromedriver (/usr/bin/chromium, /usr/bin/chromedriver) by hand" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-chromium: must run as root (or with sudo) to apt-get install chromium chromium-driver" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# Install straight away when the package lists know the packages; otherwise refresh them first.
if ! $SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver; then
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends chromium chromium-driver
fi

test -x /usr/bin/chromium && test -x /usr/bin/chromedriver
echo "install-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"

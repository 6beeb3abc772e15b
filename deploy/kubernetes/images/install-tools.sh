#!/usr/bin/env bash
# Installs what building and running the service images needs, from Debian's packages: buildah (builds),
# podman (imports the base, runs the image test), runc (the runtime containers.conf names) and mmdebstrap
# (makes the base). Idempotent: does nothing when all four are there. Run as root (sudo); CI runs it as root.
set -euo pipefail

tools=(buildah podman runc mmdebstrap)
missing=()
for tool in "${tools[@]}"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done

if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || { echo "install-tools: ${missing[*]} missing; run me as root (sudo $0)" >&2; exit 1; }
  command -v apt-get >/dev/null 2>&1 || { echo "install-tools: no apt-get; install ${missing[*]} by hand" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  # straight away when apt's package lists know the packages, else after refreshing them
  apt-get install -y -q --no-install-recommends "${tools[@]}" \
    || { apt-get update -q && apt-get install -y -q --no-install-recommends "${tools[@]}"; }
fi
echo "install-tools: $(buildah --version | head -n 1), $(podman --version), $(runc --version | head -n 1)," \
  "mmdebstrap $(mmdebstrap --version | awk '{print $2}')"

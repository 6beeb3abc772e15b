#!/usr/bin/env bash
# Builds the four service images with buildah from the packaged Quarkus applications
# (<service>/target/quarkus-app; package them first: ./mvnw -B package -DskipTests).
#
#   deploy/kubernetes/build-images.sh [--base IMAGE] [--tag TAG] [--rebuild-base] [SERVICE...]
#
# The base (Debian plus a headless Java 17 runtime) is made with mmdebstrap from this machine's own apt
# sources and imported into local container storage as $BASE_NAME; an existing one is reused, so a second
# run builds only the service images. --base IMAGE (or MUSICGEN_BASE_IMAGE) uses an image from a registry
# instead (any image with `java` 17 on its PATH, e.g. eclipse-temurin:17-jre). Images are tagged
# musicgen/<service>:TAG (default dev, what overlays/dev deploys; or MUSICGEN_IMAGE_TAG). The GPU trainer
# (images/trainer-service/Dockerfile.gpu) is not built here: it needs a libtorch download (README).
# Needs buildah, and mmdebstrap for the base (images/install-tools.sh installs them); run as root, or as a
# user with subordinate ids for rootless buildah and mmdebstrap's unshare mode.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
images="$root/deploy/kubernetes/images"
all_services=(ingest-service trainer-service generator-service evaluation-service)

base="${MUSICGEN_BASE_IMAGE:-}"
tag="${MUSICGEN_IMAGE_TAG:-dev}"
rebuild_base=false
services=()
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base="${2:?--base needs an image}"; shift 2 ;;
    --tag) tag="${2:?--tag needs a tag}"; shift 2 ;;
    --rebuild-base) rebuild_base=true; shift ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "build-images: unknown option $1" >&2; exit 2 ;;
    *) services+=("$1"); shift ;;
  esac
done
[ "${#services[@]}" -gt 0 ] || services=("${all_services[@]}")

# The project's podman/buildah settings, unless the caller chose a file (see images/containers.conf).
export CONTAINERS_CONF="${CONTAINERS_CONF:-$images/containers.conf}"

log() { echo "build-images: $*" >&2; }
work=""
trap '[ -z "$work" ] || rm -rf "$work"' EXIT
die() { log "$*"; exit 1; }

command -v buildah >/dev/null 2>&1 || die "buildah is not installed (deploy/kubernetes/images/install-tools.sh)"
for service in "${services[@]}"; do
  [ -f "$images/$service/Dockerfile" ] || die "no image for '$service' (one of: ${all_services[*]})"
  [ -f "$root/$service/target/quarkus-app/quarkus-run.jar" ] \
    || die "$service is not packaged: run ./mvnw -B -pl $service -am package -DskipTests"
done

command -v podman >/dev/null 2>&1 || die "podman is not installed (deploy/kubernetes/images/install-tools.sh)"

# The size of a local image in MB (10^6 bytes) of uncompressed layers, as `podman images` counts it.
image_mb() {
  echo "$(( ($(podman image inspect --format '{{.Size}}' "$1") + 500000) / 1000000 )) MB"
}

# Debian's release of this machine (bookworm here); the base follows it unless MUSICGEN_BASE_SUITE says.
suite="${MUSICGEN_BASE_SUITE:-$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")}"
suite="${suite:-bookworm}"
BASE_NAME="localhost/musicgen/jre17-base:$suite"

# Makes the base with mmdebstrap and imports it: minbase, openjdk-17-jre-headless, no documentation beyond
# the copyright files, a passwd entry for the services' user 185, UTF-8 as the default encoding.
make_base() {
  command -v mmdebstrap >/dev/null 2>&1 || die "mmdebstrap is not installed (deploy/kubernetes/images/install-tools.sh)"
  command -v apt-get >/dev/null 2>&1 || die "no apt here to read Debian's mirror from; pass --base IMAGE instead"
  local sources started
  # The Debian repositories this machine's apt uses (never a mirror written down here), as one-line entries.
  sources="$(apt-get indextargets --format 'deb $(REPO_URI) $(RELEASE) $(COMPONENT)' 'Origin: Debian' \
    'Identifier: Packages' | sort -u)"
  [ -n "$sources" ] || die "apt knows no Debian repository (apt-get update first?); or pass --base IMAGE"
  # apt settings of this machine that decide whether it can reach and trust the mirror
  local proxy="" valid=""
  eval "$(apt-config shell proxy Acquire::http::Proxy valid Acquire::Check-Valid-Until)"
  local aptopts=()
  [ -n "$proxy" ] && aptopts+=(--aptopt="Acquire::http::Proxy \"$proxy\"")
  [ -n "$valid" ] && aptopts+=(--aptopt="Acquire::Check-Valid-Until \"$valid\"")
  work="$(mktemp -d "${TMPDIR:-/tmp}/musicgen-base.XXXXXX")"
  started=$SECONDS
  log "making the base $BASE_NAME with mmdebstrap ($suite, minbase + openjdk-17-jre-headless)"
  # merged-usr hooks: /usr merged up front (usr-is-merged), so usrmerge and perl stay out of the image.
  # openjdk's postinst links its man page: the directory must exist though man pages are left out.
  if ! printf '%s\n' "$sources" | mmdebstrap --variant=minbase --include=openjdk-17-jre-headless \
      --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr "${aptopts[@]}" --dpkgopt=force-unsafe-io \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
      --customize-hook='chroot "$1" useradd --system --uid 185 --user-group --home-dir /tmp --no-create-home \
        --shell /usr/sbin/nologin musicgen' \
      --customize-hook='rm -f "$1/etc/apt/apt.conf.d/99mmdebstrap"' \
      "$suite" "$work/base.tar" - >"$work/mmdebstrap.log" 2>&1; then
    tail -n 30 "$work/mmdebstrap.log" >&2
    die "mmdebstrap failed"
  fi
  # Imported only from a complete archive, so a failed run never leaves a base behind to be reused.
  import_base "$work/base.tar"
  # CPU time of mmdebstrap and the import (the children's user and system time, bash's `times`): wall time on a
  # busy machine says little
  times >"$work/times"
  log "base $BASE_NAME made in $((SECONDS - started)) s (CPU: $(tail -n 1 "$work/times")" \
    "user and system): $(image_mb "$BASE_NAME")"
  rm -rf "$work"
}

import_base() {
  podman import --quiet \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    --change "LABEL org.opencontainers.image.description=\"Debian $suite minbase, openjdk-17-jre-headless\"" \
    "$1" "$BASE_NAME" >/dev/null
}

if [ -n "$base" ]; then
  log "base: $base (given)"
else
  if [ "$rebuild_base" = false ] && podman image exists "$BASE_NAME"; then
    log "base: $BASE_NAME (reused: $(image_mb "$BASE_NAME"); --rebuild-base makes it again)"
  else
    make_base
  fi
  base="$BASE_NAME"
fi

declare -A built
for service in "${services[@]}"; do
  name="musicgen/$service:$tag"
  started=$SECONDS
  previous="$(podman image inspect --format '{{.Id}}' "localhost/$name" 2>/dev/null || true)"
  buildah build --quiet --layers --pull=missing \
    --build-arg "JRE_IMAGE=$base" \
    -f "$images/$service/Dockerfile" -t "$name" "$root" >/dev/null
  # the image this tag named before, unless something else still names or uses it
  current="$(podman image inspect --format '{{.Id}}' "localhost/$name")"
  if [ -n "$previous" ] && [ "$previous" != "$current" ] \
      && [ -z "$(podman image inspect --format '{{join .RepoTags " "}}' "$previous" 2>/dev/null)" ]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
  fi
  built[$service]="$(image_mb "localhost/$name")"
  log "built $name in $((SECONDS - started)) s"
done

echo "image sizes (uncompressed, as podman images counts them):"
[ "$base" = "$BASE_NAME" ] && printf '  %-40s %s\n' "$BASE_NAME" "$(image_mb "$BASE_NAME")"
for service in "${services[@]}"; do
  printf '  %-40s %s\n' "musicgen/$service:$tag" "${built[$service]}"
done

#!/usr/bin/env bash
# Creates the three Secrets the manifests use and hold no value of (README.md, step 2), with random
# passwords. Arguments go to every `kubectl create`: `--dry-run=client -o yaml` shows them without a
# cluster (the offline checks read them that way). NAMESPACE (default musicgen) picks the namespace.
set -euo pipefail
ns="${NAMESPACE:-musicgen}"
random() { openssl rand -hex 24; }
# MinIO's root account (used only by MinIO, its setup Job and the backup CronJob)
kubectl -n "$ns" create secret generic minio-root \
  --from-literal=root-user=musicgen-admin \
  --from-literal=root-password="$(random)" "$@"
# The account the services use; the setup Job creates it in MinIO, limited to the five buckets
kubectl -n "$ns" create secret generic musicgen-storage \
  --from-literal=access-key=musicgen-services \
  --from-literal=secret-key="$(random)" "$@"
# The API key that guards the write endpoints of ingest, trainer and generator
kubectl -n "$ns" create secret generic musicgen-api \
  --from-literal=api-key="$(random)" "$@"

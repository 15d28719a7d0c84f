#!/usr/bin/env bash
# Development keys for the compose stack, in deploy/compose/secrets (never committed): intake's
# master, id and blind-index keys, notification's ack-token key and the sample directory's webhook
# signing secret, each 32 random bytes in hex. Keeps keys that exist: new keys would make the
# stored cases unreadable. The services read them as uid 10001 through a bind mount, so the files
# are readable by all on this machine: development keys for fictional data only.
set -euo pipefail
secrets="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets"
mkdir -p "$secrets/intake" "$secrets/notification" "$secrets/webhooks"
printf '*\n' >"$secrets/.gitignore"
key() { [[ -s "$1" ]] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$1"; }
for name in master id blind-index; do key "$secrets/intake/$name.key"; done
key "$secrets/notification/ack.key"
key "$secrets/webhooks/sample-webhook"
# Mutual TLS between the services and the key that signs people's tokens: a local CA, one
# certificate per service (DNS names intake, screening, ... as compose names the containers, and
# localhost, which the situation console's HTTPS address uses). The
# CA's key and the token-signing key stay in deploy/compose/pki, outside what the containers mount:
# a container that could read them could mint any identity.
pki="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pki"
"$(dirname "${BASH_SOURCE[0]}")/../security/make-local-pki.sh" "$pki" >/dev/null
printf '*\n' >"$pki/.gitignore"
mkdir -p "$secrets/tls/token-keys"
cp "$pki/ca.crt" "$secrets/tls/"
for service in intake screening routing notification situation diagnostics; do cp "$pki/$service.crt" "$pki/$service.key" "$secrets/tls/"; done
cp "$pki/token-keys/"*.pem "$secrets/tls/token-keys/"
# The services run as uid 10001 in the containers and read these through a bind mount.
chmod -R a+rX "$secrets"
echo "development secrets in $secrets"

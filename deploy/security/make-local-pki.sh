#!/usr/bin/env bash
# Makes a local certificate authority, a certificate per service (server and client: mutual TLS) and
# a token signing key, for the local run and the tests. Never for a deployment: there the
# certificates come from the cluster's issuer (e.g. cert-manager) and tokens from the identity
# provider. Usage:
#   deploy/security/make-local-pki.sh OUT_DIR [EXTRA_DNS_NAME...]
# Writes (keys readable by the owner only):
#   ca.crt ca.key                     the local CA
#   <service>.crt <service>.key       CN=pact-<service>, SAN localhost, 127.0.0.1, pact-<service>, <service>
#   token-signing/local-1.pem         Ed25519 private key that mints people's tokens (pactctl token)
#   token-keys/local-1.pem            its public key, which the services trust
#   other-ca.crt stranger.crt/.key    a second CA and a certificate from it (tests: a wrong CA)
#   peer-routing.crt/.key             from other-ca as a peer hub's CA: CN pact-routing.mk
#   peer-impostor.crt/.key            from other-ca, claiming this hub's CN pact-routing
#   peer-al.crt/.key                  from other-ca as a third hub's CA: CN pact-routing.al
# PACT_PKI_NAME_SUFFIX (e.g. ".mk") is appended to the services' common names: a second hub's PKI,
# whose routing a peer's policy lists as pact-routing.mk.
# Existing files are kept, so running it again changes nothing.
set -euo pipefail

out=${1:?usage: make-local-pki.sh OUT_DIR [EXTRA_DNS_NAME...]}
shift
extra_names=("$@")
command -v openssl >/dev/null || { echo "make-local-pki: openssl is required (deploy/bootstrap.sh installs it)" >&2; exit 1; }
mkdir -p "$out/token-signing" "$out/token-keys"
umask 077

make_ca() {  # name subject
  [[ -f "$out/$1.crt" ]] && return
  openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 825 \
    -subj "/O=PaCT Referral Hub (local)/CN=$2" -keyout "$out/$1.key" -out "$out/$1.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

make_leaf() {  # file-name common-name ca-name
  local name=$1 cn=$2 ca=$3
  [[ -f "$out/$name.crt" ]] && return
  local san="DNS:localhost,IP:127.0.0.1,DNS:$cn,DNS:$name"
  for extra in "${extra_names[@]}"; do san+=",DNS:$extra"; done
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj "/O=PaCT Referral Hub (local)/CN=$cn" \
    -keyout "$out/$name.key" -out "$out/$name.csr" 2>/dev/null
  openssl x509 -req -in "$out/$name.csr" -CA "$out/$ca.crt" -CAkey "$out/$ca.key" -CAcreateserial -days 397 \
    -out "$out/$name.crt" -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature\n' "$san") 2>/dev/null
  rm -f "$out/$name.csr"
}

make_ca ca "PaCT local CA"
for service in intake screening routing notification diagnostics situation; do
  make_leaf "$service" "pact-$service${PACT_PKI_NAME_SUFFIX:-}" ca
done
make_ca other-ca "Someone else's CA"
make_leaf stranger pact-intake other-ca
# As a peer hub's CA would issue them: its own routing service, and one claiming this hub's name.
make_leaf peer-routing pact-routing.mk other-ca
make_leaf peer-impostor pact-routing other-ca
make_leaf peer-al pact-routing.al other-ca

if [[ ! -f "$out/token-signing/local-1.pem" ]]; then
  openssl genpkey -algorithm ed25519 -out "$out/token-signing/local-1.pem"
  openssl pkey -in "$out/token-signing/local-1.pem" -pubout -out "$out/token-keys/local-1.pem"
fi
chmod 644 "$out"/*.crt "$out/token-keys/"*.pem
echo "$out"

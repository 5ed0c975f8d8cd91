#!/usr/bin/env bash
# Regenerates the DEVELOPMENT trust material used by docker-compose.yml and local runs, into certs-dev/out/:
#   ca.crt / ca.key          a throw-away development CA (ECDSA P-256, 2 years)
#   server.crt / server.key  the host's HTTPS certificate for localhost, 127.0.0.1 and the compose service name "spbe"
#   master.key               a master key in the host's file format (Spbe:MasterKeyFile)
#   postgres.password        the compose database password
# Never used by tests (they generate their own per run) and refused by the host outside the Development environment.
#
#   certs-dev/generate.sh [--force]
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)/out"
if [ -e "$out/ca.crt" ] && [ "${1:-}" != "--force" ]; then
  echo "certs-dev/out already holds material; pass --force to replace it" >&2
  exit 1
fi
rm -rf "$out"
mkdir -p "$out"
umask 077

openssl ecparam -name prime256v1 -genkey -noout -out "$out/ca.key"
openssl req -x509 -new -key "$out/ca.key" -sha256 -days 730 -out "$out/ca.crt" \
  -subj "/O=Spbe.Security development/CN=Spbe.Security Development CA (NOT FOR PRODUCTION)" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign"

openssl ecparam -name prime256v1 -genkey -noout -out "$out/server.key.ec"
openssl pkcs8 -topk8 -nocrypt -in "$out/server.key.ec" -out "$out/server.key"
rm "$out/server.key.ec"
openssl req -new -key "$out/server.key" -subj "/O=Spbe.Security development/CN=localhost" -out "$out/server.csr"
cat >"$out/server.ext" <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,DNS:spbe,IP:127.0.0.1,IP:::1
EXT
openssl x509 -req -in "$out/server.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial -days 365 -sha256 \
  -extfile "$out/server.ext" -out "$out/server.crt"
cat "$out/ca.crt" >>"$out/server.crt"
rm "$out/server.csr" "$out/server.ext" "$out/ca.srl"

{
  echo "# Spbe.Security DEVELOPMENT master key (certs-dev/generate.sh). Never use it for real data."
  echo "spbe-master-key-v1:$(openssl rand -base64 32)"
} >"$out/master.key"
openssl rand -hex 24 >"$out/postgres.password"

# The container runs as a non-root user: let it read what it mounts (development material only). The CA key stays
# private: nothing in the container needs it.
chmod 0644 "$out"/*
chmod 0600 "$out/ca.key"
echo "Development trust material written to $out:"
ls -1 "$out"

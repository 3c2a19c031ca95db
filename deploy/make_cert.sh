#!/usr/bin/env bash
# A self-signed certificate for the classroom, for HTTPS: browsers allow the camera only in a secure context.
#   deploy/make_cert.sh                      this machine's host name and IP addresses, and localhost
#   deploy/make_cert.sh lab.school.example   ... and these extra names or addresses
# Writes deploy/tls/cert.pem and deploy/tls/key.pem (or into $CERT_DIR), valid 1 year, the key readable by you only.
set -euo pipefail
out="${CERT_DIR:-$(cd "$(dirname "$0")" && pwd)/tls}"
mkdir -p "$out"
names=(localhost "$(hostname)" "$@")
ips=(127.0.0.1 ::1 $(hostname -I 2>/dev/null || true))
san=""
for n in "${names[@]}"; do
  if [[ "$n" =~ ^[0-9.]+$ || "$n" == *:* ]]; then ips+=("$n"); else san+="DNS:$n,"; fi
done
for ip in "${ips[@]}"; do san+="IP:$ip,"; done
umask 077
openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes \
  -keyout "$out/key.pem" -out "$out/cert.pem" \
  -subj "/CN=Quantization Lab classroom ($(hostname))" \
  -addext "subjectAltName=${san%,}" -addext "extendedKeyUsage=serverAuth" 2>/dev/null
chmod 644 "$out/cert.pem"
echo "wrote $out/cert.pem and $out/key.pem for: ${san%,}"
openssl x509 -in "$out/cert.pem" -noout -fingerprint -sha256

#!/usr/bin/env bash
# The app over HTTPS for the classroom (one Streamlit process; `python -m deploy.classroom --https` for several).
#   deploy/serve_https.sh [port]     students open https://<this machine's IP>:<port> (default 8501)
# Makes the self-signed certificate first if deploy/tls/ has none (deploy/make_cert.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[[ -f "$here/tls/cert.pem" && -f "$here/tls/key.pem" ]] || "$here/make_cert.sh"
cd "$here/.."
exec python -m streamlit run app.py --server.address 0.0.0.0 --server.port "${1:-8501}" \
  --server.sslCertFile "$here/tls/cert.pem" --server.sslKeyFile "$here/tls/key.pem"

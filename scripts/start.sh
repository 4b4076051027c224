#!/usr/bin/env bash
# Install what the dashboard needs (first run only) and start it on the bundled sample data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh runtime
echo "Starting the dashboard on http://127.0.0.1:${PORT:-8501} (Ctrl+C to stop)"
exec .venv/bin/python -m streamlit run dashboard/app.py \
  --server.address 127.0.0.1 --server.port "${PORT:-8501}" "$@"

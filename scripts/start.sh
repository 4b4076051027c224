#!/usr/bin/env bash
# Install what the dashboard needs (first run only) and start it on the bundled sample data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh runtime
echo "Starting the dashboard on http://127.0.0.1:${PORT:-8501} (Ctrl+C to stop)"
# `python -m dashboard` is `streamlit run dashboard/app.py` that imports the first page's
# modules while the browser loads (a faster first page); it takes the same options.
exec .venv/bin/python -m dashboard \
  --server.address 127.0.0.1 --server.port "${PORT:-8501}" "$@"

#!/usr/bin/env bash
# A local Label Studio server, in its own virtual environment (.ls-venv) so its dependencies
# never mix with the project's: for the live-project tests, the pull benchmark, and for
# trying `python -m analysis report ls://127.0.0.1:PORT/projects/ID` by hand.
#   bash scripts/label_studio_server.sh install                    # first run only, about 2 minutes
#   bash scripts/label_studio_server.sh start [PORT] [DATA_DIR]    # install if needed, run on 127.0.0.1
# The server runs on SQLite in DATA_DIR (default .cache/label-studio), never checks PyPI for a
# newer release, and listens on the loopback address only.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=1.23.2
venv=.ls-venv
want="label-studio==$VERSION sentry-sdk<3"

install() {
  if [ "$(cat "$venv/.installed" 2>/dev/null)" = "$want" ]; then
    return
  fi
  python=${PYTHON:-python3}
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  echo "label-studio-server: installing label-studio $VERSION into $venv (first run takes about 2 minutes)" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "label-studio==$VERSION" "sentry-sdk<3"
  echo "$want" > "$venv/.installed"
}

case "${1:-start}" in
  install)
    install
    ;;
  start)
    install
    port=${2:-8080}
    data=${3:-.cache/label-studio}
    mkdir -p "$data"
    export LABEL_STUDIO_BASE_DATA_DIR="$data" LATEST_VERSION_CHECK=false
    exec "$venv/bin/label-studio" start --no-browser --internal-host 127.0.0.1 --port "$port" \
      --data-dir "$data" --enable-legacy-api-token
    ;;
  *)
    echo "usage: bash scripts/label_studio_server.sh install|start [PORT] [DATA_DIR]" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv.
#   bash scripts/setup_env.sh runtime   # what the dashboard and CLI need
#   bash scripts/setup_env.sh dev       # plus test tools, Chromium and a Korean font
# Re-running is cheap: packages are reinstalled only when the requirements file changed.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-runtime}
req=requirements.txt
[ "$kind" = dev ] && req=requirements-dev.txt

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: Python 3.11 or newer is needed (found: $("$python" --version 2>&1)). Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv

stamp=.venv/.installed-$kind
want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing $req into .venv (first run takes a few minutes)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  # PyTorch first, CPU build: a plain install of the pin from PyPI pulls a multi-GB CUDA
  # build. A wheel pip already finds without an index (find-links in pip.conf or
  # PIP_FIND_LINKS) is used as it is; otherwise the pin comes from PyTorch's CPU index
  # (TORCH_INDEX_URL overrides it). requirements.txt then finds torch installed.
  torch_pin=$(grep -E '^torch==' requirements.txt)
  if ! .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(m.version('torch').split('+')[0] != '${torch_pin#torch==}')" 2>/dev/null; then
    .venv/bin/python -m pip install --quiet --no-index "$torch_pin" 2>/dev/null \
      || .venv/bin/python -m pip install --quiet "$torch_pin" --index-url "${TORCH_INDEX_URL:-https://download.pytorch.org/whl/cpu}"
  fi
  .venv/bin/python -m pip install --quiet -r "$req"
  echo "$want" > "$stamp"
fi

if [ "$kind" = dev ]; then
  # The browser test drives the system's Chromium (never a downloaded browser build);
  # fonts-noto-cjk lets it render Korean text.
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  fc-list 2>/dev/null | grep -qi "noto.*cjk" || missing+=(fonts-noto-cjk)
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]} with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

#!/usr/bin/env bash
# Prepare a machine to run readinglist from this checkout: Qt's system libraries (apt, when root
# on Debian/Ubuntu), the virtualenv in .venv, and the package with its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
QT_APT=(libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfreetype6 libfontconfig1 libdbus-1-3
        libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
        libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1)
EXTRA_APT=(${EXTRA_APT:-})

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${QT_APT[@]}" "${EXTRA_APT[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if ! "$PY" -c "import venv, ensurepip" >/dev/null 2>&1; then
  missing+=("python3-venv")
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing system packages: ${missing[*]}"
    echo "+ apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: Qt needs these system packages, which are missing:"
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
fi

stamp=.venv/.installed
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv"
  "$PY" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "bootstrap: installing readinglist and its test tools into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi
# compile our modules as `pip install` would for an installed app (an editable install leaves
# it to the first start, and never happens where PYTHONDONTWRITEBYTECODE is set); quick when
# nothing changed
.venv/bin/python -m compileall -q src/readinglist >/dev/null

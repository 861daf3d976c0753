#!/usr/bin/env bash
# Run the test suite on the other supported Pythons (3.12, 3.13) with a reduced Hypothesis
# profile.  A Python that is not installed is reported and skipped, not failed.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
for version in 3.12 3.13; do
  py=""
  for candidate in "python$version" "$HOME/.pyenv/versions/$version"*/bin/python"$version"; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys' >/dev/null 2>&1; then
      py=$(command -v "$candidate")
      break
    fi
  done
  if [ -z "$py" ] && command -v pyenv >/dev/null 2>&1; then
    full=$(pyenv versions --bare 2>/dev/null | grep -E "^${version//./\\.}\.[0-9]+$" | sort -V | tail -n 1 || true)
    if [ -n "$full" ]; then py=$(PYENV_VERSION="$full" pyenv which python 2>/dev/null || true); fi
  fi
  if [ -z "$py" ]; then
    echo "=== Python $version: not found, skipped ==="
    continue
  fi
  venv=".venv-$version"
  stamp="$venv/.careroles-installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$py" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --quiet --upgrade "pip>=25.1"
    "$venv/bin/python" -m pip install --quiet --quiet -e ".[testing,orjson]" --group tests
    touch "$stamp"
  fi
  echo "=== Python $version ($("$venv/bin/python" --version)) ==="
  HYPOTHESIS_PROFILE=quick "$venv/bin/python" -m pytest -q || status=1
done
exit $status

#!/usr/bin/env bash
# Creates (or repairs) the baseline's own environment: dedupe 3.0.3 with BTrees 6.4, as Open
# Supply Hub matches. Never installs into the project's .venv. Safe to run again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-dedupe"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    rm -rf "$venv"  # missing, or left half-made (no pip): make it again
    python3.11 -m venv "$venv"
fi
if "$venv/bin/python" -c "import dedupe, BTrees, importlib.metadata as m, sys; sys.exit(0 if m.version('dedupe') == '3.0.3' and m.version('BTrees') == '6.4' and m.version('Unidecode') == '1.3.8' else 1)" 2>/dev/null; then
    echo "dedupe environment ready: $venv"
    exit 0
fi
"$venv/bin/python" -m pip install --quiet -r "$here/requirements-dedupe.txt"
"$venv/bin/python" -c "import dedupe, importlib.metadata as m; print('dedupe', m.version('dedupe'), 'ready in', '$venv')"

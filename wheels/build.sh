#!/usr/bin/env bash
# Build the distributable framedetect, and prove it installs offline and runs without
# TensorFlow:
#   1. sdist + wheel into build/wheels/dist; the wheel must be <= 5 MB and hold the
#      runtime, every shipped model, the manifest and py.typed, and no training code;
#   2. an offline wheelhouse for this platform: framedetect + its [cpu] dependencies;
#   3. a fresh venv installs from that wheelhouse alone (pip config ignored, --no-index),
#      generates an image, predicts it, and reports import time and RSS; TensorFlow must
#      be neither installed nor imported.
# Usage: bash wheels/build.sh        (PYTHON=... to pick the interpreter; OUT=... the folder)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
    if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
OUT="${OUT:-build/wheels}"
MAX_WHEEL_BYTES=$((5 * 1024 * 1024))
rm -rf "$OUT"
mkdir -p "$OUT/dist" "$OUT/wheelhouse"

echo "== 1. build sdist and wheel"
"$PYTHON" -m build --sdist --wheel --outdir "$OUT/dist" . >"$OUT/build.log" 2>&1 \
    || { cat "$OUT/build.log"; exit 1; }
wheel=$(ls "$OUT"/dist/framedetect-*.whl)
"$PYTHON" - "$wheel" "$MAX_WHEEL_BYTES" <<'PY'
import json, os, sys, zipfile
wheel, limit = sys.argv[1], int(sys.argv[2])
size = os.path.getsize(wheel)
names = zipfile.ZipFile(wheel).namelist()
print(f"{os.path.basename(wheel)}: {size:,} bytes (limit {limit:,}), {len(names)} files")
for info in zipfile.ZipFile(wheel).infolist():
    print(f"  {info.file_size:>9,}  {info.filename}")
problems = []
if size > limit:
    problems.append(f"the wheel is {size:,} bytes, over the {limit:,} limit")
manifest = json.loads(zipfile.ZipFile(wheel).read("framedetect/models/manifest.json"))
needed = {"framedetect/py.typed", "framedetect/models/manifest.json", "framedetect/cli.py"}
needed |= {f"framedetect/models/{entry['file']}" for entry in manifest["models"]}
problems += [f"missing {name}" for name in sorted(needed - set(names))]
forbidden = ("framedetect_keras/", "framedetect_quantize/", "tests/", "converters/", "runs/")
problems += [f"should not ship {name}" for name in names if name.startswith(forbidden)]
if problems:
    sys.exit("wheel check failed:\n  " + "\n  ".join(problems))
print("wheel check: ok (" + ", ".join(e["precision"] for e in manifest["models"]) + " models)")
PY

echo "== 2. offline wheelhouse (framedetect[cpu] and its dependencies, this platform)"
cp "$wheel" "$OUT/wheelhouse/"
"$PYTHON" -m pip download -q --only-binary=:all: --dest "$OUT/wheelhouse" "${wheel}[cpu]"
ls "$OUT/wheelhouse"

echo "== 3. fresh venv, offline install, prediction"
"$PYTHON" -m venv "$OUT/venv"
PIP_CONFIG_FILE=/dev/null "$OUT/venv/bin/pip" install -q --no-index \
    --find-links "$OUT/wheelhouse" "framedetect[cpu]"
"$OUT/venv/bin/framedetect" --version
if "$OUT/venv/bin/pip" show tensorflow >/dev/null 2>&1 \
    || "$OUT/venv/bin/pip" show tensorflow-cpu >/dev/null 2>&1; then
    echo "FAIL: tensorflow is installed in the fresh venv" >&2; exit 1
fi
echo "tensorflow installed: no"
help_text=$("$OUT/venv/bin/framedetect" --help)
for command in predict scan sort review eval crop generate real-set bench train quantize; do
    grep -q "^  $command " <<<"$help_text" || { echo "FAIL: --help lacks $command" >&2; exit 1; }
done
if train_text=$("$OUT/venv/bin/framedetect" train 2>&1) \
    || ! grep -q "needs a source checkout with the \[train\] extra" <<<"$train_text"; then
    echo "FAIL: 'framedetect train' in a wheel install should exit 2 and say what it needs" >&2
    exit 1
fi
echo "commands listed: all; training ones say they need a source checkout"
(cd "$OUT" && venv/bin/framedetect generate demo --count 4 --seed 3 --no-photos \
    && venv/bin/framedetect predict demo/images/*)
# Every other runtime command, as a [cpu] install runs it, on the same four thumbnails.
(cd "$OUT/demo" && set -e \
    && ../venv/bin/framedetect scan images -o scan.jsonl \
    && ../venv/bin/framedetect sort images --into sorted \
    && ../venv/bin/framedetect review sorted \
    && ../venv/bin/framedetect eval . >/dev/null \
    && ../venv/bin/framedetect crop images/3-000003.jpg --output crop.png \
    && ../venv/bin/framedetect bench --help >/dev/null) \
    || { echo "FAIL: a runtime command failed in the wheel install" >&2; exit 1; }
echo "runtime commands run: predict, scan, sort, review, eval, crop (bench: --help)"
"$OUT/venv/bin/python" - "$OUT/demo/images" <<'PY'
import subprocess, sys, statistics
from pathlib import Path
image = sorted(Path(sys.argv[1]).iterdir())[0]
probe = (
    "import time; t = time.perf_counter(); import framedetect; "
    "print(time.perf_counter() - t)"
)
times = [float(subprocess.check_output([sys.executable, "-c", probe])) for _ in range(5)]
check = f"""
import sys, framedetect
result = framedetect.predict({str(image)!r})
rss = next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmRSS'))
heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'tf2onnx'))
print(result)
assert not heavy, heavy
print(f"RSS after the first prediction: {{rss / 1024:.0f}} MiB")
"""
subprocess.run([sys.executable, "-c", check], check=True)
print(f"import framedetect: median {statistics.median(times):.3f} s over 5 fresh interpreters")
print("tensorflow imported: no")
PY
echo "wheels: ok -> $OUT/dist, $OUT/wheelhouse"

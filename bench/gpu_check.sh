#!/usr/bin/env bash
# GPU check (< 5 minutes on a machine with an NVIDIA GPU):
#   1. install framedetect[gpu] into a fresh virtual environment;
#   2. test strict mode: provider="cuda" attaches CUDA, and fails with the typed error
#      when no GPU is visible (while "auto" warns and falls back);
#   3. run the bench for CUDA fp32 and fp16 (and CPU fp32 for comparison).
# Offline machines: WHEELHOUSE=/path/to/wheels bash bench/gpu_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-build/gpu-venv}"
OUT="${OUT:-build/gpu-check}"
mkdir -p "$OUT"

python3 -m venv "$VENV"
pip_args=(-q)
if [ -n "${WHEELHOUSE:-}" ]; then pip_args+=(--no-index --find-links "$WHEELHOUSE"); fi
"$VENV/bin/pip" install "${pip_args[@]}" ".[gpu]"
if "$VENV/bin/pip" show onnxruntime >/dev/null 2>&1; then
    echo "FAIL: [gpu] installed the CPU onnxruntime as well" >&2; exit 1
fi
"$VENV/bin/framedetect" --version | tee "$OUT/version.txt"

echo "== strict mode"
"$VENV/bin/python" - <<'PY'
import os, subprocess, sys, warnings
import framedetect
detector = framedetect.Detector(provider="cuda")
assert detector.providers[0] == "CUDAExecutionProvider", detector.providers
print("cuda attached:", detector.providers)
hidden = "import framedetect\ntry:\n    framedetect.Detector(provider='cuda')\nexcept framedetect.ProviderUnavailableError as e:\n    print('typed error:', e); raise SystemExit(0)\nraise SystemExit('cuda did not fail without a GPU')\n"
env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
subprocess.run([sys.executable, "-c", hidden], env=env, check=True)
auto = "import warnings, framedetect\nwith warnings.catch_warnings(record=True) as w:\n    warnings.simplefilter('always')\n    d = framedetect.Detector(provider='auto')\nassert d.providers == ['CPUExecutionProvider'], d.providers\nassert any(issubclass(x.category, framedetect.ProviderFallbackWarning) for x in w)\nprint('auto fell back with a warning')\n"
subprocess.run([sys.executable, "-c", auto], env=env, check=True)
PY

echo "== bench"
"$VENV/bin/framedetect" bench --provider cuda --precision fp32 --precision fp16 \
    --batch 1 --batch 8 --batch 32 --runs 200 --accuracy-images 500 \
    --json "$OUT/bench-cuda.json" --markdown | tee "$OUT/bench-cuda.md"
"$VENV/bin/framedetect" bench --provider cpu --precision fp32 --batch 1 --quick \
    --json "$OUT/bench-cpu.json" --markdown | tee "$OUT/bench-cpu.md"
echo "gpu check passed; results in $OUT"

#!/usr/bin/env bash
# The GPU checks of issue 13 as one prepared command, for a session that is lent a GPU machine
# (Python 3.12 with CUDA PyTorch, NumPy and Pillow; no Qt, no network).
#
# Here, first:   .venv/bin/python tools/device_site.py        # .devsite/site.tar.xz, ~26 MB
#                tools/device_check.sh --local                 # the same steps on this machine, CPU
# There (one call of the device tool, carry [".devsite"], timeout about 540 s):
#                bash tools/device_check.sh
#
# It unpacks the site into /tmp/site, then, each part with a time limit of its own so that one
# part's hang cannot eat the others' time, writing logs and JSON to $OUT (or ./device-out):
#   1. nvidia-smi and what PyTorch sees;
#   2. the tests that need CUDA, and the device and live-view tests (CUDA present changes "auto");
#   3. benchmarks/train.py --device cuda: accuracy on the CPU and on CUDA with samples/s side by
#      side, and the app's training with live views against a plain loop, both on CUDA.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
out=${OUT:-$here/device-out}
mkdir -p "$out"
python=${PYTHON:-python3}
device=cuda
if [ "${1:-}" = "--local" ]; then
    python=${PYTHON:-$here/.venv/bin/python}
    device=cpu
fi
site=/tmp/convdesigner-site
rm -rf "$site" && mkdir -p "$site"
tar -xJf .devsite/site.tar.xz -C "$site" || { echo "no .devsite/site.tar.xz: run tools/device_site.py"; exit 2; }
export PYTHONPATH="$site:$here" QT_QPA_PLATFORM=offscreen QT_NO_GUI_THREADPOOL=1 PYTHONUNBUFFERED=1

step() {   # step NAME SECONDS COMMAND...: run with a limit, log to $out/NAME.log, say how it went
    local name=$1 limit=$2
    shift 2
    local started=$SECONDS
    timeout "$limit" "$@" >"$out/$name.log" 2>&1
    local status=$?
    echo "== $name: exit $status after $((SECONDS - started)) s (limit $limit s)"
    tail -n 25 "$out/$name.log"
}

step 1-devices 60 bash -c "nvidia-smi || true; $python -c 'import torch, PySide6, pyqtgraph; \
print(\"torch\", torch.__version__, \"cuda\", torch.cuda.is_available(), \
torch.cuda.get_device_name(0) if torch.cuda.is_available() else \"-\"); \
print(\"PySide6\", PySide6.__version__, \"pyqtgraph\", pyqtgraph.__version__)'"
step 2-tests 150 "$python" -m pytest -q -p no:cacheprovider -x \
    tests/compute/test_device.py tests/compute/test_engine.py tests/compute/test_training.py \
    tests/ui/test_live.py tests/ui/test_training.py
if [ "$device" = cpu ]; then
    step 3-benchmark 300 "$python" benchmarks/train.py --quick --device cpu --json "$out/train-cpu.json"
else
    step 3-benchmark 300 "$python" benchmarks/train.py --device cuda --rounds 3 --json "$out/train-cuda.json"
fi

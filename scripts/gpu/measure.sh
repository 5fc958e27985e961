#!/usr/bin/env bash
# The issue-11 measurements on a GPU box, from the air-gapped archive, in one run:
#   gpu-check; bench-train-step --ep webgpu (profile summary, PyTorch peer on the same GPU, ratio);
#   the same step in mixed precision (train.precision=fp16); the same step on the box's CPU; whole epochs
#   of train --ep webgpu on synthetic clips shaped like the real ones (the run's samples/s against the
#   step's), in float32 and then in mixed precision (its accuracy beside float32's).
#
#   ARCHIVE=dist/signcast-*-linux-x64.tar.xz PEER=torch_baseline.py REAL=<folder with FILES.tsv> \
#     OUT=<results folder> bash scripts/gpu/measure.sh
#
# Optional: VK_DEBS=<folder of libvulkan1 .debs to unpack when the loader is missing>, PRESET (baseline),
# BATCHES (1000,256), STEPS (10), CLIPS (8000), SIGNS (250), EPOCHS (2), SETS (extra --set key=value,
# space-separated; a smaller SIGNS needs classes=<SIGNS> there), FP16 (1; 0 skips the mixed-precision runs).
# Figures go to $OUT (eight files: the device tool returns at most eight); the script stops at the first
# failure and says which step failed, except for the mixed-precision runs, whose failure (a GPU without
# shader-f16, say) is written down and the rest goes on. WebGPU node times in the profile are dispatch times: the wait for
# the GPU shows in the MemcpyToHost that reads the scalars back.
set -euo pipefail
ARCHIVE=${ARCHIVE:?ARCHIVE=<signcast-...-linux-x64.tar.xz>}
OUT=${OUT:?OUT=<results folder>}
PRESET=${PRESET:-baseline}
BATCHES=${BATCHES:-1000,256}
STEPS=${STEPS:-10}
CLIPS=${CLIPS:-8000}
SIGNS=${SIGNS:-250}
EPOCHS=${EPOCHS:-2}
SETS=${SETS:-}
FP16=${FP16:-1}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
ARCHIVE=$(cd "$(dirname "$ARCHIVE")" && pwd)/$(basename "$ARCHIVE")
[ -n "${PEER:-}" ] && PEER=$(cd "$(dirname "$PEER")" && pwd)/$(basename "$PEER")
[ -n "${REAL:-}" ] && REAL=$(cd "$REAL" && pwd)
step() { echo; echo "== $*" | tee -a "$OUT/steps.txt"; }
trap 'echo "FAILED during: $(tail -n 1 "$OUT/steps.txt" 2>/dev/null)" >&2' ERR

if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1' && [ -n "${VK_DEBS:-}" ]; then
  step "unpacking the Vulkan loader from $VK_DEBS"
  for f in "$VK_DEBS"/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -e /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
fi

work=$(mktemp -d)
step "unpacking $(basename "$ARCHIVE") into $work"
tar -xJf "$ARCHIVE" -C "$work"
cd "$work"/signcast-*-linux-x64
sets=()
for s in $SETS; do sets+=(--set "$s"); done
frames=(--frames full)
[ -n "${REAL:-}" ] && frames=(--real-data "$REAL")

step "gpu-check"
./signcast gpu-check | tee "$OUT/gpu-check.txt"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee -a "$OUT/gpu-check.txt"

step "bench-train-step --ep webgpu ($PRESET, batches $BATCHES)"
peer=()
[ -n "${PEER:-}" ] && peer=(--peer "$PEER")
./signcast bench-train-step --ep webgpu --preset "$PRESET" "${sets[@]}" --batch "$BATCHES" --steps "$STEPS" \
  "${frames[@]}" --profile "${peer[@]}" | tee "$OUT/bench-webgpu.txt"
profiles=$(grep -o 'profile: /.*\.json' "$OUT/bench-webgpu.txt" | cut -d' ' -f2 || true)
# shellcheck disable=SC2086
[ -n "$profiles" ] && tar -cJf "$OUT/profiles.tar.xz" $profiles

if [ "$FP16" = 1 ]; then
  step "bench-train-step --ep webgpu, mixed precision ($PRESET, batch ${BATCHES%%,*})"
  ./signcast bench-train-step --ep webgpu --preset "$PRESET" "${sets[@]}" --set train.precision=fp16 \
    --batch "${BATCHES%%,*}" --steps "$STEPS" "${frames[@]}" > "$OUT/bench-webgpu-fp16.txt" 2>&1 ||
    echo "mixed-precision bench failed (exit $?)" >> "$OUT/bench-webgpu-fp16.txt"
  cat "$OUT/bench-webgpu-fp16.txt"
fi

step "bench-train-step --ep cpu ($PRESET, batch ${BATCHES%%,*}, every core)"
./signcast bench-train-step --ep cpu --preset "$PRESET" "${sets[@]}" --batch "${BATCHES%%,*}" --steps 3 \
  "${frames[@]}" | tee "$OUT/bench-cpu.txt"

step "synth $CLIPS clips, preprocess"
./signcast synth --out data/synth --clips "$CLIPS" --signs "$SIGNS" --test-clips 0 > "$OUT/data.txt" 2>&1
./signcast preprocess --data data/synth --out data/pre >> "$OUT/data.txt" 2>&1

step "train --ep webgpu, $EPOCHS epochs ($PRESET)"
timed=()
[ -x /usr/bin/time ] && timed=(/usr/bin/time -v)
"${timed[@]}" ./signcast train --data data/pre --preset "$PRESET" "${sets[@]}" --set "epochs=$EPOCHS" \
  --ep webgpu --out runs/gpu > "$OUT/train-webgpu.txt" 2>&1
grep -E '^GPU|^epoch|done:|Elapsed|Maximum resident' "$OUT/train-webgpu.txt"
if [ "$FP16" = 1 ]; then
  step "train --ep webgpu, $EPOCHS epochs ($PRESET), mixed precision"
  echo "== mixed precision (train.precision=fp16)" >> "$OUT/train-webgpu.txt"
  "${timed[@]}" ./signcast train --data data/pre --preset "$PRESET" "${sets[@]}" --set "epochs=$EPOCHS" \
    --set train.precision=fp16 --ep webgpu --out runs/gpu-fp16 >> "$OUT/train-webgpu.txt" 2>&1 ||
    echo "mixed-precision training failed (exit $?)" >> "$OUT/train-webgpu.txt"
  sed -n '/^== mixed precision/,$p' "$OUT/train-webgpu.txt" | grep -E '^==|^epoch|done:|Elapsed|failed|Error'
fi
step "done: figures in $OUT"

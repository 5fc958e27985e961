#!/usr/bin/env bash
# Everything scripts/gpu/measure.sh needs on a GPU box that has no network, no Node and no npm, in one
# git-ignored folder to carry there (the device tool's `carry`, 64 MiB at most):
#   .device-kit/signcast-*-linux-x64.tar.xz  the archive (npm run pack; xz -9 unless LEVEL is given)
#   .device-kit/FILES.tsv                    the real clips' lengths (from SIGNCAST_REAL_DATA or ../shared/asl-real)
#   .device-kit/torch_baseline.py            the PyTorch peer (from PEER or ../shared/peers)
#   .device-kit/debs/*.deb                   the Vulkan loader for a box without one (apt-get download)
# and prints the command to run there. Run it from the repository's root: bash scripts/gpu/device-kit.sh
set -euo pipefail
KIT=.device-kit
LEVEL=${LEVEL:-9}
REAL=${SIGNCAST_REAL_DATA:-../shared/asl-real}
PEER=${PEER:-../shared/peers/torch_baseline.py}
[ -f package.json ] && [ -d scripts/gpu ] || { echo "run this from the repository's root" >&2; exit 1; }
[ -f "$REAL/FILES.tsv" ] || { echo "no $REAL/FILES.tsv: set SIGNCAST_REAL_DATA" >&2; exit 1; }
[ -f "$PEER" ] || { echo "no PyTorch peer at $PEER: set PEER" >&2; exit 1; }

rm -rf "$KIT" && mkdir -p "$KIT/debs"
npm run -s pack -- --out "$KIT" --level "$LEVEL"
cp "$REAL/FILES.tsv" "$PEER" "$KIT/"
lists=$(mktemp -d)
apt=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 "-oDir::State::Lists=$lists")
mkdir -p "$lists/partial"
apt-get "${apt[@]}" update > /dev/null
(cd "$KIT/debs" && apt-get "${apt[@]}" download libvulkan1 > /dev/null)
rm -rf "$lists"

bytes=$(du -sb "$KIT" | cut -f1)
limit=$((64 * 1024 * 1024))
echo "$KIT: $((bytes / 1024 / 1024)) MiB of the 64 MiB a run can carry"
[ "$bytes" -lt "$limit" ] || { echo "too large to carry: pack with a higher LEVEL" >&2; exit 1; }
archive=$(basename "$KIT"/signcast-*-linux-x64.tar.xz)
cat <<COMMAND
On the GPU box (device tool: carry [".device-kit"]), from the repository's root:
  ARCHIVE=$KIT/$archive PEER=$KIT/$(basename "$PEER") REAL=$KIT VK_DEBS=$KIT/debs OUT=\$OUT bash scripts/gpu/measure.sh
COMMAND

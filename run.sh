#!/usr/bin/env bash
# Quick start, command 1: install what NvrBlazor needs at run time if missing, then publish and run it from this folder
# (configuration: ./appsettings.json, database, keys and detection models: ./data, clips: ./recordings).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/packages.sh
ensure_dotnet
ensure_packages ffmpeg "$(turbojpeg_package)" python3-onnx python3-numpy
command -v npm > /dev/null || ensure_packages npm
# Object detection's models (docs/detection.md): fetched and converted once into data/models. Without them the
# server runs and records on motion as before, with detection off (health says so).
tools/models/install-models.sh data/models || echo "The detection models could not be installed (see above); NvrBlazor runs without object detection." >&2
# The app as it ships (the image's publish step): compiled ahead of time, so its first minutes are not spent in the JIT
# (docs/performance.md). It runs from this folder, which is its content root.
dotnet publish NvrBlazor.Web/NvrBlazor.Web.csproj -c Release -o bin/app
exec dotnet bin/app/NvrBlazor.Web.dll "$@"

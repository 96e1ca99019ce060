#!/usr/bin/env bash
# Quick start, command 1: install what NvrBlazor needs at run time if missing, then run it from this folder
# (configuration: ./appsettings.json, database and keys: ./data, clips: ./recordings).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/packages.sh
ensure_dotnet
ensure_packages ffmpeg "$(turbojpeg_package)"
exec dotnet run --project NvrBlazor.Web -c Release "$@"

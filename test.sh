#!/usr/bin/env bash
# Quick start, command 2: install what the tests need if missing, build, publish, and run every test
# against the published app (the same output the Docker image runs). Ends with "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/packages.sh
ensure_dotnet
# chromium drives the UI tests; python3-prometheus-client parses /metrics as Prometheus would;
# python3-opencv reads the MJPEG stream as a person's OpenCV script would; mosquitto (MQTT broker) and
# python3-aiosmtpd (SMTP server) receive notifications, started on loopback by the tests themselves;
# GStreamer's RTSP server (with x264 from plugins-ugly) is the RTSP camera the server pulls from.
# python3-onnx converts NanoDet to ONNX (tools/models); opencv-doc and darknet hold the photographs of people
# the detection tests check the models against.
ensure_packages ffmpeg "$(turbojpeg_package)" chromium python3-prometheus-client python3-opencv mosquitto python3-aiosmtpd \
  python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly \
  python3-onnx python3-numpy opencv-doc darknet
command -v npm > /dev/null || ensure_packages npm
# The detection models (docs/detection.md), fetched and converted once into the user's cache.
export NVR_TEST_MODELS="${XDG_CACHE_HOME:-$HOME/.cache}/nvrblazor/models"
tools/models/install-models.sh "$NVR_TEST_MODELS"

rm -rf TestResults
dotnet build NvrBlazor.sln -c Release -warnaserror
# The exact publish step of the Dockerfile.
dotnet publish NvrBlazor.Web/NvrBlazor.Web.csproj -c Release -o TestResults/publish --no-build
export NVR_WEB_APP_FOLDER="$PWD/TestResults/publish"
export NVR_TEST_ARTIFACTS="$PWD/TestResults/artifacts"

status=0
# --blame-crash: if the test host itself dies (native code in it: libturbojpeg, ONNX Runtime, SQLite), the tests it
# was running are written to TestResults/*/Sequence_*.xml and a mini dump beside them, instead of nothing.
dotnet test NvrBlazor.sln -c Release --no-build --logger "trx;LogFileName=results.trx" --results-directory TestResults \
  --blame-crash --blame-crash-dump-type mini || status=$?
# Nothing stops the servers a dead test host started (plain children and those in their own process group alike
# outlive it): stop them here, so that they do not run on beside whatever this machine does next. The same for the
# daemons the tests start (mosquitto, the SMTP and RTSP servers): their command lines name their folder under
# <temp>/nvr-tests/ (Support/LocalDaemon.cs).
temp=${TMPDIR:-/tmp}
leftover=$( (pgrep -f -- "$NVR_WEB_APP_FOLDER/NvrBlazor.Web.dll"; pgrep -f -- "${temp%/}/nvr-tests/") | sort -u || true)
if [ -n "$leftover" ]; then
  echo "Stopping test servers and daemons left running: $(tr '\n' ' ' <<< "$leftover")"
  kill $leftover 2> /dev/null || true
fi

trx=$(ls TestResults/*.trx 2>/dev/null | head -n 1 || true)
if [ -n "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<< "$counters")
  failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<< "$counters")
  echo "Screenshots and other artifacts: $NVR_TEST_ARTIFACTS"
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    # dotnet test failed and no test did: the run was aborted, and the tests that never ran must not read as green.
    echo "The test run did not finish: $(grep -o '<Text>[^<]*' "$trx" | head -n 1 | sed 's/<Text>//')"
    find TestResults -name 'Sequence_*.xml' -printf 'The tests running when it stopped: %p\n'
    failed=1
  fi
  echo "$passed passed, $failed failed"
  [ "$passed" -gt 0 ] || status=1
else
  echo "0 passed, 1 failed"
  status=1
fi
exit $status

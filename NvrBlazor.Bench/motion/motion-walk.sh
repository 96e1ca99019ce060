#!/usr/bin/env bash
# Motion 4.5 (Debian's `motion`, the engine behind motionEye) on the walk of NvrBlazor.Bench's `walk`, for a
# comparison on the same machine at the same time: N MJPEG cameras (VGA, 10 fps, a figure walking through from
# second 10 to 20 of every 30), Motion's own detection, and H.264 movies of its events with the same pre-roll (5 s)
# and post-roll (10 s) as NvrBlazor's defaults. Prints Motion's CPU (it decodes, detects and encodes in one process)
# per camera-second over the measured window, after a warm-up.
# usage: motion-walk.sh <cameras> <seconds> [warm-up seconds]   (frames: any walk run made ~/.cache/nvrblazor-bench/vga-walk-300)
set -euo pipefail
cameras=${1:-5} seconds=${2:-60} warmup=${3:-30}
frames="${XDG_CACHE_HOME:-$HOME/.cache}/nvrblazor-bench/vga-walk-300"
[ -f "$frames/f001.jpg" ] || { echo "no walk frames in $frames: run 'dotnet run -c Release --project NvrBlazor.Bench -- walk 1 10 0' once" >&2; exit 2; }
command -v motion > /dev/null || { echo "motion is not installed (apt-get install motion)" >&2; exit 2; }
work=$(mktemp -d)
port=$((20000 + RANDOM % 5000))
python3 "$(dirname "$0")/mjpeg_cameras.py" "$port" "$frames" & cameras_pid=$!
trap 'kill $cameras_pid ${motion_pid:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/motion.conf" <<CONF
daemon off
log_level 4
target_dir $work/movies
webcontrol_port 0
stream_port 0
width 640
height 480
framerate 10
picture_output off
movie_output on
movie_codec mp4
movie_filename %t-%v-%Y%m%d%H%M%S
pre_capture 50
post_capture 100
event_gap 1
CONF
for i in $(seq 0 $((cameras - 1))); do
  printf 'camera_id %d\nnetcam_url http://127.0.0.1:%d/%d\n' $((i + 1)) "$port" "$i" > "$work/cam$i.conf"
  echo "camera $work/cam$i.conf" >> "$work/motion.conf"
done
sleep 0.5
motion -n -c "$work/motion.conf" > "$work/motion.log" 2>&1 & motion_pid=$!
cpu() { awk '{print $14 + $15}' "/proc/$motion_pid/stat"; }
sleep "$warmup"
before=$(cpu)
sleep "$seconds"
after=$(cpu)
ticks=$(getconf CLK_TCK)
movies=$(find "$work/movies" -name "*.mp4" | wc -l)
# MOTION_WALK_KEEP=<folder>: keep Motion's configuration, log and movies there to look at.
if [ -n "${MOTION_WALK_KEEP:-}" ]; then cp -r "$work" "$MOTION_WALK_KEEP"; fi
awk -v b="$before" -v a="$after" -v t="$ticks" -v n="$cameras" -v s="$seconds" -v m="$movies" 'BEGIN {
  cpu = (a - b) / t
  printf "motion-walk: %d MJPEG cameras, VGA 10 fps, %d s measured after the warm-up; %d movies so far\n  Motion CPU %.2f s\n  %.3f CPU-s per camera-second\n", n, s, m, cpu, cpu / (n * s) }'

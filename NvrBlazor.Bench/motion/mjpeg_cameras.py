#!/usr/bin/env python3
"""N MJPEG cameras on loopback for Motion: GET /<n> streams the walk's frames (multipart/x-mixed-replace, as an
ESP32's CameraWebServer serves them) at 10 fps on a loop, every camera in the same phase as the walk benchmark's."""
import glob, http.server, os, socketserver, sys, time

frames = [open(f, 'rb').read() for f in sorted(glob.glob(os.path.join(sys.argv[2], '*.jpg')))]
start = time.monotonic()

class Camera(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header('Content-Type', 'multipart/x-mixed-replace; boundary=frame')
        self.end_headers()
        i = int((time.monotonic() - start) * 10)
        try:
            while True:
                wait = start + i / 10 - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                jpeg = frames[i % len(frames)]
                self.wfile.write(b'--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n' % len(jpeg) + jpeg + b'\r\n')
                i += 1
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

Server(('127.0.0.1', int(sys.argv[1])), Camera).serve_forever()

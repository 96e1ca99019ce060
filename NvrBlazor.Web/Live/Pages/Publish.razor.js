// The publishing page: a browser's webcam becomes an NvrBlazor camera (docs/protocol.md, NvrBlazor camera protocol).
// Frames are captured from the preview <video> into a canvas, encoded as JPEG, prefixed with the 8-byte
// big-endian capture time in ms and sent to /ingest?camera=<id> with the signed-in admin's cookie.
let stream = null;
let session = null;

// Timers of a page in a background tab run at most once a second; a worker's do not (wwwroot/js/ticker.js).
function newTicker(onTick) {
    const worker = new Worker(new URL('/js/ticker.js', import.meta.url));
    worker.onmessage = onTick;
    return worker;
}

export function secure() { return window.isSecureContext === true && !!navigator.mediaDevices?.getUserMedia; }

// Device labels are only given once the page has camera permission: ask once, then list.
export async function devices() {
    if (!secure()) return [];
    try {
        const probe = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
        probe.getTracks().forEach(t => t.stop());
    } catch (e) {
        return [{ id: '', label: `No camera permission: ${e.message}` }];
    }
    const all = await navigator.mediaDevices.enumerateDevices();
    return all.filter(d => d.kind === 'videoinput').map((d, i) => ({ id: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

export async function preview(video, deviceId, width, height) {
    stream?.getTracks().forEach(t => t.stop());
    stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { deviceId: deviceId ? { exact: deviceId } : undefined, width: { ideal: width }, height: { ideal: height } },
    });
    video.srcObject = stream;
    video.muted = true;
    await video.play();
    return `${video.videoWidth}x${video.videoHeight}`;
}

export function start(video, statsBox, cameraId, quality, fps) {
    stop();
    session = new Session(video, statsBox, cameraId, quality, fps);
    session.connect();
    // While publishing, a server restart must not reload this page (Shell/ReconnectModal.razor.js): the stream goes on.
    document.body.dataset.nvrKeepPage = 'publishing';
}

export function configure(quality, fps) { session?.configure(quality, fps); }

export function stop() {
    session?.stop();
    session = null;
    delete document.body.dataset.nvrKeepPage;
}

export function release() {
    stop();
    stream?.getTracks().forEach(t => t.stop());
    stream = null;
}

class Session {
    constructor(video, statsBox, cameraId, quality, fps) {
        Object.assign(this, { video, statsBox, cameraId, quality, fps });
        this.canvas = document.createElement('canvas');
        this.ws = null;
        this.running = true;
        this.paused = false;
        this.backoff = 500;
        this.sent = [];          // [time, bytes] of the last 2 s
        this.framesSent = 0;
        this.ack = 0;
        this.state = 'connecting';
        this.detail = '';
        this.encoding = false;
        this.statsTimer = setInterval(() => this.render(), 500);
    }

    configure(quality, fps) { this.quality = quality; this.fps = fps; this.schedule(); }

    connect() {
        const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ingest?camera=${this.cameraId}`;
        const ws = new WebSocket(url);
        ws.binaryType = 'arraybuffer';
        this.ws = ws;
        this.setState('connecting');
        ws.onopen = () => {
            this.backoff = 500;
            this.setState('publishing');
            this.sendStatus();
            this.schedule();
        };
        ws.onmessage = e => this.onMessage(String(e.data));
        ws.onclose = e => {
            if (this.ws !== ws) return;
            this.schedule();
            clearInterval(this.pausedTimer);
            if (!this.running) return;
            if (e.code === 1008) {
                // Policy: disabled, deleted, or another page took over this camera. Retrying would fight it.
                this.running = false;
                this.setState('stopped', e.reason || 'refused by the server');
                return;
            }
            this.setState('reconnecting', e.reason || 'connection lost');
            this.reconnectTimer = setTimeout(() => this.connect(), this.backoff + Math.random() * 250);
            this.backoff = Math.min(this.backoff * 2, 10000);
        };
    }

    onMessage(text) {
        if (text.startsWith('ack=')) { this.ack = Number(text.slice(4)); return; }
        if (text.startsWith('connected=')) return;
        for (const part of text.split(';').map(p => p.trim()).filter(Boolean)) {
            const [key, value] = part.split('=');
            if (key === 'fps' && Number(value) > 0) { this.fps = Math.min(30, Number(value)); this.schedule(); }
            else if (key === 'pause') this.setPaused(value === '1');
            else if (key === 'status' || key === 'status?q') this.sendStatus();
            else this.sendText(`unsupported by a browser camera: ${part}`);
        }
    }

    setPaused(paused) {
        this.paused = paused;
        clearInterval(this.pausedTimer);
        if (paused) this.pausedTimer = setInterval(() => this.sendText('paused'), 2000);
        this.sendText(paused ? 'paused' : 'resumed');
    }

    sendText(payload) { if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(`#${Date.now()}|${payload}`); }

    sendStatus() {
        this.sendText(JSON.stringify({
            fps: String(this.fps), quality: String(Math.round(this.quality * 100)),
            resolution: `${this.video.videoWidth}x${this.video.videoHeight}`, client: 'browser', userAgent: navigator.userAgent.slice(0, 120),
        }));
    }

    schedule() {
        this.ticker ??= newTicker(() => this.capture());
        const on = this.running && this.ws?.readyState === WebSocket.OPEN;
        this.ticker.postMessage(on ? Math.round(1000 / this.fps) : 0);
    }

    capture() {
        const ws = this.ws;
        if (ws?.readyState !== WebSocket.OPEN) return;
        const { videoWidth: w, videoHeight: h } = this.video;
        // Skip a frame instead of queueing when the network is slower than the camera: live beats complete.
        if (this.paused || this.encoding || !w || !h || ws.bufferedAmount > 1_000_000) return;
        this.encoding = true;
        this.canvas.width = w;
        this.canvas.height = h;
        this.canvas.getContext('2d').drawImage(this.video, 0, 0, w, h);
        const captured = Date.now();
        this.canvas.toBlob(async blob => {
            try {
                if (!blob) return;
                const jpeg = new Uint8Array(await blob.arrayBuffer());
                // Checked after the awaits: Stop (or a network drop) may have closed the socket meanwhile.
                if (ws.readyState !== WebSocket.OPEN) return;
                const message = new Uint8Array(8 + jpeg.length);
                new DataView(message.buffer).setBigInt64(0, BigInt(captured));
                message.set(jpeg, 8);
                ws.send(message);
                this.framesSent++;
                const now = performance.now();
                this.sent.push([now, message.length]);
                while (this.sent.length && now - this.sent[0][0] > 2000) this.sent.shift();
            } finally {
                this.encoding = false;
            }
        }, 'image/jpeg', this.quality);
    }

    setState(state, detail = '') { this.state = state; this.detail = detail; this.render(); }

    render() {
        const box = this.statsBox;
        if (!box) return;
        const span = this.sent.length > 1 ? (this.sent.at(-1)[0] - this.sent[0][0]) / 1000 : 0;
        const fps = span > 0 ? (this.sent.length - 1) / span : 0;
        const kbps = span > 0 ? this.sent.slice(1).reduce((a, [, b]) => a + b, 0) * 8 / 1000 / span : 0;
        box.dataset.state = this.state;
        box.dataset.framesSent = String(this.framesSent);
        box.dataset.ack = String(this.ack);
        const labels = { connecting: 'Connecting…', publishing: this.paused ? 'Paused by an admin' : 'Publishing', reconnecting: 'Reconnecting…', stopped: 'Stopped' };
        const rows = [
            ['State', `${labels[this.state]}${this.detail ? ` (${this.detail})` : ''}`],
            ['Sent', `${fps.toFixed(1)} fps · ${kbps.toFixed(0)} kbit/s`],
            ['Frames sent', String(this.framesSent)],
            ['Received by the server', String(this.ack)],
        ];
        box.replaceChildren(...rows.flatMap(([k, v]) => {
            const a = document.createElement('span'); a.textContent = k;
            const b = document.createElement('strong'); b.textContent = v; b.dataset.testid = `publish-${k.toLowerCase().replaceAll(' ', '-')}`;
            return [a, b];
        }));
    }

    stop() {
        this.running = false;
        this.ticker?.terminate();
        this.ticker = null;
        clearTimeout(this.reconnectTimer);
        clearInterval(this.pausedTimer);
        clearInterval(this.statsTimer);
        const ws = this.ws;
        this.ws = null;
        if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, 'publisher stopped');
        this.setState('stopped');
    }
}

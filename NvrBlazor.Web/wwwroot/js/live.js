// The live page's video: one WebSocket for every tile on the page (docs/protocol.md, "Live viewer protocol").
// Blazor renders each tile's empty `.nvr-video[data-camera-id]` box; this module fills it and draws
// what changes per frame (picture, camera clock, fps, motion border, REC, info line, offline state).
const HEADER = 21;
const STALE_MS = 5000;
const INFO_MS = 4000;

const tiles = new Map();          // camera id -> tile state
let socket = null;
let backoff = 500;
let reconnectTimer = null;
let started = false;
let observer = null;
let ticker = null;

// Called by the page after its first render; `scan` after every render (tiles come and go with the camera list).
export function start() {
    if (started) { scan(); return; }
    started = true;
    observer = new IntersectionObserver(entries => {
        for (const entry of entries) {
            const tile = tiles.get(Number(entry.target.dataset.cameraId));
            if (tile) { tile.onScreen = entry.isIntersecting; want(tile); }
        }
    });
    document.addEventListener('visibilitychange', onVisibility);
    ticker = setInterval(tick, 500);
    scan();
    connect();
}

// The page was left: close the socket, forget the tiles.
export function stop() {
    if (!started) return;
    started = false;
    document.removeEventListener('visibilitychange', onVisibility);
    clearInterval(ticker);
    clearTimeout(reconnectTimer);
    tiles.forEach(t => { clearInterval(t.statusTimer); if (t.url) URL.revokeObjectURL(t.url); });
    tiles.clear();
    observer.disconnect();
    const ws = socket;
    socket = null;
    ws?.close(1000, 'page closed');
}

function onVisibility() { tiles.forEach(want); }

export function fullscreen(element) {
    if (document.fullscreenElement) document.exitFullscreen();
    else element?.requestFullscreen?.();
}

export function scan() {
    if (!started) return;
    const seen = new Set();
    for (const box of document.querySelectorAll('.nvr-video[data-camera-id]')) {
        const id = Number(box.dataset.cameraId);
        seen.add(id);
        const existing = tiles.get(id);
        if (existing && existing.box === box) continue;
        if (existing) drop(existing);
        tiles.set(id, build(box, id));
    }
    for (const [id, tile] of tiles) if (!seen.has(id) || !tile.box.isConnected) drop(tile);
}

function build(box, id) {
    box.innerHTML = '';
    const el = (tag, cls, parent = box) => { const e = document.createElement(tag); e.className = cls; parent.appendChild(e); return e; };
    const img = el('img', 'nvr-frame');
    img.alt = `${box.dataset.cameraName} live`;
    img.dataset.testid = `frame-${id}`;
    const top = el('div', 'nvr-ov-top');
    const name = el('span', 'nvr-ov-name', top); name.textContent = box.dataset.cameraName;
    const clock = el('span', 'nvr-ov-clock', top);
    const fps = el('span', 'nvr-ov-fps', top);
    const rec = el('span', 'nvr-ov-rec', top); rec.textContent = 'REC';
    const badge = el('div', 'nvr-ov-state');
    const info = el('div', 'nvr-ov-info');
    const status = el('div', 'nvr-ov-status');
    const tile = { id, box, img, clock, fps, badge, info, status, onScreen: false, subscribed: false, frames: 0,
        arrivals: [], pending: null, decoding: false, url: null, state: null, lastFrameAt: 0, hover: false, statusTimer: null };
    box.dataset.frames = '0';
    box.addEventListener('mouseenter', () => { tile.hover = true; askStatus(tile); tile.statusTimer = setInterval(() => askStatus(tile), 2000); });
    box.addEventListener('mouseleave', () => { tile.hover = false; clearInterval(tile.statusTimer); box.classList.remove('nvr-show-status'); });
    setBadge(tile, socket?.readyState === WebSocket.OPEN ? 'connecting' : 'reconnecting');
    observer.observe(box);
    return tile;
}

function drop(tile) {
    observer.unobserve(tile.box);
    clearInterval(tile.statusTimer);
    if (tile.subscribed) send({ op: 'unsubscribe', camera: tile.id });
    if (tile.url) URL.revokeObjectURL(tile.url);
    tiles.delete(tile.id);
}

function wanted(tile) { return tile.onScreen && document.visibilityState === 'visible'; }

function want(tile) {
    const open = socket?.readyState === WebSocket.OPEN;
    if (wanted(tile) && !tile.subscribed && open) { send({ op: 'subscribe', camera: tile.id }); tile.subscribed = true; }
    else if (!wanted(tile) && tile.subscribed) { if (open) send({ op: 'unsubscribe', camera: tile.id }); tile.subscribed = false; }
}

function send(message) { if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message)); }

function askStatus(tile) { if (tile.hover) send({ op: 'status', camera: tile.id }); }

function connect() {
    clearTimeout(reconnectTimer);
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/live/socket`;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
        backoff = 500;
        document.body.dataset.liveSocket = 'open';
        tiles.forEach(t => { t.subscribed = false; t.refused = null; setBadge(t, 'connecting'); want(t); });
    };
    ws.onmessage = event => typeof event.data === 'string' ? onText(JSON.parse(event.data)) : onFrame(event.data);
    ws.onclose = () => {
        if (socket !== ws || !started) return;
        document.body.dataset.liveSocket = 'closed';
        tiles.forEach(t => { t.subscribed = false; setBadge(t, 'reconnecting'); });
        // Backoff with jitter: many pages reconnecting after a server restart do not arrive at once.
        reconnectTimer = setTimeout(connect, backoff + Math.random() * 250);
        backoff = Math.min(backoff * 2, 10000);
    };
}

function onFrame(buffer) {
    const view = new DataView(buffer);
    if (buffer.byteLength < HEADER || view.getUint8(0) !== 1) return;
    const tile = tiles.get(view.getInt32(1));
    if (!tile) return;
    const cameraTime = Number(view.getBigInt64(5));
    const received = Number(view.getBigInt64(13));
    tile.frames++;
    tile.box.dataset.frames = String(tile.frames);
    const now = performance.now();
    tile.arrivals.push(now);
    while (tile.arrivals.length && now - tile.arrivals[0] > 2000) tile.arrivals.shift();
    tile.lastFrameAt = received || Date.now();
    tile.clock.textContent = formatClock(cameraTime || received);
    // Only the newest frame is decoded: a frame arriving while the last one decodes replaces the waiting one.
    tile.pending = new Blob([new Uint8Array(buffer, HEADER)], { type: 'image/jpeg' });
    if (!tile.decoding) show(tile);
}

function show(tile) {
    const blob = tile.pending;
    tile.pending = null;
    if (!blob) { tile.decoding = false; return; }
    tile.decoding = true;
    const url = URL.createObjectURL(blob);
    tile.img.onload = tile.img.onerror = () => {
        if (tile.url && tile.url !== url) URL.revokeObjectURL(tile.url);
        tile.url = url;
        show(tile);
    };
    tile.img.src = url;
    render(tile);
}

function onText(message) {
    const tile = tiles.get(message.camera);
    switch (message.type) {
        case 'camera':
            if (!tile) return;
            tile.state = message;
            if (message.lastFrameAt) tile.lastFrameAt = Math.max(tile.lastFrameAt, message.lastFrameAt);
            render(tile);
            break;
        case 'status':
            if (tile?.hover) renderStatus(tile, message.fields);
            break;
        case 'refused':
            if (!tile) return;
            tile.subscribed = false;
            tile.refused = message.reason;
            setBadge(tile, 'refused', `Not available: ${message.reason}`);
            break;
        case 'error':
            console.warn('live socket:', message.reason);
            break;
    }
}

function render(tile) {
    const s = tile.state;
    if (!s) return;
    const box = tile.box;
    // A camera that stopped sending (paused, stalled, offline) shows no rate, not the last one it had.
    const current = tile.arrivals.length > 1 && Date.now() - tile.arrivals.at(-1) < STALE_MS;
    const fps = current ? (tile.arrivals.length - 1) * 1000 / (tile.arrivals.at(-1) - tile.arrivals[0]) : 0;
    tile.fps.textContent = current ? `${fps.toFixed(1)} fps` : '';
    box.classList.toggle('nvr-motion', !!s.motion);
    box.dataset.motion = s.motion ? 'on' : 'off';
    box.classList.toggle('nvr-recording', !!s.recording);
    const showInfo = s.info && s.infoAt && Date.now() - s.infoAt < INFO_MS;
    tile.info.textContent = showInfo ? s.info : '';
    box.classList.toggle('nvr-show-info', !!showInfo);
    const last = tile.lastFrameAt ? `last frame at ${formatWhen(tile.lastFrameAt)}` : 'no frame received yet';
    if (tile.refused) return;
    if (socket?.readyState !== WebSocket.OPEN) setBadge(tile, 'reconnecting');
    else if (!s.online) setBadge(tile, 'offline', `Offline · ${last}`);
    else if (s.paused) setBadge(tile, 'paused', `Paused: the camera sends no picture until it is resumed · ${last}`);
    else if (!tile.lastFrameAt || Date.now() - tile.lastFrameAt > STALE_MS) setBadge(tile, 'stalled', `No picture · ${last}`);
    else setBadge(tile, s.pending ? 'pending' : 'live', s.pending ? 'Pending approval (only admins see this)' : '');
}

function setBadge(tile, state, text) {
    tile.box.dataset.state = state;
    const labels = { connecting: 'Connecting…', reconnecting: 'Reconnecting…' };
    tile.badge.textContent = text ?? labels[state] ?? '';
}

function renderStatus(tile, fields) {
    const keys = Object.keys(fields).sort();
    tile.status.replaceChildren(...(keys.length ? keys : ['']).map(k => {
        const row = document.createElement('div');
        row.textContent = k ? `${k}: ${fields[k]}` : 'The camera has sent no status yet.';
        return row;
    }));
    tile.box.classList.add('nvr-show-status');
}

function tick() { tiles.forEach(t => { if (t.state) render(t); }); }

function formatClock(ms) { return ms ? new Date(ms).toLocaleTimeString([], { hour12: false }) : ''; }

function formatWhen(ms) {
    const d = new Date(ms);
    return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString([], { hour12: false }) : d.toLocaleString([], { hour12: false });
}

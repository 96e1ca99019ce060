// The live page's video: one WebSocket for every tile on the page (docs/protocol.md, "Live viewer protocol").
// Blazor renders each tile's empty `.nvr-video[data-camera-id]` box; this module fills it and draws
// what changes per frame (picture, camera clock, fps, motion border, REC, info line, offline state), and the
// object detector's boxes ("objects" messages) over the picture.
const HEADER = 21;
const STALE_MS = 5000;
const INFO_MS = 4000;
const OBJECTS_MS = 2000;            // boxes older than this (against the newest frame) are no longer shown

const ORDER_KEY = 'nvr.live.order'; // this browser's camera order on the live page (camera ids)
const FIT_MAX = 16;                 // auto layout fits up to this many tiles on one screen

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
    window.addEventListener('resize', fit);
    ticker = setInterval(tick, 500);
    scan();
    connect();
}

// The page was left: close the socket, forget the tiles.
export function stop() {
    if (!started) return;
    started = false;
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('resize', fit);
    wall(false);
    clearInterval(ticker);
    clearTimeout(reconnectTimer);
    tiles.forEach(t => { clearInterval(t.statusTimer); clearInterval(t.pinTimer); if (t.url) URL.revokeObjectURL(t.url); });
    tiles.clear();
    observer.disconnect();
    const ws = socket;
    socket = null;
    ws?.close(1000, 'page closed');
}

function onVisibility() {
    tiles.forEach(want);
    if (wakeLock === 'wanted' && document.visibilityState === 'visible') keepAwake();
}

// Wall display: no chrome, no controls (the page renders none), and the screen kept awake while it shows.
let wakeLock = null;
export function wall(on) {
    document.body.classList.toggle('nvr-wall', on);
    if (on) keepAwake();
    else { if (wakeLock && wakeLock !== 'wanted') wakeLock.release().catch(() => {}); wakeLock = null; }
}

function keepAwake() {
    wakeLock = 'wanted';
    navigator.wakeLock?.request('screen').then(lock => { if (wakeLock === 'wanted') wakeLock = lock; else lock.release(); }).catch(() => {});
}

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
    arrange();
    fit();
}

// The user's order (kept in this browser), applied with CSS order so Blazor's own element order is untouched.
function savedOrder() {
    try { return JSON.parse(localStorage.getItem(ORDER_KEY) ?? '[]').filter(Number.isInteger); } catch { return []; }
}

function arrange() {
    const order = savedOrder();
    for (const tile of tiles.values()) {
        const at = order.indexOf(tile.id);
        const cell = tile.box.closest('.nvr-tile');
        if (cell) cell.style.order = at < 0 ? String(order.length + 1) : String(at);
    }
}

function move(tile, step) {
    const grid = tile.box.closest('.nvr-grid');
    if (!grid) return;
    // The order as shown now, then the tile swapped with its neighbour.
    const shown = [...grid.querySelectorAll('.nvr-video[data-camera-id]')]
        .map(box => ({ id: Number(box.dataset.cameraId), order: Number(box.closest('.nvr-tile')?.style.order || 0) }))
        .map((t, i) => ({ ...t, i })).sort((a, b) => a.order - b.order || a.i - b.i).map(t => t.id);
    const at = shown.indexOf(tile.id);
    const to = at + step;
    if (at < 0 || to < 0 || to >= shown.length) return;
    [shown[at], shown[to]] = [shown[to], shown[at]];
    localStorage.setItem(ORDER_KEY, JSON.stringify(shown));
    arrange();
}

// Auto layout ("Auto" columns): the largest tiles that put every camera on one screen without scrolling, up to 16.
function fit() {
    const grid = document.querySelector('.nvr-grid');
    if (!grid) return;
    if (grid.dataset.columns !== '0') { delete grid.dataset.fit; return; }   // the user chose the columns
    const cells = [...grid.querySelectorAll(':scope > .nvr-tile')];
    const n = cells.length;
    if (n === 0 || n > FIT_MAX) { grid.style.gridTemplateColumns = ''; delete grid.dataset.fit; return; }
    const gap = parseFloat(getComputedStyle(grid).columnGap) || 0;
    const video = cells[0].querySelector('.nvr-video');
    const extra = video ? cells[0].offsetHeight - video.offsetHeight : 0;   // controls under the picture
    const width = grid.clientWidth;
    const height = window.innerHeight - grid.getBoundingClientRect().top - 8;
    let best = { columns: 1, tile: 0 };
    for (let columns = 1; columns <= n; columns++) {
        const rows = Math.ceil(n / columns);
        const byWidth = (width - gap * (columns - 1)) / columns;
        const byHeight = ((height - gap * (rows - 1)) / rows - extra) * 4 / 3;
        const tile = Math.min(byWidth, byHeight);
        if (tile > best.tile + 1) best = { columns, tile };
    }
    const tile = Math.max(Math.floor(best.tile), 160);
    grid.style.gridTemplateColumns = `repeat(${best.columns}, ${tile}px)`;
    grid.dataset.fit = String(best.columns);
}

function snapshot(tile) {
    if (!tile.url) return;
    const a = document.createElement('a');
    const at = new Date(tile.lastFrameAt || Date.now());
    const pad = v => String(v).padStart(2, '0');
    const stamp = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}_${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
    a.href = tile.url;
    a.download = `${(tile.box.dataset.cameraName || 'camera').replace(/[^\w.-]+/g, '_')}_${stamp}.jpg`;
    document.body.appendChild(a);
    a.click();
    a.remove();
}

function build(box, id) {
    box.innerHTML = '';
    const el = (tag, cls, parent = box) => { const e = document.createElement(tag); e.className = cls; parent.appendChild(e); return e; };
    const img = el('img', 'nvr-frame');
    img.alt = `${box.dataset.cameraName} live`;
    img.dataset.testid = `frame-${id}`;
    const objects = el('div', 'nvr-ov-objects');
    objects.dataset.testid = `objects-${id}`;
    const top = el('div', 'nvr-ov-top');
    const name = el('span', 'nvr-ov-name', top); name.textContent = box.dataset.cameraName;
    const clock = el('span', 'nvr-ov-clock', top);
    const fps = el('span', 'nvr-ov-fps', top);
    const rec = el('span', 'nvr-ov-rec', top); rec.textContent = 'REC';
    // Buttons on the picture, reachable by tap and keyboard: status, order, snapshot (a click on them never opens the camera).
    const tools = el('span', 'nvr-ov-tools', top);
    const button = (label, text, testid, action) => {
        const b = el('button', 'nvr-ov-btn', tools);
        b.type = 'button'; b.title = label; b.setAttribute('aria-label', `${label}: ${box.dataset.cameraName}`); b.textContent = text;
        b.dataset.testid = `${testid}-${id}`;
        b.addEventListener('click', e => { e.stopPropagation(); action(); });
        return b;
    };
    const badge = el('div', 'nvr-ov-state');
    const info = el('div', 'nvr-ov-info');
    const status = el('div', 'nvr-ov-status');
    const tile = { id, box, img, objects, found: null, drawn: null, clock, fps, badge, info, status, onScreen: false, subscribed: false, frames: 0,
        arrivals: [], pending: null, decoding: false, url: null, state: null, lastFrameAt: 0, hover: false, statusTimer: null };
    button('Move earlier', '◀', 'move-earlier', () => move(tile, -1));
    button('Move later', '▶', 'move-later', () => move(tile, 1));
    button('Status of the camera', 'i', 'status-toggle', () => {
        tile.pinned = !tile.pinned;
        clearInterval(tile.pinTimer);
        if (tile.pinned) { askStatus(tile); tile.pinTimer = setInterval(() => askStatus(tile), 2000); }
        else if (!tile.hover) box.classList.remove('nvr-show-status');
    });
    button('Save this picture', '⤓', 'snapshot', () => snapshot(tile));
    box.dataset.frames = '0';
    box.addEventListener('mouseenter', () => { tile.hover = true; askStatus(tile); tile.statusTimer = setInterval(() => askStatus(tile), 2000); });
    box.addEventListener('mouseleave', () => { tile.hover = false; clearInterval(tile.statusTimer); if (!tile.pinned) box.classList.remove('nvr-show-status'); });
    setBadge(tile, socket?.readyState === WebSocket.OPEN ? 'connecting' : 'reconnecting');
    observer.observe(box);
    return tile;
}

function drop(tile) {
    observer.unobserve(tile.box);
    clearInterval(tile.statusTimer);
    clearInterval(tile.pinTimer);
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

function askStatus(tile) { if (tile.hover || tile.pinned) send({ op: 'status', camera: tile.id }); }

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
            if (tile?.hover || tile?.pinned) renderStatus(tile, message.fields);
            break;
        case 'objects':
            // A look that found nothing leaves the last boxes until they are stale: a person missed in one look
            // of two a second does not make the box blink.
            if (!tile || message.objects.length === 0) return;
            tile.found = message;
            drawObjects(tile);
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
    drawObjects(tile);
    // A camera that stopped sending (paused, stalled, offline) shows no rate, not the last one it had.
    const current = tile.arrivals.length > 1 && performance.now() - tile.arrivals.at(-1) < STALE_MS;
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

// The detector's boxes, placed over the picture as object-fit: contain shows it; hidden once older than the picture by OBJECTS_MS.
function drawObjects(tile) {
    const found = tile.found;
    const fresh = found && tile.lastFrameAt - found.at < OBJECTS_MS;
    tile.objects.hidden = !fresh;
    if (!fresh) return;
    const bw = tile.box.clientWidth, bh = tile.box.clientHeight;
    const key = `${found.at}:${bw}x${bh}`;
    if (tile.drawn === key) return;
    tile.drawn = key;
    const scale = Math.min(bw / found.width, bh / found.height);
    const left = (bw - found.width * scale) / 2, top = (bh - found.height * scale) / 2;
    tile.objects.replaceChildren(...found.objects.map(o => {
        const mark = document.createElement('div');
        mark.className = 'nvr-ov-object';
        mark.dataset.label = o.label;
        Object.assign(mark.style, { left: `${left + o.x * scale}px`, top: `${top + o.y * scale}px`, width: `${o.w * scale}px`, height: `${o.h * scale}px` });
        const name = document.createElement('span');
        name.textContent = `${o.label} ${Math.round(o.score * 100)}%`;
        mark.appendChild(name);
        return mark;
    }));
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

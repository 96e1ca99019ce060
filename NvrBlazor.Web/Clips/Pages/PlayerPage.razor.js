// The player's keyboard and speed. Keys are listened to on the document while the page is open: attach() when it
// renders, detach() when it goes (the page disposes this module).
const video = () => document.getElementById('nvr-player-video');
let attached = false;

function seek(seconds) {
    const v = video();
    if (!v) return;
    const end = Number.isFinite(v.duration) ? v.duration : Infinity;
    v.currentTime = Math.min(Math.max(0, v.currentTime + seconds), end);
}

function onKey(event) {
    const v = video();
    if (!v || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))) return;
    const click = id => document.querySelector(`[data-testid="${id}"]:not([disabled])`)?.click();
    switch (event.key) {
        case ' ': if (target === v) return; v.paused ? v.play() : v.pause(); break; // the video's own controls handle space when it has focus
        case 'k': case 'K': v.pause(); break;
        case 'j': case 'J': seek(-10); break;
        case 'l': case 'L': seek(10); break;
        case 'ArrowLeft': if (target === v) return; seek(-5); break;
        case 'ArrowRight': if (target === v) return; seek(5); break;
        case ',': v.pause(); seek(-0.1); break;
        case '.': v.pause(); seek(0.1); break;
        case 'PageUp': click('clip-previous'); break;
        case 'PageDown': click('clip-next'); break;
        default: return;
    }
    event.preventDefault();
}

export function attach() {
    if (attached) return;
    attached = true;
    document.addEventListener('keydown', onKey);
}

export function detach() {
    attached = false;
    document.removeEventListener('keydown', onKey);
}

export function speed(rate) {
    const v = video();
    if (v) v.playbackRate = rate;
}

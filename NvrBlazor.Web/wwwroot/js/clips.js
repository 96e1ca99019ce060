// The clip pages' small browser side: starting a download, the player's keyboard and speed.
window.NvrClips = (() => {
    let keysAttached = false;
    const video = () => document.getElementById('nvr-player-video');

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

    return {
        // A plain link click: the server's Content-Disposition names the file and the page stays.
        download(url) {
            const link = document.createElement('a');
            link.href = url;
            link.download = '';
            document.body.appendChild(link);
            link.click();
            link.remove();
        },
        attachPlayerKeys() {
            if (keysAttached) return;
            keysAttached = true;
            document.addEventListener('keydown', onKey);
        },
        speed(rate) {
            const v = video();
            if (v) v.playbackRate = rate;
        },
    };
})();

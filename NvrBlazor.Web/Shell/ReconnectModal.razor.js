// The .NET 10 template's reconnect handler, plus one change: when the script's own retries run out ("failed"),
// it keeps trying every few seconds (an NVR page is often left open on a wall display, unattended), and a
// server that restarted ("rejected": the old circuit is gone) reloads the page.
const retryEveryMs = 5000;
let retryTimer = null;

const reconnectModal = document.getElementById("components-reconnect-modal");
reconnectModal.addEventListener("components-reconnect-state-changed", handleReconnectStateChanged);

const retryButton = document.getElementById("components-reconnect-button");
retryButton.addEventListener("click", retry);

const resumeButton = document.getElementById("components-resume-button");
document.getElementById("components-kept-reload-button").addEventListener("click", () => location.reload());
resumeButton.addEventListener("click", resume);

function handleReconnectStateChanged(event) {
    if (event.detail.state === "show") {
        reconnectModal.showModal();
    } else if (event.detail.state === "hide") {
        reconnectModal.close();
    } else if (event.detail.state === "failed") {
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
        retryTimer ??= setInterval(retry, retryEveryMs);
    } else if (event.detail.state === "rejected") {
        reloadUnlessKept();
    }
}

// A page that streams on its own (the webcam publisher sets data-nvr-keep-page) keeps running: its stream has
// reconnected by itself, and a reload would stop it. The dialog then says what happened instead.
function reloadUnlessKept() {
    if (!document.body.dataset.nvrKeepPage) {
        location.reload();
        return;
    }
    reconnectModal.classList.remove("components-reconnect-show", "components-reconnect-retrying", "components-reconnect-failed");
    reconnectModal.classList.add("components-reconnect-kept");
    if (!reconnectModal.open) reconnectModal.showModal();
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
    clearInterval(retryTimer);
    retryTimer = null;

    try {
        // Reconnect will asynchronously return:
        // - true to mean success
        // - false to mean we reached the server, but it rejected the connection (e.g., unknown circuit ID)
        // - exception to mean we didn't reach the server (this can be sync or async)
        const successful = await Blazor.reconnect();
        if (!successful) {
            // We have been able to reach the server, but the circuit is no longer available.
            // We'll reload the page so the user can continue using the app as quickly as possible.
            const resumeSuccessful = await Blazor.resumeCircuit();
            if (!resumeSuccessful) {
                reloadUnlessKept();
            } else {
                reconnectModal.close();
            }
        }
    } catch (err) {
        // We got an exception, server is currently unavailable
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
        retryTimer ??= setInterval(retry, retryEveryMs);
    }
}

async function resume() {
    try {
        const successful = await Blazor.resumeCircuit();
        if (!successful) {
            reloadUnlessKept();
        }
    } catch {
        reconnectModal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenDocumentBecomesVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}

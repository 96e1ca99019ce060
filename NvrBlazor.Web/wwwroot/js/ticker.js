// A worker for Live/Pages/Publish.razor.js: timers of a page in a background tab run at most once a second; a worker's do
// not. It only says "now" every N ms (N from the page; 0 stops); capturing stays on the page. A file of its
// own, not a blob: URL, so that the Content-Security-Policy can keep workers to this server's scripts.
let timer = null;
onmessage = e => {
    clearInterval(timer);
    if (e.data > 0)
        timer = setInterval(() => postMessage(0), e.data);
};

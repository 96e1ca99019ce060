// A ZIP download started from the page: a plain link click, so the server's Content-Disposition names the file
// and the page stays.
export function download(url) {
    const link = document.createElement('a');
    link.href = url;
    link.download = '';
    document.body.appendChild(link);
    link.click();
    link.remove();
}

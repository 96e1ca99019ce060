// The light/dark choice lives in a cookie so the server paints the first frame in it (ThemeCookie.cs).
export function remember(name, value) {
    document.body.className = document.body.className.replace(/nvr-theme-\w+/, "nvr-theme-" + value);
    document.cookie = `${name}=${value}; path=/; max-age=31536000; samesite=lax`;
}

// Marks the page as connected to its circuit: from now on a click reaches the server (the prerendered page ignores
// clicks). UI tests wait for it before typing into forms.
export function interactive() {
    document.documentElement.dataset.nvrInteractive = "";
}

// The light/dark choice lives in a cookie so the server paints the first frame in it (ThemeCookie.cs).
export function remember(name, value) {
    document.body.className = document.body.className.replace(/nvr-theme-\w+/, "nvr-theme-" + value);
    document.cookie = `${name}=${value}; path=/; max-age=31536000; samesite=lax`;
}

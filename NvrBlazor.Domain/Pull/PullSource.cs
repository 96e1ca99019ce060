namespace NvrBlazor.Domain.Pull;

/// <summary>How the server pulls a camera that cannot push: an MJPEG stream over HTTP, a JPEG snapshot URL polled, or RTSP.</summary>
public enum PullKind { Mjpeg = 0, Snapshot = 1, Rtsp = 2 }

/// <summary>
/// Where and how fast the server pulls one camera. <see cref="Url"/> never holds a user or password: they are kept apart,
/// protected at rest, and added only on the way out to the camera.
/// </summary>
public sealed record PullSource(PullKind Kind, string Url, double Fps, int? Width)
{
    public const double MaxFps = 30;
    public const double DefaultFps = 10;
    public const int MaxUrlLength = 2000;

    /// <summary>What an admin typed, checked: the source (credentials moved out of the URL) and the credentials, or what is wrong.</summary>
    public static PullSourceInput Parse(PullKind kind, string? url, double? fps, int? width, string? user, string? password)
    {
        url = url?.Trim() ?? "";
        if (url.Length == 0)
            return PullSourceInput.Refused("URL: required, e.g. http://192.168.1.50:81/stream.");
        if (url.Length > MaxUrlLength)
            return PullSourceInput.Refused($"URL: at most {MaxUrlLength} characters.");
        if (url.Any(char.IsControl))
            return PullSourceInput.Refused("URL: contains control characters.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            return PullSourceInput.Refused($"URL: \"{Shown(url)}\" is not an absolute address with a host.");
        var schemes = kind == PullKind.Rtsp ? new[] { "rtsp", "rtsps" } : ["http", "https"];
        if (!schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
            return PullSourceInput.Refused($"URL: a {Describe(kind)} address starts with {string.Join(" or ", schemes.Select(s => s + "://"))} (got {uri.Scheme}://).");
        var rate = fps ?? DefaultFps;
        if (double.IsNaN(rate) || rate < 0.1 || rate > MaxFps)
            return PullSourceInput.Refused($"Frames per second: between 0.1 and {MaxFps} (got {rate}).");
        if (width is { } w && (w < 64 || w > 3840 || w % 2 != 0))
            return PullSourceInput.Refused($"Width: an even number of pixels from 64 to 3840, or empty for the camera's own size (got {w}).");
        if (width is not null && kind != PullKind.Rtsp)
            return PullSourceInput.Refused("Width: only an RTSP camera is resized (MJPEG and snapshot pictures are passed on as the camera sends them).");

        // A user and password typed into the URL are moved out of it, so the stored URL never carries them.
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = string.IsNullOrEmpty(user) ? Uri.UnescapeDataString(parts[0]) : user;
            password = string.IsNullOrEmpty(password) && parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : password;
            url = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
        }
        if (user?.Length > 200 || password?.Length > 200)
            return PullSourceInput.Refused("User and password: at most 200 characters each.");
        if ((user ?? "").Any(char.IsControl) || (password ?? "").Any(char.IsControl) || (user ?? "").Contains(':'))
            return PullSourceInput.Refused("User and password: no control characters, and no ':' in the user.");
        return new PullSourceInput(new PullSource(kind, url, rate, width), NullIfEmpty(user), NullIfEmpty(password), null);
    }

    /// <summary>The URL with the credentials put back (what ffmpeg needs for RTSP); never logged: see SecretText.</summary>
    public string UrlWith(string? user, string? password)
    {
        if (string.IsNullOrEmpty(user))
            return Url;
        return new UriBuilder(Url) { UserName = Uri.EscapeDataString(user), Password = Uri.EscapeDataString(password ?? "") }.Uri.AbsoluteUri;
    }

    /// <summary>The wait between two snapshots, or the least gap kept between two frames of a faster stream.</summary>
    public TimeSpan Interval => TimeSpan.FromSeconds(1 / Fps);

    public static string Describe(PullKind kind) => kind switch
    {
        PullKind.Mjpeg => "MJPEG stream",
        PullKind.Snapshot => "snapshot",
        _ => "RTSP",
    };

    private static string Shown(string text) => text.Length > 80 ? text[..80] + "…" : text;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

/// <summary>The outcome of checking a pull camera's settings: a source and its credentials, or the problem in words.</summary>
public sealed record PullSourceInput(PullSource? Source, string? User, string? Password, string? Problem)
{
    public static PullSourceInput Refused(string problem) => new(null, null, null, problem);
}

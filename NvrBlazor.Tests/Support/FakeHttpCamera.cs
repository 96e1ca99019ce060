using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NvrBlazor.Tests.Support;

/// <summary>
/// A camera that serves its pictures over HTTP on loopback, the way ESP32 <c>CameraWebServer</c> and IP cameras do, written
/// on a raw socket so every byte is the test's: <c>/stream</c> (multipart/x-mixed-replace, chunked, the ESP32's boundary
/// and part headers), <c>/snapshot</c> (one JPEG per request, kept alive), <c>/private...</c> (the stream behind Basic
/// authentication), <c>/html</c> (a web page), <c>/broken</c> (two pictures, then half of one, then the connection closes).
/// Counts the requests each path got.
/// </summary>
public sealed class FakeHttpCamera : IAsyncDisposable
{
    public const string Boundary = "123456789000000000000987654321";
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Func<int, byte[]> picture;
    private readonly double fps;
    private readonly Task accepting;
    private readonly ConcurrentDictionary<string, int> requests = new();

    public FakeHttpCamera(Func<int, byte[]> picture, double fps = 10, string user = "admin", string password = "")
    {
        this.picture = picture;
        this.fps = fps;
        Login = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        listener.Start();
        accepting = Task.Run(AcceptAsync);
    }

    private string Login { get; }
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";
    public int Requests(string path) => requests.GetValueOrDefault(path);

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        try
        {
            // Requests on one connection, one after another (the snapshot client keeps it alive).
            while (await ReadRequestAsync(stream) is { } request)
            {
                requests.AddOrUpdate(request.Path, 1, (_, n) => n + 1);
                switch (request.Path)
                {
                    case "/snapshot":
                        var jpeg = picture(Requests("/snapshot"));
                        await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n\r\n");
                        await stream.WriteAsync(jpeg, stop.Token);
                        continue;
                    case "/html":
                        const string page = "<!DOCTYPE html><html><body><h1>Camera settings</h1></body></html>";
                        await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {page.Length}\r\n\r\n{page}");
                        continue;
                    case var path when path.StartsWith("/private", StringComparison.Ordinal) && request.Authorization != $"Basic {Login}":
                        await WriteAsync(stream, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"camera\"\r\nContent-Length: 0\r\n\r\n");
                        continue;
                    case var path when path == "/stream" || path.StartsWith("/private", StringComparison.Ordinal):
                        await StreamAsync(stream, int.MaxValue, cutLast: false);
                        return;
                    case "/broken":
                        await StreamAsync(stream, 3, cutLast: true);
                        return;
                    default:
                        await WriteAsync(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
                        continue;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server went away, or this camera is being disposed.
        }
    }

    /// <summary>As esp32-camera's CameraWebServer: a chunked multipart body, each part with Content-Type, Content-Length and X-Timestamp.</summary>
    private async Task StreamAsync(NetworkStream stream, int count, bool cutLast)
    {
        await WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary={Boundary}\r\nTransfer-Encoding: chunked\r\nAccess-Control-Allow-Origin: *\r\n\r\n");
        var start = DateTime.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var due = start + TimeSpan.FromSeconds(i / fps);
            if (due > DateTime.UtcNow)
                await Task.Delay(due - DateTime.UtcNow, stop.Token);
            var jpeg = picture(i);
            var last = cutLast && i == count - 1;
            await ChunkAsync(stream, Encoding.ASCII.GetBytes($"\r\n--{Boundary}\r\n"));
            await ChunkAsync(stream, Encoding.ASCII.GetBytes($"Content-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\nX-Timestamp: {i}.000000\r\n\r\n"));
            await ChunkAsync(stream, last ? jpeg[..(jpeg.Length / 2)] : jpeg);
        }
        if (cutLast)
            await WriteAsync(stream, "0\r\n\r\n"); // the body ends cleanly, with a picture cut in half
    }

    private async Task ChunkAsync(NetworkStream stream, byte[] data)
    {
        await WriteAsync(stream, $"{data.Length:X}\r\n");
        await stream.WriteAsync(data, stop.Token);
        await WriteAsync(stream, "\r\n");
    }

    private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), stop.Token).AsTask();

    private sealed record Request(string Path, string? Authorization);

    private async Task<Request?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, stop.Token) == 0 || head.Length > 16 * 1024)
                return null;
            head.Append((char)one[0]);
        }
        var lines = head.ToString().Split("\r\n");
        var path = lines[0].Split(' ') is [_, var target, ..] ? target.Split('?')[0] : "/";
        var authorization = lines.FirstOrDefault(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))?["Authorization:".Length..].Trim();
        return new Request(path, authorization);
    }

    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested)
            return; // stopped already (a test unplugs the camera before the end)
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
    }
}

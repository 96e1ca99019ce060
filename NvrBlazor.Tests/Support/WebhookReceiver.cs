using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace NvrBlazor.Tests.Support;

/// <summary>
/// A real HTTP server on loopback (HttpListener) standing in for ntfy, Discord or a person's endpoint: it records every
/// request and answers the statuses it is told to, in order (then 200).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Request(string Path, string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At);

    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<int> statuses = new();
    private readonly Task serving;

    public WebhookReceiver(params int[] answers)
    {
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        foreach (var status in answers)
            statuses.Enqueue(status);
        serving = Task.Run(ServeAsync);
    }

    public int Port { get; }
    public string Url(string path = "hook") => $"http://127.0.0.1:{Port}/{path}";
    public ConcurrentQueue<Request> Received { get; } = new();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Received.Enqueue(new Request(context.Request.Url!.AbsolutePath, body, headers, DateTimeOffset.UtcNow));
            context.Response.StatusCode = statuses.TryDequeue(out var status) ? status : 200;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
    }
}

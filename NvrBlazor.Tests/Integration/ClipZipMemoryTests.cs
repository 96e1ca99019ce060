using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using NvrBlazor.Tests.Support;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>A ZIP far larger than the server could hold in memory streams through it: its memory stays flat.</summary>
[Collection(HeavyTests.Name)]
public class ClipZipMemoryTests(ITestOutputHelper output)
{
    private const int Clips = 6;
    private const int ClipBytes = 50 * 1024 * 1024;
    private const long AllowedGrowth = 48L * 1024 * 1024;

    [Fact]
    public async Task Zipping_300_MB_of_clips_grows_the_servers_memory_by_less_than_48_MB_and_every_entry_is_intact()
    {
        await using var server = await NvrServer.StartAsync(NvrServer.HousekeepingOff());
        using var admin = new NvrClient(server.BaseUri);
        await admin.SignInOrThrowAsync("admin", NvrServer.AdminPassword);
        var camera = await ClipSeeder.CameraAsync(server, "Big");

        // Random bytes: nothing compresses, nothing is shared.
        var source = Path.Combine(TestPaths.NewTempFolder("big-clip"), "big.mp4");
        var data = new byte[ClipBytes];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(source, data);
        var sourceHash = SHA256.HashData(data);
        data = null;
        var start = new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);
        var clips = await ClipSeeder.AddAsync(server, Enumerable.Range(0, Clips).Select(i => new ClipSeeder.Spec(camera, "Big", start.AddMinutes(i), source)).ToArray());
        var small = await ClipSeeder.AddAsync(server, new ClipSeeder.Spec(camera, "Big", start.AddDays(-1), (await ClipSeeder.SampleAsync()).Video));

        // A small ZIP first, so the baseline already includes the code and buffers a ZIP uses.
        using (var warm = await admin.Http.PostAsJsonAsync("/api/clips/zip", new { ids = new[] { small[0].Id } }))
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        await Task.Delay(500);
        var baseline = server.ResidentBytes;

        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, server.ResidentBytes);
                await Task.Delay(20);
            }
        });
        var file = Path.Combine(TestPaths.NewTempFolder("big-zip"), "big.zip");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/clips/zip") { Content = JsonContent.Create(new { ids = clips.Select(c => c.Id).ToArray() }) })
        using (var response = await admin.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            await using var target = File.Create(file);
            await body.CopyToAsync(target);
        }
        await sampling.CancelAsync();
        await sampler;

        var zipBytes = new FileInfo(file).Length;
        output.WriteLine($"ZIP {zipBytes / 1e6:0.0} MB; server RSS baseline {baseline / 1e6:0.0} MB, peak {peak / 1e6:0.0} MB, growth {(peak - baseline) / 1e6:0.0} MB");
        Assert.True(zipBytes > (long)Clips * ClipBytes, "the archive holds every clip");
        Assert.True(peak - baseline < AllowedGrowth, $"server memory grew {(peak - baseline) / 1e6:0.0} MB while streaming {zipBytes / 1e6:0} MB");

        await using var stream = File.OpenRead(file);
        var entries = await ClipsApiTests.EntriesAsync(stream);
        Assert.Equal(Clips, entries.Count);
        Assert.All(entries.Values, hash => Assert.Equal(sourceHash, hash));
    }
}

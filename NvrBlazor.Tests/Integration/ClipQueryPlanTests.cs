using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Domain.Clips;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Clips;
using NvrBlazor.Web.Data;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// A million clip rows (20 cameras, one year) in a real SQLite file with the app's own migrations. The
/// views users open most — the newest page of everything, one camera's day, a Viewer's few cameras, a
/// page deep in history — must be index range reads with no sort of the matching rows, which is what
/// keeps them fast at any size. The timings are printed for docs/performance.md, not asserted.
/// </summary>
[Collection(HeavyTests.Name)]
public class ClipQueryPlanTests(ITestOutputHelper output)
{
    private const int Rows = 1_000_000;
    private const int CameraCount = 20;
    private static readonly DateTimeOffset First = new(2025, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Spacing = TimeSpan.FromDays(365) / Rows;

    [Fact]
    public async Task With_a_million_clips_the_common_views_read_an_index_range_without_sorting()
    {
        // The app's own composition (never started) creates the database with its migrations.
        await using var server = new NvrServer();
        await using var app = await InProcessApp.BuildAsync(server);
        var file = Path.Combine(server.DataPath, "nvr.db");
        var generation = Stopwatch.StartNew();
        await GenerateAsync(file);
        output.WriteLine($"generated {Rows:N0} clip rows in {generation.Elapsed.TotalSeconds:0.0} s ({new FileInfo(file).Length / 1e6:0} MB)");

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<NvrDbContext>>().CreateDbContextAsync();
        var all = new ClipCatalog.Scope(null);
        var oneCamera = new ClipCatalog.Scope(new HashSet<int> { 7 });
        var viewer = new ClipCatalog.Scope(new HashSet<int> { 2, 5, 7, 11, 13 });
        var day = new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero);
        var oneDay = new ClipFilter { Cameras = [7], From = day, To = day.AddDays(1) };
        var deep = new ClipCursor(First.Add(Spacing * (Rows / 3)).ToUnixTimeMilliseconds(), Rows / 3);

        var views = new (string Name, ClipCatalog.Scope Scope, ClipFilter Filter, ClipCursor? After, string Index)[]
        {
            ("first page, every camera (Admin default view)", all, ClipFilter.Everything, null, "IX_Clips_Start"),
            ("one camera, one day", oneCamera, oneDay, null, "IX_Clips_CameraId_Start"),
            ("first page, a Viewer's 5 cameras", viewer, ClipFilter.Everything, null, "IX_Clips_CameraId_Start"),
            ("page two-thirds back in history, every camera", all, ClipFilter.Everything, deep, "IX_Clips_Start"),
            ("first page, every camera, manual clips only", all, new ClipFilter { Reason = NvrBlazor.Domain.Recording.ClipReason.Manual }, null, "IX_Clips_Start"),
        };
        foreach (var (name, scope, filter, after, index) in views)
        {
            foreach (var query in ClipCatalog.PageQueries(db, scope, filter, after, 51))
            {
                var plan = await PlanAsync(query);
                output.WriteLine($"{name}: {plan}");
                Assert.Contains(index, plan);
                Assert.DoesNotContain("TEMP B-TREE", plan);
            }
            var page = await ClipCatalog.ReadPageAsync(db, scope, filter, after, 50, CancellationToken.None);
            Assert.NotEmpty(page.Clips);
            Assert.All(page.Clips.Zip(page.Clips.Skip(1)), pair => Assert.True(pair.First.Start >= pair.Second.Start, "newest first"));
            output.WriteLine($"  | {name} | {await MedianMillisecondsAsync(() => ClipCatalog.ReadPageAsync(db, scope, filter, after, 50, CancellationToken.None)):0.00} ms |");
        }

        var summaryPlan = await PlanAsync(ClipCatalog.SummaryQuery(db, oneCamera, oneDay));
        output.WriteLine($"summary of one camera's day: {summaryPlan}");
        Assert.Contains("IX_Clips_CameraId_Start", summaryPlan);
        var summary = await ClipCatalog.SummaryQuery(db, oneCamera, oneDay).FirstAsync();
        Assert.InRange(summary.Count, 100, 200);
        output.WriteLine($"  | ZIP confirmation: count and size of one camera's day ({summary.Count} clips) | {await MedianMillisecondsAsync(() => ClipCatalog.SummaryQuery(db, oneCamera, oneDay).FirstAsync()):0.00} ms |");
        output.WriteLine($"  | count and size of everything ({Rows:N0} clips) | {await MedianMillisecondsAsync(() => ClipCatalog.SummaryQuery(db, all, ClipFilter.Everything).FirstAsync(), runs: 3):0.0} ms |");
    }

    /// <summary>SQLite's plan for the exact command EF sends, parameters included.</summary>
    private static async Task<string> PlanAsync<T>(IQueryable<T> query)
    {
        await using var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await command.Connection!.OpenAsync();
        var steps = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                steps.Add(reader.GetString(3));
        return string.Join(" / ", steps);
    }

    private static async Task<double> MedianMillisecondsAsync<T>(Func<Task<T>> run, int runs = 15)
    {
        await run();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(runs / 2);
    }

    /// <summary>Clips every 31.5 s across 20 cameras for a year: 10-300 s long, mostly motion, 1 % protected.</summary>
    private static async Task GenerateAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            await pragma.ExecuteNonQueryAsync();
        }
        await using var transaction = connection.BeginTransaction();
        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO Clips (CameraId, CameraName, Start, End, DurationSeconds, FrameRate, Frames, Bytes, Path, ThumbnailPath, Reason, State, Protected) " +
                             "VALUES ($camera, $name, $start, $end, $duration, 10, $frames, $bytes, $path, $thumb, $reason, 1, $protected)";
        var p = new[] { "$camera", "$name", "$start", "$end", "$duration", "$frames", "$bytes", "$path", "$thumb", "$reason", "$protected" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        insert.Prepare();
        var random = new Random(42);
        for (var i = 0; i < Rows; i++)
        {
            var camera = i % CameraCount + 1;
            var start = First + Spacing * i;
            var duration = 10 + random.Next(290);
            p[0].Value = camera;
            p[1].Value = $"Camera {camera}";
            p[2].Value = start.ToUnixTimeMilliseconds();
            p[3].Value = start.AddSeconds(duration).ToUnixTimeMilliseconds();
            p[4].Value = (double)duration;
            p[5].Value = duration * 10;
            p[6].Value = duration * 60_000L;
            p[7].Value = $"camera-{camera}/{start:yyyy-MM-dd}/{start:HH-mm-ss}.mp4";
            p[8].Value = $"camera-{camera}/{start:yyyy-MM-dd}/{start:HH-mm-ss}.jpg";
            p[9].Value = random.Next(20) == 0 ? 1 : 0;
            p[10].Value = random.Next(100) == 0 ? 1 : 0;
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }
}

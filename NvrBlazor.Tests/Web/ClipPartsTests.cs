using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using NvrBlazor.Domain.Recording;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Clips;
using NvrBlazor.Web.Recording;

namespace NvrBlazor.Tests.Web;

public class ClipPartsTests
{
    private static (ClipFilter? Filter, string? Problem) Parse(string query) =>
        ClipFilter.Parse(new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)));

    [Fact]
    public void A_filter_reads_every_parameter_and_writes_itself_back_the_same()
    {
        var (filter, problem) = Parse("camera=3&camera=5,7&from=2026-03-01T08:00:00Z&to=2026-03-01T10:00:00%2B01:00&reason=Manual&protected=true&minSeconds=2.5");
        Assert.Null(problem);
        Assert.Equal([3, 5, 7], filter!.Cameras);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), filter.From);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(1)), filter.To);
        Assert.Equal(ClipReason.Manual, filter.Reason);
        Assert.True(filter.ProtectedOnly);
        Assert.Equal(2.5, filter.MinSeconds);
        var (again, _) = Parse(filter.ToQueryString());
        Assert.Equal(filter.ToQueryString(), again!.ToQueryString());
        Assert.Equal(filter.Cameras, again.Cameras);
    }

    [Theory]
    [InlineData("camera=0", "'camera'")]
    [InlineData("camera=-2", "'camera'")]
    [InlineData("from=12/31", "'from'")]
    [InlineData("to=soon", "'to'")]
    [InlineData("reason=1", "'reason'")]
    [InlineData("reason=everything", "'reason'")]
    [InlineData("protected=1", "'protected'")]
    [InlineData("minSeconds=NaN", "'minSeconds'")]
    [InlineData("minSeconds=99999999", "'minSeconds'")]
    [InlineData("from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z", "'from' must be before 'to'")]
    public void A_bad_value_is_refused_naming_the_parameter(string query, string expected)
    {
        var (filter, problem) = Parse(query);
        Assert.Null(filter);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void Clip_files_resolve_only_inside_the_recordings_folder_whatever_links_or_dots_say()
    {
        var root = Path.Combine(TestPaths.NewTempFolder("resolve"), "recordings");
        var outside = TestPaths.NewTempFolder("outside");
        Directory.CreateDirectory(Path.Combine(root, "cam-1"));
        File.WriteAllText(Path.Combine(root, "cam-1", "a.mp4"), "clip");
        File.WriteAllText(Path.Combine(outside, "secret.mp4"), "not a clip");
        File.CreateSymbolicLink(Path.Combine(root, "cam-1", "link.mp4"), Path.Combine(outside, "secret.mp4"));
        Directory.CreateSymbolicLink(Path.Combine(root, "cam-2"), outside);
        File.CreateSymbolicLink(Path.Combine(root, "cam-1", "loop.mp4"), Path.Combine(root, "cam-1", "loop.mp4"));

        Assert.Equal(Path.Combine(root, "cam-1", "a.mp4"), ClipFiles.ResolveInside(root, "cam-1/a.mp4"));
        Assert.Null(ClipFiles.ResolveInside(root, "../outside/secret.mp4"));
        Assert.Null(ClipFiles.ResolveInside(root, Path.Combine(outside, "secret.mp4")));
        Assert.Null(ClipFiles.ResolveInside(root, "cam-1/link.mp4"));
        Assert.Null(ClipFiles.ResolveInside(root, "cam-2/secret.mp4"));
        Assert.Null(ClipFiles.ResolveInside(root, "cam-1/loop.mp4"));
        Assert.Null(ClipFiles.ResolveInside(root, ""));

        // Deleting a row that points through a link removes nothing outside.
        Assert.Equal(0, ClipFiles.DeleteFilesOf(root, "cam-2/secret.mp4"));
        Assert.True(File.Exists(Path.Combine(outside, "secret.mp4")));
        Assert.Equal(4, ClipFiles.DeleteFilesOf(root, "cam-1/a.mp4"));
        Assert.False(File.Exists(Path.Combine(root, "cam-1", "a.mp4")));
    }
}

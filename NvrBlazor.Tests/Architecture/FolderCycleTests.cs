namespace NvrBlazor.Tests.Architecture;

/// <summary>
/// No two folders of the web app (or the agent, or Domain) use each other, directly or round about: each capability
/// can be read, changed and tested from the folders below it. A cycle fails with the type-level uses that make it.
/// </summary>
public class FolderCycleTests
{
    [Theory]
    [InlineData("NvrBlazor.Web")]
    [InlineData("nvr-agent", "NvrBlazor.Agent")]
    [InlineData("NvrBlazor.Domain")]
    public void No_folder_uses_a_folder_that_uses_it(string assembly, string? rootNamespace = null)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        var dependencies = FolderDependencies.Read(path, rootNamespace ?? assembly);
        Assert.NotEmpty(dependencies.Uses); // the reading found the folders at all
        var cycles = dependencies.Cycles();
        Assert.True(cycles.Count == 0,
            $"{cycles.Count} folder cycle(s) in {assembly}:\n" + string.Join("\n", cycles.Select(c => $"{string.Join(" ⇄ ", c)}\n{dependencies.Explain(c)}")));
    }

    [Fact]
    public void Cycles_are_found_whole_and_explained_by_their_uses()
    {
        var graph = FolderDependencies.Of(
            ("Recording", "Motion", "CameraRecorder → MotionAnalyzer"),
            ("Motion", "Cameras", "MotionAnalyzer → CameraHub"),
            ("Cameras", "Recording", "CameraRegistry → ClipStore"),
            ("Cameras", "Data", "CameraRegistry → NvrDbContext"),
            ("Live", "Ingest", "ViewerConnection → WebSocketMessageReader"),
            ("Ingest", "Live", "CameraSession → LiveFrame"),
            ("Clips", "Data", "ClipCatalog → NvrDbContext"));
        var cycles = graph.Cycles();
        Assert.Equal(2, cycles.Count);
        Assert.Contains(cycles, c => c.SequenceEqual(["Cameras", "Motion", "Recording"]));
        Assert.Contains(cycles, c => c.SequenceEqual(["Ingest", "Live"]));
        var why = graph.Explain(cycles.Single(c => c.Count == 3));
        Assert.Contains("Cameras → Recording: CameraRegistry → ClipStore", why);
        Assert.DoesNotContain("Data", why);
        Assert.Empty(FolderDependencies.Of(("Clips", "Data", "x"), ("Cameras", "Data", "y")).Cycles());
    }

    [Fact]
    public void The_compiled_code_is_read_in_the_right_direction()
    {
        var web = FolderDependencies.Read(Path.Combine(AppContext.BaseDirectory, "NvrBlazor.Web.dll"), "NvrBlazor.Web");
        Assert.Contains("CameraPuller → CameraHub", web.Uses["Pull"]["Cameras"]);
        Assert.False(web.Uses.GetValueOrDefault("Data")?.ContainsKey("Pull") ?? false);
    }
}

using NvrBlazor.Tests.Support;

namespace NvrBlazor.Tests.Integration;

/// <summary>The UI is on MudBlazor and the .NET 10 Blazor script alone: the substitutes of the first version are gone.</summary>
public class ComponentLibraryTests
{
    private static readonly string[] SourceKinds = [".cs", ".razor", ".csproj", ".props", ".targets", ".json", ".js", ".css", ".sln"];

    [Fact]
    public void No_code_build_file_or_package_list_names_the_old_component_library_or_the_net9_script_workaround()
    {
        // Spelled in pieces so this file does not find itself.
        string[] banned = ["rad" + "zen", "BlazorWebScript" + "FromNet9", "RequiresAspNet" + "WebAssets", "BlazorScript" + "Endpoint"];
        var root = TestPaths.RepositoryRoot;
        var found = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(path => SourceKinds.Contains(Path.GetExtension(path)))
            .Where(path => !Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "TestResults" or ".git" or "node_modules"))
            .SelectMany(path => banned.Where(word => File.ReadAllText(path).Contains(word, StringComparison.OrdinalIgnoreCase))
                .Select(word => $"{Path.GetRelativePath(root, path)}: {word}"))
            .ToList();
        Assert.Empty(found);
        Assert.False(File.Exists(Path.Combine(root, "build", "BlazorWebScript" + "FromNet9.targets")));
    }
}

namespace NvrBlazor.Tests.Support;

/// <summary>
/// Tests that load the machine on purpose (a million SQLite rows, a 300 MB ZIP) run on their own,
/// after the parallel ones: on 2 cores they would otherwise starve the timing-sensitive recording and
/// live tests running beside them (a camera's measured frame rate dropped from 10 to 9.5 fps).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyTests
{
    public const string Name = "Heavy: runs alone";
}

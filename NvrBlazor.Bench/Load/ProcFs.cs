using System.Globalization;

namespace NvrBlazor.Bench.Load;

/// <summary>CPU time and memory of a process and its children, read from /proc (Linux).</summary>
public static class ProcFs
{
    /// <summary>Clock ticks per second of utime/stime in /proc/&lt;pid&gt;/stat (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>User + system CPU seconds of the process (fields 14 and 15 of stat), or null if it is gone.</summary>
    public static double? CpuSeconds(int pid) => Stat(pid) is { } fields ? Ticks(fields, 11) + Ticks(fields, 12) : null;

    /// <summary>CPU of the process's children that have ended and been waited for (fields 16 and 17).</summary>
    public static double? ReapedChildrenCpuSeconds(int pid) => Stat(pid) is { } fields ? Ticks(fields, 13) + Ticks(fields, 14) : null;

    /// <summary>Running children of <paramref name="pid"/> with their CPU seconds so far.</summary>
    public static Dictionary<int, double> Children(int pid)
    {
        var children = new Dictionary<int, double>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var child))
                continue;
            if (Stat(child) is { } fields && int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                children[child] = Ticks(fields, 11) + Ticks(fields, 12);
        }
        return children;
    }

    /// <summary>Resident memory now (VmRSS), in bytes, or null if the process is gone.</summary>
    public static long? ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double Ticks(string[] fields, int index) => double.Parse(fields[index], CultureInfo.InvariantCulture) / TicksPerSecond;

    /// <summary>The fields after the command name (which may contain spaces and parentheses): state is [0], ppid [1].</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

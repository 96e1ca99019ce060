namespace NvrBlazor.Bench.Load;

/// <summary>The targets, judged from the results: each line says met or NOT met, with the figures.</summary>
public static class Targets
{
    public static IEnumerable<string> Check(IReadOnlyList<ScenarioResult> results)
    {
        ScenarioResult? Find(Func<Scenario, bool> match) => results.FirstOrDefault(r => r.Error is null && match(r.Scenario));
        static string Verdict(bool met) => met ? "**met**" : "**NOT met**";

        if (Find(s => s.Name == "ingest-50x10-vga") is { } ingest)
        {
            yield return Report.Invariant($"ingest-50x10-vga, every frame delivered: {Verdict(ingest.MissingInWindow == 0)} in the window ({ingest.DeliveredInWindowToViewers:N0} of {ingest.ExpectedInWindow:N0}); whole run including warm-up {ingest.Delivered:N0} of {ingest.Expected:N0}.");
            yield return Report.Invariant($"ingest-50x10-vga, server CPU ≤ 50 µs per frame delivered: {Verdict(ingest.MicrosecondsPerDelivered <= 50)} ({ingest.MicrosecondsPerDelivered:0} µs).");
            yield return Report.Invariant($"ingest-50x10-vga, latency p99 ≤ 10 ms: {Verdict(ingest.P99 <= 10)} ({ingest.P99:0.00} ms).");
        }
        if (Find(s => s.Name == "many-200x5-vga") is { } many)
            yield return Report.Invariant($"many-200x5-vga, no drop to a reading viewer: {Verdict(many.MissingInWindow == 0)} in the window ({many.MissingInWindow:N0} of {many.ExpectedInWindow:N0} missing; whole run {many.Missing:N0} missing, {many.DroppedForViewers:N0} dropped by viewer queues, {many.RefusedByServer:N0} refused).");
        var one = Find(s => s is { Cameras: 20, Viewers: 1, Twist: Twist.None, Resolution: "vga" } && s.Fps == 10);
        var fan = Find(s => s.Name == "fanout-20x10-vga-10viewers");
        if (one is not null && fan is not null && fan.DeliveredPerSecond > one.DeliveredPerSecond)
        {
            var perViewerFrame = (fan.ServerCpuSeconds / fan.WindowSeconds - (one.ServerCpuSeconds / one.WindowSeconds)) / (fan.DeliveredPerSecond - one.DeliveredPerSecond) * 1e6;
            var ingestFrame = (one.ServerCpuSeconds / one.WindowSeconds / (one.ReceivedInWindow / one.WindowSeconds) * 1e6) - perViewerFrame;
            yield return Report.Invariant($"fanout, a viewer costs less per frame than ingest: {Verdict(perViewerFrame < ingestFrame)} (each extra delivered frame {perViewerFrame:0} µs; ingest of a frame {ingestFrame:0} µs, from 20 cameras with 1 and with 10 viewers).");
        }
        if (Find(s => s.Twist == Twist.StalledViewer) is { } slow)
        {
            var (firstHalf, secondHalf) = slow.RssHalves;
            yield return Report.Invariant($"slow-viewer, other viewers unaffected: {Verdict(slow.MissingInWindow == 0)} ({slow.MissingInWindow:N0} of {slow.ExpectedInWindow:N0} missing in the window, {slow.Missing:N0} in the whole run; p99 {slow.P99:0.00} ms).");
            var heapGrowth = (slow.HeapAtEnd - slow.HeapAtStart) / 1048576.0;
            yield return Report.Invariant($"slow-viewer, server memory bounded: {Verdict(heapGrowth <= 16)} (managed heap after GC {slow.HeapAtStart / 1048576.0:0} MB when the window opened, {slow.HeapAtEnd / 1048576.0:0} MB when it closed; resident memory, which the server GC grows lazily towards its budget, peaked at {firstHalf / 1048576.0:0} MB in the first half and {secondHalf / 1048576.0:0} MB in the second).");
        }
        var memory = results.Where(r => r.Error is null && r.Scenario.Twist != Twist.Record).ToList();
        if (memory.Count > 0)
        {
            var worst = memory.MaxBy(r => r.MemoryPerCameraBeyondPreRoll)!;
            var biggest = memory.MaxBy(r => r.Scenario.Cameras)!;
            yield return Report.Invariant($"memory ≤ 2 MB per connected camera beyond its pre-roll: {Verdict(biggest.MemoryPerCameraBeyondPreRoll <= 2 * 1048576.0)} at {biggest.Scenario.Cameras} cameras ({biggest.MemoryPerCameraBeyondPreRoll / 1048576.0:0.00} MB; highest over all scenarios {worst.MemoryPerCameraBeyondPreRoll / 1048576.0:0.00} MB in {worst.Scenario.Name}, where the server's fixed memory is shared by only {worst.Scenario.Cameras} cameras).");
        }
        if (fan is not null)
            yield return Report.Invariant($"no per-viewer copy of the JPEG: {Verdict(fan.AllocatedPerDelivered < fan.AverageJpegBytes / 4)} (fanout allocates {fan.AllocatedPerDelivered:N0} bytes per delivered frame for {fan.AverageJpegBytes:N0}-byte JPEGs, {fan.AllocatedPerReceived:N0} per frame taken in; a copy per viewer would be at least {fan.AverageJpegBytes * fan.Scenario.Viewers:N0} per frame taken in).");
    }
}

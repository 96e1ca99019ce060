using NvrBlazor.Domain.Retention;

namespace NvrBlazor.Tests.Domain.Retention;

public sealed class RetentionPlannerTests
{
    private const long MB = 1024 * 1024;
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly RetentionPolicy Default = new(14, null, LimitAction.DeleteOldest);
    private static readonly GlobalLimits NoGlobal = new(null, 0);

    private static RetentionClip Clip(long id, int? camera, double daysAgo, long mb = 1, bool @protected = false, bool writing = false) =>
        new(id, camera, Now - TimeSpan.FromDays(daysAgo), mb * MB, @protected, writing);

    private static RetentionPlan Plan(IEnumerable<RetentionClip> clips, Dictionary<int, RetentionPolicy>? cameras = null, GlobalLimits? limits = null, DiskSpace? disk = null) =>
        RetentionPlanner.Plan(clips, cameras ?? new() { [1] = Default, [2] = Default }, Default, limits ?? NoGlobal, disk, Now);

    private static long[] Ids(RetentionPlan plan) => plan.Deletions.Select(d => d.Clip.Id).ToArray();

    [Fact]
    public void Age_is_per_camera_and_clips_of_deleted_cameras_follow_the_default()
    {
        var cameras = new Dictionary<int, RetentionPolicy> { [1] = Default, [2] = Default with { KeepDays = 3 } };
        var plan = Plan([Clip(1, 1, 15), Clip(2, 1, 13.9), Clip(3, 2, 3.1), Clip(4, 2, 2.9), Clip(5, null, 14.5), Clip(6, 99, 10)], cameras);

        Assert.Equal([1, 5, 3], Ids(plan)); // oldest first
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionRule.Age, d.Rule));
        Assert.Empty(plan.Stops);
        Assert.Equal(3 * MB, plan.Bytes);
    }

    [Fact]
    public void A_camera_over_its_size_cap_loses_its_oldest_clips_until_it_fits()
    {
        var cameras = new Dictionary<int, RetentionPolicy> { [1] = Default with { MaxBytes = 5 * MB }, [2] = Default };
        var clips = Enumerable.Range(1, 8).Select(i => Clip(i, 1, 9 - i)).Append(Clip(100, 2, 10, mb: 50)).ToList();

        var plan = Plan(clips, cameras);

        Assert.Equal([1, 2, 3], Ids(plan)); // 8 MB → 5 MB; camera 2's big clip is not its business
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionRule.CameraSize, d.Rule));
    }

    [Fact]
    public void The_total_cap_deletes_the_oldest_clips_across_cameras()
    {
        var clips = new[] { Clip(1, 1, 5, 4), Clip(2, 2, 4, 4), Clip(3, 1, 3, 4), Clip(4, 2, 2, 4) };

        var plan = Plan(clips, limits: new GlobalLimits(9 * MB, 0));

        Assert.Equal([1, 2], Ids(plan));
        Assert.All(plan.Deletions, d => Assert.Equal(RetentionRule.TotalSize, d.Rule));
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Minimum_free_space_counts_what_earlier_rules_freed()
    {
        // 100 MB disk, 5 % = 5 MB wanted free, 1 MB free: 4 MB must go. The 15-day-old clip (2 MB, age) counts.
        var clips = new[] { Clip(1, 1, 15, 2), Clip(2, 1, 5, 1), Clip(3, 2, 4, 1), Clip(4, 2, 3, 1) };

        var plan = Plan(clips, limits: new GlobalLimits(null, 5), disk: new DiskSpace(100 * MB, 1 * MB));

        Assert.Equal([1, 2, 3], Ids(plan));
        Assert.Equal([RetentionRule.Age, RetentionRule.FreeSpace, RetentionRule.FreeSpace], plan.Deletions.Select(d => d.Rule).ToArray());
    }

    [Fact]
    public void The_recorders_own_minimum_is_a_floor_under_the_percentage()
    {
        // 1 % of 100 MB is 1 MB, but recording needs 3 MB free: 2 MB must go.
        var plan = Plan([Clip(1, 1, 5, 1), Clip(2, 1, 4, 1), Clip(3, 1, 3, 1)], limits: new GlobalLimits(null, 1, 3 * MB), disk: new DiskSpace(100 * MB, 1 * MB));
        Assert.Equal([1, 2], Ids(plan));
    }

    [Fact]
    public void Enough_free_space_deletes_nothing()
    {
        var plan = Plan([Clip(1, 1, 5, 50)], limits: new GlobalLimits(null, 5), disk: new DiskSpace(100 * MB, 6 * MB));
        Assert.Empty(plan.Deletions);
    }

    [Fact]
    public void Protected_clips_are_never_planned_and_a_limit_they_fill_is_reported()
    {
        var cameras = new Dictionary<int, RetentionPolicy> { [1] = Default with { MaxBytes = 1 * MB } };
        var clips = new[] { Clip(1, 1, 30, 3, @protected: true), Clip(2, 1, 20, 3, @protected: true), Clip(3, 1, 1) };

        var plan = Plan(clips, cameras, new GlobalLimits(2 * MB, 0));

        Assert.Equal([3], Ids(plan));
        Assert.Equal(2, plan.Warnings.Count);
        Assert.Contains("Camera 1 stays 5 MB over its limit of 1 MB", plan.Warnings[0]);
        Assert.Contains("4 MB over the total limit", plan.Warnings[1]);
    }

    [Fact]
    public void A_clip_being_written_is_never_planned()
    {
        var plan = Plan([Clip(1, 1, 20, writing: true), Clip(2, 1, 19)], limits: new GlobalLimits(0 + 1, 0));
        Assert.Equal([2], Ids(plan));
    }

    [Fact]
    public void Ties_in_time_go_by_id_whatever_order_the_clips_come_in()
    {
        var start = Now - TimeSpan.FromDays(1);
        var clips = new[] { 7L, 3, 5 }.Select(id => new RetentionClip(id, 1, start, MB, false, false)).ToList();

        var plan = Plan(clips, limits: new GlobalLimits(1 * MB, 0));

        Assert.Equal([3, 5], Ids(plan));
    }

    [Fact]
    public void A_camera_set_to_stop_recording_keeps_its_clips_and_is_stopped_instead()
    {
        var cameras = new Dictionary<int, RetentionPolicy>
        {
            [1] = Default with { MaxBytes = 2 * MB, OnLimit = LimitAction.StopRecording },
            [2] = Default,
            [3] = Default with { OnLimit = LimitAction.StopRecording },
        };
        var clips = new[] { Clip(1, 1, 20), Clip(2, 1, 5), Clip(3, 1, 4), Clip(4, 1, 3), Clip(5, 2, 2), Clip(6, 2, 1) };

        var plan = Plan(clips, cameras, new GlobalLimits(3 * MB, 0));

        // Age still deletes camera 1's 20-day-old clip; its size cap and the total cap only stop it. Camera 2 pays for the total.
        Assert.Equal([1, 5, 6], Ids(plan));
        Assert.Equal([(1, RetentionRule.CameraSize), (3, RetentionRule.TotalSize)], plan.Stops.Select(s => (s.CameraId, s.Rule)).ToArray());
        Assert.Contains("over its limit of 2 MB", plan.Stops[0].Why);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void A_stopped_camera_alone_over_the_total_is_reported()
    {
        var cameras = new Dictionary<int, RetentionPolicy> { [1] = Default with { OnLimit = LimitAction.StopRecording } };
        var plan = Plan([Clip(1, 1, 2, 5)], cameras, new GlobalLimits(1 * MB, 0));

        Assert.Empty(plan.Deletions);
        Assert.Equal(RetentionRule.TotalSize, Assert.Single(plan.Stops).Rule);
        Assert.Contains("cameras set to stop recording", Assert.Single(plan.Warnings));
    }

    [Theory]
    [InlineData(0, null, LimitAction.DeleteOldest, "Keep days must be 1 to 3650 (it is 0).")]
    [InlineData(14, 0L, LimitAction.DeleteOldest, "The size limit must be more than 0 GB, or empty for none.")]
    [InlineData(14, null, (LimitAction)7, "The limit action 7 is unknown.")]
    [InlineData(14, 5L, LimitAction.StopRecording, null)]
    public void Policies_name_what_is_wrong(int days, long? maxBytes, LimitAction action, string? problem) =>
        Assert.Equal(problem, new RetentionPolicy(days, maxBytes, action).Problem());

    [Fact]
    public void History_is_the_shortest_of_age_size_cap_and_the_shared_budget()
    {
        var perDay = RetentionForecast.BytesPerDay(700 * MB, Now - TimeSpan.FromDays(30), Now);
        Assert.Equal(100 * MB, perDay, 3);
        Assert.Equal(200 * MB, RetentionForecast.BytesPerDay(200 * MB, Now - TimeSpan.FromHours(2), Now), 3); // under a day counts as one
        Assert.Equal(0, RetentionForecast.BytesPerDay(0, null, Now));

        Assert.Equal(new HistoryProjection(14, RetentionRule.Age), RetentionForecast.ForCamera(Default, perDay, null));
        Assert.Equal(new HistoryProjection(5, RetentionRule.CameraSize), RetentionForecast.ForCamera(Default with { MaxBytes = 500 * MB }, perDay, null));

        // 1 GB total cap over 200 MB a day of all cameras: 5.12 days; the disk allows more.
        var shared = RetentionForecast.Shared(new GlobalLimits(1024 * MB, 5), new DiskSpace(100_000 * MB, 50_000 * MB), 300 * MB, 200 * MB);
        Assert.Equal(RetentionRule.TotalSize, shared!.Limit);
        Assert.Equal(5.12, shared.Days, 3);
        Assert.Equal(shared, RetentionForecast.ForCamera(Default, perDay, shared));

        // Without a total cap the disk decides: 300 MB recorded + 5,300 MB free − 5,000 MB kept free = 600 MB → 3 days at 200 MB.
        var disk = RetentionForecast.Shared(new GlobalLimits(null, 5), new DiskSpace(100_000 * MB, 5_300 * MB), 300 * MB, 200 * MB);
        Assert.Equal(new HistoryProjection(3, RetentionRule.FreeSpace), disk);
        Assert.Null(RetentionForecast.Shared(new GlobalLimits(null, 5), null, 0, 0));
    }
}

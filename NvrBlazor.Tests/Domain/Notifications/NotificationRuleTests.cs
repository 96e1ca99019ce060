using System.Text.Json;
using NvrBlazor.Domain.Notifications;

namespace NvrBlazor.Tests.Domain.Notifications;

public class NotificationRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static NotificationRule Rule(string from = "00:00", string to = "00:00", int gapSeconds = 60, int[]? cameras = null, EventKinds events = EventKinds.MotionStarted | EventKinds.DiskFull) =>
        new(events, cameras?.ToHashSet(), TimeOnly.Parse(from), TimeOnly.Parse(to), TimeSpan.FromSeconds(gapSeconds));

    [Theory]
    [InlineData("22:00", "07:00", "23:30", true)]
    [InlineData("22:00", "07:00", "06:59", true)]
    [InlineData("22:00", "07:00", "07:00", false)]
    [InlineData("22:00", "07:00", "12:00", false)]
    [InlineData("09:00", "17:00", "12:00", true)]
    [InlineData("09:00", "17:00", "17:00", false)]
    [InlineData("09:00", "09:00", "09:00", false)]
    public void Quiet_hours_may_wrap_past_midnight_and_equal_times_mean_none(string from, string to, string at, bool quiet) =>
        Assert.Equal(quiet, Rule(from, to).InQuietHours(TimeOnly.Parse(at)));

    [Fact]
    public void The_rule_picks_events_and_cameras_and_events_without_a_camera_pass_the_camera_choice()
    {
        var rule = Rule(cameras: [1, 2]);
        Assert.Null(rule.Suppresses(EventKinds.MotionStarted, 1, new TimeOnly(12, 0), Now, null));
        Assert.Contains("camera", rule.Suppresses(EventKinds.MotionStarted, 3, new TimeOnly(12, 0), Now, null));
        Assert.Contains("ClipCompleted", rule.Suppresses(EventKinds.ClipCompleted, 1, new TimeOnly(12, 0), Now, null));
        Assert.Null(rule.Suppresses(EventKinds.DiskFull, null, new TimeOnly(12, 0), Now, Now));
    }

    [Fact]
    public void A_rule_for_some_objects_takes_sightings_that_carry_one_of_them_and_leaves_other_events_alone()
    {
        var rule = Rule(events: EventKinds.All) with { Labels = new HashSet<string> { "person", "car" } };
        var noon = new TimeOnly(12, 0);
        Assert.Null(rule.Suppresses(EventKinds.ObjectDetected, 1, noon, Now, null, ["person"]));
        Assert.Null(rule.Suppresses(EventKinds.ClipCompleted, 1, noon, Now, null, ["dog", "car"]));
        Assert.Equal("the rule wants car, person; the event saw dog", rule.Suppresses(EventKinds.ClipCompleted, 1, noon, Now, null, ["dog"]));
        Assert.Equal("the rule wants car, person; the event saw no object", rule.Suppresses(EventKinds.MotionStarted, 1, noon, Now, null));
        Assert.Null(rule.Suppresses(EventKinds.CameraOffline, 1, noon, Now, null));
        Assert.Null(rule.Suppresses(EventKinds.DiskFull, null, noon, Now, null));
        Assert.Null(Rule(events: EventKinds.All).Suppresses(EventKinds.MotionStarted, 1, noon, Now, null));
    }

    [Fact]
    public void The_minimum_gap_holds_back_a_cameras_next_notification_and_quiet_hours_hold_back_everything()
    {
        var rule = Rule("22:00", "07:00", gapSeconds: 300);
        Assert.Contains("less than 300 s", rule.Suppresses(EventKinds.MotionStarted, 1, new TimeOnly(12, 0), Now, Now.AddSeconds(-299)));
        Assert.Null(rule.Suppresses(EventKinds.MotionStarted, 1, new TimeOnly(12, 0), Now, Now.AddSeconds(-300)));
        Assert.Contains("quiet hours", rule.Suppresses(EventKinds.MotionStarted, 1, new TimeOnly(23, 0), Now, null));
        Assert.Contains("quiet hours", rule.Suppresses(EventKinds.DiskFull, null, new TimeOnly(23, 0), Now, null));
    }
}

public class WebhookMessageTests
{
    private static readonly NvrEvent Clip = new()
    {
        Kind = EventKinds.ClipCompleted, At = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero), CameraId = 3, CameraName = "Porch",
        ClipId = 42, DurationSeconds = 25.2, DownloadUrl = "/api/clips/42/download", Message = "Porch: 25 s clip",
    };

    [Fact]
    public void The_signature_is_hmac_sha256_over_timestamp_and_body_and_changes_with_either()
    {
        var signature = WebhookMessage.Sign("secret", 1_800_000_000, "{}");
        // echo -n '1800000000.{}' | openssl dgst -sha256 -hmac secret
        Assert.Equal("sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("secret"u8, "1800000000.{}"u8)), signature);
        Assert.True(WebhookMessage.Verify("secret", 1_800_000_000, "{}", signature));
        Assert.False(WebhookMessage.Verify("secret", 1_800_000_001, "{}", signature));
        Assert.False(WebhookMessage.Verify("secret", 1_800_000_000, "{ }", signature));
    }

    [Fact]
    public void Each_shape_is_what_its_service_reads()
    {
        var withLinks = Clip.WithBase("https://nvr.example.org/");
        Assert.Equal("https://nvr.example.org/api/clips/42/download", withLinks.DownloadUrl);

        var (generic, type, _) = WebhookMessage.Build(WebhookShape.Generic, withLinks);
        Assert.Equal("application/json", type);
        var json = JsonDocument.Parse(generic).RootElement;
        Assert.Equal("clipCompleted", json.GetProperty("kind").GetString());
        Assert.Equal(42, json.GetProperty("clipId").GetInt64());

        var (ntfy, ntfyType, headers) = WebhookMessage.Build(WebhookShape.Ntfy, withLinks);
        Assert.StartsWith("text/plain", ntfyType);
        Assert.Equal("Porch: 25 s clip", ntfy);
        Assert.Contains(("Title", "Porch: clip 25 s"), headers);
        Assert.Contains(("Click", "https://nvr.example.org/api/clips/42/download"), headers);

        Assert.Contains("Porch: clip 25 s", JsonDocument.Parse(WebhookMessage.Build(WebhookShape.Gotify, Clip).Body).RootElement.GetProperty("title").GetString());
        Assert.Contains("Porch: 25 s clip", JsonDocument.Parse(WebhookMessage.Build(WebhookShape.Discord, Clip).Body).RootElement.GetProperty("content").GetString());
        Assert.Contains("Porch: 25 s clip", JsonDocument.Parse(WebhookMessage.Build(WebhookShape.Slack, Clip).Body).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void Home_assistant_discovery_groups_a_cameras_four_entities_under_one_device()
    {
        var configs = HomeAssistantDiscovery.Configs("nvrblazor", "homeassistant", 3, "Porch");
        Assert.Equal(HomeAssistantDiscovery.ConfigTopics("homeassistant", 3), configs.Select(c => c.Topic));
        Assert.Equal(4, configs.Select(c => JsonDocument.Parse(c.Payload).RootElement.GetProperty("unique_id").GetString()).Distinct().Count());
        var objects = JsonDocument.Parse(configs[3].Payload).RootElement;
        Assert.Equal("homeassistant/binary_sensor/nvrblazor_3/objects/config", configs[3].Topic);
        Assert.Equal("nvrblazor/3/objects", objects.GetProperty("state_topic").GetString());
        Assert.Equal("nvrblazor/3/objects/attributes", objects.GetProperty("json_attributes_topic").GetString());
        Assert.Equal("occupancy", objects.GetProperty("device_class").GetString());
        var motion = JsonDocument.Parse(configs[0].Payload).RootElement;
        Assert.Equal("nvrblazor/3/motion", motion.GetProperty("state_topic").GetString());
        Assert.Equal("nvrblazor/3/availability", motion.GetProperty("availability_topic").GetString());
        var camera = JsonDocument.Parse(configs[2].Payload).RootElement;
        Assert.Equal("nvrblazor/3/snapshot", camera.GetProperty("topic").GetString());
        Assert.All(configs, c => Assert.Equal("nvrblazor_3", JsonDocument.Parse(c.Payload).RootElement.GetProperty("device").GetProperty("identifiers")[0].GetString()));
    }
}

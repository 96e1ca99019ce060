using System.Text.Json.Nodes;

namespace NvrBlazor.Domain.Notifications;

/// <summary>
/// MQTT topics of a camera and its Home Assistant MQTT discovery messages (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery):
/// a motion binary sensor, an online (connectivity) sensor and a camera entity showing the latest snapshot, grouped as
/// one device. Topics use the camera's id, which a rename does not change. Removing = the same config topics with an
/// empty retained payload.
/// </summary>
public static class HomeAssistantDiscovery
{
    public static string Status(string prefix) => $"{prefix}/status";
    public static string Events(string prefix) => $"{prefix}/events";
    public static string Availability(string prefix, int camera) => $"{prefix}/{camera}/availability";
    public static string Motion(string prefix, int camera) => $"{prefix}/{camera}/motion";
    public static string Snapshot(string prefix, int camera) => $"{prefix}/{camera}/snapshot";
    public static string Event(string prefix, int camera) => $"{prefix}/{camera}/event";

    public static IReadOnlyList<string> ConfigTopics(string discoveryPrefix, int camera) =>
    [
        $"{discoveryPrefix}/binary_sensor/nvrblazor_{camera}/motion/config",
        $"{discoveryPrefix}/binary_sensor/nvrblazor_{camera}/online/config",
        $"{discoveryPrefix}/camera/nvrblazor_{camera}/snapshot/config",
    ];

    public static IReadOnlyList<(string Topic, string Payload)> Configs(string prefix, string discoveryPrefix, int camera, string name)
    {
        var topics = ConfigTopics(discoveryPrefix, camera);
        JsonObject Device() => new()
        {
            ["identifiers"] = new JsonArray($"nvrblazor_{camera}"),
            ["name"] = name,
            ["manufacturer"] = "NvrBlazor",
            ["model"] = "Camera",
        };
        var motion = new JsonObject
        {
            ["name"] = "Motion",
            ["unique_id"] = $"nvrblazor_{camera}_motion",
            ["state_topic"] = Motion(prefix, camera),
            ["payload_on"] = "ON",
            ["payload_off"] = "OFF",
            ["device_class"] = "motion",
            ["availability_topic"] = Availability(prefix, camera),
            ["device"] = Device(),
        };
        var online = new JsonObject
        {
            ["name"] = "Online",
            ["unique_id"] = $"nvrblazor_{camera}_online",
            ["state_topic"] = Availability(prefix, camera),
            ["payload_on"] = "online",
            ["payload_off"] = "offline",
            ["device_class"] = "connectivity",
            ["entity_category"] = "diagnostic",
            ["device"] = Device(),
        };
        var picture = new JsonObject
        {
            ["name"] = "Snapshot",
            ["unique_id"] = $"nvrblazor_{camera}_snapshot",
            ["topic"] = Snapshot(prefix, camera),
            ["device"] = Device(),
        };
        return [(topics[0], motion.ToJsonString()), (topics[1], online.ToJsonString()), (topics[2], picture.ToJsonString())];
    }
}

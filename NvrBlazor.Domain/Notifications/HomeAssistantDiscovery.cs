using System.Text.Json.Nodes;

namespace NvrBlazor.Domain.Notifications;

/// <summary>
/// MQTT topics of a camera and its Home Assistant MQTT discovery messages (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery):
/// a motion binary sensor, an online (connectivity) sensor, a camera entity showing the latest snapshot and an "object
/// detected" binary sensor (on while a motion event has one of the camera's chosen objects in it; its attributes say
/// which labels, the best score and the zone), grouped as one device. Topics use the camera's id, which a rename does not change. Removing = the same config topics with an
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
    public static string Objects(string prefix, int camera) => $"{prefix}/{camera}/objects";
    public static string ObjectsAttributes(string prefix, int camera) => $"{prefix}/{camera}/objects/attributes";

    /// <summary>Every retained state topic of a camera: what is emptied when the camera is deleted.</summary>
    public static IReadOnlyList<string> StateTopics(string prefix, int camera) =>
        [Availability(prefix, camera), Motion(prefix, camera), Snapshot(prefix, camera), Objects(prefix, camera), ObjectsAttributes(prefix, camera)];

    public static IReadOnlyList<string> ConfigTopics(string discoveryPrefix, int camera) =>
    [
        $"{discoveryPrefix}/binary_sensor/nvrblazor_{camera}/motion/config",
        $"{discoveryPrefix}/binary_sensor/nvrblazor_{camera}/online/config",
        $"{discoveryPrefix}/camera/nvrblazor_{camera}/snapshot/config",
        $"{discoveryPrefix}/binary_sensor/nvrblazor_{camera}/objects/config",
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
        // A binary sensor of the camera: its state topic says on/off, in the device's name.
        JsonObject Sensor(string entity, string title, string state, string on, string off, string deviceClass) => new()
        {
            ["name"] = title,
            ["unique_id"] = $"nvrblazor_{camera}_{entity}",
            ["state_topic"] = state,
            ["payload_on"] = on,
            ["payload_off"] = off,
            ["device_class"] = deviceClass,
            ["device"] = Device(),
        };
        var motion = Sensor("motion", "Motion", Motion(prefix, camera), "ON", "OFF", "motion");
        motion["availability_topic"] = Availability(prefix, camera);
        var online = Sensor("online", "Online", Availability(prefix, camera), "online", "offline", "connectivity");
        online["entity_category"] = "diagnostic";
        var picture = new JsonObject
        {
            ["name"] = "Snapshot",
            ["unique_id"] = $"nvrblazor_{camera}_snapshot",
            ["topic"] = Snapshot(prefix, camera),
            ["device"] = Device(),
        };
        var objects = Sensor("objects", "Object detected", Objects(prefix, camera), "ON", "OFF", "occupancy");
        objects["json_attributes_topic"] = ObjectsAttributes(prefix, camera);
        objects["availability_topic"] = Availability(prefix, camera);
        return [(topics[0], motion.ToJsonString()), (topics[1], online.ToJsonString()), (topics[2], picture.ToJsonString()), (topics[3], objects.ToJsonString())];
    }
}

using NvrBlazor.Domain.Ingest;
using NvrBlazor.Web.Audit;

namespace NvrBlazor.Web.Cameras;

public enum CommandOutcome { Queued, Invalid, NotFound, Offline }

public sealed record CommandResult(CommandOutcome Outcome, string? Problem = null);

/// <summary>
/// Sending commands to cameras, for the API and the live page alike: validated against the ESP32's
/// command buffer, queued for the camera's single command slot, and written to the audit log.
/// Callers have already checked that the user is an Admin.
/// </summary>
public sealed class CameraControl(CameraRegistry registry, CameraHub hub, AuditLog audit)
{
    public const string PullTakesNoCommands = "A pull camera takes no commands: the server fetches its pictures. Change its address or rate in Admin > Cameras > Source.";

    public async Task<CommandResult> SendAsync(string actor, int cameraId, string? command, CancellationToken cancellationToken)
    {
        command = command?.Trim() ?? "";
        if (Esp32Commands.Validate(command) is { } refusal)
            return new CommandResult(CommandOutcome.Invalid, refusal);
        if (await registry.FindAsync(cameraId, cancellationToken) is not { } camera)
            return new CommandResult(CommandOutcome.NotFound, "That camera no longer exists.");
        if (camera.Kind == CameraKind.Pull)
            return new CommandResult(CommandOutcome.Invalid, PullTakesNoCommands);
        if (hub.Find(cameraId) is not { Online: true } live)
            return new CommandResult(CommandOutcome.Offline, "The camera is offline; commands are only sent to connected cameras.");
        live.Commands.Enqueue(command);
        await audit.CommandAsync(actor, camera.Id, camera.Name, command, cancellationToken);
        return new CommandResult(CommandOutcome.Queued);
    }

    /// <summary>Queues the command for every online, not disabled camera among <paramref name="cameraIds"/> (all cameras when null); returns the ids it went to.</summary>
    public async Task<(IReadOnlyList<int> Sent, string? Problem)> BroadcastAsync(string actor, IReadOnlyCollection<int>? cameraIds, string? command, CancellationToken cancellationToken)
    {
        command = command?.Trim() ?? "";
        if (Esp32Commands.Validate(command) is { } refusal)
            return ([], refusal);
        var sent = new List<int>();
        foreach (var camera in await registry.ListAsync(cancellationToken))
        {
            if (camera.State == CameraState.Disabled || camera.Kind == CameraKind.Pull || (cameraIds is not null && !cameraIds.Contains(camera.Id)) || hub.Find(camera.Id) is not { Online: true } live)
                continue;
            live.Commands.Enqueue(command);
            sent.Add(camera.Id);
            await audit.CommandAsync(actor, camera.Id, camera.Name, command, cancellationToken);
        }
        return (sent, null);
    }
}

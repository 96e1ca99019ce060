namespace NvrBlazor.Domain.Ingest;

/// <summary>Who may stream without an admin's approval: ESP32 cameras cannot authenticate.</summary>
public enum Esp32Admission
{
    /// <summary>An unknown hostName is registered as pending: an admin approves it before anyone sees or records it.</summary>
    Pending,
    /// <summary>An unknown hostName is registered active at once (trusted networks only).</summary>
    Open,
    /// <summary>Only cameras an admin registered may connect.</summary>
    Closed,
}

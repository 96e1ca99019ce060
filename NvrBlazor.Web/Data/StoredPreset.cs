namespace NvrBlazor.Web.Data;

/// <summary>A saved command preset (table CommandPresets), shown in the live page's presets drop-down.</summary>
public sealed class StoredPreset
{
    public int Id { get; set; }
    public int Position { get; set; }
    public string Name { get; set; } = "";
    public string Commands { get; set; } = "";
}

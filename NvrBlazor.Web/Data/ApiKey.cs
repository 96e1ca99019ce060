namespace NvrBlazor.Web.Data;

/// <summary>
/// A user's named key for programs (table ApiKeys). Only the key's SHA-256 is stored, and its first
/// characters so the owner can tell keys apart; revoking deletes the row; deleting the user deletes their keys.
/// </summary>
public sealed class ApiKey
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    public required string Shown { get; set; }
    public required string Hash { get; set; }
    public DateTimeOffset Created { get; set; }
    /// <summary>Updated at most once a minute (a stream of snapshot requests does not write the database each time).</summary>
    public DateTimeOffset? LastUsed { get; set; }
}

namespace NvrBlazor.Domain.Users;

/// <summary>The two roles of NvrBlazor. Admin may do everything; Viewer watches the cameras granted to it.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Viewer = "Viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Viewer];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

namespace NvrBlazor.Domain.Users;

/// <summary>A user as the administration rules see it.</summary>
public sealed record UserFacts(string Id, string UserName, bool IsAdmin);

/// <summary>
/// What an admin may not do to the accounts, so that the server can never be left without an
/// administrator and nobody removes the account they are signed in with. Each method returns
/// null when the action is allowed, otherwise the sentence to show the admin.
/// </summary>
public static class UserAdminRules
{
    public static string? RefuseDelete(string actingUserId, UserFacts target, int adminCount)
    {
        if (target.Id == actingUserId)
            return "You cannot delete your own account; sign in as another admin to do it.";
        if (target.IsAdmin && adminCount <= 1)
            return $"'{target.UserName}' is the last admin and cannot be deleted; make another user Admin first.";
        return null;
    }

    public static string? RefuseRoleChange(UserFacts target, IReadOnlyCollection<string> newRoles, int adminCount)
    {
        if (newRoles.Count == 0)
            return "Choose a role: Admin or Viewer.";
        var unknown = newRoles.FirstOrDefault(r => !Roles.IsKnown(r));
        if (unknown is not null)
            return $"'{unknown}' is not a role; the roles are {string.Join(" and ", Roles.All)}.";
        if (target.IsAdmin && !newRoles.Contains(Roles.Admin) && adminCount <= 1)
            return $"'{target.UserName}' is the last admin and must keep the Admin role; make another user Admin first.";
        return null;
    }

    public static string? RefuseLock(string actingUserId, UserFacts target, int unlockedAdminCount)
    {
        if (target.Id == actingUserId)
            return "You cannot lock your own account.";
        if (target.IsAdmin && unlockedAdminCount <= 1)
            return $"'{target.UserName}' is the last admin who can sign in and cannot be locked.";
        return null;
    }
}

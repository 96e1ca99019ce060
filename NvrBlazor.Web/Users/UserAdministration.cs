using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NvrBlazor.Domain.Users;

namespace NvrBlazor.Web.Users;

public sealed record UserRow(
    string Id, string UserName, string? Email, string Role, DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, bool MustChangePassword)
{
    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

/// <summary>The signed-in admin doing the change.</summary>
public sealed record AdminActor(string Id, string Name);

public sealed record NewUser(string UserName, string? Email, string Role, string Password, bool MustChangePassword);

/// <summary>The result of an admin action: done, or refused with the sentence to show. <see cref="Secret"/> carries a generated password to show once.</summary>
public sealed record AdminOutcome(bool Succeeded, string Message, string? Secret = null)
{
    public static AdminOutcome Done(string message, string? secret = null) => new(true, message, secret);
    public static AdminOutcome Refused(string message) => new(false, message);
}

/// <summary>
/// What the Admin > Users page does to accounts. Each call uses its own DI scope (a page lives for
/// hours; a DbContext must not), and changes are serialised so that two admins demoting each other
/// at the same moment cannot leave the server without an admin.
/// </summary>
public sealed partial class UserAdministration(IServiceScopeFactory scopes, Audit.AuditLog audit, TimeProvider clock, ILogger<UserAdministration> logger)
{
    private static readonly SemaphoreSlim Changes = new(1, 1);

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NvrUser>>();
        var admins = (await users.GetUsersInRoleAsync(Roles.Admin)).Select(u => u.Id).ToHashSet();
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        return all.Select(u => new UserRow(u.Id, u.UserName ?? "", u.Email, admins.Contains(u.Id) ? Roles.Admin : Roles.Viewer,
            u.LockoutEnd, u.CreatedAt, u.LastSignInAt, u.MustChangePassword)).ToList();
    }

    public Task<AdminOutcome> CreateAsync(AdminActor actor, NewUser input) => ChangeAsync(async users =>
    {
        var name = input.UserName.Trim();
        if (name.Length == 0)
            return AdminOutcome.Refused("Enter a user name.");
        if (!Roles.IsKnown(input.Role))
            return AdminOutcome.Refused($"'{input.Role}' is not a role; the roles are {string.Join(" and ", Roles.All)}.");
        if (await users.FindByNameAsync(name) is not null)
            return AdminOutcome.Refused($"A user named '{name}' already exists.");
        var user = new NvrUser
        {
            UserName = name,
            Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim(),
            CreatedAt = clock.GetUtcNow(),
            MustChangePassword = input.MustChangePassword,
        };
        var created = await users.CreateAsync(user, input.Password);
        if (!created.Succeeded)
            return AdminOutcome.Refused(Describe(created));
        var role = await users.AddToRoleAsync(user, input.Role);
        if (!role.Succeeded)
        {
            await users.DeleteAsync(user);
            return AdminOutcome.Refused(Describe(role));
        }
        await RecordAsync(actor, "created", name, $"as {input.Role}");
        return AdminOutcome.Done($"Created {input.Role} '{name}'.");
    });

    public Task<AdminOutcome> ChangeRoleAsync(AdminActor actor, string userId, string role) => ChangeAsync(async users =>
    {
        if (await users.FindByIdAsync(userId) is not { } user)
            return AdminOutcome.Refused("That user no longer exists.");
        var facts = await FactsAsync(users, user);
        var refusal = UserAdminRules.RefuseRoleChange(facts, [role], await AdminCountAsync(users));
        if (refusal is not null)
            return AdminOutcome.Refused(refusal);
        var current = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, role);
        // A new stamp makes the user's cookie and open pages re-read their roles within a minute.
        await users.UpdateSecurityStampAsync(user);
        await RecordAsync(actor, "changed the role of", user.UserName!, $"{string.Join("+", current)} → {role}");
        return AdminOutcome.Done($"'{user.UserName}' is now {role}.");
    });

    public Task<AdminOutcome> ResetPasswordAsync(AdminActor actor, string userId) => ChangeAsync(async users =>
    {
        if (await users.FindByIdAsync(userId) is not { } user)
            return AdminOutcome.Refused("That user no longer exists.");
        var password = PasswordGenerator.Generate();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded)
            return AdminOutcome.Refused(Describe(reset));
        user.MustChangePassword = true;
        await users.UpdateAsync(user);
        await RecordAsync(actor, "reset the password of", user.UserName!, "");
        return AdminOutcome.Done($"New password for '{user.UserName}' (shown once; they must change it when they sign in):", password);
    });

    public Task<AdminOutcome> SetLockedAsync(AdminActor actor, string userId, bool locked) => ChangeAsync(async users =>
    {
        if (await users.FindByIdAsync(userId) is not { } user)
            return AdminOutcome.Refused("That user no longer exists.");
        if (locked)
        {
            var refusal = UserAdminRules.RefuseLock(actor.Id, await FactsAsync(users, user), await UnlockedAdminCountAsync(users));
            if (refusal is not null)
                return AdminOutcome.Refused(refusal);
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            await users.UpdateSecurityStampAsync(user);
        }
        else
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }
        await RecordAsync(actor, locked ? "locked" : "unlocked", user.UserName!, "");
        return AdminOutcome.Done(locked ? $"'{user.UserName}' is locked and cannot sign in." : $"'{user.UserName}' can sign in again.");
    });

    public Task<AdminOutcome> DeleteAsync(AdminActor actor, string userId) => ChangeAsync(async users =>
    {
        if (await users.FindByIdAsync(userId) is not { } user)
            return AdminOutcome.Refused("That user no longer exists.");
        var refusal = UserAdminRules.RefuseDelete(actor.Id, await FactsAsync(users, user), await AdminCountAsync(users));
        if (refusal is not null)
            return AdminOutcome.Refused(refusal);
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded)
            return AdminOutcome.Refused(Describe(deleted));
        await RecordAsync(actor, "deleted", user.UserName!, "");
        return AdminOutcome.Done($"Deleted '{user.UserName}'.");
    });

    private async Task<AdminOutcome> ChangeAsync(Func<UserManager<NvrUser>, Task<AdminOutcome>> change)
    {
        await Changes.WaitAsync();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await change(scope.ServiceProvider.GetRequiredService<UserManager<NvrUser>>());
        }
        finally
        {
            Changes.Release();
        }
    }

    private static async Task<UserFacts> FactsAsync(UserManager<NvrUser> users, NvrUser user) =>
        new(user.Id, user.UserName ?? "", await users.IsInRoleAsync(user, Roles.Admin));

    private static async Task<int> AdminCountAsync(UserManager<NvrUser> users) =>
        (await users.GetUsersInRoleAsync(Roles.Admin)).Count;

    private async Task<int> UnlockedAdminCountAsync(UserManager<NvrUser> users)
    {
        var now = clock.GetUtcNow();
        return (await users.GetUsersInRoleAsync(Roles.Admin)).Count(u => u.LockoutEnd is null || u.LockoutEnd <= now);
    }

    /// <summary>Logs the change and writes its audit line ("created 'ann' as Viewer", "changed the role of 'ann' Viewer → Admin").</summary>
    private async Task RecordAsync(AdminActor actor, string action, string userName, string detail)
    {
        LogAction(logger, actor.Name, action, userName, detail);
        await audit.AdminAsync(actor.Name, AuditAction.User, $"{action} '{userName}'{(detail.Length > 0 ? " " + detail : "")}", CancellationToken.None);
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "User admin: {Actor} {Action} '{UserName}' {Detail}")]
    private static partial void LogAction(ILogger logger, string actor, string action, string userName, string detail);
}

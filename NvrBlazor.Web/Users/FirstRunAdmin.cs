using Microsoft.AspNetCore.Identity;
using NvrBlazor.Domain.Users;
using NvrBlazor.Web.Hosting;

namespace NvrBlazor.Web.Users;

/// <summary>
/// On a server without users, creates the roles and the "admin" account: with Nvr:Admin:Password
/// when set, otherwise with a generated password that is logged once and written to
/// data/initial-admin-password.txt (mode 0600) and must be changed at the first sign-in.
/// There is never a default password.
/// </summary>
public sealed partial class FirstRunAdmin(
    UserManager<NvrUser> users, RoleManager<IdentityRole> roles, IConfiguration configuration,
    StorageFolders folders, TimeProvider clock, ILogger<FirstRunAdmin> logger)
{
    public const string AdminUserName = "admin";

    public async Task EnsureAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");
        }

        if (users.Users.Any())
            return;

        var configured = configuration["Nvr:Admin:Password"];
        var generated = string.IsNullOrEmpty(configured);
        var password = generated ? PasswordGenerator.Generate() : configured!;
        var admin = new NvrUser { UserName = AdminUserName, CreatedAt = clock.GetUtcNow(), MustChangePassword = generated };
        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new StartupException(
                $"Nvr:Admin:Password was rejected: {Describe(created)} Choose another (at least Nvr:Users:MinPasswordLength characters, " +
                "not containing 'admin', not a common password) or leave Nvr:Admin:Password empty to have one generated.");
        }
        Check(await users.AddToRoleAsync(admin, Roles.Admin), "make admin an Admin");

        if (generated)
        {
            OwnerOnlyFile.WriteAllText(folders.InitialAdminPasswordPath, password + Environment.NewLine);
            LogGeneratedPassword(logger, AdminUserName, password, folders.InitialAdminPasswordPath);
        }
        else
        {
            LogConfiguredPassword(logger, AdminUserName);
        }
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
            throw new StartupException($"Could not {what}: {Describe(result)}");
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    // The one deliberate exception to "secrets are never logged": the operator must be able to sign in the first time.
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning,
        Message = "First start: created user '{UserName}' with the generated password {Password} (also in {PasswordFile}). Sign in and change it; it is not shown again.")]
    private static partial void LogGeneratedPassword(ILogger logger, string userName, string password, string passwordFile);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "First start: created user '{UserName}' with the password from Nvr:Admin:Password.")]
    private static partial void LogConfiguredPassword(ILogger logger, string userName);
}

using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace NvrBlazor.Web.Users;

/// <summary>Adds the "must change password" flag to the sign-in cookie so that the gate needs no database read per request.</summary>
public sealed class NvrClaimsPrincipalFactory(UserManager<NvrUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<NvrUser, IdentityRole>(users, roles, options)
{
    public const string MustChangePasswordClaim = "nvr:must-change-password";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(NvrUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.MustChangePassword)
            identity.AddClaim(new Claim(MustChangePasswordClaim, "true"));
        return identity;
    }
}

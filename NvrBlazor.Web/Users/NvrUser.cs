using Microsoft.AspNetCore.Identity;

namespace NvrBlazor.Web.Users;

/// <summary>A person who signs in. The user name is the login; the e-mail address is optional account data.</summary>
public sealed class NvrUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }
    /// <summary>Set for generated or admin-set passwords: the next sign-in leads to the change-password page first.</summary>
    public bool MustChangePassword { get; set; }
}

using Microsoft.AspNetCore.Identity;

namespace NvrBlazor.Web.Data;

/// <summary>A person who signs in. The user name is the login; the e-mail address is optional account data.</summary>
public sealed class NvrUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }
    /// <summary>Set for generated or admin-set passwords: the next sign-in leads to the change-password page first.</summary>
    public bool MustChangePassword { get; set; }
    /// <summary>A Viewer with this sees every camera, including ones added later; otherwise only the cameras in CameraGrants.</summary>
    public bool AllCameras { get; set; }
    /// <summary>The live page's layout: 0 = auto, else 1 to 4 columns.</summary>
    public int LiveColumns { get; set; }
}

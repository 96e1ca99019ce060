using NvrBlazor.Domain.Users;

namespace NvrBlazor.Tests.Domain.Users;

public class UserAdminRulesTests
{
    private static readonly UserFacts Alice = new("a", "alice", IsAdmin: true);
    private static readonly UserFacts Bob = new("b", "bob", IsAdmin: false);

    [Fact]
    public void Nobody_can_delete_themselves()
    {
        Assert.Contains("your own account", UserAdminRules.RefuseDelete("a", Alice, adminCount: 3));
    }

    [Fact]
    public void The_last_admin_cannot_be_deleted()
    {
        Assert.Contains("last admin", UserAdminRules.RefuseDelete("other", Alice, adminCount: 1));
        Assert.Null(UserAdminRules.RefuseDelete("other", Alice, adminCount: 2));
    }

    [Fact]
    public void A_viewer_can_be_deleted_by_an_admin()
    {
        Assert.Null(UserAdminRules.RefuseDelete("a", Bob, adminCount: 1));
    }

    [Fact]
    public void The_last_admin_cannot_be_demoted_but_another_admin_can()
    {
        Assert.Contains("last admin", UserAdminRules.RefuseRoleChange(Alice, [Roles.Viewer], adminCount: 1));
        Assert.Null(UserAdminRules.RefuseRoleChange(Alice, [Roles.Viewer], adminCount: 2));
        Assert.Null(UserAdminRules.RefuseRoleChange(Bob, [Roles.Admin], adminCount: 1));
    }

    [Fact]
    public void Unknown_or_missing_roles_are_refused_with_the_valid_ones_named()
    {
        Assert.Contains("Admin and Viewer", UserAdminRules.RefuseRoleChange(Bob, ["Root"], adminCount: 1));
        Assert.NotNull(UserAdminRules.RefuseRoleChange(Bob, [], adminCount: 1));
    }

    [Fact]
    public void Locking_yourself_or_the_last_unlocked_admin_is_refused()
    {
        Assert.NotNull(UserAdminRules.RefuseLock("a", Alice, unlockedAdminCount: 5));
        Assert.Contains("last admin", UserAdminRules.RefuseLock("x", Alice, unlockedAdminCount: 1));
        Assert.Null(UserAdminRules.RefuseLock("a", Bob, unlockedAdminCount: 1));
    }
}

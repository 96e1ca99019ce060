using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NvrBlazor.Domain.Users;
using NvrBlazor.Tests.Support;
using NvrBlazor.Web.Cameras;
using NvrBlazor.Web.Users;
using Xunit.Abstractions;

namespace NvrBlazor.Tests.Integration;

/// <summary>
/// Every admin action and every sign-in leaves exactly one audit line naming who did it and what, with before → after
/// where a value changed. The actions go through the real server's API where it has one, otherwise through the same
/// services the Users and Cameras pages call, over the server's own database.
/// </summary>
public class AdminAuditTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Each_admin_action_and_sign_in_writes_exactly_one_line_with_who_and_what()
    {
        using var admin = await fixture.AdminAsync();
        using (var stranger = fixture.Client())
            await stranger.SignInAsync(ServerFixture.FirstRunAdminName, "not-the-password");

        // Users, as the Users page changes them.
        await using (var app = await InProcessApp.BuildAsync(fixture.Server))
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var actor = new AdminActor("audit-test-admin-id", "admin");
            Succeeded(await users.CreateAsync(actor, new NewUser("audit-ann", null, Roles.Viewer, "seven-quiet-harbours-1", true)));
            var ann = (await users.ListAsync()).Single(u => u.UserName == "audit-ann").Id;
            Succeeded(await users.ChangeRoleAsync(actor, ann, Roles.Admin));
            Succeeded(await users.SetLockedAsync(actor, ann, true));
            Succeeded(await users.SetLockedAsync(actor, ann, false));
            Succeeded(await users.ResetPasswordAsync(actor, ann));
            Succeeded(await users.DeleteAsync(actor, ann));
        }

        // Rights, cameras, settings and a job, through the API.
        using (var grant = await admin.Http.PutAsJsonAsync($"/api/users/{ServerFixture.ViewerName}/cameras", new { allCameras = true, cameraIds = Array.Empty<int>() }))
            grant.EnsureSuccessStatusCode();
        int id;
        using (var created = await admin.Http.PostAsJsonAsync("/api/cameras", new { name = "Audit shed", kind = "agent" }))
            id = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("camera").GetProperty("id").GetInt32();
        using (var disable = await admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "disabled" }))
            disable.EnsureSuccessStatusCode();
        using (var approve = await admin.Http.PutAsJsonAsync($"/api/cameras/{id}/state", new { state = "active" }))
            approve.EnsureSuccessStatusCode();
        await using (var app = await InProcessApp.BuildAsync(fixture.Server))
            Assert.Null(await app.Services.GetRequiredService<CameraRegistry>().RenameAsync(id, "Audit barn", "admin", CancellationToken.None));
        var recording = (await admin.Http.GetFromJsonAsync<JsonObject>($"/api/cameras/{id}/recording"))!["settings"]!.AsObject();
        var preRoll = recording["preRollSeconds"]!.GetValue<int>();
        recording["preRollSeconds"] = preRoll == 3 ? 4 : 3;
        using (var put = await admin.Http.PutAsJsonAsync($"/api/cameras/{id}/recording", recording.DeepClone()))
            put.EnsureSuccessStatusCode();
        using (var put = await admin.Http.PutAsJsonAsync($"/api/cameras/{id}/retention", new { keepDays = 30, maxGb = 2.5, onLimit = "stopRecording" }))
            put.EnsureSuccessStatusCode();
        using (var run = await admin.Http.PostAsync("/api/jobs/reconcile/run", null))
            run.EnsureSuccessStatusCode();
        using (var delete = await admin.Http.DeleteAsync($"/api/cameras/{id}"))
            delete.EnsureSuccessStatusCode();

        (string User, string Action, string Detail)[] expected =
        [
            ("admin", "signIn", "signed in from"),
            ("admin", "signInFailed", "wrong user name or password"),
            ("admin", "user", "created 'audit-ann' as Viewer"),
            ("admin", "user", "changed the role of 'audit-ann' Viewer → Admin"),
            ("admin", "user", "locked 'audit-ann'"),
            ("admin", "user", "unlocked 'audit-ann'"),
            ("admin", "user", "reset the password of 'audit-ann'"),
            ("admin", "user", "deleted 'audit-ann'"),
            ("admin", "grants", $"cameras of '{ServerFixture.ViewerName}': 0 camera(s) → all cameras"),
            ("admin", "camera", "added (agent camera)"),
            ("admin", "camera", "disabled: Active → Disabled"),
            ("admin", "camera", "approved: Disabled → Active"),
            ("admin", "camera", "renamed: 'Audit shed' → 'Audit barn'"),
            ("admin", "settings", $"recording: pre-roll s {preRoll} → {(preRoll == 3 ? 4 : 3)}"),
            ("admin", "settings", "retention: keep days default → 30; max. GB none → 2.5; at a limit DeleteOldest → StopRecording"),
            ("admin", "jobRun", "run now: reconcile"),
            ("admin", "camera", "deleted (its clips kept)"),
        ];
        var lines = await Eventually.ValueAsync(
            async () => (await admin.Http.GetFromJsonAsync<JsonElement>("/api/audit?take=500")).EnumerateArray()
                .Select(e => (User: e.GetProperty("userName").GetString()!, Action: e.GetProperty("action").GetString()!, Detail: e.GetProperty("detail").GetString()!)).ToList(),
            all => expected.All(x => all.Any(l => Matches(l, x))), what: "every admin action in the audit log");
        foreach (var line in lines)
            output.WriteLine($"{line.User} {line.Action} {line.Detail}");
        foreach (var x in expected)
            Assert.True(lines.Count(l => Matches(l, x)) == 1, $"expected exactly one line '{x.User} {x.Action} {x.Detail}'");
    }

    private static void Succeeded(AdminOutcome outcome) => Assert.True(outcome.Succeeded, outcome.Message);

    private static bool Matches((string User, string Action, string Detail) line, (string User, string Action, string Detail) expected) =>
        line.User == expected.User && string.Equals(line.Action, expected.Action, StringComparison.OrdinalIgnoreCase)
        && line.Detail.StartsWith(expected.Detail, StringComparison.Ordinal);
}

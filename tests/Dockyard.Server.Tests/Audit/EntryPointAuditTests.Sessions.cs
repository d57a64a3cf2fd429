using System.Net;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Ui;
using Microsoft.EntityFrameworkCore;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Audit;

public sealed partial class EntryPointAuditTests
{
    [Fact]
    public async Task SessionsVertical_EveryEntryPoint_RecordsSuccessAndRefusal()
    {
        var users = _server.GetRequiredService<UserService>();
        await _server.GetRequiredService<AdminBootstrapper>().Begin();
        var bobId = (await users.CreateLocalAsync(Caller.System, new NewUser("bob", BobPassword), CancellationToken.None)).Id;
        foreach (var name in new[] { "target-api", "target-ui", "target-cli" })
        {
            await users.CreateLocalAsync(Caller.System, new NewUser(name, name + "-password-1"), CancellationToken.None);
        }

        var adminApi = Track(Basic("admin", AdminPassword));
        var bobApi = Track(Basic("bob", BobPassword));
        var (_, scopedSecret) = await _server.GetRequiredService<AccessTokenService>().CreateForUserAsync(bobId, "scoped", [new Dockyard.Server.Access.TokenScope("bob/**", Dockyard.Server.Access.RepositoryActions.Pull)], null, CancellationToken.None);
        var bobScoped = Track(Bearer(scopedSecret));
        var adminUi = Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "admin", AdminPassword));
        var bobUi = Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "bob", BobPassword));
        foreach (var name in new[] { "target-api", "target-ui", "target-cli" })
        {
            Track(await UiHttpSession.SignInAsync(_server.BaseAddress, name, name + "-password-1"));
        }

        long session = 0;
        async Task<long> NewBobSessionAsync()
        {
            Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "bob", BobPassword));
            await using var db = await _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
            return session = await db.UiSessions.Where(s => s.UserId == bobId).MaxAsync(s => s.Id);
        }

        var rows = new Row[]
        {
            // session.end (the owner ends one of their sessions)
            new("session.end", Via.Api, "own session", async () => await ApiAsync(bobApi, HttpMethod.Delete, $"me/sessions/{await NewBobSessionAsync()}", null, HttpStatusCode.NoContent),
                new("session.end", "success", "bob", "me/sessions/{session}")),
            new("session.end", Via.Api, "scoped token", async () => await ApiAsync(bobScoped, HttpMethod.Delete, $"me/sessions/{await NewBobSessionAsync()}", null, HttpStatusCode.Forbidden),
                new("session.end", "denied", "bob", "me/sessions/{session}")),
            new("session.end", Via.Api, "another user's session", () => ApiAsync(adminApi, HttpMethod.Delete, $"me/sessions/{session}", null, HttpStatusCode.NotFound),
                new("session.end", "failed", "admin", "me/sessions/{session}")),
            new("session.end", Via.Ui, "own session", async () => await UiAsync(bobUi, "/me/sessions", $"end-{await NewBobSessionAsync()}", HttpStatusCode.Found),
                new("session.end", "success", "bob", "me/sessions/{session}")),

            // user.sessions.end (an administrator signs a user out everywhere)
            new("user.sessions.end", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, "users/target-api/sessions", null, HttpStatusCode.NoContent),
                new("user.sessions.end", "success", "admin", "users/target-api/sessions")),
            new("user.sessions.end", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Delete, "users/target-api/sessions", null, HttpStatusCode.NotFound),
                new("user.sessions.end", "denied", "bob", "users/target-api/sessions")),
            new("user.sessions.end", Via.Ui, "admin", () => UiAsync(adminUi, "/users", "signout-target-ui", HttpStatusCode.Found, ("Form.Username", "target-ui")),
                new("user.sessions.end", "success", "admin", "users/target-ui/sessions")),
            new("user.sessions.end", Via.Ui, "forged by non-admin", () => UiAsync(bobUi, "/users", "signout-target-ui", HttpStatusCode.BadRequest, ("Form.Username", "target-ui")),
                null),
            new("user.sessions.end", Via.Cli, "operator", () => CliAsync(0, "user", "signout", "target-cli", "--data", _dataDirectory),
                new("user.sessions.end", "success", "system", "users/target-cli/sessions")),

            // user.password.change from the UI (the API's rows are in the users vertical)
            new("user.password.change", Via.Ui, "wrong current password", () => UiAsync(bobUi, "/me/sessions", "change-password", HttpStatusCode.BadRequest, ("Form.CurrentPassword", "wrong"), ("Form.Password", "whatever-password-1")),
                new("user.password.change", "failed", "bob", "me/password")),
            new("user.password.change", Via.Ui, "self", () => UiAsync(bobUi, "/me/sessions", "change-password", HttpStatusCode.Found, ("Form.CurrentPassword", BobPassword), ("Form.Password", BobPassword + "-2")),
                new("user.password.change", "success", "bob", "me/password")),
        };

        await AssertRowsAsync(rows, resource => resource.Replace("{session}", session.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Equal(Enum.GetValues<Via>().Length, rows.Select(r => r.Via).Distinct().Count());
        await using var check = await _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        Assert.Equal(3, await check.UiSessions.Join(check.Users, s => s.UserId, u => u.Id, (s, u) => new { s, u }).CountAsync(x => x.u.Username.StartsWith("target-") && x.s.EndedAt != null));
    }
}

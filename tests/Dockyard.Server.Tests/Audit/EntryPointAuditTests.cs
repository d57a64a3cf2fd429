using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Dockyard.Server.Accounts;
using Dockyard.Server.Cli;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Identity;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Ui;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Audit;

/// <summary>
/// Audit at the service layer: every state-changing operation, driven through each entry point it has (the API over
/// HTTP, a UI form post with the session's antiforgery token, a CLI verb on the same data directory), leaves exactly
/// one entry with the expected action, outcome, resource and actor — for success and for a refused attempt. A new
/// area adds its rows to the table in <see cref="UsersVertical_EveryEntryPoint_RecordsSuccessAndRefusal"/> (or a sibling test of the same shape,
/// such as <see cref="OrganizationsVertical_EveryEntryPoint_RecordsSuccessAndRefusal"/>); a new entry point adds a <see cref="Via"/> and a helper.
/// </summary>
public sealed partial class EntryPointAuditTests : IAsyncLifetime
{
    private const string AdminPassword = "correct horse battery staple";
    private const string BobPassword = "bob-password-123";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("dockyard-entrypoints-").FullName;
    private InProcessDockyard _server = null!;
    private readonly List<HttpClient> _clients = [];

    private enum Via
    {
        Api,
        Ui,
        Cli,
    }

    public async Task InitializeAsync() => _server = await InProcessDockyard.StartAsync(
        dataDirectory: _dataDirectory,
        settings: new Dictionary<string, string?>
        {
            ["Dockyard:Auth:Enabled"] = "true",
            [AdminBootstrapper.PasswordVariable] = AdminPassword,
            // The webhook rows deliver to loopback, which the destination policy refuses unless allowed.
            [Webhooks.WebhookTestNetworks.AllowedNetworksKey] = Webhooks.WebhookTestNetworks.Loopback,
        });

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task UsersVertical_EveryEntryPoint_RecordsSuccessAndRefusal()
    {
        var users = _server.GetRequiredService<UserService>();
        await _server.GetRequiredService<AdminBootstrapper>().Begin();
        var bobId = (await users.CreateLocalAsync(Caller.System, new NewUser("bob", BobPassword), CancellationToken.None)).Id;
        foreach (var name in new[] { "target-api", "target-ui", "target-cli", "victim" })
        {
            await users.CreateLocalAsync(Caller.System, new NewUser(name, name + "-password-1"), CancellationToken.None);
        }

        var adminApi = Track(Basic("admin", AdminPassword));
        var (_, bobSecret) = await _server.GetRequiredService<AccessTokenService>().CreateForUserAsync(bobId, "full", null, null, CancellationToken.None);
        var bobApi = Track(Bearer(bobSecret));
        var (_, scopedSecret) = await _server.GetRequiredService<AccessTokenService>().CreateForUserAsync(bobId, "scoped", [new Dockyard.Server.Access.TokenScope("bob/**", Dockyard.Server.Access.RepositoryActions.Pull)], null, CancellationToken.None);
        var bobScoped = Track(Bearer(scopedSecret));
        var adminUi = Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "admin", AdminPassword));
        var bobUi = Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "bob", BobPassword));
        long lastToken = 0, adminToken = 0;

        var rows = new Row[]
        {
            // user.create
            new("user.create", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Post, "users", new { username = "made-api", password = "made-api-password" }, HttpStatusCode.Created),
                new("user.create", "success", "admin", "users/made-api")),
            new("user.create", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Post, "users", new { username = "mallory", password = "mallory-password" }, HttpStatusCode.Forbidden),
                new("user.create", "denied", "bob", "users/mallory")),
            new("user.create", Via.Ui, "admin", () => UiAsync(adminUi, "/users", "create-user", HttpStatusCode.Found, ("Form.Username", "made-ui"), ("Form.Password", "made-ui-password")),
                new("user.create", "success", "admin", "users/made-ui")),
            // The page renders no form for a non-admin, so the framework refuses the forged post (400) before any code
            // runs: nothing changes and there is nothing to record (like a 401 at the API's edge).
            new("user.create", Via.Ui, "forged by non-admin", () => UiAsync(bobUi, "/users", "create-user", HttpStatusCode.BadRequest, ("Form.Username", "mallory"), ("Form.Password", "mallory-password")),
                null),
            new("user.create", Via.Cli, "operator", () => CliAsync(0, "user", "add", "made-cli", "--data", _dataDirectory),
                new("user.create", "success", "system", "users/made-cli")),
            new("user.create", Via.Cli, "duplicate", () => CliAsync(1, "user", "add", "made-cli", "--data", _dataDirectory),
                new("user.create", "failed", "system", "users/made-cli")),

            // user.update (profile, administrator flag, active state)
            new("user.update", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Patch, "users/target-api", new { isActive = false }, HttpStatusCode.OK),
                new("user.update", "success", "admin", "users/target-api")),
            new("user.update", Via.Api, "self makes self admin", () => ApiAsync(bobApi, HttpMethod.Patch, "users/bob", new { isAdmin = true }, HttpStatusCode.Forbidden),
                new("user.update", "denied", "bob", "users/bob")),
            new("user.update", Via.Api, "another user's profile", () => ApiAsync(bobApi, HttpMethod.Patch, "users/victim", new { email = "x@example.com" }, HttpStatusCode.NotFound),
                new("user.update", "denied", "bob", "users/victim")),
            new("user.update", Via.Ui, "admin", () => UiAsync(adminUi, "/users", "admin-target-ui", HttpStatusCode.Found, ("Form.Username", "target-ui"), ("Form.IsAdmin", "true")),
                new("user.update", "success", "admin", "users/target-ui")),

            // user.password.reset
            new("user.password.reset", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Post, "users/target-api/password", new { password = "a-new-password-1" }, HttpStatusCode.OK),
                new("user.password.reset", "success", "admin", "users/target-api")),
            new("user.password.reset", Via.Api, "self", () => ApiAsync(bobApi, HttpMethod.Post, "users/bob/password", new { password = "a-new-password-1" }, HttpStatusCode.Forbidden),
                new("user.password.reset", "denied", "bob", "users/bob")),
            new("user.password.reset", Via.Ui, "admin", () => UiAsync(adminUi, "/users", "reset-target-ui", HttpStatusCode.OK, ("Form.Username", "target-ui")),
                new("user.password.reset", "success", "admin", "users/target-ui")),
            new("user.password.reset", Via.Cli, "operator", () => CliAsync(0, "admin", "reset-password", "target-cli", "--data", _dataDirectory),
                new("user.password.reset", "success", "system", "users/target-cli")),
            new("user.password.reset", Via.Cli, "unknown user", () => CliAsync(1, "admin", "reset-password", "nobody", "--data", _dataDirectory),
                new("user.password.reset", "failed", "system", "users/nobody")),

            // user.password.change (own password; API only)
            new("user.password.change", Via.Api, "self", async () =>
                {
                    await ApiAsync(bobApi, HttpMethod.Post, "me/password", new { currentPassword = BobPassword, newPassword = BobPassword + "-2" }, HttpStatusCode.NoContent);

                    // The change ended bob's UI sessions: sign in again (only auth.* entries) for the rows below.
                    bobUi = Track(await UiHttpSession.SignInAsync(_server.BaseAddress, "bob", BobPassword + "-2"));
                },
                new("user.password.change", "success", "bob", "me/password")),
            new("user.password.change", Via.Api, "wrong current password", () => ApiAsync(bobApi, HttpMethod.Post, "me/password", new { currentPassword = "wrong", newPassword = "whatever-password-1" }, HttpStatusCode.BadRequest),
                new("user.password.change", "failed", "bob", "me/password")),
            new("user.password.change", Via.Api, "scoped token", () => ApiAsync(bobScoped, HttpMethod.Post, "me/password", new { currentPassword = "wrong", newPassword = "whatever-password-1" }, HttpStatusCode.Forbidden),
                new("user.password.change", "denied", "bob", "me/password")),

            // user.unlock (forget failed sign-ins; API and CLI)
            new("user.unlock", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Post, "users/target-api/unlock", null, HttpStatusCode.NoContent),
                new("user.unlock", "success", "admin", "users/target-api")),
            new("user.unlock", Via.Api, "self", () => ApiAsync(bobApi, HttpMethod.Post, "users/bob/unlock", null, HttpStatusCode.Forbidden),
                new("user.unlock", "denied", "bob", "users/bob")),
            new("user.unlock", Via.Cli, "operator", () => CliAsync(0, "admin", "unlock", "target-cli", "--data", _dataDirectory),
                new("user.unlock", "success", "system", "users/target-cli")),
            new("user.unlock", Via.Cli, "unknown user", () => CliAsync(1, "admin", "unlock", "nobody", "--data", _dataDirectory),
                new("user.unlock", "failed", "system", "users/nobody")),

            // accesstoken.create / accesstoken.revoke (personal tokens)
            new("accesstoken.create", Via.Api, "self", async () => adminToken = lastToken = await CreatedIdAsync(adminApi, "me/tokens", new { name = "laptop" }),
                new("accesstoken.create", "success", "admin", "me/tokens/{token}")),
            new("accesstoken.create", Via.Api, "scoped token", () => ApiAsync(bobScoped, HttpMethod.Post, "me/tokens", new { name = "broader" }, HttpStatusCode.Forbidden),
                new("accesstoken.create", "denied", "bob", "me/tokens")),
            new("accesstoken.revoke", Via.Api, "own token", () => ApiAsync(adminApi, HttpMethod.Delete, $"me/tokens/{lastToken}", null, HttpStatusCode.NoContent),
                new("accesstoken.revoke", "success", "admin", "me/tokens/{token}")),
            new("accesstoken.create", Via.Ui, "self", async () =>
                {
                    await UiAsync(bobUi, "/me/tokens", "create-token", HttpStatusCode.OK, ("Form.Name", "ui-token"));
                    lastToken = (await _server.GetRequiredService<AccessTokenManager>().ListForUserAsync(bobId, CancellationToken.None)).Max(t => t.Id);
                },
                new("accesstoken.create", "success", "bob", "me/tokens/{token}")),
            new("accesstoken.revoke", Via.Ui, "own token", () => UiAsync(bobUi, "/me/tokens", $"revoke-{lastToken}", HttpStatusCode.Found),
                new("accesstoken.revoke", "success", "bob", "me/tokens/{token}")),
            new("accesstoken.revoke", Via.Api, "another user's token", () => ApiAsync(bobApi, HttpMethod.Delete, $"me/tokens/{adminToken}", null, HttpStatusCode.NotFound),
                new("accesstoken.revoke", "failed", "bob", "me/tokens/{admin-token}")),

            // user.delete
            new("user.delete", Via.Api, "another user", () => ApiAsync(bobApi, HttpMethod.Delete, "users/victim", null, HttpStatusCode.NotFound),
                new("user.delete", "denied", "bob", "users/victim")),
            new("user.delete", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, "users/made-api", null, HttpStatusCode.NoContent),
                new("user.delete", "success", "admin", "users/made-api")),
            new("user.delete", Via.Ui, "admin", () => UiAsync(adminUi, "/users", "delete-made-ui", HttpStatusCode.Found, ("Form.Username", "made-ui")),
                new("user.delete", "success", "admin", "users/made-ui")),
        };

        await AssertRowsAsync(rows, resource => resource
            .Replace("{token}", lastToken.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{admin-token}", adminToken.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Equal(Enum.GetValues<Via>().Length, rows.Select(r => r.Via).Distinct().Count());
    }

    /// <summary>Runs the rows in order; each must leave exactly its expected entry (<paramref name="resolve"/> fills placeholders in the expected resource).</summary>
    private async Task AssertRowsAsync(IReadOnlyList<Row> rows, Func<string, string> resolve)
    {
        var failures = new List<string>();
        var seen = await LastIdAsync();
        foreach (var row in rows)
        {
            var name = $"{row.Operation} via {row.Via} ({row.Case})";
            try
            {
                await row.Act();
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException)
            {
                failures.Add($"{name}: {e.Message}");
            }

            var entries = (await AuditTestServer.EntriesAfterAsync(_server.Services, seen)).Where(e => !e.Action.StartsWith("auth.", StringComparison.Ordinal)).ToList();
            seen = await LastIdAsync();
            var got = string.Join("; ", entries.Select(e => $"{e.Action} {e.Outcome} {e.ActorName} {e.Resource} {e.Repository} {e.Organization} ({e.Reason})"));
            if (row.Expected is null)
            {
                if (entries.Count != 0)
                {
                    failures.Add($"{name}: expected no entry, got [{got}]");
                }

                continue;
            }

            var expected = row.Expected with { Resource = resolve(row.Expected.Resource) };
            if (entries.Count != 1 || !expected.Matches(entries[0]))
            {
                failures.Add($"{name}: expected [{expected.Action} {expected.Outcome} {expected.Actor} {expected.Resource} {expected.Repository} {expected.Organization}], got [{got}]");
            }
            else if (entries[0].Details?.Contains("password-", StringComparison.Ordinal) == true)
            {
                failures.Add($"{name}: details carry a password: {entries[0].Details}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private HttpClient Basic(string username, string password)
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{username}:{password}")));
        return client;
    }

    private HttpClient Bearer(string secret)
    {
        var client = _server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }

    private HttpClient Track(HttpClient client)
    {
        _clients.Add(client);
        return client;
    }

    private async Task<long> LastIdAsync() =>
        (await AuditTestServer.EntriesAfterAsync(_server.Services, 0)).Select(e => e.Id).DefaultIfEmpty(0).Max();

    private static async Task ApiAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, "/api/v1/" + path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<long> CreatedIdAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/" + path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode}");
        return long.Parse(response.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A form post as the browser sends it: the session's antiforgery token (from a page every signed-in user sees, so
    /// a forged post to a page the user may not open carries a valid token too), the form's handler name and its fields.
    /// </summary>
    private static async Task UiAsync(HttpClient session, string page, string handler, HttpStatusCode expected, params (string Name, string Value)[] fields)
    {
        var token = CsrfToken().Match(await session.GetStringAsync("/me/tokens")).Groups[1].Value;
        var form = new Dictionary<string, string> { ["__csrf"] = token, ["_handler"] = handler };
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        using var response = await session.PostAsync(page, new FormUrlEncodedContent(form));
        Assert.True(expected == response.StatusCode, $"POST {page} {handler}: {(int)response.StatusCode}");
    }

    private static async Task CliAsync(int expectedExit, params string[] args)
    {
        var output = new StringWriter();
        var root = new RootCommand { UserCommand.Create(new StringReader(string.Empty)), AdminCommand.Create(new StringReader(string.Empty)), RetentionCommand.Create(), KeysCommand.Create(), GcCommand.Create() };
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        Assert.True(expectedExit == exit, $"dockyard {string.Join(' ', args)}: exit {exit}: {output}");
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();

    /// <summary>One operation through one entry point, and the one entry it must leave (null: refused before any code runs, no entry).</summary>
    private sealed record Row(string Operation, Via Via, string Case, Func<Task> Act, Expected? Expected);

    /// <summary>The entry a row must leave; <c>{token}</c> in the resource stands for the last created token's id.</summary>
    /// <remarks><see cref="Repository"/> and <see cref="Organization"/>, when given, must match the entry's too.</remarks>
    private sealed record Expected(string Action, string Outcome, string Actor, string Resource, string? Repository = null, string? Organization = null)
    {
        public bool Matches(AuditEntryEntity entry) =>
            entry.Action == Action && entry.Outcome == Outcome && entry.ActorName == Actor && entry.Resource == Resource
            && (Repository is null || entry.Repository == Repository) && (Organization is null || entry.Organization == Organization);
    }
}

using System.Net;
using System.Net.Http.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Api;

/// <summary>User management through the API; runs on SQLite and PostgreSQL.</summary>
public abstract class UsersApiTests(TestDatabase database) : IAsyncLifetime
{
    private ApiTestServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync(await database.CreateAsync());
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CreateGetListUpdateDelete_AsAdmin_Works()
    {
        using var created = await _admin.PostAsJsonAsync("/api/v1/users", new { username = "alice", password = "alice-password-1", email = "a@example.com", displayName = "Alice" });
        var body = await ProblemAssert.StatusAsync(HttpStatusCode.Created, created);
        Assert.Equal("/api/v1/users/alice", created.Headers.Location?.OriginalString);
        Assert.Equal("alice", body.GetProperty("username").GetString());
        Assert.DoesNotContain("password", body.ToString(), StringComparison.OrdinalIgnoreCase);

        var list = await _admin.GetFromJsonAsync<List<Dictionary<string, object>>>("/api/v1/users");
        Assert.Equal(2, list!.Count);

        using var updated = await _admin.PatchAsJsonAsync("/api/v1/users/alice", new { displayName = "Alice A.", isActive = false });
        var user = await ProblemAssert.StatusAsync(HttpStatusCode.OK, updated);
        Assert.False(user.GetProperty("isActive").GetBoolean());
        Assert.Equal("Alice A.", user.GetProperty("displayName").GetString());

        using var deleted = await _admin.DeleteAsync("/api/v1/users/alice");
        await ProblemAssert.StatusAsync(HttpStatusCode.NoContent, deleted);
        using var gone = await _admin.GetAsync("/api/v1/users/alice");
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, gone);
    }

    [Theory]
    [InlineData("Alice", "alice-password-1", "username")]
    [InlineData("a..b", "alice-password-1", "username")]
    [InlineData("alice", "short", "password")]
    [InlineData("alicealiceal", "alicealiceal", "password")]
    public async Task Create_InvalidInput_Returns400WithField(string username, string password, string field)
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/users", new { username, password });
        await ProblemAssert.InvalidAsync(field, response);
    }

    [Fact]
    public async Task Create_BadEmail_Returns400()
    {
        using var response = await _admin.PostAsJsonAsync("/api/v1/users", new { username = "x", password = "x-long-password", email = "nope" });
        await ProblemAssert.InvalidAsync("email", response);
    }

    [Fact]
    public async Task Create_DuplicateOrOrganizationName_Returns409()
    {
        var owner = await _server.CreateUserAsync("owner");
        await _server.CreateOrganizationAsync("acme", owner);

        using var duplicate = await _admin.PostAsJsonAsync("/api/v1/users", new { username = "owner", password = "owner-password-2" });
        using var clash = await _admin.PostAsJsonAsync("/api/v1/users", new { username = "acme", password = "acme-password-12" });

        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, duplicate);
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, clash);
    }

    [Fact]
    public async Task LastAdmin_CannotBeDemotedDeactivatedOrDeleted()
    {
        using var demote = await _admin.PatchAsJsonAsync("/api/v1/users/admin", new { isAdmin = false });
        using var deactivate = await _admin.PatchAsJsonAsync("/api/v1/users/admin", new { isActive = false });
        using var delete = await _admin.DeleteAsync("/api/v1/users/admin");

        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, demote);
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, deactivate);
        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, delete);
    }

    [Fact]
    public async Task Delete_LastTwoAdminsConcurrently_ExactlyOneSucceeds()
    {
        // Each round races two deletes of the only two active administrators; the check and the delete must be one
        // transaction, or both pass the "another admin remains" check and no administrator is left.
        var users = _server.Get<UserService>();
        var survivor = AdminBootstrapper.AdminUsername;
        for (var round = 0; round < 8; round++)
        {
            var other = $"racer{round}";
            await _server.CreateUserAsync(other, admin: true);

            var outcomes = await RaceAsync(
                () => users.DeleteAsync(Caller.System, survivor, CancellationToken.None),
                () => users.DeleteAsync(Caller.System, other, CancellationToken.None));

            Assert.True(outcomes.Count(ok => ok) == 1, $"round {round}: {outcomes.Count(ok => ok)} deletes succeeded");
            var admins = await ActiveAdminsAsync(users);
            survivor = Assert.Single(admins);
        }
    }

    [Fact]
    public async Task Demote_LastTwoAdminsConcurrently_ExactlyOneSucceeds()
    {
        var users = _server.Get<UserService>();
        var survivor = AdminBootstrapper.AdminUsername;
        for (var round = 0; round < 8; round++)
        {
            var other = $"racer{round}";
            await _server.CreateUserAsync(other, admin: true);
            var (first, second) = (survivor, other);

            // One demotes, the other deactivates: both take an active administrator away.
            var outcomes = await RaceAsync(
                () => users.UpdateAsync(Caller.System, first, null, null, isAdmin: false, isActive: null, CancellationToken.None),
                () => users.UpdateAsync(Caller.System, second, null, null, isAdmin: null, isActive: false, CancellationToken.None));

            Assert.True(outcomes.Count(ok => ok) == 1, $"round {round}: {outcomes.Count(ok => ok)} changes succeeded");
            survivor = Assert.Single(await ActiveAdminsAsync(users));
        }
    }

    /// <summary>Starts both at once; true for each that succeeded, false for each refused with 409.</summary>
    private static async Task<bool[]> RaceAsync(params Func<Task>[] actions)
    {
        using var start = new ManualResetEventSlim();
        var tasks = actions.Select(action => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await action();
                return true;
            }
            catch (AccountException error) when (error.Kind == AccountErrorKind.Conflict)
            {
                return false;
            }
        })).ToArray();
        start.Set();
        return await Task.WhenAll(tasks);
    }

    private static async Task<List<string>> ActiveAdminsAsync(UserService users) =>
        (await users.ListAsync(CancellationToken.None)).Where(u => u.IsAdmin && u.IsActive).Select(u => u.Username).ToList();

    [Fact]
    public async Task Delete_LastOwnerOfOrganization_Returns409()
    {
        var owner = await _server.CreateUserAsync("owner");
        await _server.CreateOrganizationAsync("acme", owner);

        using var response = await _admin.DeleteAsync("/api/v1/users/owner");

        await ProblemAssert.StatusAsync(HttpStatusCode.Conflict, response);
    }

    [Fact]
    public async Task Self_MayEditProfileButNotAdminFlagsNorDeleteSelf()
    {
        var (_, bob) = await _server.UserAsync("bob");

        using var own = await bob.PatchAsJsonAsync("/api/v1/users/bob", new { email = "bob@example.com" });
        using var promote = await bob.PatchAsJsonAsync("/api/v1/users/bob", new { isAdmin = true });
        using var delete = await bob.DeleteAsync("/api/v1/users/bob");
        using var reset = await bob.PostAsJsonAsync("/api/v1/users/bob/password", new { password = "whatever-long-1" });
        using var other = await bob.PatchAsJsonAsync("/api/v1/users/admin", new { email = "x@example.com" });

        await ProblemAssert.StatusAsync(HttpStatusCode.OK, own);
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, promote);
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, delete);
        await ProblemAssert.StatusAsync(HttpStatusCode.Forbidden, reset);
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, other);
    }

    [Fact]
    public async Task ResetPassword_GeneratedIsReturnedOnceAndWorks_GivenIsNotEchoed()
    {
        await _server.CreateUserAsync("carol");

        using var generated = await _admin.PostAsJsonAsync("/api/v1/users/carol/password", new { });
        var password = (await ProblemAssert.StatusAsync(HttpStatusCode.OK, generated)).GetProperty("password").GetString()!;
        using (var me = await _server.WithBasic("carol", password).GetAsync("/api/v1/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        using var given = await _admin.PostAsJsonAsync("/api/v1/users/carol/password", new { password = "chosen-password-9" });
        Assert.Equal(JsonValueKindNull, (await ProblemAssert.StatusAsync(HttpStatusCode.OK, given)).GetProperty("password").ValueKind);
        using var weak = await _admin.PostAsJsonAsync("/api/v1/users/carol/password", new { password = "weak" });
        await ProblemAssert.InvalidAsync("password", weak);
        using var missing = await _admin.PostAsJsonAsync("/api/v1/users/nobody/password", new { });
        await ProblemAssert.StatusAsync(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task BadCredentials_Return401WithChallenge()
    {
        using var response = await _server.WithBasic("admin", "wrong-password!!").GetAsync("/api/v1/users");

        await ProblemAssert.StatusAsync(HttpStatusCode.Unauthorized, response);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}

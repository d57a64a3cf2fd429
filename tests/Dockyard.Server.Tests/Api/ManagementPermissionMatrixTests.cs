using System.Net.Http.Json;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data.Entities;

namespace Dockyard.Server.Tests.Api;

/// <summary>
/// Every role × every management operation, exact status codes. The world: organization <c>prod</c> owned by
/// <c>owner</c>; <c>member</c> belongs to it (default role none); <c>reader</c>, <c>writer</c>, <c>repoadmin</c>
/// are members in teams granted read / write / admin on the private <c>prod/app</c>; <c>outsider</c> belongs to
/// nothing; <c>ci</c> is a service account of <c>prod</c> with a <c>prod/**</c> pull+push token; <c>gone</c> was
/// deactivated after getting a token.
/// </summary>
public sealed class ManagementPermissionMatrixTests : IClassFixture<ManagementPermissionMatrixTests.World>
{
    private static readonly string[] Roles = ["anonymous", "outsider", "member", "team-read", "team-write", "team-admin", "owner", "sysadmin", "service-account", "deactivated"];

    // Expected status per role, in the order of Roles.
    private static readonly (string Operation, string Expected)[] Matrix =
    [
        ("get org", "401 404 200 200 200 200 200 200 404 401"),
        ("list org members", "401 404 200 200 200 200 200 200 404 401"),
        ("list teams", "401 404 200 200 200 200 200 200 404 401"),
        ("update org", "401 404 403 403 403 403 200 200 404 401"),
        ("add member", "401 404 403 403 403 403 201 201 404 401"),
        ("create team", "401 404 403 403 403 403 201 201 404 401"),
        ("add team member", "401 404 403 403 403 403 204 204 404 401"),
        ("list service accounts", "401 404 403 403 403 403 200 200 404 401"),
        ("create service account token", "401 404 403 403 403 403 201 201 404 401"),
        ("get repository", "404 404 404 200 200 200 200 200 200 401"),
        ("list repository permissions", "401 404 404 403 403 200 200 200 403 401"),
        ("grant permission", "401 404 404 403 403 201 201 201 403 401"),
        ("change visibility", "401 404 404 403 403 200 200 200 403 401"),
        ("list users", "401 403 403 403 403 403 403 200 403 401"),
        ("create user", "401 403 403 403 403 403 403 201 403 401"),
        ("get other user", "401 404 404 404 404 404 404 200 404 401"),
        ("list orgs", "401 200 200 200 200 200 200 200 403 401"),
        ("create org", "401 403 403 403 403 403 403 201 403 401"),
        ("me", "401 200 200 200 200 200 200 200 200 401"),
        ("create personal token", "401 201 201 201 201 201 201 201 403 401"),
        ("run gc", "401 403 403 403 403 403 403 200 403 401"),
        ("list org immutability rules", "401 404 200 200 200 200 200 200 404 401"),
        ("create org immutability rule", "401 404 403 403 403 403 201 201 404 401"),
        ("get org retention", "401 404 404 404 404 404 404 404 404 401"),
        ("put org retention", "401 404 403 403 403 403 201 201 404 401"),
        ("run org retention", "401 404 403 403 403 403 200 200 404 401"),
        ("get org quota", "401 404 200 200 200 200 200 200 404 401"),
        ("set org quota", "401 404 403 403 403 403 403 200 404 401"),
        ("list repository immutability rules", "401 404 404 200 200 200 200 200 200 401"),
        ("create repository immutability rule", "401 404 404 403 403 201 201 201 403 401"),
        ("put repository retention", "401 404 404 403 403 201 201 201 403 401"),
        ("run repository retention", "401 404 404 403 403 200 200 200 403 401"),
        ("run retention everywhere", "401 403 403 403 403 403 403 200 403 401"),
    ];

    private readonly World _world;

    public ManagementPermissionMatrixTests(World world) => _world = world;

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (operation, expected) in Matrix)
        {
            var codes = expected.Split(' ');
            Assert.Equal(Roles.Length, codes.Length);
            for (var i = 0; i < Roles.Length; i++)
            {
                data.Add(Roles[i], operation, int.Parse(codes[i], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ManagementOperation_Role_ReturnsExactStatus(string role, string operation, int expected)
    {
        var client = _world.Clients[role];
        using var response = await _world.RunAsync(operation, client);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == (int)response.StatusCode, $"{role} × {operation}: expected {expected}, got {(int)response.StatusCode} {body}");
        if (expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await _world.CleanUpAsync(operation, response);
    }

    public sealed class World : IAsyncLifetime
    {
        private int _counter;
        private ApiTestServer _server = null!;
        private long _organizationId;

        public Dictionary<string, HttpClient> Clients { get; } = [];

        public async Task InitializeAsync()
        {
            _server = await ApiTestServer.StartAsync();
            var (ownerId, owner) = await _server.UserAsync("owner");
            _organizationId = await _server.CreateOrganizationAsync("prod", ownerId);
            await _server.CreateRepositoryAsync("prod/app");
            var repository = Dockyard.Registry.RepositoryName.Parse("prod/app");
            var teams = _server.Get<TeamService>();
            var grants = _server.Get<RepositoryService>();
            Clients["anonymous"] = _server.Anonymous();
            Clients["owner"] = owner;
            Clients["sysadmin"] = await _server.AdminAsync();
            Clients["outsider"] = (await _server.UserAsync("outsider")).Client;
            foreach (var (role, name, grant) in new[] { ("member", "member", RepositoryRole.None), ("team-read", "reader", RepositoryRole.Read), ("team-write", "writer", RepositoryRole.Write), ("team-admin", "repoadmin", RepositoryRole.Admin) })
            {
                Clients[role] = (await _server.UserAsync(name)).Client;
                await _server.AddMemberAsync(_organizationId, name);
                if (grant != RepositoryRole.None)
                {
                    await teams.CreateAsync(Dockyard.Server.Audit.Caller.System, "prod", name + "s", null, CancellationToken.None);
                    await teams.AddMemberAsync(Dockyard.Server.Audit.Caller.System, "prod", name + "s", name, CancellationToken.None);
                    await grants.GrantAsync(Dockyard.Server.Audit.Caller.System, repository.Value, PermissionSubject.Team, name + "s", RoleNames.Of(grant), CancellationToken.None);
                }
            }

            await _server.CreateUserAsync("spare");
            await _server.Get<ServiceAccountService>().CreateAsync(Dockyard.Server.Audit.Caller.System, "prod", "ci", null, CancellationToken.None);
            var (_, saSecret) = await _server.Get<AccessTokenManager>().CreateForServiceAccountAsync(Dockyard.Server.Audit.Caller.System, "prod", "ci", "ci", [new ScopeSpec("prod/**", ["pull", "push"])], null, CancellationToken.None);
            Clients["service-account"] = _server.WithBearer(saSecret);
            var (_, gone) = await _server.UserAsync("gone");
            await _server.Get<UserService>().UpdateAsync(Dockyard.Server.Audit.Caller.System, "gone", null, null, null, isActive: false, CancellationToken.None);
            Clients["deactivated"] = gone;
        }

        public Task<HttpResponseMessage> RunAsync(string operation, HttpClient client)
        {
            var n = Interlocked.Increment(ref _counter);
            return operation switch
            {
                "get org" => client.GetAsync("/api/v1/orgs/prod"),
                "list org members" => client.GetAsync("/api/v1/orgs/prod/members"),
                "list teams" => client.GetAsync("/api/v1/orgs/prod/teams"),
                "update org" => client.PatchAsJsonAsync("/api/v1/orgs/prod", new { description = "production" }),
                "add member" => client.PostAsJsonAsync("/api/v1/orgs/prod/members", new { username = "spare" }),
                "create team" => client.PostAsJsonAsync("/api/v1/orgs/prod/teams", new { name = $"team{n}" }),
                "add team member" => client.PutAsync("/api/v1/orgs/prod/teams/readers/members/member", null),
                "list service accounts" => client.GetAsync("/api/v1/orgs/prod/service-accounts"),
                "create service account token" => client.PostAsJsonAsync("/api/v1/orgs/prod/service-accounts/ci/tokens", new { name = $"t{n}", scopes = new[] { new { repository = "prod/*", actions = new[] { "pull" } } } }),
                "get repository" => client.GetAsync("/api/v1/repositories/prod/app"),
                "list repository permissions" => client.GetAsync("/api/v1/repositories/prod/app/permissions"),
                "grant permission" => client.PutAsJsonAsync("/api/v1/repositories/prod/app/permissions/users/spare", new { role = "read" }),
                "change visibility" => client.PatchAsJsonAsync("/api/v1/repositories/prod/app", new { visibility = "private" }),
                "list users" => client.GetAsync("/api/v1/users"),
                "create user" => client.PostAsJsonAsync("/api/v1/users", new { username = $"new{n}", password = "a-long-enough-password" }),
                "get other user" => client.GetAsync("/api/v1/users/spare"),
                "list orgs" => client.GetAsync("/api/v1/orgs"),
                "create org" => client.PostAsJsonAsync("/api/v1/orgs", new { name = $"org{n}" }),
                "me" => client.GetAsync("/api/v1/me"),
                "create personal token" => client.PostAsJsonAsync("/api/v1/me/tokens", new { name = $"pat{n}" }),
                "run gc" => client.PostAsJsonAsync("/api/v1/system/gc", new { dryRun = true }),
                "list org immutability rules" => client.GetAsync("/api/v1/orgs/prod/immutability-rules"),
                "create org immutability rule" => client.PostAsJsonAsync("/api/v1/orgs/prod/immutability-rules", new { tagPattern = $"v{n}.*" }),
                "get org retention" => client.GetAsync("/api/v1/orgs/prod/retention"),
                "put org retention" => client.PutAsJsonAsync("/api/v1/orgs/prod/retention", new { keepLastTags = 5 }),
                "run org retention" => client.PostAsync("/api/v1/orgs/prod/retention/run?dryRun=true", null),
                "get org quota" => client.GetAsync("/api/v1/orgs/prod/quota"),
                "set org quota" => client.PutAsJsonAsync("/api/v1/orgs/prod/quota", new { limitBytes = 1_000_000_000 }),
                "list repository immutability rules" => client.GetAsync("/api/v1/repositories/prod/app/immutability-rules"),
                "create repository immutability rule" => client.PostAsJsonAsync("/api/v1/repositories/prod/app/immutability-rules", new { tagPattern = $"r{n}-*" }),
                "put repository retention" => client.PutAsJsonAsync("/api/v1/repositories/prod/app/retention", new { deleteUntaggedAfter = "7d" }),
                "run repository retention" => client.PostAsync("/api/v1/repositories/prod/app/retention/run?dryRun=true", null),
                "run retention everywhere" => client.PostAsync("/api/v1/retention/run?dryRun=true", null),
                _ => throw new ArgumentException($"unknown operation {operation}", nameof(operation)),
            };
        }

        /// <summary>Undoes a successful mutation so every row starts from the same world.</summary>
        public async Task CleanUpAsync(string operation, HttpResponseMessage response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return;
            }

            switch (operation)
            {
                case "add member":
                    await _server.Get<OrganizationService>().RemoveMemberAsync(Dockyard.Server.Audit.Caller.System, "prod", "spare", CancellationToken.None);
                    break;
                case "add team member":
                    await _server.Get<TeamService>().RemoveMemberAsync(Dockyard.Server.Audit.Caller.System, "prod", "readers", "member", CancellationToken.None);
                    break;
                case "create org immutability rule":
                case "create repository immutability rule":
                    var id = long.Parse(response.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
                    var target = operation.StartsWith("create org", StringComparison.Ordinal)
                        ? Dockyard.Server.Policies.PolicyTarget.ForOrganization("prod")
                        : Dockyard.Server.Policies.PolicyTarget.ForRepository("prod/app");
                    await _server.Get<Dockyard.Server.Policies.ImmutabilityRuleService>().DeleteAsync(Dockyard.Server.Audit.Caller.System, target, id, CancellationToken.None);
                    break;
                case "put org retention":
                    await _server.Get<Dockyard.Server.Policies.RetentionPolicyService>().DeleteAsync(Dockyard.Server.Audit.Caller.System, Dockyard.Server.Policies.PolicyTarget.ForOrganization("prod"), CancellationToken.None);
                    break;
                case "put repository retention":
                    await _server.Get<Dockyard.Server.Policies.RetentionPolicyService>().DeleteAsync(Dockyard.Server.Audit.Caller.System, Dockyard.Server.Policies.PolicyTarget.ForRepository("prod/app"), CancellationToken.None);
                    break;
                case "set org quota":
                    await _server.Get<Dockyard.Server.Policies.QuotaService>().SetAsync(Dockyard.Server.Audit.Caller.System, "prod", null, remove: true, CancellationToken.None);
                    break;
                case "grant permission":
                    await _server.Get<RepositoryService>().RevokeAsync(Dockyard.Server.Audit.Caller.System, "prod/app", PermissionSubject.User, "spare", CancellationToken.None);
                    break;
            }
        }

        public async Task DisposeAsync() => await _server.DisposeAsync();
    }
}

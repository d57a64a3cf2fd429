using System.Net;
using System.Text.Json;

namespace Dockyard.Server.Tests.Tokens;

/// <summary>
/// The /v2 half of the permission matrix: every role × pull / push / delete / catalog, each request made the way
/// docker makes it (challenge, token for the challenged scope with the role's credentials, retry), asserting the
/// exact status. 401 = no usable token (anonymous, or the login failed), or a token without the needed scope
/// (authenticated but not allowed: the registry answers 401 insufficient_scope, as Distribution and Docker Hub do);
/// pull 200, push (start upload) 202, delete of an unknown manifest 404 = allowed.
/// </summary>
public sealed class RegistryPermissionMatrixTests(PermissionWorldFixture world) : IClassFixture<PermissionWorldFixture>
{
    private const string UnknownDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    public static TheoryData<string, string, int, int, int, int, bool> Matrix => new()
    {
        // role,              repository,   pull, push, delete, catalog, listed
        { "anonymous",        "acme/app",    401,  401,  401,    401,    false },
        { "nonmember",        "acme/app",    401,  401,  401,    200,    false },
        { "member_none",      "acme/app",    401,  401,  401,    200,    false },
        { "member_read",      "readers/app", 200,  401,  401,    200,    true },
        { "team_read",        "acme/app",    200,  401,  401,    200,    true },
        { "team_write",       "acme/app",    200,  202,  401,    200,    true },
        { "team_admin",       "acme/app",    200,  202,  404,    200,    true },
        { "owner",            "acme/app",    200,  202,  404,    200,    true },
        { "system_admin",     "acme/app",    200,  202,  404,    200,    true },
        { "sa_in_scope",      "acme/app",    200,  202,  401,    200,    true },
        { "sa_out_of_scope",  "acme/app",    401,  401,  401,    200,    false },
        { "expired_token",    "acme/app",    401,  401,  401,    401,    false },
        { "revoked_token",    "acme/app",    401,  401,  401,    401,    false },
        { "deactivated",      "acme/app",    401,  401,  401,    401,    false },
        { "anonymous",        "acme/public", 200,  401,  401,    401,    false },
        { "nonmember",        "acme/public", 200,  401,  401,    200,    true },
        { "member_none",      "readers/app", 401,  401,  401,    200,    false },
        { "team_admin",       "readers/app", 401,  401,  401,    200,    false },
        { "owner",            "acme/new",    404,  202,  404,    200,    false },
        { "team_write",       "acme/new",    401,  401,  401,    200,    false },
        { "sa_in_scope",      "acme/new",    401,  401,  401,    200,    false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Registry_RoleOperation_ExactStatus(string role, string repository, int pull, int push, int delete, int catalog, bool listed)
    {
        var (user, password) = world.Credentials[role];
        using var http = world.Server.CreateClient();
        var client = new DockerStyleClient(http, user, password);

        var actual = new[]
        {
            (int)await client.StatusAsync(HttpMethod.Get, $"/v2/{repository}/manifests/v1"),
            (int)await client.StatusAsync(HttpMethod.Post, $"/v2/{repository}/blobs/uploads/"),
            (int)await client.StatusAsync(HttpMethod.Delete, $"/v2/{repository}/manifests/{UnknownDigest}"),
        };
        using var catalogResponse = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "/v2/_catalog"));
        var shown = false;
        if (catalogResponse.StatusCode == HttpStatusCode.OK)
        {
            using var body = JsonDocument.Parse(await catalogResponse.Content.ReadAsStringAsync());
            shown = body.RootElement.GetProperty("repositories").EnumerateArray().Any(r => r.GetString() == repository);
        }

        Assert.Equal(
            $"pull {pull}, push {push}, delete {delete}, catalog {catalog} listed {listed}",
            $"pull {actual[0]}, push {actual[1]}, delete {actual[2]}, catalog {(int)catalogResponse.StatusCode} listed {shown}");
    }
}

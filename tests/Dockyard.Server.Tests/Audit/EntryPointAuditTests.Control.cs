using System.Net;
using Dockyard.Server.Accounts;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Audit;

/// <summary>Control plane: engines and collection grants through the API (they have no page or verb yet).</summary>
public sealed partial class EntryPointAuditTests
{
    [Fact]
    public async Task ControlVertical_Api_RecordsSuccessFailureAndRefusal()
    {
        await _server.GetRequiredService<AdminBootstrapper>().Begin();
        await _server.GetRequiredService<UserService>().CreateLocalAsync(Caller.System, new NewUser("bob", BobPassword), CancellationToken.None);
        var adminApi = Track(Basic("admin", AdminPassword));
        var bobApi = Track(Basic("bob", BobPassword));
        var socket = "unix://" + Path.Combine(_dataDirectory, "no-engine.sock");
        long grant = 0;

        var rows = new Row[]
        {
            new("engine.create", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Post, "engines", new { name = "node-a", endpoint = socket }, HttpStatusCode.Created),
                new("engine.create", "success", "admin", "engines/node-a")),
            new("engine.create", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Post, "engines", new { name = "node-b", endpoint = socket }, HttpStatusCode.Forbidden),
                new("engine.create", "denied", "bob", "engines/node-b")),
            new("engine.create", Via.Api, "remote tcp without TLS", () => ApiAsync(adminApi, HttpMethod.Post, "engines", new { name = "node-c", endpoint = "tcp://192.0.2.10:2376" }, HttpStatusCode.BadRequest),
                new("engine.create", "failed", "admin", "engines/node-c")),
            new("engine.delete", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Delete, "engines/node-a", null, HttpStatusCode.Forbidden),
                new("engine.delete", "denied", "bob", "engines/node-a")),
            new("engine.delete", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, "engines/node-a", null, HttpStatusCode.NoContent),
                new("engine.delete", "success", "admin", "engines/node-a")),
            new("engine.delete", Via.Api, "unknown", () => ApiAsync(adminApi, HttpMethod.Delete, "engines/node-a", null, HttpStatusCode.NotFound),
                new("engine.delete", "failed", "admin", "engines/node-a")),

            new("grant.create", Via.Api, "admin", async () => grant = await CreatedIdAsync(adminApi, "grants", new { subjectKind = "user", subject = "bob", role = "view-only", collection = "/orgs/acme" }),
                new("grant.create", "success", "admin", "grants/{grant}")),
            new("grant.create", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Post, "grants", new { subjectKind = "user", subject = "bob", role = "full-control", collection = "/" }, HttpStatusCode.Forbidden),
                new("grant.create", "denied", "bob", "grants")),
            new("grant.create", Via.Api, "unknown role", () => ApiAsync(adminApi, HttpMethod.Post, "grants", new { subjectKind = "user", subject = "bob", role = "root", collection = "/" }, HttpStatusCode.BadRequest),
                new("grant.create", "failed", "admin", "grants")),
            new("grant.delete", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Delete, $"grants/{grant}", null, HttpStatusCode.Forbidden),
                new("grant.delete", "denied", "bob", "grants/{grant}")),
            new("grant.delete", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, $"grants/{grant}", null, HttpStatusCode.NoContent),
                new("grant.delete", "success", "admin", "grants/{grant}")),
        };

        await AssertRowsAsync(rows, resource => resource.Replace("{grant}", grant.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }
}

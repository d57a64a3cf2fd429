using System.Net;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Tokens;
using Microsoft.EntityFrameworkCore;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Audit;

/// <summary>Policies (immutability rules, retention policies, quotas) through the API; they have no page or verb.</summary>
public sealed partial class EntryPointAuditTests
{
    [Fact]
    public async Task PoliciesVertical_Api_RecordsSuccessAndRefusal()
    {
        await _server.GetRequiredService<AdminBootstrapper>().Begin();
        var seed = new IdentitySeed(_server.GetRequiredService<IDbContextFactory<DockyardDbContext>>());
        var bobId = (await _server.GetRequiredService<UserService>().CreateLocalAsync(Caller.System, new NewUser("bob", BobPassword), CancellationToken.None)).Id;
        var acme = await seed.OrganizationAsync("acme");
        await seed.MemberAsync(acme, bobId);
        await seed.OrganizationAsync("hidden");
        await RepositoryAsync("acme/app");
        await seed.GrantAsync("acme/app", PermissionSubject.User, bobId, RepositoryRole.Read);
        var adminApi = Track(Basic("admin", AdminPassword));
        var bobApi = Track(Basic("bob", BobPassword));
        long rule = 0;

        var rows = new Row[]
        {
            // policy.immutability.create / delete, organization and repository
            new("policy.immutability.create", Via.Api, "owner of org", async () => rule = await CreatedIdAsync(adminApi, "orgs/acme/immutability-rules", new { tagPattern = "v*" }),
                new("policy.immutability.create", "success", "admin", "orgs/acme/immutability-rules/{rule}", null, "acme")),
            new("policy.immutability.create", Via.Api, "member", () => ApiAsync(bobApi, HttpMethod.Post, "orgs/acme/immutability-rules", new { tagPattern = "x*" }, HttpStatusCode.Forbidden),
                new("policy.immutability.create", "denied", "bob", "orgs/acme/immutability-rules", null, "acme")),
            new("policy.immutability.create", Via.Api, "hidden org", () => ApiAsync(bobApi, HttpMethod.Post, "orgs/hidden/immutability-rules", new { tagPattern = "x*" }, HttpStatusCode.NotFound),
                new("policy.immutability.create", "denied", "bob", "orgs/hidden/immutability-rules", null, "hidden")),
            new("policy.immutability.delete", Via.Api, "member", () => ApiAsync(bobApi, HttpMethod.Delete, $"orgs/acme/immutability-rules/{rule}", null, HttpStatusCode.Forbidden),
                new("policy.immutability.delete", "denied", "bob", "orgs/acme/immutability-rules/{rule}", null, "acme")),
            new("policy.immutability.delete", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Delete, $"orgs/acme/immutability-rules/{rule}", null, HttpStatusCode.NoContent),
                new("policy.immutability.delete", "success", "admin", "orgs/acme/immutability-rules/{rule}", null, "acme")),
            new("policy.immutability.create", Via.Api, "repository admin", async () => rule = await CreatedIdAsync(adminApi, "repositories/acme/app/immutability-rules", new { tagPattern = "v*" }),
                new("policy.immutability.create", "success", "admin", "repositories/acme/app/immutability-rules/{rule}", "acme/app", "acme")),
            new("policy.immutability.create", Via.Api, "reader", () => ApiAsync(bobApi, HttpMethod.Post, "repositories/acme/app/immutability-rules", new { tagPattern = "x*" }, HttpStatusCode.Forbidden),
                new("policy.immutability.create", "denied", "bob", "repositories/acme/app/immutability-rules", "acme/app", "acme")),
            new("policy.immutability.create", Via.Api, "no body", () => ApiAsync(adminApi, HttpMethod.Post, "repositories/acme/app/immutability-rules", null, HttpStatusCode.BadRequest),
                new("policy.immutability.create", "failed", "admin", "repositories/acme/app/immutability-rules", "acme/app", "acme")),
            new("policy.immutability.delete", Via.Api, "repository admin", () => ApiAsync(adminApi, HttpMethod.Delete, $"repositories/acme/app/immutability-rules/{rule}", null, HttpStatusCode.NoContent),
                new("policy.immutability.delete", "success", "admin", "repositories/acme/app/immutability-rules/{rule}", "acme/app", "acme")),

            // policy.retention.update / delete, organization and repository
            new("policy.retention.update", Via.Api, "owner of org", () => ApiAsync(adminApi, HttpMethod.Put, "orgs/acme/retention", new { keepLastTags = 5 }, HttpStatusCode.Created),
                new("policy.retention.update", "success", "admin", "orgs/acme/retention", null, "acme")),
            new("policy.retention.update", Via.Api, "member", () => ApiAsync(bobApi, HttpMethod.Put, "orgs/acme/retention", new { keepLastTags = 1 }, HttpStatusCode.Forbidden),
                new("policy.retention.update", "denied", "bob", "orgs/acme/retention", null, "acme")),
            new("policy.retention.update", Via.Api, "invalid", () => ApiAsync(adminApi, HttpMethod.Put, "orgs/acme/retention", new { keepLastTags = -1 }, HttpStatusCode.BadRequest),
                new("policy.retention.update", "failed", "admin", "orgs/acme/retention", null, "acme")),
            new("policy.retention.delete", Via.Api, "member", () => ApiAsync(bobApi, HttpMethod.Delete, "orgs/acme/retention", null, HttpStatusCode.Forbidden),
                new("policy.retention.delete", "denied", "bob", "orgs/acme/retention", null, "acme")),
            new("policy.retention.delete", Via.Api, "owner of org", () => ApiAsync(adminApi, HttpMethod.Delete, "orgs/acme/retention", null, HttpStatusCode.NoContent),
                new("policy.retention.delete", "success", "admin", "orgs/acme/retention", null, "acme")),
            new("policy.retention.update", Via.Api, "repository admin", () => ApiAsync(adminApi, HttpMethod.Put, "repositories/acme/app/retention", new { deleteUntaggedAfter = "7d" }, HttpStatusCode.Created),
                new("policy.retention.update", "success", "admin", "repositories/acme/app/retention", "acme/app", "acme")),
            new("policy.retention.update", Via.Api, "reader", () => ApiAsync(bobApi, HttpMethod.Put, "repositories/acme/app/retention", new { keepLastTags = 1 }, HttpStatusCode.Forbidden),
                new("policy.retention.update", "denied", "bob", "repositories/acme/app/retention", "acme/app", "acme")),
            new("policy.retention.delete", Via.Api, "repository admin", () => ApiAsync(adminApi, HttpMethod.Delete, "repositories/acme/app/retention", null, HttpStatusCode.NoContent),
                new("policy.retention.delete", "success", "admin", "repositories/acme/app/retention", "acme/app", "acme")),

            // policy.quota.update (PUT and DELETE; system administrators)
            new("policy.quota.update", Via.Api, "admin sets", () => ApiAsync(adminApi, HttpMethod.Put, "orgs/acme/quota", new { limitBytes = 1_000_000 }, HttpStatusCode.OK),
                new("policy.quota.update", "success", "admin", "orgs/acme/quota", null, "acme")),
            new("policy.quota.update", Via.Api, "no limit", () => ApiAsync(adminApi, HttpMethod.Put, "orgs/acme/quota", new { }, HttpStatusCode.BadRequest),
                new("policy.quota.update", "failed", "admin", "orgs/acme/quota", null, "acme")),
            new("policy.quota.update", Via.Api, "member", () => ApiAsync(bobApi, HttpMethod.Put, "orgs/acme/quota", new { limitBytes = 10_000_000 }, HttpStatusCode.Forbidden),
                new("policy.quota.update", "denied", "bob", "orgs/acme/quota", null, "acme")),
            new("policy.quota.update", Via.Api, "admin removes", () => ApiAsync(adminApi, HttpMethod.Delete, "orgs/acme/quota", null, HttpStatusCode.NoContent),
                new("policy.quota.update", "success", "admin", "orgs/acme/quota", null, "acme")),
        };

        await AssertRowsAsync(rows, resource => resource.Replace("{rule}", rule.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }
}

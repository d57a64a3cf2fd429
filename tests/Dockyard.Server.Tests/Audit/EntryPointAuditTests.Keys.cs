using System.Net;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Microsoft.EntityFrameworkCore;
using Caller = Dockyard.Server.Audit.Caller;

namespace Dockyard.Server.Tests.Audit;

/// <summary>Signing-key rotation through the API and <c>dockyard keys rotate</c>.</summary>
public sealed partial class EntryPointAuditTests
{
    [Fact]
    public async Task KeyRotation_EveryEntryPoint_RecordsSuccessAndRefusal()
    {
        await _server.GetRequiredService<AdminBootstrapper>().Begin();
        await _server.GetRequiredService<UserService>().CreateLocalAsync(Caller.System, new NewUser("bob", BobPassword), CancellationToken.None);
        var adminApi = Track(Basic("admin", AdminPassword));
        var bobApi = Track(Basic("bob", BobPassword));

        var rows = new Row[]
        {
            new("keys.rotate", Via.Api, "admin", () => ApiAsync(adminApi, HttpMethod.Post, "keys/rotate", null, HttpStatusCode.OK),
                new("keys.rotate", "success", "admin", "keys/{kid}")),
            new("keys.rotate", Via.Api, "non-admin", () => ApiAsync(bobApi, HttpMethod.Post, "keys/rotate", null, HttpStatusCode.Forbidden),
                new("keys.rotate", "denied", "bob", "keys")),
            new("keys.rotate", Via.Cli, "operator", () => CliAsync(0, "keys", "rotate", "--data", _dataDirectory),
                new("keys.rotate", "success", "system", "keys/{kid}")),
        };

        await AssertRowsAsync(rows, resource => resource.Replace("{kid}", NewestKid(), StringComparison.Ordinal));
    }

    private string NewestKid()
    {
        using var db = _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContext();
        return db.SigningKeys.AsNoTracking().Where(k => k.RetiredAt == null).Select(k => k.Kid).FirstOrDefault() ?? "none";
    }
}

using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Audit;

/// <summary>Reads the audit trail of a test server: entries newer than the last read, waiting for batched pulls.</summary>
internal static class AuditTestServer
{
    /// <summary>Settings that make pull batches close fast, so tests need not wait a second.</summary>
    public static Dictionary<string, string?> FastPulls(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Dockyard:Audit:PullFlushInterval"] = "00:00:00.050" };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Deletes every entry: the next append starts a fresh chain at id 1.</summary>
    public static async Task ClearAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        await db.AuditEntries.ExecuteDeleteAsync();
    }

    public static async Task<List<AuditEntryEntity>> EntriesAfterAsync(IServiceProvider services, long after)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Id > after).OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>Waits until at least <paramref name="count"/> entries follow <paramref name="after"/>, then a little longer to catch extras.</summary>
    public static async Task<List<AuditEntryEntity>> WaitForAsync(ApiTestServer server, long after, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<AuditEntryEntity> entries;
        while ((entries = await EntriesAfterAsync(server.Server.Services, after)).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(200);
        return await EntriesAfterAsync(server.Server.Services, after);
    }
}

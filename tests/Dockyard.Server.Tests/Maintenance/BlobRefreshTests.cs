using Dockyard.Registry;
using Dockyard.Registry.Maintenance;
using Dockyard.Registry.Metadata;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>
/// <see cref="IBlobIndex.RefreshBlobAsync"/>, the conditional write behind a blob HEAD or GET, on both providers:
/// it refreshes an unmarked linked blob, creates a missing record only while the blob is linked, and never touches a
/// record a collection has marked.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BlobRefreshTests(PostgresFixture postgres)
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task RefreshBlobAsync_RefreshesOnlyALinkedUnmarkedBlob(DatabaseProvider provider)
    {
        await using var server = await InProcessDockyard.StartAsync(database: provider == DatabaseProvider.Postgres ? TestDatabase.Postgres(postgres) : TestDatabase.Sqlite);
        using var http = server.CreateClient();
        var registry = new RegistryTestClient(http);
        var index = server.GetRequiredService<IRegistryIndex>();
        var gc = server.GetRequiredService<IGarbageCollectionIndex>();
        var contexts = server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        var repository = RepositoryName.Parse("refresh/app");
        var aContent = MaintenanceTestClient.Unique("a");
        var a = Digest.Parse(await registry.PushBlobAsync(repository.Value, aContent));
        var b = Digest.Parse(await registry.PushBlobAsync(repository.Value, MaintenanceTestClient.Unique("b")));
        var longAgo = DateTimeOffset.UtcNow - TimeSpan.FromHours(2);
        await using var db = await contexts.CreateDbContextAsync();
        await db.Blobs.ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, longAgo));

        // Linked and unmarked: the read shows the old time, the refresh moves it to now.
        Assert.Equal(new LinkedBlob(aContent.Length, longAgo), await index.FindBlobAsync(repository, a, CancellationToken.None));
        var before = DateTimeOffset.UtcNow;
        Assert.True(await index.RefreshBlobAsync(repository, a, aContent.Length, CancellationToken.None));
        Assert.True((await index.FindBlobAsync(repository, a, CancellationToken.None))!.Value.LastSeenAt >= before);
        Assert.Null(await index.FindBlobAsync(RepositoryName.Parse("refresh/other"), a, CancellationToken.None));

        // No record (indexed before records existed): created while the blob is linked.
        await db.Blobs.Where(x => x.Digest == b.Value).ExecuteDeleteAsync();
        Assert.Null((await index.FindBlobAsync(repository, b, CancellationToken.None))!.Value.LastSeenAt);
        Assert.True(await index.RefreshBlobAsync(repository, b, 10, CancellationToken.None));
        Assert.True(await db.Blobs.AnyAsync(x => x.Digest == b.Value && x.LastSeenAt >= before));

        // Marked by a collection (which removes the links): refused, whether or not the caller's read still saw a link.
        await db.Blobs.ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, longAgo));
        var mark = DateTimeOffset.UtcNow;
        Assert.Single(await gc.MarkBlobsAsync([new BlobCandidate(a, aContent.Length)], mark - TimeSpan.FromHours(1), mark - GarbageCollectionProtocol.MarkLifetime, mark, CancellationToken.None));
        Assert.False(await index.RefreshBlobAsync(repository, a, aContent.Length, CancellationToken.None));
        db.BlobLinks.Add(new BlobLinkEntity { Repository = repository.Value, Digest = a.Value, Size = aContent.Length, CreatedAt = longAgo });
        await db.SaveChangesAsync();
        Assert.False(await index.RefreshBlobAsync(repository, a, aContent.Length, CancellationToken.None));
        var record = await db.Blobs.AsNoTracking().SingleAsync(x => x.Digest == a.Value);
        Assert.Equal((longAgo, mark), (record.LastSeenAt, record.DeletingSince!.Value));

        // Forgotten (bytes deleted) and unlinked: nothing is resurrected.
        await db.BlobLinks.Where(x => x.Digest == a.Value).ExecuteDeleteAsync();
        Assert.Equal(1, await gc.ForgetBlobsAsync([new BlobCandidate(a, aContent.Length)], mark, CancellationToken.None));
        Assert.False(await index.RefreshBlobAsync(repository, a, aContent.Length, CancellationToken.None));
        Assert.False(await db.Blobs.AnyAsync(x => x.Digest == a.Value));
    }
}

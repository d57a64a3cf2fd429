using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>
/// fsck's blob listing (<see cref="EfIntegrityIndex.ListBlobsAsync"/>) pages by digest over blob links and manifest
/// bodies, each side limited to its next page of distinct digests before the merge: across several pages, with every
/// layer linked in three repositories and digests that are both a link and a manifest, it yields each digest once, in
/// order, with the larger recorded size.
/// </summary>
public sealed class IntegrityBlobPageTests
{
    [Fact]
    public async Task ListBlobs_ManyPagesOfSharedLinksAndManifests_EachDigestOnceInOrderWithItsLargestSize()
    {
        await using var server = await InProcessDockyard.StartAsync(settings: new Dictionary<string, string?> { ["Dockyard:GarbageCollection:Enabled"] = "false" });
        var contexts = server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        var expected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < 2_500; i++)
            {
                var digest = MaintenanceTestClient.Sha256(BitConverter.GetBytes(i));
                expected[digest] = 100 + i;
                foreach (var repository in new[] { "pages/a", "pages/b", "pages/c" })
                {
                    // The same layer in three repositories: three rows per digest on the blob side.
                    await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO blob_links (repository, digest, size, created_at) VALUES ({repository}, {digest}, {100 + i}, 0)");
                }
            }

            for (var i = 2_000; i < 3_200; i++)
            {
                // 500 digests are also manifests (recorded one byte larger), 700 are manifests only.
                var digest = MaintenanceTestClient.Sha256(BitConverter.GetBytes(i));
                expected[digest] = 101 + i;
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO manifests (repository, digest, media_type, size, created_at) VALUES ('pages/m', {digest}, 'application/vnd.oci.image.manifest.v1+json', {101 + i}, 0)");
            }

            await transaction.CommitAsync();
        }

        var listed = new List<(string Digest, long Size)>();
        await foreach (var blob in new EfIntegrityIndex(contexts).ListBlobsAsync(null, CancellationToken.None))
        {
            listed.Add((blob.Digest.Value, blob.Size));
        }

        Assert.Equal(expected.Select(e => (e.Key, e.Value)).ToList(), listed);
    }
}

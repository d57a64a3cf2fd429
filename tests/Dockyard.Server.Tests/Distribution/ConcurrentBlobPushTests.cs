using System.Net;
using System.Security.Cryptography;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Server.Tests.Distribution;

/// <summary>
/// Many pushes at once over HTTP (the writes <see cref="GroupCommit"/> batches on SQLite): every blob is stored and
/// linked, every tag points at its manifest and is audited exactly once, and the audit chain stays intact.
/// </summary>
public abstract class ConcurrentBlobPushTests(TestDatabase database, SharedDockyard shared) : IAsyncLifetime
{
    private const int Blobs = 48;
    private const int Tags = 24;

    private InProcessDockyard _server = null!;

    public async Task InitializeAsync() => _server = await shared.GetAsync(database);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ConcurrentPushes_EachBlobStoredAndLinked_EachTagAuditedOnce()
    {
        using var http = _server.CreateClient();
        var client = new RegistryTestClient(http);
        var repository = RegistryTestClient.UniqueRepository("concurrent");
        var contents = Enumerable.Range(0, Blobs).Select(_ => RandomNumberGenerator.GetBytes(4096)).ToArray();

        // Half as docker pushes (POST, then PUT with the bytes), half in one POST with the digest.
        var digests = await Task.WhenAll(contents.Select((content, i) => i % 2 == 0 ? PushInSessionAsync(client, repository, content) : client.PushBlobAsync(repository, content)));

        for (var i = 0; i < Blobs; i++)
        {
            Assert.Equal(RegistryTestClient.DigestOf(contents[i]), digests[i]);
            using var get = await http.GetAsync($"/v2/{repository}/blobs/{digests[i]}");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(contents[i], await get.Content.ReadAsByteArrayAsync());
        }

        var (json, digest) = await client.PushImageAsync(repository, "base");
        var tags = Enumerable.Range(0, Tags).Select(i => $"t{i:D2}").ToArray();
        var puts = await Task.WhenAll(tags.Select(tag => client.PutManifestAsync(repository, tag, json, TestManifests.OciManifest)));
        Assert.All(puts, put => Assert.Equal(HttpStatusCode.Created, put.StatusCode));
        foreach (var put in puts)
        {
            put.Dispose();
        }

        var contexts = _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var linked = await db.BlobLinks.AsNoTracking().Where(l => l.Repository == repository).Select(l => l.Digest).ToListAsync();
        Assert.Empty(digests.Except(linked));
        var records = await db.Blobs.AsNoTracking().Where(b => digests.Contains(b.Digest)).CountAsync();
        Assert.Equal(Blobs, records);
        var tagged = await db.Tags.AsNoTracking().Where(t => t.Repository == repository && t.Name.StartsWith("t")).ToListAsync();
        Assert.Equal(tags, tagged.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(tagged, t => Assert.Equal(digest, t.ManifestDigest));

        var audited = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Repository == repository && e.Action == AuditActions.ManifestPush)
            .Select(e => e.Reference!)
            .ToListAsync();
        Assert.Equal(["base", .. tags], audited.Order(StringComparer.Ordinal));
        Assert.Equal(1, await db.AuditEntries.AsNoTracking().CountAsync(e => e.Repository == repository && e.Action == AuditActions.RepositoryCreate));
        Assert.True((await _server.GetRequiredService<AuditVerifier>().VerifyAsync(null, CancellationToken.None)).Ok);
    }

    private static async Task<string> PushInSessionAsync(RegistryTestClient client, string repository, byte[] content)
    {
        var digest = RegistryTestClient.DigestOf(content);
        var location = await client.StartUploadAsync(repository);
        using var put = await client.SendAsync(HttpMethod.Put, RegistryTestClient.WithQuery(location, $"digest={digest}"), content);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        return digest;
    }
}

public sealed class SqliteConcurrentBlobPushTests(SharedDockyard shared) : ConcurrentBlobPushTests(TestDatabase.Sqlite, shared), IClassFixture<SharedDockyard>;

[Collection(Infrastructure.PostgresCollection.Name)]
public sealed class PostgresConcurrentBlobPushTests(Infrastructure.PostgresFixture postgres, SharedDockyard shared)
    : ConcurrentBlobPushTests(TestDatabase.Postgres(postgres), shared), IClassFixture<SharedDockyard>;

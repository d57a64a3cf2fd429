using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Tests.Api;
using Dockyard.Server.Trust.Crypto;
using Dockyard.Server.Trust.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Trust.Keys;

/// <summary><see cref="TrustKeyRing"/>: changes written by another replica (straight into the database) count after the TTL; a reload that finds the same keys keeps the version.</summary>
public sealed class TrustKeyRingTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ApiTestServer _server = null!;
    private long _organizationId;

    public async Task InitializeAsync()
    {
        _server = await ApiTestServer.StartAsync(configure: builder => builder.Services.AddSingleton<TimeProvider>(_time));
        var (ownerId, _) = await _server.UserAsync("owner");
        _organizationId = await _server.CreateOrganizationAsync("acme", ownerId);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ChangeByAnotherReplica_CountsAfterTheTtl_NotBefore()
    {
        var ring = _server.Get<TrustKeyRing>();
        var empty = await ring.GetAsync(CancellationToken.None);
        Assert.Empty(empty.ByFingerprint);

        using var key = SigningPrivateKey.Generate();
        await using (var db = await _server.Get<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync())
        {
            db.TrustKeys.Add(new TrustKeyEntity
            {
                OrganizationId = _organizationId,
                Name = "elsewhere",
                Algorithm = key.PublicKey.Algorithm,
                Fingerprint = key.PublicKey.Fingerprint,
                PublicKeyPem = key.PublicKey.ToPem(),
                CreatedBy = "owner",
                CreatedAt = _time.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Same(empty, await ring.GetAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(2));
        var loaded = await ring.GetAsync(CancellationToken.None);
        Assert.NotEqual(empty.Version, loaded.Version);
        Assert.Equal("elsewhere", loaded.ByFingerprint[key.PublicKey.Fingerprint].Name);

        // Nothing changed: a reload after the TTL answers the same snapshot, so cached verdicts stay valid.
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.Same(loaded, await ring.GetAsync(CancellationToken.None));

        ring.Invalidate();
        var invalidated = await ring.GetAsync(CancellationToken.None);
        Assert.NotEqual(loaded.Version, invalidated.Version);
    }
}

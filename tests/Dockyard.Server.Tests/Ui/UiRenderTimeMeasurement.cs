using System.Diagnostics;
using System.Net;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Dockyard.Server.Tests.Ui;

/// <summary>
/// Measures (does not assert) server-side render time of the main pages with 1,000 repositories and 2,000 tags in
/// one repository, as an administrator and as a user whose visibility needs the full permission predicate. Rows are
/// written straight into the database with their derived manifest summaries filled in (the steady state after each
/// manifest has been shown once). Figures go to the test output; the test fails only if a page does not render.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class UiRenderTimeMeasurement(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Password = "correct-horse-battery";
    private const int Repositories = 1_000;
    private const int Tags = 2_000;
    private const int Rounds = 10;

    private Hosting.InProcessDockyard _server = null!;

    public async Task InitializeAsync() =>
        _server = await Hosting.InProcessDockyard.StartAsync(settings: new Dictionary<string, string?> { ["Dockyard:Auth:Enabled"] = "true" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Pages_render_with_1000_repositories_and_2000_tags()
    {
        var seed = new Tokens.IdentitySeed(_server.GetRequiredService<IDbContextFactory<DockyardDbContext>>());
        await seed.UserAsync("root", Password, admin: true);
        var userId = await seed.UserAsync("dev", Password);
        var organization = await seed.OrganizationAsync("org", RepositoryRole.Read);
        await seed.MemberAsync(organization, userId);
        await SeedAsync();
        await seed.GrantAsync("big/app", PermissionSubject.User, userId, RepositoryRole.Read);

        var pages = new[]
        {
            "/",
            "/repositories",
            "/repositories?q=app-05",
            "/repositories?ns=org&page=3",
            "/repositories/big/app",
            "/repositories/big/app?sort=name&dir=asc&page=20",
            "/repositories/big/app?filter=v1.1",
        };
        foreach (var user in new[] { "root", "dev" })
        {
            using var client = await UiHttpSession.SignInAsync(_server.BaseAddress, user, Password);
            foreach (var page in pages)
            {
                var times = new List<double>();
                for (var i = 0; i < Rounds + 1; i++)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await client.GetAsync(page);
                    var body = await response.Content.ReadAsStringAsync();
                    watch.Stop();
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page} as {user}: {(int)response.StatusCode}");
                    if (i > 0)
                    {
                        times.Add(watch.Elapsed.TotalMilliseconds); // the first request warms up the page's code paths
                    }
                }

                times.Sort();
                output.WriteLine($"{user,-5} {page,-50} median {times[times.Count / 2],6:0.0} ms  max {times[^1],6:0.0} ms");
            }
        }
    }

    /// <summary>999 repositories over a few namespaces plus big/app with 2,000 tags, each on its own manifest.</summary>
    private async Task SeedAsync()
    {
        await using var db = await _server.GetRequiredService<IDbContextFactory<DockyardDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        string[] namespaces = ["org", "team", "acme", "dev", "tools"];
        for (var i = 0; i < Repositories - 1; i++)
        {
            var name = $"{namespaces[i % namespaces.Length]}/app-{i:000}";
            db.Repositories.Add(new RepositoryEntity { Name = name, Description = $"Service {i}", CreatedAt = now, Visibility = i % 10 == 0 ? RepositoryVisibility.Public : RepositoryVisibility.Private });
            AddTag(db, name, "latest", i, now.AddMinutes(-i));
        }

        db.Repositories.Add(new RepositoryEntity { Name = "big/app", Description = "# Big\n\nMany tags.", CreatedAt = now });
        for (var i = 0; i < Tags; i++)
        {
            AddTag(db, "big/app", $"v1.{i / 100}.{i % 100}", 10_000 + i, now.AddSeconds(-i));
        }

        await db.SaveChangesAsync();
    }

    private static void AddTag(DockyardDbContext db, string repository, string tag, int n, DateTimeOffset at)
    {
        var digest = $"sha256:{n:x64}";
        db.Manifests.Add(new ManifestEntity
        {
            Repository = repository,
            Digest = digest,
            MediaType = "application/vnd.oci.image.manifest.v1+json",
            Size = 500,
            CreatedAt = at,
            Platforms = "linux/amd64",
            ContentSize = 3_000_000 + n,
        });
        db.Tags.Add(new TagEntity { Repository = repository, Name = tag, ManifestDigest = digest, UpdatedAt = at, PushedBy = "root" });
        db.BlobLinks.Add(new BlobLinkEntity { Repository = repository, Digest = $"sha256:{n + 1_000_000:x64}", Size = 3_000_000 + n, CreatedAt = at });
    }
}

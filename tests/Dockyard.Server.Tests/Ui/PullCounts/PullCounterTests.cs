using Dockyard.Registry;
using Dockyard.Registry.Events;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Ui.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dockyard.Server.Tests.Ui.PullCounts;

/// <summary>
/// <see cref="PullCounter"/> on a real database: two counters on one database (two replicas) flushing at the same
/// time add up (increments, never read-modify-write); a pull by digest counts for the repository only and moves
/// "last pulled" of the tags on that digest; "last pulled" never moves backwards.
/// </summary>
public abstract class PullCounterTests(TestDatabase database)
{
    [Fact]
    public async Task Two_replicas_flushing_concurrently_add_up()
    {
        // Counting through the server is switched off: only the two counters below write counts.
        await using var server = await InProcessDockyard.StartAsync(database: database, settings: new Dictionary<string, string?> { ["Dockyard:Ui:PullCounts"] = "false" });
        var registry = new RegistryTestClient(server.CreateClient());
        var (_, digest) = await registry.PushImageAsync("team/app", "1.0.0");
        await registry.PushImageAsync("team/app", "latest");
        var contexts = server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        PullCounter[] replicas = [new(contexts, NullLogger<PullCounter>.Instance), new(contexts, NullLogger<PullCounter>.Instance)];
        var repository = RepositoryName.Parse("team/app");
        var start = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        // Each replica: 5 rounds of 10 pulls of 1.0.0, 4 of latest and 3 by digest, flushed while the other flushes.
        await Task.WhenAll(replicas.Select((counter, r) => Task.Run(async () =>
        {
            for (var round = 0; round < 5; round++)
            {
                var at = start.AddMinutes((round * 2) + r);
                for (var i = 0; i < 10; i++)
                {
                    counter.Add(new ManifestPulled { Repository = repository, OccurredAt = at, Digest = Digest.Parse(digest), Tag = "1.0.0" });
                }

                for (var i = 0; i < 4; i++)
                {
                    counter.Add(new ManifestPulled { Repository = repository, OccurredAt = at, Digest = Digest.Parse(digest), Tag = "latest" });
                }

                for (var i = 0; i < 3; i++)
                {
                    counter.Add(new ManifestPulled { Repository = repository, OccurredAt = at.AddSeconds(30), Digest = Digest.Parse(digest) });
                }

                await counter.FlushAsync(CancellationToken.None);
            }
        })));

        // A late flush with an older time must not move "last pulled" back.
        replicas[0].Add(new ManifestPulled { Repository = repository, OccurredAt = start, Digest = Digest.Parse(digest), Tag = "latest" });
        Assert.Equal(1, await replicas[0].FlushAsync(CancellationToken.None));
        Assert.Equal(0, await replicas[1].FlushAsync(CancellationToken.None));

        await using var db = await contexts.CreateDbContextAsync();
        var row = await db.Repositories.AsNoTracking().SingleAsync(r => r.Name == "team/app");
        var tags = await db.Tags.AsNoTracking().Where(t => t.Repository == "team/app").ToDictionaryAsync(t => t.Name);
        Assert.Equal((2 * 5 * (10 + 4 + 3)) + 1, row.PullCount);
        Assert.Equal(2 * 5 * 10, tags["1.0.0"].PullCount);
        Assert.Equal((2 * 5 * 4) + 1, tags["latest"].PullCount);

        // The last round (round 4) of replica 1 pulled at start + 9 min; by digest 30 s later, which 1.0.0 (on that digest) got too.
        var last = start.AddMinutes(9);
        Assert.Equal(last.AddSeconds(30), row.LastPulledAt);
        Assert.Equal(last.AddSeconds(30), tags["1.0.0"].LastPulledAt);
        Assert.Equal(last, tags["latest"].LastPulledAt);
    }
}

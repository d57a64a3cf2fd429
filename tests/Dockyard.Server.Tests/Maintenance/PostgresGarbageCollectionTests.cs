using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>Garbage-collection scenarios whose queries differ enough between providers to run on PostgreSQL too.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresGarbageCollectionTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Collect_DryRun_ReportsExactlyWhatTheRealRunDeletesAndDeletesNothing()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await InProcessDockyard.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time), database: TestDatabase.Postgres(postgres));
        await GarbageCollectionTests.DryRunReportsWhatTheRealRunDeletesAsync(server, time);
    }
}

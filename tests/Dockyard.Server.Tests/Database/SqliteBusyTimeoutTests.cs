using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Database;

/// <summary>
/// Every SQLite connection the server writes through waits for the write lock inside SQLite (<c>busy_timeout</c>), not
/// in Microsoft.Data.Sqlite's fixed 150 ms retry (<see cref="BusyWaitingSqliteConnection"/>): the sequential tag-PUT
/// p99 of 156 ms was that retry, hit whenever the search indexer and the group commit wrote at the same moment.
/// </summary>
public sealed class SqliteBusyTimeoutTests(DockyardServerFixture fixture) : IClassFixture<DockyardServerFixture>
{
    [Fact]
    public async Task EfConnections_WaitInsideSqlite_ForTheCommandTimeout()
    {
        var contexts = fixture.Server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();

        // Twice: the second context gets the pooled native handle back and must still carry the timeout.
        for (var i = 0; i < 2; i++)
        {
            await using var db = await contexts.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout";
            Assert.Equal(30_000L, (long)(await command.ExecuteScalarAsync())!);
        }
    }
}

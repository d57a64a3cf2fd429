using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dockyard.Server.Data;

/// <summary>
/// Lets <c>dotnet ef … --context PostgresDockyardDbContext</c> build the model without a server: adding a migration
/// never connects. Commands that do (<c>database update</c>) take the connection string from
/// <c>DOCKYARD_PG_CONNECTION</c>.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDockyardDbContext>
{
    public PostgresDockyardDbContext CreateDbContext(string[] args)
    {
        var connection = Environment.GetEnvironmentVariable("DOCKYARD_PG_CONNECTION") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Database=dockyard;Username=dockyard";
        var builder = new DbContextOptionsBuilder<PostgresDockyardDbContext>();
        DataServiceCollectionExtensions.ConfigurePostgres(builder, new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionString = connection });
        return new PostgresDockyardDbContext(builder.Options);
    }
}

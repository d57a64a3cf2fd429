using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dockyard.Server.Data;

/// <summary>Lets <c>dotnet ef … --context SqliteDockyardDbContext</c> build the model without starting the server.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDockyardDbContext>
{
    public SqliteDockyardDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteDockyardDbContext>();
        DataServiceCollectionExtensions.ConfigureSqlite(builder, new DatabaseOptions(), new DataDirectoryOptions { Path = Path.GetTempPath() });
        return new SqliteDockyardDbContext(builder.Options);
    }
}

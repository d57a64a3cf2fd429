using Dockyard.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dockyard.Server.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the server.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<DockyardDbContext>
{
    public DockyardDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<DockyardDbContext>();
        DataServiceCollectionExtensions.ConfigureProvider(builder, new DatabaseOptions(), new DataDirectoryOptions { Path = Path.GetTempPath() });
        return new DockyardDbContext(builder.Options);
    }
}

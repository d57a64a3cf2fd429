namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>Tests against one private PostgreSQL cluster; each test (or class) uses its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Postgres";
}

using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Distribution;

[Collection(PostgresCollection.Name)]
public sealed class PostgresCatalogTests(PostgresFixture postgres) : CatalogTests(TestDatabase.Postgres(postgres));

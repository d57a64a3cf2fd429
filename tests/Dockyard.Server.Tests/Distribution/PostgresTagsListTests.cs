using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Distribution;

[Collection(PostgresCollection.Name)]
public sealed class PostgresTagsListTests(PostgresFixture postgres, SharedDockyard shared)
    : TagsListTests(TestDatabase.Postgres(postgres), shared), IClassFixture<SharedDockyard>;

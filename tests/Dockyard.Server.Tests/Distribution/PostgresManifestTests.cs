using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Distribution;

[Collection(PostgresCollection.Name)]
public sealed class PostgresManifestTests(PostgresFixture postgres, SharedDockyard shared)
    : ManifestTests(TestDatabase.Postgres(postgres), shared), IClassFixture<SharedDockyard>;

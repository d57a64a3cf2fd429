using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Audit;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditChainTests(PostgresFixture postgres) : AuditChainTests(TestDatabase.Postgres(postgres));

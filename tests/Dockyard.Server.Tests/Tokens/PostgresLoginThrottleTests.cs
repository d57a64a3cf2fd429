using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Tokens;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLoginThrottleTests(PostgresFixture postgres) : LoginThrottleTests(TestDatabase.Postgres(postgres));

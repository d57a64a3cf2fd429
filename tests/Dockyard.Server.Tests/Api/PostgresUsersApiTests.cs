using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Api;

[Collection(PostgresCollection.Name)]
public sealed class PostgresUsersApiTests(PostgresFixture postgres) : UsersApiTests(TestDatabase.Postgres(postgres));

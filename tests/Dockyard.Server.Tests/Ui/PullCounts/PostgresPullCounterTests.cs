using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Ui.PullCounts;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPullCounterTests(PostgresFixture postgres) : PullCounterTests(TestDatabase.Postgres(postgres));

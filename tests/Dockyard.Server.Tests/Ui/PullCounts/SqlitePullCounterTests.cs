using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Ui.PullCounts;

public sealed class SqlitePullCounterTests() : PullCounterTests(TestDatabase.Sqlite);

using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Tokens;

public sealed class SqliteLoginThrottleTests() : LoginThrottleTests(TestDatabase.Sqlite);

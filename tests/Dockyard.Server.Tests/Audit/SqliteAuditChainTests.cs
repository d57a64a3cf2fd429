using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Audit;

public sealed class SqliteAuditChainTests() : AuditChainTests(TestDatabase.Sqlite);

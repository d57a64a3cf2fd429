using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class SqliteCatalogTests() : CatalogTests(TestDatabase.Sqlite);

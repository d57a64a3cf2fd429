using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class SqliteManifestTests(SharedDockyard shared) : ManifestTests(TestDatabase.Sqlite, shared), IClassFixture<SharedDockyard>;

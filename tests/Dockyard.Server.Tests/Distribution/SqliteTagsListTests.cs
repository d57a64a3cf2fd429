using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Distribution;

public sealed class SqliteTagsListTests(SharedDockyard shared) : TagsListTests(TestDatabase.Sqlite, shared), IClassFixture<SharedDockyard>;

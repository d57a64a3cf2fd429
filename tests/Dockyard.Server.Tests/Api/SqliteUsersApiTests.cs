using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Api;

public sealed class SqliteUsersApiTests() : UsersApiTests(TestDatabase.Sqlite);

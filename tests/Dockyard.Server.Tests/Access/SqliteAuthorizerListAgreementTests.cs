using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Access;

public sealed class SqliteAuthorizerListAgreementTests() : AuthorizerListAgreementTests(TestDatabase.Sqlite);

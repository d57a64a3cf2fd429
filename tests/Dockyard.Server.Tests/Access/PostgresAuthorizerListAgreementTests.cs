using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Access;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuthorizerListAgreementTests(PostgresFixture postgres) : AuthorizerListAgreementTests(TestDatabase.Postgres(postgres));

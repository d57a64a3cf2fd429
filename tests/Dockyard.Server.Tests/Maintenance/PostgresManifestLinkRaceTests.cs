using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>
/// <see cref="ManifestLinkRaceTests"/> on PostgreSQL, where fsck waits for a delete through the row lock
/// (<c>FOR SHARE</c>) and a push excludes deletes with the manifest's advisory lock.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresManifestLinkRaceTests(PostgresFixture postgres)
{
    [Fact]
    public Task Fsck_WhileADeleteIsBetweenItsLinkDeleteAndItsCommit_WaitsForTheDeleteAndIsClean() =>
        ManifestLinkRaceTests.FsckDuringDeleteAsync(TestDatabase.Postgres(postgres));

    [Fact]
    public Task Delete_WhileAPushOfTheSameManifestIsBetweenItsLinkAndItsRow_PushedManifestKeepsItsLink() =>
        ManifestLinkRaceTests.DeleteDuringPushAsync(TestDatabase.Postgres(postgres));
}

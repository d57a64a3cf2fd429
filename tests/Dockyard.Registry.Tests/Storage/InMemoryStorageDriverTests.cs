using Dockyard.Registry.Storage;
using Dockyard.Registry.Storage.InMemory;

namespace Dockyard.Registry.Tests.Storage;

public sealed class InMemoryStorageDriverTests : StorageDriverConformanceTests
{
    protected override IStorageDriver CreateDriver() => new InMemoryStorageDriver();
}

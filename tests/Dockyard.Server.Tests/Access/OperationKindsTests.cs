using Dockyard.Server.Access;

namespace Dockyard.Server.Tests.Access;

public sealed class OperationKindsTests
{
    // KindOf relies on the enum's grouping: a new operation added in the wrong place would silently change kind.
    [Fact]
    public void KindOf_EveryOperation_IsTheKindItsNameStartsWith()
    {
        foreach (var operation in Enum.GetValues<Operation>())
        {
            var kind = OperationKinds.KindOf(operation);
            var expected = kind == ResourceKind.SystemSettings ? "System" : kind.ToString();
            Assert.True(operation.ToString().StartsWith(expected, StringComparison.Ordinal), $"{operation} is mapped to {kind}");
        }
    }
}

using System.Reflection;
using Dockyard.Registry;
using Dockyard.Registry.Metadata;

namespace Dockyard.Server.Tests.Maintenance;

/// <summary>
/// An <see cref="IRegistryIndex"/> that forwards every call to the real one and runs <see cref="AfterFindBlob"/> after
/// <see cref="IBlobIndex.FindBlobAsync"/> has read, before the caller acts on what it read: a test puts a
/// collection's step exactly into that gap.
/// </summary>
public class BlobLookupHook : DispatchProxy
{
    private IRegistryIndex _inner = null!;

    /// <summary>Runs once per blob lookup, with the looked-up digest, after the read and before the result is returned.</summary>
    public Func<Digest, Task>? AfterFindBlob { get; set; }

    internal static IRegistryIndex Wrap(IRegistryIndex inner, out BlobLookupHook hook)
    {
        var proxy = Create<IRegistryIndex, BlobLookupHook>();
        hook = (BlobLookupHook)(object)proxy;
        hook._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var result = targetMethod.Invoke(_inner, args);
        return targetMethod.Name == nameof(IRegistryIndex.FindBlobAsync) && AfterFindBlob is { } after
            ? ThenAsync((Task<LinkedBlob?>)result!, (Digest)args![1]!, after)
            : result;
    }

    private static async Task<LinkedBlob?> ThenAsync(Task<LinkedBlob?> read, Digest digest, Func<Digest, Task> after)
    {
        var found = await read;
        await after(digest);
        return found;
    }
}

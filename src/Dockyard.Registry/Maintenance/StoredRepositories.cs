using System.Runtime.CompilerServices;
using Dockyard.Registry.Storage;

namespace Dockyard.Registry.Maintenance;

/// <summary>Finds repositories from storage alone (for rebuilding and checking the index), never from the index.</summary>
internal static class StoredRepositories
{
    /// <summary>
    /// Directories under <paramref name="path"/> that hold manifest or tag links, in ordinal order. Repository names
    /// nest (<c>a/b</c> and <c>a/b/c</c> may both exist) and their components never start with '_', so link
    /// directories are told apart from name components by that prefix.
    /// </summary>
    public static async IAsyncEnumerable<string> FindAsync(IStorageDriver storage, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var isRepository = false;
        var children = new List<string>();
        await foreach (var child in storage.ListAsync(path, cancellationToken))
        {
            var leaf = child[(child.LastIndexOf('/') + 1)..];
            if (leaf is StoragePaths.ManifestLinksDirectory or StoragePaths.TagLinksDirectory)
            {
                isRepository = true;
            }
            else if (!leaf.StartsWith('_'))
            {
                children.Add(child);
            }
        }

        if (isRepository)
        {
            yield return path;
        }

        children.Sort(StringComparer.Ordinal);
        foreach (var child in children)
        {
            await foreach (var nested in FindAsync(storage, child, cancellationToken))
            {
                yield return nested;
            }
        }
    }
}

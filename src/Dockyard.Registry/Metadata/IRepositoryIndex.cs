namespace Dockyard.Registry.Metadata;

/// <summary>
/// The repository role of the metadata index: which repositories exist (the catalog).
/// Implementations must make every method atomic.
/// </summary>
public interface IRepositoryIndex
{
    /// <summary>Repository names in lexical order after <paramref name="last"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ListRepositoriesAsync(string? last, int limit, CancellationToken cancellationToken);
}

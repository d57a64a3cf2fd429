namespace Dockyard.Control.Compose;

/// <summary>
/// Parses Compose files (YAML) into a <see cref="ComposeProject"/>: interpolates <c>${VAR}</c>, <c>${VAR:-default}</c>,
/// <c>${VAR:?error}</c> from <c>environment</c>, merges the files in order, reads <c>env_file</c> and file-based secrets
/// and configs from <c>files</c> (keyed by the path as written), and refuses anything invalid with a <see cref="ComposeException"/>.
/// </summary>
public static class ComposeLoader
{
    /// <summary>The largest Compose file accepted, in bytes (UTF-8).</summary>
    public const int MaxSourceBytes = 1024 * 1024;

    public static ComposeLoadResult Load(
        IReadOnlyList<ComposeSource> sources,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyDictionary<string, byte[]> files) =>
        throw new NotImplementedException("contract stub: the compose helper implements this");
}

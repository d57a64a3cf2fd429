namespace Dockyard.Server.Cli.Stacks;

/// <summary>
/// Paths a Compose file names, resolved against the project directory (the first Compose file's directory) the way
/// <c>docker compose</c> does — and kept inside it: an absolute path, <c>..</c> out of it, or a symbolic link leading
/// out of it is refused, so a Compose file from a repository cannot make CI upload, say, <c>~/.ssh/id_rsa</c>.
/// </summary>
internal static class ProjectPaths
{
    private const int MaxLinks = 40;

    /// <summary>The file <paramref name="written"/> names under <paramref name="projectDirectory"/>, or why it may not be read.</summary>
    public static string Resolve(string projectDirectory, string written, out string? refusal)
    {
        refusal = null;
        if (string.IsNullOrWhiteSpace(written))
        {
            refusal = "an empty path";
            return string.Empty;
        }

        if (Path.IsPathRooted(written) || written.StartsWith('~'))
        {
            refusal = $"'{written}' is not relative to the project directory ({projectDirectory}); only files inside it are sent";
            return string.Empty;
        }

        var root = RealPath(Path.GetFullPath(projectDirectory));
        var full = Path.GetFullPath(Path.Combine(root, written));
        if (!IsInside(root, full))
        {
            refusal = $"'{written}' is outside the project directory ({projectDirectory})";
            return string.Empty;
        }

        var real = RealPath(full);
        if (!IsInside(root, real))
        {
            refusal = $"'{written}' leads outside the project directory ({projectDirectory}) through a symbolic link";
            return string.Empty;
        }

        return real;
    }

    private static bool IsInside(string root, string path)
    {
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// <paramref name="path"/> with every symbolic link along it replaced by its final target (what <c>realpath</c>
    /// prints); components that do not exist are kept as they are.
    /// </summary>
    private static string RealPath(string path, int depth = 0)
    {
        var root = Path.GetPathRoot(path)!;
        var current = root;
        foreach (var part in path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is { } target)
            {
                if (depth >= MaxLinks)
                {
                    throw new IOException($"too many levels of symbolic links: {path}");
                }

                // The target may itself hold links (or be relative to the link's directory): resolve it whole.
                next = RealPath(Path.GetFullPath(target, current), depth + 1);
            }

            current = next;
        }

        return current;
    }
}

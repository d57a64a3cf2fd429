namespace Dockyard.Registry.Storage;

/// <summary>Validation of driver paths: relative, '/'-separated, no empty, '.' or '..' segments.</summary>
public static class StoragePath
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="path"/> is a safe relative path.</summary>
    public static void Validate(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path[0] == '/' || path[^1] == '/' || path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid storage path '{path}'.", nameof(path));
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw new ArgumentException($"Invalid storage path '{path}'.", nameof(path));
            }
        }
    }
}

namespace Dockyard.Server.Distribution;

/// <summary>
/// A parsed <c>/v2/…</c> path. Repository names contain slashes, so routes are recognised from the end:
/// <code>
/// _catalog
/// {name}/manifests/{reference}
/// {name}/blobs/{digest}
/// {name}/blobs/uploads/            (also without the trailing slash)
/// {name}/blobs/uploads/{id}
/// {name}/tags/list
/// {name}/referrers/{digest}
/// </code>
/// The name is returned raw; validating it is the caller's job.
/// </summary>
internal readonly record struct RegistryRoute(RegistryRouteKind Kind, string Name, string Argument)
{
    public static readonly RegistryRoute Unknown = new(RegistryRouteKind.Unknown, string.Empty, string.Empty);

    /// <summary>Parses the part of the path after <c>/v2/</c>.</summary>
    public static RegistryRoute Parse(ReadOnlySpan<char> path)
    {
        if (path.SequenceEqual("_catalog"))
        {
            return new RegistryRoute(RegistryRouteKind.Catalog, string.Empty, string.Empty);
        }

        if (path.EndsWith("/tags/list", StringComparison.Ordinal))
        {
            return Named(RegistryRouteKind.TagsList, path[..^"/tags/list".Length], string.Empty);
        }

        if (path.EndsWith("/blobs/uploads", StringComparison.Ordinal))
        {
            return Named(RegistryRouteKind.Uploads, path[..^"/blobs/uploads".Length], string.Empty);
        }

        var lastSlash = path.LastIndexOf('/');
        if (lastSlash <= 0)
        {
            return Unknown;
        }

        var argument = path[(lastSlash + 1)..];
        var head = path[..lastSlash];
        var resourceSlash = head.LastIndexOf('/');
        if (resourceSlash <= 0)
        {
            return Unknown;
        }

        var resource = head[(resourceSlash + 1)..];
        var name = head[..resourceSlash];
        switch (resource)
        {
            case "manifests" when argument.Length > 0:
                return Named(RegistryRouteKind.Manifest, name, argument);
            case "blobs" when argument.Length > 0:
                return Named(RegistryRouteKind.Blob, name, argument);
            case "referrers" when argument.Length > 0:
                return Named(RegistryRouteKind.Referrers, name, argument);
            case "uploads" when name.EndsWith("/blobs", StringComparison.Ordinal):
                return Named(
                    argument.Length == 0 ? RegistryRouteKind.Uploads : RegistryRouteKind.Upload,
                    name[..^"/blobs".Length],
                    argument);
            default:
                return Unknown;
        }
    }

    private static RegistryRoute Named(RegistryRouteKind kind, ReadOnlySpan<char> name, ReadOnlySpan<char> argument) =>
        name.IsEmpty ? Unknown : new RegistryRoute(kind, name.ToString(), argument.ToString());
}

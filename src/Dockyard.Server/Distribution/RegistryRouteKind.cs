namespace Dockyard.Server.Distribution;

/// <summary>The resources of the <c>/v2</c> API.</summary>
internal enum RegistryRouteKind
{
    Unknown,
    Catalog,
    Manifest,
    Blob,
    Uploads,
    Upload,
    TagsList,
    Referrers,
}

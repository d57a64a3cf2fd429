namespace Dockyard.Server.Distribution;

/// <summary>
/// The access guard's verdict on a cross-repository mount's source, carried on the request's features to the upload
/// endpoint. A caller may push to the target without pull on the source: the guard then lets the request through but
/// refuses the mount, and the endpoint starts an ordinary upload (202), as the distribution spec allows. No verdict
/// (an open registry) means the mount may proceed.
/// </summary>
internal sealed class CrossRepositoryMount
{
    private static readonly CrossRepositoryMount Refused = new();

    private CrossRepositoryMount()
    {
    }

    /// <summary>Records that this request may not read the mount's source repository.</summary>
    public static void Refuse(HttpContext context) => context.Features.Set(Refused);

    /// <summary>Whether the upload endpoint may mount from the source the request names.</summary>
    public static bool IsAllowed(HttpContext context) => context.Features.Get<CrossRepositoryMount>() is null;
}

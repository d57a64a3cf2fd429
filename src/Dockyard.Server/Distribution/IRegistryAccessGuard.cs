namespace Dockyard.Server.Distribution;

/// <summary>
/// The single authorization seam every <c>/v2</c> request passes through before any handler runs.
/// Returning false means the guard has already written the challenge (401) or denial (403).
/// </summary>
internal interface IRegistryAccessGuard
{
    ValueTask<bool> AuthorizeAsync(HttpContext context, RegistryAccessRequest request);
}

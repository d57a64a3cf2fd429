namespace Dockyard.Server.Distribution;

/// <summary>
/// The single authorization seam every <c>/v2</c> request passes through before any handler runs.
/// Returning false means the guard has already written its answer (a 401 challenge). A guard never changes the
/// request; a verdict the handler needs (a refused mount source) travels as a feature (<see cref="CrossRepositoryMount"/>).
/// </summary>
internal interface IRegistryAccessGuard
{
    ValueTask<bool> AuthorizeAsync(HttpContext context, RegistryAccessRequest request);
}

namespace Dockyard.Server.Distribution;

/// <summary>Allows everything. The registry core runs open until identity and access control are configured.</summary>
internal sealed class OpenAccessGuard : IRegistryAccessGuard
{
    public ValueTask<bool> AuthorizeAsync(HttpContext context, RegistryAccessRequest request) => ValueTask.FromResult(true);
}

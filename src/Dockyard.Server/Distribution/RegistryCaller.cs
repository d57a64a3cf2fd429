using Dockyard.Server.Access;
using Dockyard.Server.Identity;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Distribution;

/// <summary>The caller of a <c>/v2</c> request, for handlers that filter what they show.</summary>
internal static class RegistryCaller
{
    /// <summary>
    /// The request's principal (<c>HttpContext.User</c>), or null when the registry runs without authentication
    /// (<see cref="AuthOptions.Enabled"/> off: everything is visible to everyone).
    /// </summary>
    public static Principal? GetRegistryPrincipal(this HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.Enabled ? context.GetPrincipal() : null;
}

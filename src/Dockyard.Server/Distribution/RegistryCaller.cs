using Dockyard.Server.Access;

namespace Dockyard.Server.Distribution;

/// <summary>The principal of a <c>/v2</c> request as the access guard established it (from the bearer token).</summary>
internal static class RegistryCaller
{
    private const string ItemKey = "dockyard.registry.principal";

    /// <summary>Null when the registry runs without authentication (everything is visible).</summary>
    public static Principal? GetRegistryPrincipal(this HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) ? value as Principal : null;

    public static void SetRegistryPrincipal(this HttpContext context, Principal principal) => context.Items[ItemKey] = principal;
}

using Dockyard.Server.Identity;

namespace Dockyard.Server.Accounts;

/// <summary>Account policy, read from the <c>Dockyard:Auth</c> section alongside <see cref="AuthOptions"/>.</summary>
internal sealed record AccountOptions
{
    /// <summary>Whether any user may create organizations (becoming their owner); otherwise only system administrators.</summary>
    public bool AllowUserOrganizations { get; init; }
}

using Dockyard.Server.Accounts;
using Dockyard.Server.Tests.Hosting;

namespace Dockyard.Server.Tests.Policies;

/// <summary>Creates an organization (with an owner) directly through the services, for registry tests that run without authentication.</summary>
internal static class PolicySeed
{
    public static async Task<(long Id, string Name)> OrganizationAsync(InProcessDockyard server, string prefix)
    {
        var name = $"{prefix}{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 12, 40)];
        var owner = await server.GetRequiredService<UserService>().CreateLocalAsync(Dockyard.Server.Audit.Caller.System, new NewUser(name + "-owner", "a-long-enough-password"), CancellationToken.None);
        var organization = await server.GetRequiredService<OrganizationService>().CreateAsync(Dockyard.Server.Audit.Caller.System, name, null, null, owner.Id, CancellationToken.None);
        return (organization.Id, organization.Name);
    }
}

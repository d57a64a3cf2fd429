namespace Dockyard.Server.Tests.Webhooks;

/// <summary>
/// Test servers deliver webhooks to receivers on 127.0.0.1, which Dockyard refuses by default: the API and UI test
/// servers allow loopback through the administrator's allow-list. A test replaces the entry to see the default policy.
/// </summary>
internal static class WebhookTestNetworks
{
    public const string AllowedNetworksKey = "Dockyard:Webhooks:AllowedNetworks:0";

    public const string Loopback = "127.0.0.0/8";
}

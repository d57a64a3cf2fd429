namespace Dockyard.Server.Cli.Stacks;

/// <summary>Where a remote verb talks to and as whom: the server's base URL, the access token and an optional CA bundle.</summary>
internal sealed record RemoteSettings(Uri Server, string Token, string? CaFile)
{
    /// <summary>The token is never printed, not even by a debugger or a log of this record.</summary>
    public override string ToString() => $"RemoteSettings {{ Server = {Server}, CaFile = {CaFile} }}";
}

namespace Dockyard.Server.Protection;

/// <summary>Settings under <c>Dockyard:Secrets</c>: where the key that encrypts secrets in the database is kept.</summary>
internal sealed record SecretsOptions
{
    public const string Section = "Dockyard:Secrets";

    /// <summary>
    /// The key file (32 random bytes, base64). Empty: <c>secrets.key</c> in the data directory. Replicas sharing one
    /// PostgreSQL database must all point at a copy of the same file.
    /// </summary>
    public string KeyFile { get; init; } = string.Empty;
}

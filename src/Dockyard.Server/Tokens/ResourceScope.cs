namespace Dockyard.Server.Tokens;

/// <summary>
/// One Docker token scope, <c>type:name:actions</c>, as requested in <c>scope=</c> and as granted in a token's
/// <c>access</c> claim. Only <c>repository:NAME:pull,push,delete,*</c> and <c>registry:catalog:*</c> exist here.
/// </summary>
internal sealed record ResourceScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    public const string RepositoryType = "repository";
    public const string RegistryType = "registry";
    public const string CatalogName = "catalog";
    public const string Wildcard = "*";

    public static readonly ResourceScope Catalog = new(RegistryType, CatalogName, [Wildcard]);

    public bool IsCatalog => Type == RegistryType && Name == CatalogName;

    /// <summary>
    /// Granted for a notary trust collection: <see cref="Name"/> is host-prefixed (<see cref="RegistryHostPrefix"/>)
    /// and was authorized as the repository without the host. Carried in the token (claim <c>dky_gun</c>) so that
    /// Dockyard's own <c>/v2</c> never honors it, whatever the name would mean there.
    /// </summary>
    public bool ForNotary { get; init; }

    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";
}

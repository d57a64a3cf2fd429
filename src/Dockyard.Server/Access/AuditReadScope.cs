namespace Dockyard.Server.Access;

/// <summary>
/// Which audit entries a principal may read: everything, or the entries of <see cref="Organizations"/> (by name;
/// empty means none at all).
/// </summary>
internal sealed record AuditReadScope(bool Everything, IReadOnlyList<string> Organizations)
{
    public static readonly AuditReadScope All = new(true, []);

    public bool Allowed => Everything || Organizations.Count > 0;
}

using Dockyard.Server.Access.Collections;

namespace Dockyard.Server.Control.Access;

/// <summary>
/// The labels that put a control-plane resource (node, container, network, volume, service, secret) in a collection,
/// and the collections Dockyard uses when there is none. One rule for every resource kind:
/// <list type="number">
/// <item><see cref="Collection"/> (<c>dockyard.access.collection</c>) when it holds a valid path;</item>
/// <item>else UCP's <see cref="UcpCollection"/> (<c>com.docker.ucp.access.label</c>), so resources CI made with
/// compose for UCP keep their place;</item>
/// <item>else — no label, or a label that is not a collection path — <see cref="Unlabeled"/>, the root: only
/// grants on <c>/</c> (and administrators) reach it. A malformed label never widens access.</item>
/// </list>
/// Resources Dockyard creates for a user without a label get <see cref="DefaultFor"/>, UCP's private collection.
/// </summary>
internal static class ControlLabels
{
    public const string Collection = "dockyard.access.collection";

    public const string UcpCollection = "com.docker.ucp.access.label";

    /// <summary>Marks Dockyard's own and other system containers, hidden from lists unless asked for.</summary>
    public const string System = "dockyard.system";

    /// <summary>Where resources without a (valid) collection label live.</summary>
    public static CollectionPath Unlabeled => CollectionPath.Root;

    /// <summary>The collection whose subtree holds system resources (hidden unless asked for).</summary>
    public static CollectionPath SystemCollection { get; } = CollectionPath.Parse("/System");

    public static CollectionPath CollectionOf(IReadOnlyDictionary<string, string>? labels)
    {
        if (labels is null)
        {
            return Unlabeled;
        }

        if (labels.TryGetValue(Collection, out var own) && CollectionPath.TryParse(own, out var path))
        {
            return path;
        }

        return labels.TryGetValue(UcpCollection, out var ucp) && CollectionPath.TryParse(ucp, out path) ? path : Unlabeled;
    }

    /// <summary>True for resources hidden from lists unless the caller asks for system resources too.</summary>
    public static bool IsSystem(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && (labels.ContainsKey(System) || CollectionOf(labels).IsWithin(SystemCollection));

    /// <summary>
    /// The default collection of a user, <c>/Shared/Private/&lt;name&gt;</c>; null when the name is not a valid path
    /// component (the caller must then require an explicit label).
    /// </summary>
    public static CollectionPath? DefaultFor(string userName) =>
        !userName.Contains('/', StringComparison.Ordinal) && CollectionPath.TryParse("/Shared/Private/" + userName, out var path) ? path : null;
}

using System.Collections.Frozen;

namespace Dockyard.Server.Access.Collections;

/// <summary>
/// A named, immutable set of control-plane operations, granted on a collection. The built-in roles follow UCP:
/// View Only, Restricted Control (no exec, no privileged containers or host bind mounts), Scheduler (may place work
/// on nodes) and Full Control; custom roles are any set of control-plane operations.
/// </summary>
internal sealed record CollectionRole
{
    private CollectionRole(string name, IEnumerable<Operation> operations)
    {
        Name = name;
        Operations = operations.ToFrozenSet();
    }

    public static CollectionRole None { get; } = new("none", []);

    public static CollectionRole ViewOnly { get; } = new("view-only",
    [
        Operation.NodeView, Operation.ContainerView, Operation.ContainerLogs, Operation.ServiceView,
        Operation.StackView, Operation.SecretView, Operation.RouteView,
    ]);

    public static CollectionRole RestrictedControl { get; } = new("restricted-control",
    [
        .. ViewOnly.Operations,
        Operation.ContainerOperate, Operation.ContainerCreate, Operation.ContainerDelete,
        Operation.ServiceCreate, Operation.ServiceUpdate, Operation.ServiceDelete,
        Operation.StackDeploy, Operation.StackRemove, Operation.SecretManage, Operation.RouteManage,
    ]);

    public static CollectionRole Scheduler { get; } = new("scheduler", [Operation.NodeView, Operation.NodeSchedule]);

    public static CollectionRole FullControl { get; } = new("full-control",
        Enum.GetValues<Operation>().Where(o => OperationKinds.IsControlPlane(OperationKinds.KindOf(o))));

    /// <summary>The built-in roles, the only ones grants can name until custom roles are stored.</summary>
    public static IReadOnlyList<CollectionRole> BuiltIn { get; } = [None, ViewOnly, RestrictedControl, Scheduler, FullControl];

    public string Name { get; }

    /// <summary>The built-in role named <paramref name="name"/> (ordinal), if any.</summary>
    public static bool TryGetBuiltIn([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CollectionRole? role)
    {
        role = BuiltIn.FirstOrDefault(r => r.Name == name);
        return role is not null;
    }

    public FrozenSet<Operation> Operations { get; }

    /// <summary>A custom role; only control-plane operations may be in it.</summary>
    public static CollectionRole Custom(string name, IEnumerable<Operation> operations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var set = operations.ToList();
        foreach (var operation in set.Where(o => !OperationKinds.IsControlPlane(OperationKinds.KindOf(o))))
        {
            throw new ArgumentException($"{operation} is not a control-plane operation; registry rights are not granted through collections.", nameof(operations));
        }

        return new CollectionRole(name, set);
    }

    public bool Allows(Operation operation) => Operations.Contains(operation);

    public bool Equals(CollectionRole? other) => other is not null && Name == other.Name && Operations.SetEquals(other.Operations);

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}

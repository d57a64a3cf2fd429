using Dockyard.Control.Engines;
using Dockyard.Control.Nodes;
using Dockyard.Control.Swarm;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Nodes;

/// <summary>
/// The swarm's join commands and their rotation, for system administrators only (<see cref="ControlDecisions"/>):
/// a join token lets a machine into the cluster. Rotation is audited (<c>swarm.join-token.rotate</c>, with the role,
/// never a token); tokens are never logged.
/// </summary>
internal sealed partial class SwarmJoinService(EngineRegistry registry, ControlDecisions decisions, AuditedOperations audited, ILogger<SwarmJoinService> logger)
{
    private const string See = "see the swarm join tokens";

    public async Task<SwarmJoinView> GetAsync(Caller caller, CancellationToken cancellationToken)
    {
        await decisions.RequireAdministratorAsync(caller.Principal, See, cancellationToken);
        return await CallAsync(async client => await ViewAsync(client, await new SwarmClient(client).InspectAsync(cancellationToken), cancellationToken), cancellationToken);
    }

    /// <summary>Replaces the <paramref name="role"/> (worker or manager) token; nodes already joined are not affected.</summary>
    public Task<SwarmJoinView> RotateAsync(Caller caller, string? role, CancellationToken cancellationToken) =>
        audited.RunAsync(
            caller,
            new AuditedAction(AuditActions.SwarmJoinTokenRotate, "swarm/join").WithFields(("role", role)),
            token => decisions.AdministerAsync(caller.Principal, "rotate the swarm join tokens", token),
            token =>
            {
                var which = role switch
                {
                    "worker" => SwarmJoinRole.Worker,
                    "manager" => SwarmJoinRole.Manager,
                    _ => throw DomainException.Invalid("role", "Role must be worker or manager."),
                };
                return CallAsync(client => RotateAsync(client, which, token), token);
            },
            cancellationToken);

    private async Task<SwarmJoinView> RotateAsync(EngineClient client, SwarmJoinRole role, CancellationToken cancellationToken)
    {
        var swarm = new SwarmClient(client);
        SwarmInfo rotated;
        try
        {
            rotated = await swarm.RotateJoinTokenAsync(role, cancellationToken);
        }
        catch (EngineApiException stale) when (stale.Kind == EngineErrorKind.Conflict)
        {
            // The swarm spec changed between read and update ("update out of sequence"): read it again, once.
            LogRetry(role);
            rotated = await swarm.RotateJoinTokenAsync(role, cancellationToken);
        }

        LogRotated(role);
        return await ViewAsync(client, rotated, cancellationToken);
    }

    /// <summary>The commands name the leader's address (else any reachable manager's), as <c>docker swarm join-token</c> does.</summary>
    private static async Task<SwarmJoinView> ViewAsync(EngineClient client, SwarmInfo swarm, CancellationToken cancellationToken)
    {
        var managers = await new NodeClient(client).ListAsync(new EngineFilters().Add("role", "manager"), cancellationToken);
        var address = managers.Where(m => m.Manager is { Reachability: "reachable" })
            .OrderByDescending(m => m.Manager!.Leader).Select(m => m.Manager!.Address).FirstOrDefault(a => a.Length > 0)
            ?? throw DomainException.Unavailable("No reachable manager address is known to the swarm.");
        return new SwarmJoinView(
            address,
            $"docker swarm join --token {swarm.JoinTokens.Worker} {address}",
            $"docker swarm join --token {swarm.JoinTokens.Manager} {address}",
            swarm.JoinTokens.Worker,
            swarm.JoinTokens.Manager);
    }

    private async Task<T> CallAsync<T>(Func<EngineClient, Task<T>> call, CancellationToken cancellationToken)
    {
        await registry.EnsureLoadedAsync(cancellationToken);
        var manager = registry.GetManager()
            ?? throw DomainException.Unavailable("No swarm manager is reachable: the join tokens are read through a manager's engine.");
        try
        {
            return await call(manager);
        }
        catch (EngineApiException error)
        {
            throw EngineErrors.ToDomain(error);
        }
    }

    [LoggerMessage(EventId = 4512, Level = LogLevel.Information, Message = "Swarm {Role} join token is out of sequence; rotating once more on the fresh spec")]
    private partial void LogRetry(SwarmJoinRole role);

    [LoggerMessage(EventId = 4513, Level = LogLevel.Information, Message = "Swarm {Role} join token rotated")]
    private partial void LogRotated(SwarmJoinRole role);
}

#pragma warning disable SA1402, SA1649, CA1822, IDE0060, S1172
// TEMPORARY: the stack service contract as /work/helper-stacks-context.md describes it, so the UI compiles before
// branch h/core lands. Deleted at the merge; the UI then compiles against the real types.
using Dockyard.Server.Audit;

namespace Dockyard.Server.Control.Stacks;

internal sealed record StackSummaryView(string Name, string Collection, string? Version, string? Description, string? SourceUrl, string? SourceRevision,
    string? Owner, bool Managed, int? Revision, int Services, int RunningTasks, int DesiredTasks, DateTimeOffset? UpdatedAt, bool UpdateAvailable);

internal sealed record StackListView(IReadOnlyList<StackSummaryView> Items, IReadOnlyList<string> Warnings);

internal sealed record StackServiceView(string Name, string ShortName, string? Image, string? RunningImage, string Mode, long? Replicas,
    long RunningTasks, long DesiredTasks, string? UpdateState, string? UpdateMessage, string? Follows, bool UpdateAvailable);

internal sealed record StackDetailView(string Name, string Collection, string? Version, string? Description, string? SourceUrl, string? SourceRevision,
    string? Owner, bool Managed, int? Revision, DateTimeOffset? UpdatedAt, IReadOnlyList<StackServiceView> Services);

internal sealed record StackFile(string Name, string Text);

internal sealed record StackDeployRequest(string? Name, string? Collection, string? Version, string? Description, string? SourceUrl, string? SourceRevision,
    IReadOnlyList<StackFile>? Files, string? Compose, IReadOnlyDictionary<string, string>? Environment, IReadOnlyList<string>? SecretVariables,
    IReadOnlyDictionary<string, string>? Attachments, IReadOnlyList<string>? Follow);

internal sealed record StackWarningView(string File, int Line, int Column, string Message);

internal sealed record StackDeployResult(StackDetailView Stack, int Revision, IReadOnlyList<StackWarningView> Warnings);

internal sealed record StackRedeployRequest(bool Pull = true, IReadOnlyList<string>? Services = null, string? Note = null, string? AuditAction = null);

internal sealed record StackTaskView(string Id, string Service, int? Slot, string? NodeId, string? Node, string DesiredState, string State,
    string? Message, string? Error, string? ContainerId, string? Image, DateTimeOffset? UpdatedAt);

internal sealed record StackRevisionSummary(int Number, string CreatedBy, DateTimeOffset CreatedAt, string? Note, string? Version);

internal sealed record StackRevisionView(int Number, IReadOnlyList<StackFile> Files, IReadOnlyDictionary<string, string?> Environment,
    IReadOnlyDictionary<string, string> Images, IReadOnlyList<string> Follow, string? Version, string? Description, string? SourceUrl,
    string? SourceRevision, string? Note, string CreatedBy, DateTimeOffset CreatedAt);

internal sealed record StackFileDiff(string Name, string Diff);

internal sealed record StackDiffView(int From, int To, IReadOnlyList<StackFileDiff> Files, IReadOnlyList<string> Environment, IReadOnlyList<string> Images);

internal sealed class StackService
{
    public Task<StackListView> ListAsync(Caller caller, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<StackDetailView> GetAsync(Caller caller, string name, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<StackDeployResult> DeployAsync(Caller caller, StackDeployRequest request, bool create, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task RedeployAsync(Caller caller, string stack, StackRedeployRequest request, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task ScaleAsync(Caller caller, string stack, string service, long replicas, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task RollbackAsync(Caller caller, string stack, int revision, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task RollbackServiceAsync(Caller caller, string stack, string service, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task RemoveAsync(Caller caller, string stack, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task AdoptAsync(Caller caller, string stack, string? collection, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<IReadOnlyList<StackTaskView>> TasksAsync(Caller caller, string stack, CancellationToken cancellationToken) => throw new NotImplementedException();
}

internal sealed class StackRevisionService
{
    public Task<IReadOnlyList<StackRevisionSummary>> ListAsync(Caller caller, string stack, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<StackRevisionView> GetAsync(Caller caller, string stack, int number, CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<StackDiffView> DiffAsync(Caller caller, string stack, int from, int to, CancellationToken cancellationToken) => throw new NotImplementedException();
}

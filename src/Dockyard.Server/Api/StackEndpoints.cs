using Dockyard.Server.Audit;
using Dockyard.Server.Control.Stacks;
using Microsoft.AspNetCore.Mvc;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/stacks</c>: Compose applications on the swarm. Create and update deploy Compose files (a Compose error is a
/// 400 whose ProblemDetails carry <c>file</c>, <c>line</c> and <c>column</c>), then revisions, diff, rollback, scale,
/// redeploy, remove and adopt. Who may do what is decided in the stack's collection by <see cref="StackService"/>
/// (StackView, StackDeploy, StackRemove; not visible → 404, refused → 403), which audits every change.
/// </summary>
internal static class StackEndpoints
{
    /// <summary>The largest deploy body: Compose files (1 MiB each) and attachments; beyond it, a 413 ProblemDetails.</summary>
    public const long MaxDeployBodyBytes = 16 * 1024 * 1024;

    public static void Map(RouteGroupBuilder api)
    {
        var stacks = api.MapGroup("/stacks").WithTags("Stacks")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        stacks.MapGet("/", ListAsync).WithName("ListStacks")
            .WithSummary("The stacks the caller may view: Dockyard's (managed) and those deployed outside it (managed: false), with task counts.");
        stacks.MapPost("/", CreateAsync).WithName("CreateStack").WithMetadata(new RequestSizeLimitAttribute(MaxDeployBodyBytes))
            .WithSummary("Create a stack and deploy it from Compose files (files or compose), environment, secret variable names, attachments and followed services; answers the stack, its revision and warnings.");
        stacks.MapGet("/{name}", GetAsync).WithName("GetStack")
            .WithSummary("A stack's metadata and services (image as written and as running, replicas, task counts, update state, followed tag and whether it moved).");
        stacks.MapPut("/{name}", UpdateAsync).WithName("UpdateStack").WithMetadata(new RequestSizeLimitAttribute(MaxDeployBodyBytes))
            .WithSummary("Deploy a new revision of a stack (services no longer in the files are removed).");
        stacks.MapDelete("/{name}", RemoveAsync).WithName("RemoveStack")
            .WithSummary("Remove a stack's services, networks, secrets and configs, and its record and revisions.");
        stacks.MapGet("/{name}/revisions", ListRevisionsAsync).WithName("ListStackRevisions")
            .WithSummary("A stack's revisions, newest first.");
        stacks.MapGet("/{name}/revisions/{number:long}", GetRevisionAsync).WithName("GetStackRevision")
            .WithSummary("One revision: Compose files, environment (secret values null), images as written → pinned, followed services.");
        stacks.MapGet("/{name}/diff", DiffAsync).WithName("DiffStackRevisions")
            .WithSummary("The changes from revision from (default: the one before to) to revision to (default: the current one): unified diffs per file, environment and image changes.");
        stacks.MapPost("/{name}/rollback", RollbackAsync).WithName("RollbackStack")
            .WithSummary("Deploy a former revision again, with the digests it ran, as a new revision.");
        stacks.MapPost("/{name}/redeploy", RedeployAsync).WithName("RedeployStack")
            .WithSummary("Pull latest and redeploy: re-resolve tags (pull, default true) and update services whose digest changed, or force-update all (force) or some (services).");
        stacks.MapPost("/{name}/adopt", AdoptAsync).WithName("AdoptStack")
            .WithSummary("Manage a stack deployed outside Dockyard, in a collection (default: the caller's private one); its first revision comes with the next deploy.");
        stacks.MapPost("/{name}/services/{service}/scale", ScaleAsync).WithName("ScaleStackService")
            .WithSummary("Set a replicated service's replicas (0 allowed).");
        stacks.MapPost("/{name}/services/{service}/rollback", RollbackServiceAsync).WithName("RollbackStackService")
            .WithSummary("Roll a service back to its previous spec (the swarm's rollback=previous).");
    }

    private static async Task<IResult> ListAsync(HttpContext context, StackService stacks, CancellationToken cancellationToken) =>
        Results.Ok(await stacks.ListAsync(Caller.Of(context), cancellationToken));

    private static async Task<IResult> CreateAsync(StackBody? body, HttpContext context, StackService stacks, CancellationToken cancellationToken)
    {
        var result = await stacks.DeployAsync(Caller.Of(context), RequestOf(body, null), create: true, cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/stacks/{result.Stack.Name}", result);
    }

    private static async Task<IResult> UpdateAsync(string name, StackBody? body, HttpContext context, StackService stacks, CancellationToken cancellationToken) =>
        Results.Ok(await stacks.DeployAsync(Caller.Of(context), RequestOf(body, name), create: false, cancellationToken));

    private static async Task<IResult> GetAsync(string name, HttpContext context, StackService stacks, CancellationToken cancellationToken) =>
        Results.Ok(await stacks.GetAsync(Caller.Of(context), name, cancellationToken));

    private static async Task<IResult> RemoveAsync(string name, HttpContext context, StackService stacks, CancellationToken cancellationToken) =>
        Results.Ok(await stacks.RemoveAsync(Caller.Of(context), name, cancellationToken));

    private static async Task<IResult> ListRevisionsAsync(string name, HttpContext context, StackRevisionService revisions, CancellationToken cancellationToken) =>
        Results.Ok(new RevisionList(await revisions.ListAsync(Caller.Of(context), name, cancellationToken)));

    private static async Task<IResult> GetRevisionAsync(string name, long number, HttpContext context, StackRevisionService revisions, CancellationToken cancellationToken) =>
        Results.Ok(await revisions.GetAsync(Caller.Of(context), name, (int)Math.Clamp(number, 0, int.MaxValue), cancellationToken));

    private static async Task<IResult> DiffAsync(string name, int? from, int? to, HttpContext context, StackService stacks, StackRevisionService revisions, CancellationToken cancellationToken)
    {
        var caller = Caller.Of(context);
        var target = to ?? (await stacks.GetAsync(caller, name, cancellationToken)).Revision;
        return Results.Ok(await revisions.DiffAsync(caller, name, from ?? target - 1, target, cancellationToken));
    }

    private static async Task<IResult> RollbackAsync(string name, RollbackBody? body, HttpContext context, StackService stacks, CancellationToken cancellationToken) =>
        body?.Revision is { } revision
            ? Results.Ok(await stacks.RollbackAsync(Caller.Of(context), name, revision, cancellationToken))
            : ApiResults.Invalid("revision", "Name the revision to roll back to.");

    private static async Task<IResult> RedeployAsync(string name, RedeployBody? body, HttpContext context, StackService stacks, CancellationToken cancellationToken) =>
        Results.Ok(await stacks.RedeployAsync(
            Caller.Of(context),
            name,
            new StackRedeployRequest { Pull = body?.Pull ?? true, Force = body?.Force ?? false, Services = body?.Services },
            cancellationToken));

    private static async Task<IResult> AdoptAsync(string name, AdoptBody? body, HttpContext context, StackService stacks, CancellationToken cancellationToken) =>
        Results.Ok(await stacks.AdoptAsync(Caller.Of(context), name, body?.Collection, cancellationToken));

    private static async Task<IResult> ScaleAsync(string name, string service, ScaleBody? body, HttpContext context, StackService stacks, CancellationToken cancellationToken) =>
        body?.Replicas is { } replicas
            ? Results.Ok(await stacks.ScaleAsync(Caller.Of(context), name, service, replicas, cancellationToken))
            : ApiResults.Invalid("replicas", "Give the number of replicas.");

    private static async Task<IResult> RollbackServiceAsync(string name, string service, HttpContext context, StackService stacks, CancellationToken cancellationToken) =>
        Results.Ok(await stacks.RollbackServiceAsync(Caller.Of(context), name, service, cancellationToken));

    private static StackDeployRequest RequestOf(StackBody? body, string? name)
    {
        var files = body?.Files?.Select(f => new StackFile(f.Name ?? string.Empty, f.Text!)).ToList() ?? [];
        if (body?.Compose is { } compose)
        {
            files.Insert(0, new StackFile("compose.yml", compose));
        }

        return new StackDeployRequest
        {
            Name = name ?? body?.Name,
            Collection = body?.Collection,
            Version = body?.Version,
            Description = body?.Description,
            SourceUrl = body?.SourceUrl,
            SourceRevision = body?.SourceRevision,
            Files = files,
            Environment = body?.Environment ?? [],
            SecretVariables = body?.SecretVariables ?? [],
            Attachments = body?.Attachments ?? [],
            Follow = body?.Follow ?? [],
        };
    }

    /// <summary>A deploy's body; <c>compose</c> is a shorthand for one file named <c>compose.yml</c>.</summary>
    internal sealed record StackBody(
        string? Name,
        string? Collection,
        string? Version,
        string? Description,
        string? SourceUrl,
        string? SourceRevision,
        List<FileBody>? Files,
        string? Compose,
        Dictionary<string, string>? Environment,
        List<string>? SecretVariables,
        Dictionary<string, string>? Attachments,
        List<string>? Follow);

    internal sealed record FileBody(string? Name, string? Text);

    internal sealed record RollbackBody(int? Revision);

    internal sealed record RedeployBody(bool? Pull, bool? Force, List<string>? Services);

    internal sealed record AdoptBody(string? Collection);

    internal sealed record ScaleBody(long? Replicas);

    /// <summary>A stack's revisions, newest first.</summary>
    internal sealed record RevisionList(IReadOnlyList<StackRevisionSummaryView> Items);
}

using Dockyard.Server.Audit;
using Dockyard.Server.Control;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/engines</c>: the Docker engines Dockyard manages (system administrators). Engines from configuration are
/// listed with <c>configured: true</c> and cannot be deleted here (409). Changes are authorized and audited by
/// <see cref="EngineService"/>; an unreachable engine is a status in the answer, never an error.
/// </summary>
internal static class EngineEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var engines = api.MapGroup("/engines").WithTags("Engines")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        engines.MapGet("/", ListAsync).WithName("ListEngines").WithSummary("Every engine with its last known status (administrators).");
        engines.MapPost("/", CreateAsync).WithName("CreateEngine").WithSummary("Add an engine: unix:///path, or tcp://host:port with TLS files for a remote one (administrators).");
        engines.MapGet("/{name}", GetAsync).WithName("GetEngine").WithSummary("One engine, probed now: reachable or not (with the reason), version, Swarm node and info (administrators).");
        engines.MapDelete("/{name}", DeleteAsync).WithName("DeleteEngine").WithSummary("Remove an engine added through the API; configured ones are refused (administrators).");
    }

    private static async Task<IResult> ListAsync(HttpContext context, EngineService engines, CancellationToken cancellationToken) =>
        Results.Ok(await engines.ListAsync(Caller.Of(context), cancellationToken));

    private static async Task<IResult> GetAsync(string name, HttpContext context, EngineService engines, CancellationToken cancellationToken) =>
        Results.Ok(await engines.GetAsync(Caller.Of(context), name, cancellationToken));

    private static async Task<IResult> CreateAsync(EngineRequest? request, HttpContext context, EngineService engines, CancellationToken cancellationToken)
    {
        var engine = await engines.CreateAsync(
            Caller.Of(context),
            request is null ? null : new NewEngine(request.Name, request.Endpoint, request.CaFile, request.CertFile, request.KeyFile),
            cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/engines/{engine.Name}", engine);
    }

    private static async Task<IResult> DeleteAsync(string name, HttpContext context, EngineService engines, CancellationToken cancellationToken)
    {
        await engines.DeleteAsync(Caller.Of(context), name, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record EngineRequest(string? Name, string? Endpoint, string? CaFile, string? CertFile, string? KeyFile);
}

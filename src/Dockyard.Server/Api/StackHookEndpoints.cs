using System.Text;
using Dockyard.Server.Audit;
using Dockyard.Server.Control.Stacks.Hooks;

namespace Dockyard.Server.Api;

/// <summary>
/// Redeploy hooks: <c>/api/v1/stacks/{name}/hooks</c> (create — the token is in that answer only —, list, delete;
/// StackDeploy on the stack's collection) and the call itself, <c>POST /hooks/stacks/{name}/{token}</c>, outside the
/// management API: no login, 202 with what will happen, one fixed 404 body for an unknown stack and a wrong token,
/// 429 with Retry-After over the limits. Authorization, limits and audit are <see cref="StackHookService"/>'s.
/// </summary>
internal static partial class StackHookEndpoints
{
    /// <summary>The same bytes for every refused call, so the answer tells nothing about the stack or the token.</summary>
    private const string NotFoundBody = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not Found","status":404,"detail":"No such hook."}""";

    public static void Map(RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/stacks/{name}/hooks").WithTags("Stacks")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        hooks.MapPost("/", CreateAsync).WithName("CreateStackHook")
            .WithSummary("Create a redeploy hook for outside CI: the token and the URL to POST are shown in this answer only (StackDeploy).");
        hooks.MapGet("/", ListAsync).WithName("ListStackHooks").WithSummary("The stack's redeploy hooks: token prefix, creator, created and last used (StackDeploy).");
        hooks.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteStackHook").WithSummary("Delete a redeploy hook; its URL stops working (StackDeploy).");
    }

    /// <summary>Maps <c>POST /hooks/stacks/{name}/{token}</c> (no login).</summary>
    public static void MapCalls(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(StackHookService.CallPrefix + "/{name}/{token}", CallAsync)
            .WithTags("Stacks").WithName("CallStackHook")
            .WithSummary("Redeploy the stack (pull latest, rolling update of changed services) as the hook's creator. No login: the token in the path is the credential. 202, or 404 for an unknown stack or wrong token, 429 over the rate limits.")
            .AllowAnonymous();

    private static async Task<IResult> CreateAsync(string name, HttpContext context, StackHookService hooks, CancellationToken cancellationToken)
    {
        var hook = await hooks.CreateAsync(Caller.Of(context), name, cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/stacks/{name}/hooks/{hook.Id}", hook);
    }

    private static async Task<IResult> ListAsync(string name, HttpContext context, StackHookService hooks, CancellationToken cancellationToken) =>
        Results.Ok(await hooks.ListAsync(Caller.Of(context), name, cancellationToken));

    private static async Task<IResult> DeleteAsync(string name, long id, HttpContext context, StackHookService hooks, CancellationToken cancellationToken)
    {
        await hooks.DeleteAsync(Caller.Of(context), name, id, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> CallAsync(
        string name, string token, HttpContext context, StackHookService hooks, AuditTrail trail, TrustedProxies proxies, ILoggerFactory loggers)
    {
        try
        {
            var address = proxies.ClientAddress(context)?.ToString() ?? "unknown";
            var result = await hooks.CallAsync(name, token, address, trail.ContextOf(context), context.RequestAborted);
            switch (result.Outcome)
            {
                case StackHookCallOutcome.Accepted:
                    return Results.Accepted(value: result.Accepted);
                case StackHookCallOutcome.Limited or StackHookCallOutcome.Busy:
                    context.Response.Headers.RetryAfter = ((int)(result.RetryAfter ?? TimeSpan.FromSeconds(60)).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Problem(
                        statusCode: result.Outcome == StackHookCallOutcome.Limited ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable,
                        detail: result.Outcome == StackHookCallOutcome.Limited ? "Too many hook calls; retry later." : "Too many redeploys waiting; retry later.");
                default:
                    return Results.Text(NotFoundBody, "application/problem+json", Encoding.UTF8, StatusCodes.Status404NotFound);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            // Never a 500 to an unauthenticated caller, and never the path (it holds the token) in the log.
            LogCallFailed(loggers.CreateLogger(typeof(StackHookEndpoints).FullName!), error, error.GetType().Name);
            context.Response.Headers.RetryAfter = "30";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, detail: "The hook could not be checked now; retry later.");
        }
    }

    [LoggerMessage(EventId = 4682, Level = LogLevel.Error, Message = "A redeploy hook call failed ({ErrorType})")]
    private static partial void LogCallFailed(ILogger logger, Exception error, string errorType);
}

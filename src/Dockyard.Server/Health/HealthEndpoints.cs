namespace Dockyard.Server.Health;

/// <summary>
/// <c>/healthz</c> (liveness): the process answers. <c>/readyz</c> (readiness): writes would succeed — 200, or 503
/// with each check and its reason (<see cref="ReadinessProbe"/>).
/// </summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", ReadyAsync);
        return endpoints;
    }

    private static async Task ReadyAsync(HttpContext context)
    {
        var report = await context.RequestServices.GetRequiredService<ReadinessProbe>().GetAsync().WaitAsync(context.RequestAborted);
        var body = report.ToJson();
        context.Response.StatusCode = report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}

namespace Dockyard.Server.Api;

/// <summary>Reading an optional JSON body in catch-all handlers that serve several shapes (and so cannot bind one).</summary>
internal static class ApiJson
{
    /// <summary>The body as <typeparamref name="T"/>, or null when there is none or it is not valid JSON.</summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context)
        where T : class
    {
        if (context.Request.ContentLength is 0 || !context.Request.HasJsonContentType())
        {
            return null;
        }

        try
        {
            return await context.Request.ReadFromJsonAsync<T>(context.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

using Dockyard.Server.Ui.Auth;
using Microsoft.AspNetCore.Antiforgery;

namespace Dockyard.Server.Ui;

/// <summary>Maps the web UI: the components at <c>/</c>, the embedded assets, and sign-out.</summary>
internal static class UiEndpoints
{
    /// <summary>
    /// Same-origin everything; no inline script or style, no framing. The UI needs nothing else, and a Markdown
    /// description that slipped something through the sanitizer still could not run it.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string LogoutPath = "/logout";

    public static WebApplication MapWebUi(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<UiOptions>>().Value.Enabled)
        {
            return app;
        }

        UseNotFoundPage(app);
        app.UseAntiforgery();

        var assets = app.Services.GetRequiredService<UiAssets>();
        app.MapGet(UiAssets.Prefix + "{name}", (HttpContext context, string name) => assets.Serve(context, name))
            .ExcludeFromDescription();
        app.MapPost(LogoutPath, LogoutAsync)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();
        Admin.AdminEndpoints.Map(app);
        Terminal.ContainerTerminalEndpoints.Map(app);
        Pages.Cluster.EventsUiEndpoints.Map(app);
        Pages.SearchUiEndpoints.Map(app);
        ContainerStreams.ContainerStreamUiEndpoints.Map(app);
        Stacks.StackUiEndpoints.Map(app);
        app.MapRazorComponents<App>().Add(endpoint =>
        {
            var render = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = context =>
            {
                SetPageHeaders(context.Response.Headers, context.GetEndpoint()?.Metadata.GetMetadata<Terminal.HostsTerminalAttribute>() is not null);
                return render(context);
            };
        });
        return app;
    }

    /// <summary>
    /// An empty 404 to a GET outside <c>/v2</c>, <c>/api</c> and <c>/auth</c> (an unknown URL, a page that called
    /// <c>NotFound()</c>) is answered with the not-found page, status kept, in the full layout: re-executed as
    /// <see cref="Pages.NotFound.Path"/>, so the browser never shows its own error page. The registry keeps its OCI error
    /// JSON and the API its ProblemDetails; other statuses and methods are left alone.
    /// </summary>
    private static void UseNotFoundPage(WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute(Pages.NotFound.Path, createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            var request = context.Request;
            var mayBePage = HttpMethods.IsGet(request.Method)
                && !request.Path.StartsWithSegments("/v2", StringComparison.OrdinalIgnoreCase)
                && !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                && !request.Path.StartsWithSegments("/auth", StringComparison.OrdinalIgnoreCase);
            if (!mayBePage)
            {
                // Decided before the request runs (every registry request): no page, and no await around it.
                DisablePage(context);
                return next(context);
            }

            return PageOn404Async(context, next);
        });
    }

    private static async Task PageOn404Async(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Response.StatusCode != StatusCodes.Status404NotFound)
        {
            DisablePage(context);
        }
    }

    private static void DisablePage(HttpContext context)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
    }

    private static void SetPageHeaders(IHeaderDictionary headers, bool hostsTerminal)
    {
        // A page that hosts the browser terminal says so with [HostsTerminal]: xterm.js needs inline styles.
        headers.ContentSecurityPolicy = hostsTerminal ? Terminal.TerminalPage.ContentSecurityPolicy : ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";

        // Pages show what the signed-in user may see: never let a shared cache keep them.
        // (Antiforgery insists on exactly this pair and logs a warning whenever it has to set it itself.)
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, UiSession session)
    {
        if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
        {
            return Results.BadRequest();
        }

        await session.SignOutAsync();
        return Results.Redirect("/login");
    }
}

using System.Text.Json.Serialization;
using Dockyard.Server.Access;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Webhooks;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Api;

/// <summary>
/// Webhooks of an organization (<c>/api/v1/orgs/{org}/webhooks</c>; owners and system administrators) and of a
/// repository (<c>/api/v1/repositories/{name}/webhooks</c>; repository administrators): create, list, get, update,
/// delete, <c>…/{id}/deliveries</c> (history) and <c>…/{id}/test</c> (queue a ping). Repository names contain
/// slashes, so the repository routes are catch-alls constrained to paths containing <c>/webhooks</c>
/// (<see cref="WebhookPathConstraint"/>). The secret is returned only when it is set by creation or rotation.
/// </summary>
internal static class WebhookEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var orgs = api.MapGroup("/orgs/{org}/webhooks").WithTags("Webhooks")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedAsync);
        orgs.MapGet("/", (string org, HttpContext context, WebhookService webhooks) =>
                WithOrganizationAsync(context, org, scope => ListAsync(scope, webhooks, context.RequestAborted)))
            .WithName("ListOrganizationWebhooks").WithSummary("Webhooks of an organization (owners).");
        orgs.MapPost("/", (string org, WebhookRequest request, HttpContext context, WebhookService webhooks) =>
                WithOrganizationAsync(context, org, scope => CreateAsync(scope, request, context, webhooks, $"orgs/{org}")))
            .WithName("CreateOrganizationWebhook").WithSummary("Subscribe a URL to events of every repository of the organization (owners). The secret is shown once.");
        orgs.MapGet("/{id:long}", (string org, long id, HttpContext context, WebhookService webhooks) =>
                WithOrganizationAsync(context, org, scope => GetAsync(scope, id, webhooks, context.RequestAborted)))
            .WithName("GetOrganizationWebhook").WithSummary("Get an organization webhook (owners).");
        orgs.MapPatch("/{id:long}", (string org, long id, WebhookRequest request, HttpContext context, WebhookService webhooks) =>
                WithOrganizationAsync(context, org, scope => UpdateAsync(scope, id, request, webhooks, context.RequestAborted)))
            .WithName("UpdateOrganizationWebhook").WithSummary("Change url, events, enabled, description, secret; rotateSecret=true returns a new secret once (owners).");
        orgs.MapDelete("/{id:long}", (string org, long id, HttpContext context, WebhookService webhooks) =>
                WithOrganizationAsync(context, org, scope => DeleteAsync(scope, id, webhooks, context.RequestAborted)))
            .WithName("DeleteOrganizationWebhook").WithSummary("Delete an organization webhook and its delivery history (owners).");
        orgs.MapGet("/{id:long}/deliveries", (string org, long id, int? limit, HttpContext context, WebhookService webhooks) =>
                WithOrganizationAsync(context, org, scope => DeliveriesAsync(scope, id, limit, webhooks, context.RequestAborted)))
            .WithName("ListOrganizationWebhookDeliveries").WithSummary("Recent deliveries, newest first, with every attempt (owners).");
        orgs.MapPost("/{id:long}/test", (string org, long id, HttpContext context, WebhookService webhooks) =>
                WithOrganizationAsync(context, org, scope => PingAsync(scope, id, context, webhooks)))
            .WithName("TestOrganizationWebhook").WithSummary("Queue a ping delivery (owners).");

        // OpenAPI keys operations by path and method, and these share /repositories/{path} with the repository
        // endpoints: they are left out of the document (which would otherwise lose GetRepository and friends).
        var repositories = api.MapGroup("/repositories").WithTags("Webhooks")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedAsync);
        const string Path = "/{**path:" + WebhookPathConstraint.Name + "}";
        repositories.MapGet(Path, RepositoryGetAsync).WithName("GetRepositoryWebhooks").ExcludeFromDescription()
            .WithSummary("{name}/webhooks: list; {name}/webhooks/{id}: get; {name}/webhooks/{id}/deliveries: delivery history (repository administrators).");
        repositories.MapPost(Path, RepositoryPostAsync).WithName("CreateRepositoryWebhook").ExcludeFromDescription()
            .WithSummary("{name}/webhooks: subscribe a URL to the repository's events (secret shown once); {name}/webhooks/{id}/test: queue a ping (repository administrators).");
        repositories.MapPatch(Path, RepositoryPatchAsync).WithName("UpdateRepositoryWebhook").ExcludeFromDescription()
            .WithSummary("{name}/webhooks/{id}: change url, events, enabled, description, secret (repository administrators).");
        repositories.MapDelete(Path, RepositoryDeleteAsync).WithName("DeleteRepositoryWebhook").ExcludeFromDescription()
            .WithSummary("{name}/webhooks/{id}: delete a repository webhook (repository administrators).");
    }

    private static Task<IResult> RepositoryGetAsync(string path, int? limit, HttpContext context, WebhookService webhooks) =>
        WithRepositoryAsync(context, path, (scope, id, action) => (id, action) switch
        {
            (null, null) => ListAsync(scope, webhooks, context.RequestAborted),
            ({ } webhook, null) => GetAsync(scope, webhook, webhooks, context.RequestAborted),
            ({ } webhook, "deliveries") => DeliveriesAsync(scope, webhook, limit, webhooks, context.RequestAborted),
            _ => Task.FromResult(NoSuchResource(path)),
        });

    private static Task<IResult> RepositoryPostAsync(string path, HttpContext context, WebhookService webhooks) =>
        WithRepositoryAsync(context, path, async (scope, id, action) => (id, action) switch
        {
            (null, null) => await CreateAsync(scope, await ReadAsync(context), context, webhooks, $"repositories/{scope.Repository}"),
            ({ } webhook, "test") => await PingAsync(scope, webhook, context, webhooks),
            _ => NoSuchResource(path),
        });

    private static Task<IResult> RepositoryPatchAsync(string path, HttpContext context, WebhookService webhooks) =>
        WithRepositoryAsync(context, path, async (scope, id, action) => (id, action) switch
        {
            ({ } webhook, null) => await UpdateAsync(scope, webhook, await ReadAsync(context), webhooks, context.RequestAborted),
            _ => NoSuchResource(path),
        });

    private static Task<IResult> RepositoryDeleteAsync(string path, HttpContext context, WebhookService webhooks) =>
        WithRepositoryAsync(context, path, (scope, id, action) => (id, action) switch
        {
            ({ } webhook, null) => DeleteAsync(scope, webhook, webhooks, context.RequestAborted),
            _ => Task.FromResult(NoSuchResource(path)),
        });

    private static async Task<IResult> WithOrganizationAsync(HttpContext context, string org, Func<WebhookScope, Task<IResult>> handle)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: true);
        return denied ?? await handle(WebhookScope.ForOrganization(organization!.Id, organization.Name));
    }

    private static async Task<IResult> WithRepositoryAsync(HttpContext context, string path, Func<WebhookScope, long?, string?, Task<IResult>> handle)
    {
        if (!WebhookPathConstraint.TryParse(path, out var parsed))
        {
            return NoSuchResource(path);
        }

        var (repository, denied) = await ApiAccess.RepositoryAsync(context, parsed.Repository, administer: true);
        return denied ?? await handle(WebhookScope.ForRepository(repository!.Name), parsed.Id, parsed.Action);
    }

    private static async Task<IResult> ListAsync(WebhookScope scope, WebhookService webhooks, CancellationToken cancellationToken) =>
        Results.Ok((await webhooks.ListAsync(scope, cancellationToken)).Select(w => WebhookResponse.From(w, scope, null)));

    private static async Task<IResult> GetAsync(WebhookScope scope, long id, WebhookService webhooks, CancellationToken cancellationToken) =>
        Results.Ok(WebhookResponse.From(await webhooks.GetAsync(scope, id, cancellationToken), scope, null));

    private static async Task<IResult> CreateAsync(WebhookScope scope, WebhookRequest? request, HttpContext context, WebhookService webhooks, string location)
    {
        if (request is null)
        {
            return ApiResults.Invalid("request", "Send a JSON body.");
        }

        var (webhook, secret) = await webhooks.CreateAsync(scope, request.ToSettings(), context.GetPrincipal().Name, context.RequestAborted);
        return Results.Created($"{ManagementApi.Prefix}/{location}/webhooks/{webhook.Id}", WebhookResponse.From(webhook, scope, secret));
    }

    private static async Task<IResult> UpdateAsync(WebhookScope scope, long id, WebhookRequest? request, WebhookService webhooks, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return ApiResults.Invalid("request", "Send a JSON body.");
        }

        var (webhook, secret) = await webhooks.UpdateAsync(scope, id, request.ToSettings(), request.RotateSecret == true, cancellationToken);
        return Results.Ok(WebhookResponse.From(webhook, scope, secret));
    }

    private static async Task<IResult> DeleteAsync(WebhookScope scope, long id, WebhookService webhooks, CancellationToken cancellationToken)
    {
        await webhooks.DeleteAsync(scope, id, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> DeliveriesAsync(WebhookScope scope, long id, int? limit, WebhookService webhooks, CancellationToken cancellationToken) =>
        Results.Ok((await webhooks.ListDeliveriesAsync(scope, id, limit ?? 50, cancellationToken)).Select(DeliveryResponse.From));

    private static async Task<IResult> PingAsync(WebhookScope scope, long id, HttpContext context, WebhookService webhooks)
    {
        var host = context.RequestServices.GetRequiredService<IOptions<WebhookOptions>>().Value.RegistryHost ?? context.Request.Host.Value;
        var delivery = await webhooks.PingAsync(scope, id, host, context.RequestAborted);
        return Results.Accepted(value: DeliveryResponse.From(delivery));
    }

    /// <summary>The catch-all handlers serve several shapes, so they read the optional body themselves.</summary>
    private static async Task<WebhookRequest?> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentLength is 0 || !context.Request.HasJsonContentType())
        {
            return null;
        }

        try
        {
            return await context.Request.ReadFromJsonAsync<WebhookRequest>(context.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static IResult NoSuchResource(string path) =>
        ApiResults.NotFound($"No such resource: '{path}'. Use {{repository}}/webhooks, {{repository}}/webhooks/{{id}}, {{repository}}/webhooks/{{id}}/deliveries or {{repository}}/webhooks/{{id}}/test.");

    internal sealed record WebhookRequest(string? Url, string? Secret, string[]? Events, bool? Enabled, string? Description, bool? RotateSecret)
    {
        public WebhookSettings ToSettings() => new(Url, Secret, Events, Enabled, Description);
    }

    internal sealed record WebhookResponse(
        long Id,
        string? Organization,
        string? Repository,
        string Url,
        IReadOnlyList<string> Events,
        bool Enabled,
        string? Description,
        string? CreatedBy,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret)
    {
        public static WebhookResponse From(WebhookEntity webhook, WebhookScope scope, string? secret) => new(
            webhook.Id,
            scope.OrganizationName,
            webhook.Repository,
            webhook.Url,
            WebhookEventNames.ToNames((WebhookEventKinds)webhook.Events),
            webhook.Enabled,
            webhook.Description,
            webhook.CreatedBy,
            webhook.CreatedAt,
            webhook.UpdatedAt,
            secret);
    }

    internal sealed record DeliveryResponse(
        string Id,
        string EventId,
        string Event,
        string Status,
        int Attempts,
        int? LastStatusCode,
        string? LastError,
        int? LastDurationMs,
        DateTimeOffset CreatedAt,
        DateTimeOffset? NextAttemptAt,
        DateTimeOffset? CompletedAt,
        IReadOnlyList<WebhookAttempt> History)
    {
        public static DeliveryResponse From(WebhookDeliveryEntity delivery) => new(
            delivery.DeliveryId,
            delivery.EventId,
            delivery.EventType,
            delivery.Status,
            delivery.Attempts,
            delivery.LastStatusCode,
            delivery.LastError,
            delivery.LastDurationMs,
            delivery.CreatedAt,
            delivery.NextAttemptAt,
            delivery.CompletedAt,
            System.Text.Json.JsonSerializer.Deserialize<List<WebhookAttempt>>(delivery.AttemptsJson, WebhookJson.Options) ?? []);
    }
}

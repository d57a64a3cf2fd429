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
/// slashes, so the repository routes are catch-alls constrained to these shapes (<see cref="RepositoryPathConstraint"/>). The secret is returned only when it is set by creation or rotation.
/// </summary>
internal static class WebhookEndpoints
{
    private const string Collection = "webhooks";
    private const string Item = "webhooks/" + RepositoryPath.IdSegment;
    private const string Deliveries = Item + "/deliveries";
    private const string Test = Item + "/test";

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

        var repositories = api.MapGroup("/repositories").WithTags("Webhooks")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedAsync);
        repositories.MapGet(RepositoryPathConstraint.Route(Collection), (string path, HttpContext context, WebhookService webhooks) =>
                WithRepositoryAsync(context, path, Collection, (scope, _) => ListAsync(scope, webhooks, context.RequestAborted)))
            .WithName("ListRepositoryWebhooks").WithSummary("Webhooks of a repository (repository administrators).");
        repositories.MapPost(RepositoryPathConstraint.Route(Collection), (string path, HttpContext context, WebhookService webhooks) =>
                WithRepositoryAsync(context, path, Collection, async (scope, _) => await CreateAsync(scope, await ReadAsync(context), context, webhooks, $"repositories/{scope.Repository}")))
            .WithName("CreateRepositoryWebhook").WithSummary("Subscribe a URL to the repository's events; the secret is shown once (repository administrators).");
        repositories.MapGet(RepositoryPathConstraint.Route(Item), (string path, HttpContext context, WebhookService webhooks) =>
                WithRepositoryAsync(context, path, Item, (scope, id) => GetAsync(scope, id, webhooks, context.RequestAborted)))
            .WithName("GetRepositoryWebhook").WithSummary("Get a repository webhook (repository administrators).");
        repositories.MapPatch(RepositoryPathConstraint.Route(Item), (string path, HttpContext context, WebhookService webhooks) =>
                WithRepositoryAsync(context, path, Item, async (scope, id) => await UpdateAsync(scope, id, await ReadAsync(context), webhooks, context.RequestAborted)))
            .WithName("UpdateRepositoryWebhook").WithSummary("Change url, events, enabled, description, secret; rotateSecret=true returns a new secret once (repository administrators).");
        repositories.MapDelete(RepositoryPathConstraint.Route(Item), (string path, HttpContext context, WebhookService webhooks) =>
                WithRepositoryAsync(context, path, Item, (scope, id) => DeleteAsync(scope, id, webhooks, context.RequestAborted)))
            .WithName("DeleteRepositoryWebhook").WithSummary("Delete a repository webhook and its delivery history (repository administrators).");
        repositories.MapGet(RepositoryPathConstraint.Route(Deliveries), (string path, int? limit, HttpContext context, WebhookService webhooks) =>
                WithRepositoryAsync(context, path, Deliveries, (scope, id) => DeliveriesAsync(scope, id, limit, webhooks, context.RequestAborted)))
            .WithName("ListRepositoryWebhookDeliveries").WithSummary("Recent deliveries, newest first, with every attempt (repository administrators).");
        repositories.MapPost(RepositoryPathConstraint.Route(Test), (string path, HttpContext context, WebhookService webhooks) =>
                WithRepositoryAsync(context, path, Test, (scope, id) => PingAsync(scope, id, context, webhooks)))
            .WithName("TestRepositoryWebhook").WithSummary("Queue a ping delivery (repository administrators).");
    }

    private static async Task<IResult> WithOrganizationAsync(HttpContext context, string org, Func<WebhookScope, Task<IResult>> handle)
    {
        var (organization, denied) = await ApiAccess.OrganizationAsync(context, org, manage: true);
        return denied ?? await handle(WebhookScope.ForOrganization(organization!.Id, organization.Name));
    }

    /// <summary>Runs <paramref name="handle"/> with the repository's scope and the webhook id (0 for the collection).</summary>
    private static async Task<IResult> WithRepositoryAsync(HttpContext context, string path, string shape, Func<WebhookScope, long, Task<IResult>> handle)
    {
        // The route constraint matched this shape, so the path parses.
        RepositoryPath.TryParse(path, shape, out var parsed);
        var (repository, denied) = await ApiAccess.RepositoryAsync(context, parsed.Repository.Value, administer: true);
        return denied ?? await handle(WebhookScope.ForRepository(repository!.Name), parsed.Id ?? 0);
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
        var host = context.RequestServices.GetRequiredService<IOptions<WebhookOptions>>().Value.RegistryHost
            ?? context.RequestServices.GetRequiredService<Addressing.PublicUrl>().Authority;
        var delivery = await webhooks.PingAsync(scope, id, host, context.RequestAborted);
        return Results.Accepted(value: DeliveryResponse.From(delivery));
    }

    /// <summary>The repository handlers read the body themselves: a missing or malformed one is a validation problem.</summary>
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

using System.Text.Json.Serialization;
using Dockyard.Server.Audit;
using Dockyard.Server.Webhooks;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Api;

/// <summary>
/// Webhooks of an organization (<c>/api/v1/orgs/{org}/webhooks</c>; owners and system administrators) and of a
/// repository (<c>/api/v1/repositories/{name}/webhooks</c>; repository administrators): create, list, get, update,
/// delete, <c>…/{id}/deliveries</c> (history) and <c>…/{id}/test</c> (queue a ping). Changes are authorized and
/// audited by <see cref="WebhookService"/> (an anonymous change too: it is refused there with 401 and recorded). Repository names contain
/// slashes, so the repository routes are catch-alls constrained to these shapes (<see cref="RepositoryPathConstraint"/>). The secret is returned only when it is set by creation or rotation.
/// </summary>
internal static class WebhookEndpoints
{
    private const string Collection = "webhooks";
    private const string Item = "webhooks/" + RepositoryPath.IdSegment;
    private const string Deliveries = Item + "/deliveries";
    private const string Test = Item + "/test";
    private const string Redeliver = Item + "/redeliver";

    public static void Map(RouteGroupBuilder api)
    {
        var orgs = api.MapGroup("/orgs/{org}/webhooks").WithTags("Webhooks")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        orgs.MapGet("/", (string org, HttpContext context, WebhookService webhooks) =>
                WithOrganizationAsync(context, org, scope => ListAsync(scope, webhooks, context.RequestAborted)))
            .WithName("ListOrganizationWebhooks").WithSummary("Webhooks of an organization (owners).");
        orgs.MapPost("/", (string org, WebhookRequest request, HttpContext context, WebhookService webhooks) =>
                CreateAsync(WebhookTarget.ForOrganization(org), request, context, webhooks))
            .WithName("CreateOrganizationWebhook").WithSummary("Subscribe a URL to events of every repository of the organization (owners). The secret is shown once.");
        orgs.MapGet("/{id:long}", (string org, long id, HttpContext context, WebhookService webhooks) =>
                WithOrganizationAsync(context, org, scope => GetAsync(scope, id, webhooks, context.RequestAborted)))
            .WithName("GetOrganizationWebhook").WithSummary("Get an organization webhook (owners).");
        orgs.MapPatch("/{id:long}", (string org, long id, WebhookRequest request, HttpContext context, WebhookService webhooks) =>
                UpdateAsync(WebhookTarget.ForOrganization(org), id, request, context, webhooks))
            .WithName("UpdateOrganizationWebhook").WithSummary("Change url, events, enabled, description, secret; rotateSecret=true returns a new secret once (owners).");
        orgs.MapDelete("/{id:long}", (string org, long id, HttpContext context, WebhookService webhooks) =>
                DeleteAsync(WebhookTarget.ForOrganization(org), id, context, webhooks))
            .WithName("DeleteOrganizationWebhook").WithSummary("Delete an organization webhook and its delivery history (owners).");
        orgs.MapGet("/{id:long}/deliveries", (string org, long id, int? limit, HttpContext context, WebhookService webhooks) =>
                WithOrganizationAsync(context, org, scope => DeliveriesAsync(scope, id, limit, webhooks, context.RequestAborted)))
            .WithName("ListOrganizationWebhookDeliveries").WithSummary("Recent deliveries, newest first, with every attempt (owners).");
        orgs.MapPost("/{id:long}/test", (string org, long id, HttpContext context, WebhookService webhooks) =>
                PingAsync(WebhookTarget.ForOrganization(org), id, context, webhooks))
            .WithName("TestOrganizationWebhook").WithSummary("Queue a ping delivery (owners).");
        orgs.MapPost("/{id:long}/redeliver", (string org, long id, RedeliverRequest? request, HttpContext context, WebhookService webhooks) =>
                RedeliverAsync(WebhookTarget.ForOrganization(org), id, request, context, webhooks))
            .WithName("RedeliverOrganizationWebhookDelivery").WithSummary("Queue a new delivery of a finished delivery's payload, {\"delivery\": id} (owners).");

        var repositories = api.MapGroup("/repositories").WithTags("Webhooks")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        repositories.MapGet(RepositoryPathConstraint.Route(Collection), (string path, HttpContext context, WebhookService webhooks) =>
                WithRepositoryAsync(context, path, Collection, (scope, _) => ListAsync(scope, webhooks, context.RequestAborted)))
            .WithName("ListRepositoryWebhooks").WithSummary("Webhooks of a repository (repository administrators).");
        repositories.MapPost(RepositoryPathConstraint.Route(Collection), async (string path, HttpContext context, WebhookService webhooks) =>
                await CreateAsync(RepositoryTarget(path, Collection).Target, await ReadAsync(context), context, webhooks))
            .WithName("CreateRepositoryWebhook").WithSummary("Subscribe a URL to the repository's events; the secret is shown once (repository administrators).");
        repositories.MapGet(RepositoryPathConstraint.Route(Item), (string path, HttpContext context, WebhookService webhooks) =>
                WithRepositoryAsync(context, path, Item, (scope, id) => GetAsync(scope, id, webhooks, context.RequestAborted)))
            .WithName("GetRepositoryWebhook").WithSummary("Get a repository webhook (repository administrators).");
        repositories.MapPatch(RepositoryPathConstraint.Route(Item), async (string path, HttpContext context, WebhookService webhooks) =>
            {
                var (target, id) = RepositoryTarget(path, Item);
                return await UpdateAsync(target, id, await ReadAsync(context), context, webhooks);
            })
            .WithName("UpdateRepositoryWebhook").WithSummary("Change url, events, enabled, description, secret; rotateSecret=true returns a new secret once (repository administrators).");
        repositories.MapDelete(RepositoryPathConstraint.Route(Item), (string path, HttpContext context, WebhookService webhooks) =>
            {
                var (target, id) = RepositoryTarget(path, Item);
                return DeleteAsync(target, id, context, webhooks);
            })
            .WithName("DeleteRepositoryWebhook").WithSummary("Delete a repository webhook and its delivery history (repository administrators).");
        repositories.MapGet(RepositoryPathConstraint.Route(Deliveries), (string path, int? limit, HttpContext context, WebhookService webhooks) =>
                WithRepositoryAsync(context, path, Deliveries, (scope, id) => DeliveriesAsync(scope, id, limit, webhooks, context.RequestAborted)))
            .WithName("ListRepositoryWebhookDeliveries").WithSummary("Recent deliveries, newest first, with every attempt (repository administrators).");
        repositories.MapPost(RepositoryPathConstraint.Route(Test), (string path, HttpContext context, WebhookService webhooks) =>
            {
                var (target, id) = RepositoryTarget(path, Test);
                return PingAsync(target, id, context, webhooks);
            })
            .WithName("TestRepositoryWebhook").WithSummary("Queue a ping delivery (repository administrators).");
        repositories.MapPost(RepositoryPathConstraint.Route(Redeliver), async (string path, HttpContext context, WebhookService webhooks) =>
            {
                var (target, id) = RepositoryTarget(path, Redeliver);
                return await RedeliverAsync(target, id, await ReadAsync<RedeliverRequest>(context), context, webhooks);
            })
            .WithName("RedeliverRepositoryWebhookDelivery").WithSummary("Queue a new delivery of a finished delivery's payload, {\"delivery\": id} (repository administrators).");
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

    /// <summary>The repository a change names and the webhook id (0 for the collection); the service authorizes it.</summary>
    private static (WebhookTarget Target, long Id) RepositoryTarget(string path, string shape)
    {
        // The route constraint matched this shape, so the path parses.
        RepositoryPath.TryParse(path, shape, out var parsed);
        return (WebhookTarget.ForRepository(parsed.Repository.Value), parsed.Id ?? 0);
    }

    private static async Task<IResult> ListAsync(WebhookScope scope, WebhookService webhooks, CancellationToken cancellationToken) =>
        Results.Ok((await webhooks.ListAsync(scope, cancellationToken)).Select(w => WebhookResponse.From(w, null)));

    private static async Task<IResult> GetAsync(WebhookScope scope, long id, WebhookService webhooks, CancellationToken cancellationToken) =>
        Results.Ok(WebhookResponse.From(await webhooks.GetAsync(scope, id, cancellationToken), null));

    private static async Task<IResult> CreateAsync(WebhookTarget target, WebhookRequest? request, HttpContext context, WebhookService webhooks)
    {
        var (webhook, secret) = await webhooks.CreateAsync(Caller.Of(context), target, request?.ToSettings(), context.RequestAborted);
        return Results.Created($"{ManagementApi.Prefix}/{target.Resource}/{webhook.Id}", WebhookResponse.From(webhook, secret));
    }

    private static async Task<IResult> UpdateAsync(WebhookTarget target, long id, WebhookRequest? request, HttpContext context, WebhookService webhooks)
    {
        var (webhook, secret) = await webhooks.UpdateAsync(Caller.Of(context), target, id, request?.ToSettings(), request?.RotateSecret == true, context.RequestAborted);
        return Results.Ok(WebhookResponse.From(webhook, secret));
    }

    private static async Task<IResult> DeleteAsync(WebhookTarget target, long id, HttpContext context, WebhookService webhooks)
    {
        await webhooks.DeleteAsync(Caller.Of(context), target, id, context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> DeliveriesAsync(WebhookScope scope, long id, int? limit, WebhookService webhooks, CancellationToken cancellationToken) =>
        Results.Ok(await webhooks.ListDeliveriesAsync(scope, id, limit ?? 50, cancellationToken));

    private static async Task<IResult> PingAsync(WebhookTarget target, long id, HttpContext context, WebhookService webhooks)
    {
        var host = context.RequestServices.GetRequiredService<IOptions<WebhookOptions>>().Value.RegistryHost
            ?? context.RequestServices.GetRequiredService<Addressing.PublicUrl>().Authority;
        return Results.Accepted(value: await webhooks.PingAsync(Caller.Of(context), target, id, host, context.RequestAborted));
    }

    private static async Task<IResult> RedeliverAsync(WebhookTarget target, long id, RedeliverRequest? request, HttpContext context, WebhookService webhooks)
    {
        var redelivery = await webhooks.RedeliverAsync(Caller.Of(context), target, id, request?.Delivery ?? string.Empty, context.RequestAborted);
        return Results.Accepted(value: redelivery);
    }

    /// <summary>The repository handlers read the body themselves: a missing or malformed one is a validation problem.</summary>
    private static Task<WebhookRequest?> ReadAsync(HttpContext context) => ReadAsync<WebhookRequest>(context);

    private static async Task<T?> ReadAsync<T>(HttpContext context)
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

    /// <summary>The body of a redelivery: the <c>id</c> of the delivery to send again.</summary>
    internal sealed record RedeliverRequest(string? Delivery);

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
        public static WebhookResponse From(WebhookView webhook, string? secret) => new(
            webhook.Id,
            webhook.Organization,
            webhook.Repository,
            webhook.Url,
            webhook.Events,
            webhook.Enabled,
            webhook.Description,
            webhook.CreatedBy,
            webhook.CreatedAt,
            webhook.UpdatedAt,
            secret);
    }
}

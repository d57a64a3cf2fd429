using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Errors;
using Dockyard.Server.Protection;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Webhooks;

/// <summary>
/// Webhook management. Changes (create, update, delete, ping) take the <see cref="Caller"/>, are authorized here
/// (organization owners and system administrators; repository administrators) and recorded here
/// (<see cref="AuditedOperations"/>; the URL and the secret never reach the details), whoever calls: the API, the UI.
/// Reads take a scope the caller was already authorized for. Validation failures and unknown ids are
/// <see cref="DomainException"/>s (400 / 404 in the API). Every change invalidates the subscription cache. Callers get
/// view models (<see cref="WebhookView"/>, <see cref="WebhookDeliveryView"/>), never the stored rows.
/// </summary>
internal sealed class WebhookService(
    IDbContextFactory<DockyardDbContext> contexts,
    WebhookSubscriptions subscriptions,
    WebhookDeliveryWorker worker,
    WebhookDestinationPolicy destinations,
    TimeProvider time,
    OrganizationAccessRules organizations,
    RepositoryAdministrationRules repositories,
    AuditedOperations audited,
    SecretProtector protector)
{
    public const int MaxDescriptionLength = 500;
    public const int MinSecretLength = 16;
    // In UTF-8 bytes: the secret is stored sealed (SecretProtector), and sealed up to 152 bytes fit the 256-character column.
    public const int MaxSecretLength = 128;
    public const int MaxUrlLength = 2048;

    private const string NoBody = "Send a JSON body.";

    public async Task<IReadOnlyList<WebhookView>> ListAsync(WebhookScope scope, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return [.. (await InScope(db, scope).AsNoTracking().OrderBy(w => w.Id).ToListAsync(cancellationToken)).Select(w => WebhookView.From(w, scope))];
    }

    public async Task<WebhookView> GetAsync(WebhookScope scope, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return WebhookView.From(await FindAsync(db, scope, id, cancellationToken), scope);
    }

    /// <summary>
    /// Creates a webhook of <paramref name="target"/>; returns it with its secret (generated when none was given), which
    /// is never shown again. Null <paramref name="settings"/> (no request body) is invalid once the caller is authorized.
    /// </summary>
    public async Task<(WebhookView Webhook, string Secret)> CreateAsync(Caller caller, WebhookTarget target, WebhookSettings? settings, CancellationToken cancellationToken)
    {
        WebhookScope? scope = null;
        var (webhook, secret) = await audited.RunAsync(
            caller,
            target.Action(AuditActions.WebhookCreate).WithFields(("events", settings?.Events), ("enabled", settings?.Enabled), ("description", settings?.Description)),
            async token =>
            {
                (scope, var decision) = await AuthorizeAsync(caller, target, token);
                return decision;
            },
            token => CreateAsync(scope!, settings ?? throw DomainException.Invalid("request", NoBody), caller.Principal.Name, token),
            cancellationToken,
            resourceOf: created => $"{target.Resource}/{created.Webhook.Id}");
        return (WebhookView.From(webhook, scope!), secret);
    }

    /// <summary>Changes the given fields. With <paramref name="rotateSecret"/> a new secret is generated and returned (once).</summary>
    public async Task<(WebhookView Webhook, string? Secret)> UpdateAsync(
        Caller caller, WebhookTarget target, long id, WebhookSettings? settings, bool rotateSecret, CancellationToken cancellationToken)
    {
        WebhookScope? scope = null;
        var (webhook, secret) = await audited.RunAsync(
            caller,
            target.Action(AuditActions.WebhookUpdate, Id(id)).WithFields(
                ("events", settings?.Events), ("enabled", settings?.Enabled), ("description", settings?.Description), ("rotateSecret", rotateSecret ? true : null)),
            async token =>
            {
                (scope, var decision) = await AuthorizeAsync(caller, target, token);
                return decision;
            },
            token => UpdateAsync(scope!, id, settings ?? throw DomainException.Invalid("request", NoBody), rotateSecret, token),
            cancellationToken);
        return (WebhookView.From(webhook, scope!), secret);
    }

    /// <summary>Deletes the webhook and its delivery history.</summary>
    public async Task DeleteAsync(Caller caller, WebhookTarget target, long id, CancellationToken cancellationToken)
    {
        WebhookScope? scope = null;
        await audited.RunAsync(
            caller,
            target.Action(AuditActions.WebhookDelete, Id(id)),
            async token =>
            {
                (scope, var decision) = await AuthorizeAsync(caller, target, token);
                return decision;
            },
            token => DeleteAsync(scope!, id, token),
            cancellationToken);
    }

    /// <summary>Queues a <c>ping</c> delivery (sent by the worker like any other, also when the webhook is disabled).</summary>
    public async Task<WebhookDeliveryView> PingAsync(Caller caller, WebhookTarget target, long id, string? registryHost, CancellationToken cancellationToken)
    {
        WebhookScope? scope = null;
        var delivery = await audited.RunAsync(
            caller,
            target.Action(AuditActions.WebhookTest, Id(id) + "/test"),
            async token =>
            {
                (scope, var decision) = await AuthorizeAsync(caller, target, token);
                return decision;
            },
            token => PingAsync(scope!, id, registryHost, token),
            cancellationToken);
        return WebhookDeliveryView.From(delivery);
    }

    /// <summary>
    /// Queues a manual redelivery of delivery <paramref name="deliveryId"/>: a new delivery (its own
    /// <c>X-Dockyard-Delivery</c>) of the same payload, whose <c>id</c> lets receivers recognise the event. Refused
    /// (409) while the original is still being delivered or the webhook is disabled.
    /// </summary>
    public async Task<WebhookDeliveryView> RedeliverAsync(Caller caller, WebhookTarget target, long id, string deliveryId, CancellationToken cancellationToken)
    {
        WebhookScope? scope = null;
        var (delivery, original) = await audited.RunAsync(
            caller,
            target.Action(AuditActions.WebhookRedeliver, $"{Id(id)}/deliveries/{deliveryId}"),
            async token =>
            {
                (scope, var decision) = await AuthorizeAsync(caller, target, token);
                return decision;
            },
            token => RedeliverAsync(scope!, id, deliveryId, token),
            cancellationToken);
        return WebhookDeliveryView.From(delivery, original);
    }

    /// <summary>The webhook's deliveries, newest first.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryView>> ListDeliveriesAsync(WebhookScope scope, long id, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 200)
        {
            throw DomainException.Invalid("limit", "Use 1 to 200.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await FindAsync(db, scope, id, cancellationToken);
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id)
            .OrderByDescending(d => d.Id).Take(limit).ToListAsync(cancellationToken);

        // An event reaches a webhook once (its delivery id derives from the event), so a second delivery of the same
        // event is a redelivery of the first one.
        var events = deliveries.Select(d => d.EventId).Distinct().ToList();
        var first = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id && events.Contains(d.EventId))
            .GroupBy(d => d.EventId).Select(g => g.OrderBy(d => d.Id).Select(d => new { d.EventId, d.Id, d.DeliveryId }).First())
            .ToDictionaryAsync(d => d.EventId, cancellationToken);
        return [.. deliveries.Select(d => WebhookDeliveryView.From(d, first.TryGetValue(d.EventId, out var original) && original.Id != d.Id ? original.DeliveryId : null))];
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The scope of <paramref name="target"/> and whether the caller may manage its webhooks: organization owners and
    /// system administrators; repository administrators. Not even seeing it is a refusal as not found.
    /// </summary>
    private async Task<(WebhookScope Scope, AccessDecision Decision)> AuthorizeAsync(Caller caller, WebhookTarget target, CancellationToken cancellationToken)
    {
        if (target.Repository is { } repository)
        {
            return (WebhookScope.ForRepository(repository), await repositories.AdministerAsync(caller.Principal, repository, cancellationToken));
        }

        var (organizationId, decision) = await organizations.ManageWebhooksAsync(caller.Principal, target.Organization!, cancellationToken);
        return (WebhookScope.ForOrganization(organizationId, target.Organization!), decision);
    }

    private async Task<(WebhookEntity Webhook, string Secret)> CreateAsync(WebhookScope scope, WebhookSettings settings, string createdBy, CancellationToken cancellationToken)
    {
        var secret = settings.Secret is null ? WebhookSignature.NewSecret() : ValidSecret(settings.Secret);
        var now = time.GetUtcNow();
        var webhook = new WebhookEntity
        {
            OrganizationId = scope.OrganizationId,
            Repository = scope.Repository,
            Url = ValidUrl(settings.Url ?? throw DomainException.Invalid("url", "A URL is required.")),
            Secret = protector.Protect(secret),
            Events = (int)(settings.Events is null ? WebhookEventNames.Default : ValidEvents(settings.Events)),
            Enabled = settings.Enabled ?? true,
            Description = ValidDescription(settings.Description),
            CreatedBy = createdBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Webhooks.Add(webhook);
        await db.SaveChangesAsync(cancellationToken);
        subscriptions.Invalidate();
        return (webhook, secret);
    }

    private async Task<(WebhookEntity Webhook, string? Secret)> UpdateAsync(WebhookScope scope, long id, WebhookSettings settings, bool rotateSecret, CancellationToken cancellationToken)
    {
        if (rotateSecret && settings.Secret is not null)
        {
            throw DomainException.Invalid("secret", "Give a secret or ask for a new one (rotateSecret), not both.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var webhook = await FindAsync(db, scope, id, cancellationToken, track: true);
        if (settings.Url is not null)
        {
            webhook.Url = ValidUrl(settings.Url);
        }

        if (settings.Events is not null)
        {
            webhook.Events = (int)ValidEvents(settings.Events);
        }

        if (settings.Enabled is { } enabled)
        {
            webhook.Enabled = enabled;
        }

        if (settings.Description is not null)
        {
            webhook.Description = ValidDescription(settings.Description);
        }

        string? newSecret = rotateSecret ? WebhookSignature.NewSecret() : null;
        if ((newSecret ?? settings.Secret) is { } secret)
        {
            webhook.Secret = protector.Protect(ValidSecret(secret));
        }

        webhook.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        subscriptions.Invalidate();
        return (webhook, newSecret);
    }

    private async Task DeleteAsync(WebhookScope scope, long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var webhook = await FindAsync(db, scope, id, cancellationToken, track: true);
        db.Webhooks.Remove(webhook);
        await db.SaveChangesAsync(cancellationToken);
        subscriptions.Invalidate();
    }

    private async Task<WebhookDeliveryEntity> PingAsync(WebhookScope scope, long id, string? registryHost, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var webhook = await FindAsync(db, scope, id, cancellationToken);
        var now = time.GetUtcNow();
        var payload = new WebhookPayload
        {
            Id = Guid.NewGuid().ToString(),
            Type = WebhookEventNames.Ping,
            Timestamp = now,
            Registry = registryHost,
            Repository = webhook.Repository,
            Organization = scope.OrganizationName,
            WebhookId = webhook.Id,
        };
        var delivery = WebhookEventConsumer.NewDelivery(webhook.Id, payload, now);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        worker.Wake();
        return delivery;
    }

    private async Task<(WebhookDeliveryEntity Delivery, string Original)> RedeliverAsync(WebhookScope scope, long id, string deliveryId, CancellationToken cancellationToken)
    {
        if (deliveryId.Length == 0)
        {
            throw DomainException.Invalid("delivery", "Name the delivery to send again: {\"delivery\": \"<its id>\"}.");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var webhook = await FindAsync(db, scope, id, cancellationToken);
        var original = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.WebhookId == id && d.DeliveryId == deliveryId, cancellationToken)
            ?? throw DomainException.NotFound($"Webhook {Id(id)} has no delivery '{deliveryId}'.");
        if (original.Status == WebhookDeliveryStatus.Pending)
        {
            throw DomainException.Conflict("This delivery is still being attempted; redeliver it once it has succeeded or failed.");
        }

        if (!webhook.Enabled)
        {
            throw DomainException.Conflict("The webhook is disabled; enable it to redeliver.");
        }

        var now = time.GetUtcNow();
        var delivery = new WebhookDeliveryEntity
        {
            DeliveryId = Guid.NewGuid().ToString(),
            WebhookId = id,
            EventId = original.EventId,
            EventType = original.EventType,
            Payload = original.Payload,
            Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        worker.Wake();

        // The first delivery of the event, which the original may itself have redelivered.
        var first = await db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookId == id && d.EventId == original.EventId)
            .OrderBy(d => d.Id).Select(d => d.DeliveryId).FirstAsync(cancellationToken);
        return (delivery, first);
    }

    private string ValidUrl(string url)
    {
        if (url.Length > MaxUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw DomainException.Invalid("url", "Use an absolute http:// or https:// URL.");
        }

        // Credentials in a URL would be shown in every listing: the signature is the authentication.
        if (uri.UserInfo.Length > 0)
        {
            throw DomainException.Invalid("url", "The URL must not contain credentials; verify the signature instead.");
        }

        destinations.ThrowIfDenied(uri);
        return uri.AbsoluteUri;
    }

    private static WebhookEventKinds ValidEvents(IReadOnlyList<string> names)
    {
        var kinds = WebhookEventKinds.None;
        foreach (var name in names)
        {
            if (!WebhookEventNames.TryParse(name, out var kind))
            {
                throw DomainException.Invalid("events", $"Unknown event '{name}'; use {string.Join(", ", WebhookEventNames.AllGroups)}.");
            }

            kinds |= kind;
        }

        return kinds == WebhookEventKinds.None ? throw DomainException.Invalid("events", "Subscribe to at least one event.") : kinds;
    }

    private static string ValidSecret(string secret) =>
        secret.Length < MinSecretLength || System.Text.Encoding.UTF8.GetByteCount(secret) > MaxSecretLength
            ? throw DomainException.Invalid("secret", $"Use {MinSecretLength} to {MaxSecretLength} characters (at most {MaxSecretLength} bytes in UTF-8), or leave it out to have one generated.")
            : secret;

    private static string? ValidDescription(string? description) =>
        description is { Length: > MaxDescriptionLength }
            ? throw DomainException.Invalid("description", $"At most {MaxDescriptionLength} characters.")
            : description;

    private static IQueryable<WebhookEntity> InScope(DockyardDbContext db, WebhookScope scope) =>
        scope.Repository is { } repository
            ? db.Webhooks.Where(w => w.Repository == repository)
            : db.Webhooks.Where(w => w.OrganizationId == scope.OrganizationId);

    private static async Task<WebhookEntity> FindAsync(DockyardDbContext db, WebhookScope scope, long id, CancellationToken cancellationToken, bool track = false)
    {
        var query = InScope(db, scope).Where(w => w.Id == id);
        return await (track ? query : query.AsNoTracking()).FirstOrDefaultAsync(cancellationToken)
            ?? throw DomainException.NotFound($"Webhook {id} not found.");
    }
}

using Dockyard.Server.Events;
using Dockyard.Server.Protection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Webhooks;

internal static class WebhookServiceCollectionExtensions
{
    /// <summary>Webhooks: subscriptions, the registry event consumer that queues deliveries, and the delivery worker.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.RequestTimeout > TimeSpan.Zero && o.RetryBaseDelay >= TimeSpan.Zero && o.RetryFactor >= 1
                && o.MaxAttempts >= 1 && o.MaxConcurrency >= 1 && o.PollInterval > TimeSpan.Zero, "Invalid Dockyard:Webhooks settings.")
            .Validate(o => WebhookDestinationPolicy.TryParseNetworks(o.AllowedNetworks, out _, out _), "Dockyard:Webhooks:AllowedNetworks: use CIDR ranges or IP addresses.")
            .ValidateOnStart();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WebhookDestinationPolicy>();
        services.AddSingleton<WebhookConnector>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDeliveryWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDeliveryWorker>());
        services.AddSingleton<IRegistryEventConsumer, WebhookEventConsumer>();
        services.AddSingleton<WebhookService>();
        services.AddSingleton<WebhookNotifier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Accounts.IRepositoryDeletionObserver, WebhookSubscriptionsRepositoryDeletion>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProtectedSecretStore, WebhookSecrets>());
        return services;
    }
}

using Dockyard.Server.Observability;
using Prometheus;

namespace Dockyard.Server.Webhooks;

/// <summary>Webhook delivery metrics, exported at <c>/metrics</c> with the registry's.</summary>
internal sealed class WebhookMetrics
{
    private readonly Counter _attempts;
    private readonly Counter _deliveries;

    public WebhookMetrics(RegistryMetrics registry)
    {
        var factory = Metrics.WithCustomRegistry(registry.Registry);
        _attempts = factory.CreateCounter("dockyard_webhook_attempts_total", "Webhook delivery attempts by outcome (success, failure).", "outcome");
        _deliveries = factory.CreateCounter("dockyard_webhook_deliveries_total", "Webhook deliveries finished, by final status.", "status");
    }

    public void Attempted(bool success) => _attempts.WithLabels(success ? "success" : "failure").Inc();

    public void Finished(string status) => _deliveries.WithLabels(status).Inc();
}

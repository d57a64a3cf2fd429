namespace Dockyard.Server.Webhooks;

/// <summary>Values of <c>webhook_deliveries.status</c>.</summary>
internal static class WebhookDeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";

    /// <summary>Every attempt failed.</summary>
    public const string Failed = "failed";

    /// <summary>The webhook was disabled before the delivery went out.</summary>
    public const string Cancelled = "cancelled";
}
